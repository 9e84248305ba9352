// The fencing checks (internal to sim/checks; issue 9, DESIGN.md "Checks"): the tokens that
// leaderships carry, and the writes the fenced resource accepted. Kleppmann's "How to do
// distributed locking" (2016) is the reason for both halves: a lock or a lease alone cannot stop
// a paused or cut-off holder from writing, so the store must refuse tokens older than one it
// has seen, and that only works if every leadership's token is unique and grows with the epoch.
//
// Each is an *always* check judged per group, with O(1) amortized work per record and memory
// bounded by the groups and the leaderships, never by the writes.
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "sim/checks/check_base.h"
#include "sim/checks/topology.h"
#include "sim/fencing.h"

namespace electsim::sim::checks {

// A leadership: one process's claim to lead one epoch of its group.
struct LeadershipKey {
  NodeId process = kNoNode;
  uint64_t epoch = 0;
  friend bool operator==(const LeadershipKey&, const LeadershipKey&) = default;
  template <typename H>
  friend H AbslHashValue(H state, const LeadershipKey& key) {
    return H::combine(std::move(state), key.process, key.epoch);
  }
};

// How many leaderships the token checks remember in all (each group at least
// kMinRememberedLeadershipsPerGroup), forgetting a group's lowest epochs first, as
// one_leader_per_epoch does; a claim below what was forgotten is not judged.
inline constexpr size_t kMaxRememberedLeaderships = 1 << 16;
inline constexpr size_t kMinRememberedLeadershipsPerGroup = 64;

// tokens_increase: across a group's leaderships ordered by epoch, the token strictly increases.
// It is judged by epoch, not by election time: correct Raft can elect a term-3 leader after a
// term-4 one (late votes reach a stale candidate), which is what fencing is for, not a token bug.
// Each new leadership is compared with its neighbours in epoch order, which, while no violation
// has been found, are the highest token below and the lowest above. It also keeps the tokens
// for the report (CheckResults::tokens).
class TokensIncrease final : public Check {
 public:
  explicit TokensIncrease(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override { return mask_of(RecordKind::kBecameLeader); }
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

 private:
  struct Claim {
    uint64_t token;
    Instant time;
  };
  struct GroupLeaderships {
    // (epoch, process) -> its claim; a re-report of the same leadership keeps the first.
    absl::btree_map<std::pair<uint64_t, NodeId>, Claim> claims;
    uint64_t forgotten = 0;           // leaderships forgotten to keep memory flat
    uint64_t forgotten_below = 0;     // epochs <= this may have been forgotten
  };
  void judge(GroupId group, const GroupLeaderships& leaderships,
             std::pair<uint64_t, NodeId> key, const Claim& claim);
  void report(GroupId group, std::pair<uint64_t, NodeId> key, const Claim& claim,
              std::pair<uint64_t, NodeId> other_key, const Claim& other);

  std::shared_ptr<const Topology> topology_;
  std::vector<GroupLeaderships> groups_;
  size_t remembered_per_group_;
};

// unique_tokens: no two leaderships of a group (distinct (process, epoch) claims) hold the same
// token. Equal tokens defeat an `equal-ok` resource (it accepts both holders' writes), and an
// `on` resource can only tell them apart by who wrote.
class UniqueTokens final : public Check {
 public:
  explicit UniqueTokens(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override { return mask_of(RecordKind::kBecameLeader); }
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override { violations_.append_to(results); }

 private:
  struct Holder {
    LeadershipKey leadership;
    Instant time;
  };
  // By group: token -> its first holder. Ordered so that the lowest tokens are the ones
  // forgotten past the memory limit.
  std::shared_ptr<const Topology> topology_;
  std::vector<absl::btree_map<uint64_t, Holder>> holders_;
  size_t remembered_per_group_;
};

// resource_never_goes_back (fencing on or equal-ok only): the resource never accepts, for a
// group, a token lower than one it already accepted for that group, and with `on` never an equal
// token from a different leadership. A violation is a bug in the resource (or its tokens), so it
// fails the run. Reported once per (accepted leadership, highest leadership) pair; every such
// write still counts as stale damage in no_stale_write_accepted.
class ResourceNeverGoesBack final : public Check {
 public:
  ResourceNeverGoesBack(std::shared_ptr<const Topology> topology, FencingMode mode);

  KindMask kinds() const override { return mask_of(RecordKind::kResourceWrite); }
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override { violations_.append_to(results); }

 private:
  struct Highest {
    bool any = false;
    uint64_t token = 0;
    LeadershipKey leadership;
    Instant time;
    // The last pair reported, so one stale leadership's writes give one violation.
    LeadershipKey reported_writer;
    LeadershipKey reported_highest;
  };
  std::shared_ptr<const Topology> topology_;
  FencingMode mode_;
  std::vector<Highest> groups_;
};

// no_stale_write_accepted: a write accepted from a leadership after the resource had accepted
// a write of a newer leadership of the same group (newer: a higher epoch; on equal epochs, the
// later elected). Every such write counts in `stale_writes_accepted`, the split-brain damage, in
// every fencing mode (with `off` it shows what fencing would have prevented); the first is kept
// for the report. A violation once per (stale leadership, newer leadership) pair. It also counts
// the accepted and refused writes.
class NoStaleWriteAccepted final : public Check {
 public:
  explicit NoStaleWriteAccepted(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override {
    return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kResourceWrite);
  }
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

 private:
  struct Newest {
    bool any = false;
    LeadershipKey leadership;
    Instant elected;
    uint64_t token = 0;
    Instant first_accepted;
    LeadershipKey reported_stale;  // the last pair reported
    LeadershipKey reported_newer;
  };
  Instant elected_at(const LeadershipKey& leadership) const;
  bool is_newer(const LeadershipKey& leadership, Instant elected, const Newest& newest) const;
  void count_stale(const TraceRecord& record, const LeadershipKey& leadership, Newest& newest);

  std::shared_ptr<const Topology> topology_;
  absl::flat_hash_map<LeadershipKey, Instant> elected_;  // lint: lookup-only
  std::vector<Newest> groups_;
  WriteFigures figures_;
};

// writes_only_while_leading: every write sent comes from a process that, at that true time,
// believes it leads its group in that epoch with that token (per its leadership reports). A
// process believes it leads from its became_leader until its stepped_down, a later follows, or
// its host's crash. It also counts the writes sent.
class WritesOnlyWhileLeading final : public Check {
 public:
  explicit WritesOnlyWhileLeading(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

 private:
  struct Belief {
    bool leading = false;
    bool ever_led = false;
    uint64_t epoch = 0;     // of its latest leadership
    uint64_t token = 0;
    Instant since;          // when it began or stopped leading
    bool reported = false;  // a violation was reported since its belief last changed
  };
  void stop_leading(Belief& belief, Instant at);
  void judge_write(const TraceRecord& record);
  std::shared_ptr<const Topology> topology_;
  std::vector<Belief> beliefs_;  // by process
  uint64_t sent_ = 0;
};

}  // namespace electsim::sim::checks
