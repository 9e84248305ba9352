#include "sim/checks/transitions.h"

#include <utility>

namespace electsim::sim::checks {

LeaderTransitions::LeaderTransitions(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)), groups_(topology_->groups()) {}

void LeaderTransitions::on_record(const TraceRecord& record) {
  SIM_CHECK_LT(record.node, topology_->processes(), "leadership outside the layout");
  const GroupId group = topology_->group_of(record.node);
  SIM_CHECK_LT(group, groups_.size(), "a process outside any group reported leadership");
  if (record.kind == RecordKind::kBecameLeader) {
    became_leader(record, groups_[group]);
  } else {
    stepped_down(record, groups_[group]);
  }
}

void LeaderTransitions::became_leader(const TraceRecord& record, GroupState& group) {
  LeaderTransition transition;
  transition.time = record.time;
  transition.group = topology_->group_of(record.node);
  transition.to = record.node;
  transition.epoch = record.a;
  if (!group.had_leader) {
    transition.reason = StepDownReason::kStartup;
    count(StepDownReason::kStartup);
    list(transition);
  } else if (!group.last_leading) {
    transition.from = group.last;
    transition.reason = group.last_reason;
    transition.previous_ended = group.last_ended;
    count(group.last_reason);
    list(transition);
  } else {
    // The previous leader still believes (an overlap, or its own re-election in a new epoch):
    // why its leadership ends is known only when it steps down.
    transition.from = group.last;
    const size_t listed = list(transition);
    if (group.pending.size() < kMaxPendingPerGroup) {
      group.pending.push_back(Pending{group.last, listed});
    } else {
      ++counts_.unresolved;
    }
  }
  group.had_leader = true;
  group.last = record.node;
  group.last_leading = true;
}

void LeaderTransitions::stepped_down(const TraceRecord& record, GroupState& group) {
  const auto reason = static_cast<StepDownReason>(record.a);
  if (record.node == group.last && group.last_leading) {
    group.last_leading = false;
    group.last_reason = reason;
    group.last_ended = record.time;
  }
  // Transitions that waited for this leader to stop, in the order they happened.
  size_t kept = 0;
  for (const Pending& pending : group.pending) {
    if (pending.previous != record.node) {
      group.pending[kept++] = pending;
      continue;
    }
    count(reason);
    if (pending.listed == kNotListed) continue;
    transitions_[pending.listed].reason = reason;
    transitions_[pending.listed].previous_ended = record.time;
  }
  group.pending.resize(kept);
}

size_t LeaderTransitions::list(const LeaderTransition& transition) {
  if (transitions_.size() >= kMaxReportedTransitions) {
    ++omitted_;
    return kNotListed;
  }
  transitions_.push_back(transition);
  return transitions_.size() - 1;
}

void LeaderTransitions::collect(CheckResults& results) const {
  results.transitions.insert(results.transitions.end(), transitions_.begin(), transitions_.end());
  results.transitions_omitted += omitted_;
  TransitionReasonCounts& counts = results.transition_reasons;
  for (size_t i = 0; i < counts.by_reason.size(); ++i) counts.by_reason[i] += counts_.by_reason[i];
  counts.unresolved += counts_.unresolved;
  for (const GroupState& group : groups_) counts.unresolved += group.pending.size();
}

}  // namespace electsim::sim::checks
