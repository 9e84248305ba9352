#include "sim/checks/goals.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace electsim::sim::checks {
namespace {

bool is_clock_code(uint64_t code) {
  return code == static_cast<uint64_t>(FaultCode::kClockOffset) ||
         code == static_cast<uint64_t>(FaultCode::kClockDrift) ||
         code == static_cast<uint64_t>(FaultCode::kClockJump);
}

}  // namespace

SometimesGoals::SometimesGoals(std::shared_ptr<const Topology> topology,
                               const std::vector<std::string>& declared)
    : topology_(std::move(topology)),
      view_(topology_),
      links_(topology_, ProgressModel::kGroupMajority),
      highest_epoch_(topology_->groups(), 0),
      highest_before_fault_(topology_->groups(), 0) {
  const auto& catalogue = goal_catalogue();
  SIM_CHECK(catalogue.size() == static_cast<size_t>(Goal::kCount),
            "goal catalogue and Goal enum out of step");
  for (const std::string& name : declared) {
    auto it = std::find_if(catalogue.begin(), catalogue.end(),
                           [&](const GoalInfo& info) { return info.name == name; });
    SIM_CHECK(it != catalogue.end(), "unknown sometimes goal (validate with is_known_goal)");
    declared_.push_back(static_cast<Goal>(it - catalogue.begin()));
  }
}

KindMask SometimesGoals::kinds() const { return ClusterView::kinds() | fault_event_kinds(); }

void SometimesGoals::on_record(const TraceRecord& record) {
  before_apply(record);
  view_.apply(record);
  if (record.kind == RecordKind::kLinkChange) {
    links_.set_link(record.node, record.peer, record.a == 1);
  }
  after_apply(record);
}

// Goals about the node's role at the moment of the fault: judged before the record changes it.
void SometimesGoals::before_apply(const TraceRecord& record) {
  if (record.kind == RecordKind::kCrash && host_leads(record.node)) reach(Goal::kLeaderCrashed);
  if (record.kind == RecordKind::kPause && host_leads(record.node)) reach(Goal::kLeaderPaused);
  if (record.kind == RecordKind::kBecameLeader && fault_seen_ &&
      topology_->is_member(record.node) &&
      record.a > highest_before_fault_[topology_->group_of(record.node)]) {
    reach(Goal::kNewLeaderElected);
  }
  if (is_fault_event(record) && !fault_seen_) {
    fault_seen_ = true;
    highest_before_fault_ = highest_epoch_;  // once, O(groups)
  }
}

void SometimesGoals::after_apply(const TraceRecord& record) {
  switch (record.kind) {
    case RecordKind::kBecameLeader:
    case RecordKind::kFollows: {
      if (!topology_->is_member(record.node)) return;
      uint64_t& highest = highest_epoch_[topology_->group_of(record.node)];
      highest = std::max(highest, record.a);
      return;
    }
    case RecordKind::kRestart:
      reach(Goal::kNodeRestarted);
      if (record.a == 1) reach(Goal::kAmnesiaRestart);
      return;
    case RecordKind::kClockChange:
      if (is_fault_event(record)) reach(Goal::kClockChanged);  // not the initial clock setup
      return;
    case RecordKind::kLinkChange:
      if (record.a == 0 && (host_cut_off(record.node) || host_cut_off(record.peer))) {
        reach(Goal::kLeaderIsolated);
      }
      return;
    case RecordKind::kFaultStart:
      reach(Goal::kFaultFired);
      if (is_clock_code(record.b)) reach(Goal::kClockChanged);
      if (record.b == static_cast<uint64_t>(FaultCode::kPartition)) partition_started_ = true;
      if (record.b == static_cast<uint64_t>(FaultCode::kHeal) && partition_started_) {
        reach(Goal::kPartitionHealed);
      }
      return;
    case RecordKind::kFaultEnd:
      if (record.b == static_cast<uint64_t>(FaultCode::kPartition)) reach(Goal::kPartitionHealed);
      return;
    default:
      return;
  }
}

// A leader needs two-way links to a majority (itself included) to lead: Raft has no relaying.
bool SometimesGoals::cut_off_from_majority(NodeId node) const {
  return view_.is_leading(node) &&
         links_.neighbours(node) + 1 < links_.majority(topology_->group_of(node));
}

bool SometimesGoals::host_leads(HostId host) const {
  for (ProcessId process : topology_->on_host(host)) {
    if (view_.is_leading(process)) return true;
  }
  return false;
}

bool SometimesGoals::host_cut_off(HostId host) const {
  for (ProcessId process : topology_->on_host(host)) {
    if (topology_->is_member(process) && cut_off_from_majority(process)) return true;
  }
  return false;
}

void SometimesGoals::on_end(Instant end) {
  end_ = end;
  ended_ = true;
}

void SometimesGoals::collect(CheckResults& results) const {
  const auto& catalogue = goal_catalogue();
  for (Goal goal : declared_) {
    const std::string& name = catalogue[static_cast<size_t>(goal)].name;
    if (reached(goal)) {
      results.goals_reached.push_back(name);
      continue;
    }
    results.goals_missed.push_back(name);
    results.violations.push_back(Violation{"sometimes", CheckKind::kSometimes, end_, {}, 0,
                                           absl::StrCat("goal ", name, " never reached")});
  }
}

}  // namespace electsim::sim::checks
