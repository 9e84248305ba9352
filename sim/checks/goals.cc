#include "sim/checks/goals.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace electsim::sim::checks {
namespace {

bool is_clock_code(uint64_t code) {
  return code == static_cast<uint64_t>(FaultCode::kClockOffset) ||
         code == static_cast<uint64_t>(FaultCode::kClockDrift) ||
         code == static_cast<uint64_t>(FaultCode::kClockJump);
}

}  // namespace

SometimesGoals::SometimesGoals(uint32_t nodes, const std::vector<std::string>& declared)
    : view_(nodes), links_(nodes) {
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
  if (record.kind == RecordKind::kCrash && view_.is_leading(record.node)) {
    reach(Goal::kLeaderCrashed);
  }
  if (record.kind == RecordKind::kPause && view_.is_leading(record.node)) {
    reach(Goal::kLeaderPaused);
  }
  if (record.kind == RecordKind::kBecameLeader && fault_seen_ &&
      record.a > highest_before_fault_) {
    reach(Goal::kNewLeaderElected);
  }
  if (is_fault_event(record) && !fault_seen_) {
    fault_seen_ = true;
    highest_before_fault_ = highest_epoch_;
  }
}

void SometimesGoals::after_apply(const TraceRecord& record) {
  switch (record.kind) {
    case RecordKind::kBecameLeader:
    case RecordKind::kFollows:
      highest_epoch_ = std::max(highest_epoch_, record.a);
      return;
    case RecordKind::kRestart:
      reach(Goal::kNodeRestarted);
      if (record.a == 1) reach(Goal::kAmnesiaRestart);
      return;
    case RecordKind::kClockChange:
      if (is_fault_event(record)) reach(Goal::kClockChanged);  // not the initial clock setup
      return;
    case RecordKind::kLinkChange:
      if (record.a == 0 && (cut_off_from_majority(record.node) ||
                            cut_off_from_majority(record.peer))) {
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
  return view_.is_leading(node) && links_.neighbours(node) + 1 < links_.majority();
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
