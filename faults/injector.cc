#include "faults/injector.h"

#include <algorithm>
#include <memory>

#include "faults/describe.h"
#include "faults/runner.h"
#include "faults/trigger_watch.h"

namespace electsim::faults {

Injector::Injector(sim::World& world, std::vector<Fault> plan, uint64_t seed)
    : world_(world), plan_(std::move(plan)), rng_(sim::Rng::stream(seed, "faults")) {
  for (Fault& fault : plan_) {
    if (fault.label.empty()) fault.label = default_label(fault);
  }
}

void Injector::schedule() {
  // Every range is drawn here, in plan order, so the times and lengths of the faults depend on
  // the seed and the plan only, never on what happens during the run. Random targets are drawn
  // later, when each fault fires, from the same stream.
  std::vector<sim::Instant> times;
  std::vector<std::optional<Duration>> durations;
  times.reserve(plan_.size());
  durations.reserve(plan_.size());
  for (const Fault& fault : plan_) {
    const Duration at = rng_.uniform(fault.at.lo, fault.at.hi);
    times.push_back(std::max(world_.now(), sim::Instant::zero() + at));
    if (fault.duration) {
      durations.push_back(rng_.uniform(fault.duration->lo, fault.duration->hi));
    } else {
      durations.push_back(std::nullopt);
    }
  }
  auto runner = std::make_shared<FaultRunner>(world_, plan_, rng_, fired_, std::move(durations));
  for (size_t index = 0; index < plan_.size(); ++index) {
    if (plan_[index].trigger != Trigger::kNone) continue;
    world_.at(times[index], [runner, index] { runner->fire(index); });
  }
  schedule_targeted(runner, times);
}

void Injector::schedule_targeted(const std::shared_ptr<FaultRunner>& runner,
                                 const std::vector<sim::Instant>& times) {
  const bool any = std::any_of(plan_.begin(), plan_.end(), [](const Fault& fault) {
    return fault.trigger != Trigger::kNone;
  });
  if (!any) return;
  trigger_watch_ = std::make_unique<TriggerWatch>(world_, plan_, runner);
  world_.trace().add_observer(trigger_watch_.get(), TriggerWatch::kinds());
  TriggerWatch* watch = trigger_watch_.get();
  for (size_t index = 0; index < plan_.size(); ++index) {
    if (plan_[index].trigger == Trigger::kNone) continue;
    world_.at(times[index], [watch, index] { watch->arm(index); });
  }
}

Injector::~Injector() = default;

}  // namespace electsim::faults
