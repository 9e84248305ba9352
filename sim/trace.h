// The trace: a typed record of everything that happens in a run, a running 64-bit fingerprint
// over a canonical encoding of each record, and observers (the checks, the JSON Lines sink)
// that see records as they happen, so nothing keeps the whole history (DESIGN.md, "Trace").
#pragma once

#include <bit>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sim/time.h"

namespace electsim::sim {

// A process (what sends, receives and leads); see sim/layout.h for hosts, processes and groups.
using NodeId = uint32_t;
inline constexpr NodeId kNoNode = UINT32_MAX;
using GroupId = uint32_t;
inline constexpr GroupId kNoGroup = UINT32_MAX;

enum class RecordKind : uint8_t {
  kSend,           // node -> peer; a = message type tag, b = message id
  kDeliver,        // peer -> node (node receives); a = tag, b = message id
  kDrop,           // message lost; node = receiver, peer = sender, a = DropReason, b = message id
  kDuplicate,      // the network made a second copy; b = message id of the copy
  kTimer,          // node's timer a fired; b = local time of firing (ns)
  kCrash,          // node crashed
  kRestart,        // node restarted; a = 1 if it restarted with nothing (amnesia)
  kPause,          // node paused
  kResume,         // node resumed
  kClockChange,    // node's clock changed; a = ClockChange, b = value (ppm or ns as signed)
  kLinkChange,     // link node -> peer changed; a = 1 up / 0 down
  kBecameLeader,   // node leads; a = epoch, b = fencing token, c = lease end on node's clock
                   // (local ns) or kNoLease
  kFollows,        // node follows peer; a = epoch
  kSteppedDown,    // node no longer leads (followers record kLeaderLost); a = StepDownReason
  kFaultStart,     // a fault began; a = fault index in the schedule, b = fault kind code
  kFaultEnd,       // a fault ended (healed); a = fault index, b = fault kind code
  kResourceWrite,  // the fenced resource decided a write: node = writer, peer = resource,
                   // a = token, b = 1 accepted / 0 refused, c = epoch
  kPersist,        // node persisted its durable state; a = number of words
  kReady,          // node, which leads epoch a, finished initializing (Zab's synchronization)
  kLeaderLost,     // node stopped following (it was a follower, never a leader); a = LeaderLostReason,
                   // b = the epoch it followed
  kWriteSent,      // node sent a write to the resource peer; a = token, b = epoch, c = message id
  kCommitted,      // node learned its log is committed up to the entry at (a = epoch, b = index)
  kSupported,      // node gave peer support for epoch a; b = SupportKind (sim/algorithm.h)
  kLeaderLogEnd,   // node, just elected leader of epoch a, has a log whose last entry is at
                   // (b = epoch, c = index); recorded right after its kBecameLeader
  kCount,
};
std::string_view record_kind_name(RecordKind kind);

enum class DropReason : uint8_t { kLoss, kLinkDown, kNodeDown, kEndOfRun };
std::string_view drop_reason_name(DropReason reason);

enum class ClockChange : uint8_t { kDriftPpm, kOffset, kJump };
std::string_view clock_change_name(ClockChange change);  // "drift", "offset", "jump"

// Why a node stopped leading or following (DESIGN.md, "Algorithms").
enum class StepDownReason : uint8_t {
  kStartup,
  kElectionWon,
  kHigherEpochSeen,
  kQuorumLost,
  kLeaseExpired,
  kRenewDeadlineExceeded,
  kSessionExpired,
  kResigned,
  kCrashed,
  kElectionStarted,
};
std::string_view step_down_reason_name(StepDownReason reason);

// Why a follower no longer follows its leader (a follower never "steps down").
enum class LeaderLostReason : uint8_t {
  kElectionTimeout,   // it heard nothing from the leader for an election timeout
  kHigherEpochSeen,   // a later epoch began, whose leader it does not know yet
  kCrashed,           // the follower itself crashed
  kLeaderUnreachable, // it learned that the leader is gone (a session expired, a watch fired)
};
std::string_view leader_lost_reason_name(LeaderLostReason reason);

// kBecameLeader's `c` when the leader declared no lease: INT64_MIN as a word, an instant no
// clock reaches (trace_fields.h's kAbsentNanos is the same word).
inline constexpr uint64_t kNoLease = uint64_t{1} << 63;

// The flat record every kind packs into: true time, kind, two ids, three value words and a group.
// Its meaning per kind lives in one typed struct per kind (sim/trace_records.h: MessageSent,
// LeaderElected, HostCrashed, ...), whose field table says which field sits in which word; build
// records from those structs and read them with `record.as<LeaderElected>()`.
//
// Process records (messages, timers, persist, leadership) name processes in `node`/`peer` and
// carry the process's `group` (kNoGroup for a process outside any group); host records (crash,
// restart, pause, resume, clock, link changes) name hosts in `node`/`peer` and carry kNoGroup.
// With one group on N hosts, process i runs on host i, so the two readings agree.
//
// The constructor keeps the historical argument order (time, kind, node, peer, a, b, group, c)
// while the members are laid out widest first, so the record stays 48 bytes with its third word.
struct TraceRecord {
  TraceRecord() = default;
  constexpr TraceRecord(Instant when, RecordKind what, NodeId node_id = kNoNode,
                        NodeId peer_id = kNoNode, uint64_t word_a = 0, uint64_t word_b = 0,
                        GroupId group_id = kNoGroup, uint64_t word_c = 0)
      : time(when),
        a(word_a),
        b(word_b),
        c(word_c),
        node(node_id),
        peer(peer_id),
        group(group_id),
        kind(what) {}

