// The interface every election algorithm implements, and the context it acts through
// (DESIGN.md, "Algorithms"; STYLE.md 1-3). An algorithm is a state machine with no I/O of its
// own: inputs are on_start / on_message / on_timer, outputs are calls on the Context. It never
// reads a clock other than local_now(), never sees a fault, a scenario or a report. A process of
// any kind (member, service, resource, client; sim/layout.h) is an Algorithm.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "sim/layout.h"
#include "sim/message_type.h"
#include "sim/payload.h"
#include "sim/prng.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace electsim::sim {

// An algorithm names its timers with small integers of its own; setting a timer that is already
// pending moves it (etcd-raft's tick model, one deadline per purpose).
using TimerId = uint32_t;
inline constexpr TimerId kMaxTimers = 8;

// What an algorithm saved with persist(); survives a crash unless the restart is an amnesia one.
using DurableState = std::vector<uint64_t>;

// Leadership, reported as one typed event at a time (DESIGN.md, "Algorithms"). The context
// fills in who reports and for which group, so a process can never speak for another group.

// Where an entry sits in a replicated log, in the order the algorithm itself uses to decide
// which log is more up to date: the epoch the entry was written in (Raft's term, Zab's zxid
// epoch, VR's view, a Paxos ballot), then its index (Raft's index, Zab's zxid counter, VR's
// op-number, a Paxos slot). Compared lexicographically.
struct LogPosition {
  uint64_t epoch = 0;
  uint64_t index = 0;
  friend constexpr auto operator<=>(const LogPosition&, const LogPosition&) = default;
};

// The process leads `epoch`. `token` is what it fences with (Raft: the term). A lease-based
// leader says until when, on its own local clock, it believes it leads. A log-based leader says
// where its log ends when it claims leadership (`log_end`), so that the leader-completeness check
// can tell whether it can hold every entry committed before it: a log whose last entry is older
// than a committed one cannot contain it (Raft 5.4.1's up-to-date order).
struct Elected {
  uint64_t epoch = 0;
  uint64_t token = 0;
  std::optional<LocalInstant> lease_until;
  std::optional<LogPosition> log_end;
};
// The leader finished initializing (Zab's synchronization); clients wait for it.
struct Ready {};
// The process follows `leader` (a process of its group) in `epoch`.
struct Follows {
  ProcessId leader = kNoNode;
  uint64_t epoch = 0;
};
// A leader stopped leading.
struct SteppedDown {
  StepDownReason reason = StepDownReason::kResigned;
};
// A follower lost or left its leader: it is not "stepping down", it no longer follows anyone.
struct LeaderLost {
  LeaderLostReason reason = LeaderLostReason::kElectionTimeout;
};

// A log-based process learned that the entry at `position`, and every entry before it in its
// log, is committed (Raft's commitIndex advancing, Zab's COMMIT, VR's commit-number, a Paxos
// slot chosen). Reported once per advance, with the newest committed position.
struct Committed {
  LogPosition position;
};

// The kinds of support one process gives another for an epoch (issue 14; docs/TRACE.md).
enum class SupportKind : uint8_t {
  kVote,           // Raft: a RequestVote granted (binding)
  kPreVote,        // Raft PreVote: a pre-vote granted (not binding: no term is raised)
  kPromise,        // Paxos phase 1: a promise not to accept lower ballots (binding)
  kAccept,         // Paxos phase 2: a value accepted under a ballot (binding for that ballot)
  kDoViewChange,   // VR: DoViewChange sent to the new view's primary (binding)
  kEpochAck,       // Zab: ACKEPOCH for a new epoch sent to the prospective leader (binding)
  kElectionVote,   // Zab FLE / Bully: a vote in the election round (not binding on its own)
  kLeaseGrant,     // coordination service: a lock or lease granted to a client (binding)
};

// The process gave `candidate` support of `kind` for `epoch`. Binding support (every kind above
// but kPreVote and kElectionVote) is what a quorum of promises is made of: a correct algorithm
// gives it to at most one candidate per epoch.
struct Supported {
  ProcessId candidate = kNoNode;
  uint64_t epoch = 0;
  SupportKind kind = SupportKind::kVote;
};

// The fenced resource decided a write (algorithms/resource/): the trace's `resource_write`.
struct WriteDecided {
  ProcessId writer = kNoNode;
  GroupId group = kNoGroup;
  uint64_t epoch = 0;
  uint64_t token = 0;
  bool accepted = false;
};

class Context {
 public:
  virtual ~Context() = default;

  virtual ProcessId self() const = 0;
  // The group this process is a member of (kNoGroup for services, resources and clients).
  virtual GroupId group() const = 0;
  // The members of this process's group (itself included), in id order; empty outside groups.
  virtual std::span<const ProcessId> members() const = 0;
  // The coordination service's replicas and the fenced resources, in id order.
  virtual std::span<const ProcessId> services() const = 0;
  virtual std::span<const ProcessId> resources() const = 0;
  // The time on this process's host clock: never true time (sim/time.h).
  virtual LocalInstant local_now() const = 0;

