#include "sim/checks/leaderless_time.h"

#include <algorithm>
#include <utility>

#include "sim/check.h"

namespace electsim::sim::checks {

LeaderlessTimeObserver::LeaderlessTimeObserver(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)),
      leading_(topology_->processes(), 0),
      leaders_in_group_(topology_->groups(), 0),
      leaderless_since_(topology_->groups(), Instant::zero()) {}

KindMask LeaderlessTimeObserver::kinds() const {
  return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kFollows) |
         mask_of(RecordKind::kSteppedDown) | mask_of(RecordKind::kCrash) | fault_event_kinds();
}

void LeaderlessTimeObserver::on_record(const TraceRecord& record) {
  if (!first_fault_ && is_fault_event(record)) first_fault_ = record.time;
  if (record.kind == RecordKind::kCrash) {
    for (ProcessId process : topology_->on_host(record.node)) end_leading(process, record.time);
    return;
  }
  if (is_host_record(record.kind)) return;
  if (record.kind == RecordKind::kBecameLeader) {
    begin_leading(record.node, record.time);
  } else if (record.kind == RecordKind::kFollows || record.kind == RecordKind::kSteppedDown) {
    end_leading(record.node, record.time);
  }
}

void LeaderlessTimeObserver::begin_leading(ProcessId process, Instant at) {
  SIM_CHECK_LT(process, topology_->processes(), "leadership outside the layout");
  if (leading_[process] != 0 || !topology_->is_member(process)) return;
  leading_[process] = 1;
  const GroupId group = topology_->group_of(process);
  if (leaders_in_group_[group]++ == 0) add_leaderless(leaderless_since_[group], at);
}

void LeaderlessTimeObserver::end_leading(ProcessId process, Instant at) {
  if (process >= topology_->processes() || leading_[process] == 0) return;
  leading_[process] = 0;
  const GroupId group = topology_->group_of(process);
  if (--leaders_in_group_[group] == 0) leaderless_since_[group] = at;
}

void LeaderlessTimeObserver::add_leaderless(Instant since, Instant until) {
  SIM_CHECK_LE(since, until, "a leaderless period ends before it began");
  figures_.total += until - since;
  if (!first_fault_) return;
  const Instant from = std::max(since, *first_fault_);
  if (from < until) figures_.since_first_fault += until - from;
}

void LeaderlessTimeObserver::on_end(Instant end) {
  for (GroupId group = 0; group < leaders_in_group_.size(); ++group) {
    if (leaders_in_group_[group] == 0) add_leaderless(leaderless_since_[group], end);
  }
}

void LeaderlessTimeObserver::collect(CheckResults& results) const {
  results.leaderless = figures_;
}

}  // namespace electsim::sim::checks