  // The typed view of this record (sim/trace_records.h); a SIM_CHECK fails if the record is of
  // another kind.
  template <class Struct>
  Struct as() const;

  Instant time;  // true time
  uint64_t a = 0;
  uint64_t b = 0;
  uint64_t c = 0;
  NodeId node = kNoNode;
  NodeId peer = kNoNode;
  GroupId group = kNoGroup;
  RecordKind kind = RecordKind::kSend;
};
static_assert(sizeof(TraceRecord) == 48,
              "the flat record is copied for every event: keep it small");

class TraceObserver {
 public:
  virtual ~TraceObserver() = default;
  virtual void on_record(const TraceRecord& record) = 0;
  // The end of the run, at true time `end`.
  virtual void on_end(Instant /*end*/) {}
};

// Which kinds an observer wants; messages are most of the volume and most observers skip them.
using KindMask = uint32_t;
constexpr KindMask mask_of(RecordKind kind) { return KindMask{1} << static_cast<unsigned>(kind); }
inline constexpr KindMask kAllKinds = (KindMask{1} << static_cast<unsigned>(RecordKind::kCount)) - 1;
inline constexpr KindMask kMessageKinds = mask_of(RecordKind::kSend) | mask_of(RecordKind::kDeliver) |
                                          mask_of(RecordKind::kDrop) | mask_of(RecordKind::kDuplicate);

class Trace {
 public:
  void add_observer(TraceObserver* observer, KindMask kinds = kAllKinds) {
    observers_.push_back({observer, kinds});
    any_mask_ |= kinds;
  }

  // Packs a typed record (sim/trace_records.h) and records it; it costs what building the flat
  // record by hand costs, as the packing is a handful of inline stores.
  template <class Struct>
  void record(Instant at, const Struct& fields) {
    record(pack_record(at, fields));
  }

  void record(const TraceRecord& r) {
    fingerprint_ = fold(fingerprint_, r);
    ++count_;
    if ((any_mask_ & mask_of(r.kind)) == 0) return;
    for (const auto& entry : observers_) {
      if (entry.kinds & mask_of(r.kind)) entry.observer->on_record(r);
    }
  }
  void end(Instant at) {
    for (const auto& entry : observers_) entry.observer->on_end(at);
  }

  uint64_t fingerprint() const { return fingerprint_; }
  uint64_t records() const { return count_; }

  // The fingerprint's step: a cheap running hash over every word of the record (not a
  // cryptographic one; docs/TRACE.md, "The fingerprint"). The eight fields go into two
  // independent lanes (who, when and what; the three value words), which the processor computes
  // in parallel, and only the final fold depends on the previous records: one multiply-xorshift
  // on the critical path per record. Each field enters exactly one lane through a bijection (a
  // multiply by an odd constant, a rotation, a disjoint bit range) and `mix` is a bijection too,
  // so changing any single field of any record always changes the fingerprint. Order matters, as
  // it should: the fold is not commutative. (A third lane for the third word and the group cost
  // 2% of the SimGrid workload's instructions for no extra guarantee.)
  static constexpr uint64_t fold(uint64_t fingerprint, const TraceRecord& r) {
    const uint64_t who = uint64_t{r.node} | (uint64_t{r.peer} << 32);
    const uint64_t what = static_cast<uint64_t>(r.kind) | (uint64_t{r.group} << 8);
    const uint64_t when_who_what =
        mix(static_cast<uint64_t>(r.time.ns()) ^ (who * kOddA) ^ std::rotl(what, 24));
    const uint64_t values = mix((r.a * kOddB) ^ std::rotl(r.b, 32) ^ (r.c * kOddC));
    return mix(fingerprint ^ when_who_what ^ std::rotl(values, 17));
  }

 private:
  static constexpr uint64_t kOddA = 0xc2b2ae3d27d4eb4fULL;
  static constexpr uint64_t kOddB = 0x165667b19e3779f9ULL;
  static constexpr uint64_t kOddC = 0x94d049bb133111ebULL;
  static constexpr uint64_t mix(uint64_t x) {
    x *= 0x9fb21c651e98df25ULL;
    return x ^ (x >> 29);
  }

  struct Entry {
    TraceObserver* observer;
    KindMask kinds;
  };
  std::vector<Entry> observers_;
  KindMask any_mask_ = 0;
  uint64_t fingerprint_ = 0x6a09e667f3bcc908ULL;
  uint64_t count_ = 0;
};

}  // namespace electsim::sim
