#include "faults/trigger_watch.h"

#include <utility>

#include "faults/runner.h"
#include "sim/algorithm.h"

namespace electsim::faults {
namespace {

// Binding support only (sim/algorithm.h): a pre-vote or a Zab/Bully election vote promises
// nothing, so a crash after one is no more dangerous than any other crash.
bool is_binding(uint64_t kind) {
  const auto support = static_cast<sim::SupportKind>(kind);
  return support != sim::SupportKind::kPreVote && support != sim::SupportKind::kElectionVote;
}

}  // namespace

TriggerWatch::TriggerWatch(sim::World& world, std::vector<Fault>& plan,
                           std::shared_ptr<FaultRunner> runner)
    : world_(world), plan_(plan), runner_(std::move(runner)) {}

sim::KindMask TriggerWatch::kinds() {
  return sim::mask_of(sim::RecordKind::kSupported) | sim::mask_of(sim::RecordKind::kBecameLeader);
}

void TriggerWatch::arm(size_t index) {
  SIM_CHECK(plan_[index].trigger != Trigger::kNone, "arming a fault that has no trigger");
  armed_.push_back(Armed{index, world_.now() + plan_[index].armed_for});
}

bool TriggerWatch::matches(const Fault& fault, const sim::TraceRecord& record) const {
  switch (fault.trigger) {
    case Trigger::kNone:
      return false;
    case Trigger::kSupportGiven:
      // Support for another process: a candidate's vote for itself is not a moment a voter can
      // lose, and the candidate's own crash is what every other nemesis kind already draws.
      return record.kind == sim::RecordKind::kSupported && record.node != record.peer &&
             is_binding(record.b);
    case Trigger::kLeaderElected:
      return record.kind == sim::RecordKind::kBecameLeader;
  }
  return false;
}

void TriggerWatch::aim(Fault& fault, sim::NodeId process) const {
  const Targets targets = {Target{Target::Kind::kNode, process, 0}};
  if (fault.kind == FaultKind::kPartition) {
    fault.partition.members = targets;
  } else {
    fault.targets = targets;
  }
}

void TriggerWatch::on_record(const sim::TraceRecord& record) {
  // Expired armings go first, in arming order (each one's `until` is fixed when armed).
  const sim::Instant now = world_.now();
  while (!armed_.empty() && armed_.front().until < now) armed_.pop_front();
  for (auto it = armed_.begin(); it != armed_.end(); ++it) {
    if (it->until < now || !matches(plan_[it->index], record)) continue;
    const size_t index = it->index;
    armed_.erase(it);
    aim(plan_[index], record.node);
    // A nanosecond later: after the reporting handler returns (a crash from inside it would
    // pull the process out from under its own call), and at an instant of its own, so that the
    // same fault written as a plain one at that instant (shrink) fires at the same point of the
    // run, whatever else was queued for the report's own instant.
    world_.at(now + kAfterTheMoment, [runner = runner_, index] { runner->fire(index); });
    return;
  }
}

}  // namespace electsim::faults
