// The *always* checks on leadership reports (internal to sim/checks; DESIGN.md, "Checks").
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/container/btree_map.h"
#include "sim/checks/check_base.h"
#include "sim/checks/host_clocks.h"
#include "sim/checks/topology.h"

namespace electsim::sim::checks {

// one_leader_per_epoch: no two members of a group ever report kBecameLeader for the same epoch
// (Raft's Election Safety property, Ongaro & Ousterhout 2014, Figure 3). Judged per group: term 1
// exists in every group. Also counts leader changes.
//
// It remembers who first claimed each epoch of each group. To keep memory flat it remembers at
// most kMaxRememberedEpochs epochs in all (each group at least kMinRememberedPerGroup), forgetting
// a group's lowest; a claim below what it has forgotten is counted in unjudged_claims() instead of
// being judged (it never happens with epochs that grow).
class OneLeaderPerEpoch final : public Check {
 public:
  static constexpr size_t kMaxRememberedEpochs = 1 << 16;
  static constexpr size_t kMinRememberedPerGroup = 64;

  explicit OneLeaderPerEpoch(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override { return mask_of(RecordKind::kBecameLeader); }
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

  size_t remembered_epochs() const;
  uint64_t unjudged_claims() const { return unjudged_claims_; }

 private:
  struct Claim {
    NodeId node;
    Instant time;
  };
  struct GroupClaims {
    absl::btree_map<uint64_t, Claim> claims;  // epoch -> first claim
    bool forgot_any = false;
    uint64_t forgotten_below = 0;             // every epoch <= this may have been forgotten
  };
  std::shared_ptr<const Topology> topology_;
  std::vector<GroupClaims> groups_;
  size_t remembered_per_group_;
  uint64_t unjudged_claims_ = 0;
  uint64_t leader_changes_ = 0;
};

// exclusive_leadership: the intervals of true time in which two members of one group both believe
// they lead. A process leads from its kBecameLeader until its kSteppedDown, a later kFollows, or
// the crash of its host. Each overlapping pair is one Overlap (processes in the order they began
// leading). Zero-length overlaps (one hands over to the other at the same instant) are not
// overlaps. What an overlap means follows the exclusivity rule (sim/checks/profile.h):
//   until_superseded - only reported;
//   bounded          - also a `bounded_exclusivity` violation when the deposed leader (the one of
//                      the lower epoch) went on believing for longer than `bound` after the
//                      overlap began, counted in its own running time: the time its host was
//                      paused is excused (a paused process can take no step; that hazard is what
//                      fencing is for) and so is every backward step of its host's clock (its
//                      timers wait that much longer), from kExcuseWindowBounds x `bound` before
//                      the overlap began (a step then still delays the timers pending at its
//                      start, by up to its own size), and the bound stretches with the slowest
//                      drift its clock had;
//   strict           - every overlap is an `exclusive_leadership` violation (the suite passes
//                      until_superseded instead where a resource fences the writes, suite.cc).
class ExclusiveLeadership final : public Check {
 public:
  // How many bounds before an overlap the deposed leader's pauses and clock steps are excused.
  static constexpr int64_t kExcuseWindowBounds = 4;

  ExclusiveLeadership(std::shared_ptr<const Topology> topology, ExclusivityRule rule,
                      Duration bound = Duration::zero(), std::string bound_formula = "",
                      const std::vector<LocalClock>& initial_clocks = {});

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void on_end(Instant end) override;
  void collect(CheckResults& results) const override;

 private:
  struct Lead {
    bool leading = false;
    uint64_t epoch = 0;
  };
  struct OpenPair {
    NodeId first;
    NodeId second;
    Instant start;
    // The deposed leader's host's excused time (paused, clock stepped back) at the start of the
    // excuse window before it began.
    Duration excused_at_start;
  };
  void begin_leading(NodeId node, uint64_t epoch, Instant at);
  void end_leading(NodeId node, Instant at);
  void close(const OpenPair& pair, Instant at);
  void judge_bounded(const OpenPair& pair, Instant at, Duration length);
  NodeId deposed(const OpenPair& pair) const;

  std::shared_ptr<const Topology> topology_;
  ExclusivityRule rule_;
  Duration bound_;
  std::string bound_formula_;
  HostClocks hosts_;
  std::vector<Lead> leads_;
  std::vector<OpenPair> open_;       // pairs overlapping now; at most leaders^2 per group
  std::vector<Overlap> overlaps_;
  uint64_t overlaps_dropped_ = 0;
};

// epochs_never_go_backwards: each process's reported epoch (kBecameLeader, kFollows) never
// decreases, across crashes and restarts of its host too. An amnesia restart is no excuse: Raft's
// safety rests on currentTerm being durable (Ongaro & Ousterhout 2014, Figure 2, "Persistent
// state"), so a process that forgot its term is exactly what this check must report. Each fall
// is reported once, until the process is back at its highest epoch.
class EpochsNeverGoBackwards final : public Check {
 public:
  explicit EpochsNeverGoBackwards(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override;
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

 private:
  struct NodeEpochs {
    bool seen = false;
    uint64_t highest = 0;
    Instant highest_at;
    bool behind = false;                // a fall was reported and not yet made up
    bool amnesia_since_highest = false;
    Instant amnesia_at;
  };
  void note_restart(NodeId process, const TraceRecord& record);
  std::shared_ptr<const Topology> topology_;
  std::vector<NodeEpochs> nodes_;
};

}  // namespace electsim::sim::checks