  // Sends to any process, of any group (the kernel routes by process id; a process that
  // receives another family's message fails loudly, see World). `type` is the message's stable
  // id (sim/message_type.h), which the trace records.
  virtual void send(ProcessId to, const Payload& message, MessageTypeId type) = 0;
  template <class Message>
  void send(ProcessId to, const Message& message) {
    send(to, Payload::of(message), message_type(message));
  }

  virtual void set_timer(TimerId timer, Duration after) = 0;
  // A duration drawn uniformly from [lo, hi] on this process's own random stream.
  virtual void set_timer(TimerId timer, Duration lo, Duration hi) = 0;
  virtual void cancel_timer(TimerId timer) = 0;

  // Replaces the process's durable state; a crash keeps exactly what was last persisted.
  virtual void persist(const DurableState& state) = 0;
  // Writes `words` into the durable state at `offset` (<= its current size), extending it as
  // needed, and drops everything after them if `truncate_rest`. What a real server does when it
  // appends to its log file or rewrites its small metadata file, instead of rewriting it all.
  virtual void persist_at(size_t offset, std::span<const uint64_t> words, bool truncate_rest) = 0;
  // The splice persist_at performs, for contexts that keep a DurableState themselves.
  static void splice(DurableState& state, size_t offset, std::span<const uint64_t> words,
                     bool truncate_rest) {
    SIM_CHECK(offset <= state.size(), "persist_at past the end of the durable state");
    if (state.size() < offset + words.size()) state.resize(offset + words.size());
    std::copy(words.begin(), words.end(), state.begin() + static_cast<std::ptrdiff_t>(offset));
    if (truncate_rest) state.resize(offset + words.size());
  }

  virtual void report(const Elected& event) = 0;
  virtual void report(const Ready& event) = 0;
  virtual void report(const Follows& event) = 0;
  virtual void report(const SteppedDown& event) = 0;
  virtual void report(const LeaderLost& event) = 0;
  // Only the fenced resource reports its decisions on writes.
  virtual void report(const WriteDecided& event) = 0;
  // Log commits and support given (issues 10 and 14). Not every context records them yet: the
  // defaults drop them, so an algorithm may always report.
  virtual void report(const Committed& /*event*/) {}
  virtual void report(const Supported& /*event*/) {}

  // The process's own random stream, for algorithms that randomize beyond timers.
  virtual Rng& rng() = 0;

  // A message's stable type id: an algorithm declares `message_type_of(const Message&)` beside
  // its messages (found by argument-dependent lookup; Raft's maps its variant's alternatives).
  // Messages without one are test-only: family kTestOnly, indexed by variant alternative.
  template <class Message>
  static MessageTypeId message_type(const Message& message) {
    if constexpr (requires { message_type_of(message); }) {
      return message_type_of(message);
    } else if constexpr (requires { message.index(); }) {
      return message_type_id(families::kTestOnly, static_cast<uint16_t>(message.index()));
    } else {
      return message_type_id(families::kTestOnly, 0);
    }
  }
};

class Algorithm {
 public:
  virtual ~Algorithm() = default;
  // The message family this algorithm speaks (sim/message_type.h). Asked once per start, so a
  // delivery costs one comparison: a message of another family is a SIM_CHECK failure.
  virtual FamilyId family() const { return families::kTestOnly; }
  // `restored` is what the node last persisted, or nullptr for a first start or an amnesia
  // restart.
  virtual void on_start(Context& context, const DurableState* restored) = 0;
  virtual void on_message(Context& context, ProcessId from, const Payload& message) = 0;
  virtual void on_timer(Context& context, TimerId timer) = 0;
  // Asked to give up its leadership voluntarily (the scenario's `resign` fault; only a process
  // that reports leading is asked). A lease recipe releases what it holds (Curator's
  // LeaderLatch.close, etcd's Election.Resign, client-go's ReleaseOnCancel, deleting a TTL
  // lock) and reports SteppedDown{kResigned}. The default ignores the request: an algorithm
  // without a voluntary resignation (Raft, Zab, Multi-Paxos, VR, Bully) keeps leading.
  virtual void on_resign_request(Context& /*context*/) {}
};

// Builds a fresh algorithm instance for a process (at start and at every restart).
class AlgorithmFactory {
 public:
  virtual ~AlgorithmFactory() = default;
  virtual std::unique_ptr<Algorithm> create(ProcessId process) const = 0;
};

// The factory for each kind of process in a world. Members need one; a layout with a process of
// a kind that has none is a SIM_CHECK failure when the world is built.
struct AlgorithmFactories {
  const AlgorithmFactory* member = nullptr;
  const AlgorithmFactory* service = nullptr;
  const AlgorithmFactory* resource = nullptr;
  const AlgorithmFactory* client = nullptr;
  const AlgorithmFactory* of(ProcessKind kind) const;
};

}  // namespace electsim::sim
