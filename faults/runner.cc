#include "faults/runner.h"

#include "absl/strings/str_cat.h"
#include "faults/describe.h"

namespace electsim::faults {

FaultRunner::FaultRunner(sim::World& world, const std::vector<Fault>& plan, sim::Rng& rng,
                         std::vector<FiredFault>& fired,
                         std::vector<std::optional<Duration>> durations)
    : world_(world),
      plan_(plan),
      rng_(rng),
      fired_(fired),
      durations_(std::move(durations)),
      in_force_(plan.size()),
      crashed_at_(world.size()),
      pauses_(world.size(), 0),
      paused_at_(world.size()),
      cuts_(world.hosts()),
      degradations_(world.hosts()) {
  SIM_CHECK(durations_.size() == plan_.size(), "one drawn duration per fault");
}

void FaultRunner::fire(size_t index) {
  const Fault& fault = plan_[index];
  in_force_[index].fired_slot = fired_.size();
  FiredFault& fired = fired_.emplace_back();
  fired.index = index;
  fired.label = fault.label;
  fired.start = world_.now();
  TargetResolver resolver(world_, rng_);
  bool acted = true;
  switch (fault.kind) {
    case FaultKind::kCrash:
    case FaultKind::kAmnesiaCrash:
    case FaultKind::kRestart:
    case FaultKind::kPause:
      acted = fire_process(index, resolver, fired);
      break;
    case FaultKind::kPartition:
      acted = fire_partition(index, resolver, fired);
      break;
    case FaultKind::kLinkFault:
      acted = fire_link_fault(index, resolver, fired);
      break;
    case FaultKind::kHeal:
      fire_heal(index, fired);
      break;
    case FaultKind::kClockOffset:
    case FaultKind::kClockDrift:
    case FaultKind::kClockJump:
      acted = fire_clock(index, resolver, fired);
      break;
    case FaultKind::kResign:
      acted = fire_resign(index, resolver, fired);
      break;
  }
  if (!acted) {
    fired.skipped = true;
    fired.effect = absl::StrCat(fault.label, ": skipped, ", resolver.why_not());
  }
}

void FaultRunner::end(size_t index) {
  if (!in_force_[index].active) return;
  switch (plan_[index].kind) {
    case FaultKind::kCrash:
    case FaultKind::kAmnesiaCrash:
    case FaultKind::kRestart:
    case FaultKind::kPause:
      end_process(index);
      return;
    case FaultKind::kPartition:
    case FaultKind::kLinkFault:
      end_network(index, /*by_heal=*/false);
      return;
    case FaultKind::kHeal:
    case FaultKind::kResign:
      return;  // a heal and a resignation end as they fire
    case FaultKind::kClockOffset:
    case FaultKind::kClockDrift:
    case FaultKind::kClockJump:
      end_clock(index);
      return;
  }
}

void FaultRunner::begin(size_t index, const std::vector<NodeId>& nodes) {
  in_force_[index].active = true;
  world_.trace().record(sim::TraceRecord{world_.now(), sim::RecordKind::kFaultStart,
                                         nodes.empty() ? sim::kNoNode : nodes.front(), sim::kNoNode,
                                         index, static_cast<uint64_t>(plan_[index].kind)});
}

void FaultRunner::finish(size_t index, const std::string& suffix) {
  SIM_CHECK(in_force_[index].active, "ending a fault that is not in force");
  in_force_[index].active = false;
  FiredFault& fired = fired_of(index);
  fired.end = world_.now();
  fired.effect += suffix;
  world_.trace().record(sim::TraceRecord{world_.now(), sim::RecordKind::kFaultEnd,
                                         fired.nodes.empty() ? sim::kNoNode : fired.nodes.front(),
                                         sim::kNoNode, index,
                                         static_cast<uint64_t>(plan_[index].kind)});
}

void FaultRunner::schedule_end(size_t index) {
  const std::optional<Duration>& duration = durations_[index];
  if (!duration) return;
  world_.at(world_.now() + *duration, [self = shared_from_this(), index] { self->end(index); });
}

std::string FaultRunner::lasted(size_t index) const {
  const FiredFault& fired = fired_[in_force_[index].fired_slot];
  return sim::format_duration_readable(world_.now() - fired.start);
}

}  // namespace electsim::faults
