// The leadership transitions of a run and why each happened (issue 11, acceptance 1): an
// observer of became_leader and stepped_down records that pairs each new leader with the end of
// the leadership before it in its group (CheckResults::transitions). Not a check: it judges
// nothing, it explains. Bounded: it lists the first kMaxReportedTransitions and counts the rest.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/checks/check_base.h"
#include "sim/checks/topology.h"

namespace electsim::sim::checks {

class LeaderTransitions final : public Check {
 public:
  // A group keeps at most this many transitions waiting for a previous leader that still
  // believes; past it a transition is counted as unresolved at once.
  static constexpr size_t kMaxPendingPerGroup = 64;

  explicit LeaderTransitions(std::shared_ptr<const Topology> topology);

  KindMask kinds() const override {
    return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kSteppedDown);
  }
  void on_record(const TraceRecord& record) override;
  void collect(CheckResults& results) const override;

 private:
  static constexpr size_t kNotListed = SIZE_MAX;
  // A transition whose previous leader still believed when it happened.
  struct Pending {
    NodeId previous = kNoNode;
    size_t listed = kNotListed;  // its index in transitions_, if listed
  };
  struct GroupState {
    bool had_leader = false;
    NodeId last = kNoNode;  // the group's most recently elected leader
    bool last_leading = false;
    StepDownReason last_reason = StepDownReason::kStartup;
    Instant last_ended;
    std::vector<Pending> pending;
  };

  void became_leader(const TraceRecord& record, GroupState& group);
  void stepped_down(const TraceRecord& record, GroupState& group);
  // Lists the transition if there is room; returns its index or kNotListed.
  size_t list(const LeaderTransition& transition);
  void count(StepDownReason reason) { ++counts_.by_reason[static_cast<size_t>(reason)]; }

  std::shared_ptr<const Topology> topology_;
  std::vector<GroupState> groups_;
  std::vector<LeaderTransition> transitions_;
  uint64_t omitted_ = 0;
  TransitionReasonCounts counts_;
};

}  // namespace electsim::sim::checks
