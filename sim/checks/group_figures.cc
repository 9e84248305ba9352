#include "sim/checks/group_figures.h"

#include <algorithm>
#include <utility>

#include "sim/check.h"

namespace electsim::sim::checks {

GroupFiguresObserver::GroupFiguresObserver(std::shared_ptr<const Topology> topology)
    : topology_(std::move(topology)),
      leading_(topology_->processes(), 0),
      leaders_in_group_(topology_->groups(), 0),
      leaderless_(topology_->groups()),
      on_host_(topology_->hosts(), 0),
      member_host_(topology_->hosts(), 0) {
  figures_.groups = topology_->groups();
  uint32_t member_hosts = 0;
  for (ProcessId member : topology_->layout().of_kind(ProcessKind::kMember)) {
    uint8_t& flag = member_host_[topology_->host_of(member)];
    if (flag == 0) ++member_hosts;
    flag = 1;
  }
  hosts_with_.assign(topology_->processes() + 1, 0);
  hosts_with_[0] = member_hosts;  // every member host leads nothing at the start
}

KindMask GroupFiguresObserver::kinds() const {
  return mask_of(RecordKind::kBecameLeader) | mask_of(RecordKind::kFollows) |
         mask_of(RecordKind::kSteppedDown) | mask_of(RecordKind::kCrash) | fault_event_kinds();
}

void GroupFiguresObserver::on_record(const TraceRecord& record) {
  if (!fault_seen_ && is_fault_event(record)) {
    fault_seen_ = true;
    note_leaderless(record.time);
  }
  if (record.kind == RecordKind::kCrash) {
    for (ProcessId process : topology_->on_host(record.node)) end_leading(process, record.time);
    return;
  }
  if (is_host_record(record.kind) || (kinds() & mask_of(record.kind)) == 0) return;
  if (record.kind == RecordKind::kBecameLeader) {
    begin_leading(record.node, record.time);
  } else if (record.kind == RecordKind::kFollows || record.kind == RecordKind::kSteppedDown) {
    end_leading(record.node, record.time);
  }
}

void GroupFiguresObserver::begin_leading(ProcessId process, Instant at) {
  if (leading_[process] != 0 || !topology_->is_member(process)) return;
  leading_[process] = 1;
  if (leaders_in_group_[topology_->group_of(process)]++ == 0) --leaderless_;
  move_host_count(topology_->host_of(process), true, at);
}

void GroupFiguresObserver::end_leading(ProcessId process, Instant at) {
  if (leading_[process] == 0) return;
  leading_[process] = 0;
  if (--leaders_in_group_[topology_->group_of(process)] == 0) {
    ++leaderless_;
    note_leaderless(at);
  }
  move_host_count(topology_->host_of(process), false, at);
}

void GroupFiguresObserver::note_leaderless(Instant at) {
  if (!fault_seen_ || leaderless_ <= figures_.max_leaderless) return;
  figures_.max_leaderless = leaderless_;
  figures_.max_leaderless_at = at;
}

void GroupFiguresObserver::move_host_count(HostId host, bool up, Instant at) {
  SIM_CHECK(member_host_[host] != 0, "a leader on a host that runs no member");
  uint32_t& count = on_host_[host];
  const uint32_t before = count;
  const uint32_t after = up ? before + 1 : before - 1;
  --hosts_with_[before];
  ++hosts_with_[after];
  count = after;
  if (up) {
    max_ = std::max(max_, after);
    if (before == min_ && hosts_with_[before] == 0) min_ = after;
  } else {
    min_ = std::min(min_, after);
    if (before == max_ && hosts_with_[before] == 0) max_ = after;
  }
  if (max_ - min_ > figures_.max_leader_imbalance) {
    figures_.max_leader_imbalance = max_ - min_;
    figures_.max_leader_imbalance_at = at;
  }
}

void GroupFiguresObserver::on_end(Instant /*end*/) {
  figures_.leaderless_at_end = leaderless_;
  figures_.leader_imbalance_at_end = max_ - min_;
  figures_.leaders_per_host_at_end = on_host_;
}

namespace {

// The nearest-rank percentile of sorted values.
Duration percentile(const std::vector<Duration>& sorted, uint32_t percent) {
  const size_t rank = (sorted.size() * percent + 99) / 100;
  return sorted[std::max<size_t>(rank, 1) - 1];
}

}  // namespace

void GroupFiguresObserver::collect(CheckResults& results) const {
  GroupFigures figures = figures_;
  if (recoveries_ != nullptr && !recoveries_->empty()) {
    std::vector<Duration> times;
    times.reserve(recoveries_->size());
    const GroupRecoveryTime* worst = &recoveries_->front();
    for (const GroupRecoveryTime& recovery : *recoveries_) {
      times.push_back(recovery.time);
      if (recovery.time > worst->time) worst = &recovery;  // the first of equals
    }
    std::sort(times.begin(), times.end());
    figures.recovered_windows = times.size();
    figures.recovery_p50 = percentile(times, 50);
    figures.recovery_p99 = percentile(times, 99);
    figures.recovery_max = times.back();
    figures.worst_group = worst->group;
    figures.worst_group_leader_at = worst->leader_at;
  }
  results.groups = std::move(figures);
  results.layout = topology_->layout_pointer();
}

}  // namespace electsim::sim::checks
