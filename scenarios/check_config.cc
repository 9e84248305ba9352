#include "scenarios/check_config.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "faults/describe.h"

namespace electsim::scenarios {
namespace {

// A latency model's largest draw. A normal draw is Marsaglia's polar method in doubles, whose
// tail stops within about 9 standard deviations; 10 is taken. An exponential draw takes the log
// of a 53-bit uniform, at most about 37 means.
sim::Duration largest_draw(const sim::LatencyModel& model) {
  using Kind = sim::LatencyModel::Kind;
  switch (model.kind) {
    case Kind::kConstant: return model.a;
    case Kind::kUniform: return std::max(model.a, model.b);
    case Kind::kNormal: return std::max(model.a + model.b * 10, model.min);
    case Kind::kExponential: return model.min + model.a * 37;
  }
  return model.a;
}

// The fenced resource's mode, or nullopt for a scenario without a `resource:` section.
std::optional<sim::FencingMode> fencing_of(const Scenario& scenario) {
  if (scenario.resource) return scenario.resource->fencing;
  return std::nullopt;
}

}  // namespace

sim::Duration max_one_way_delay(const sim::LatencyModel& latency,
                                const std::vector<faults::Fault>& plan) {
  sim::Duration extra;
  sim::Duration clog;
  for (const faults::Fault& fault : plan) {
    if (fault.kind != faults::FaultKind::kLinkFault) continue;
    if (fault.link.extra_latency) extra = std::max(extra, largest_draw(*fault.link.extra_latency));
    if (fault.link.clog) clog = std::max(clog, *fault.link.clog);
  }
  return largest_draw(latency) + extra + clog;
}

sim::checks::CheckConfig make_check_config(const Scenario& scenario,
                                           const algorithms::AlgorithmInfo& info,
                                           const std::vector<faults::Fault>& plan,
                                           std::shared_ptr<const sim::Layout> layout) {
  sim::checks::CheckConfig config;
  config.layout = std::move(layout);
  config.nodes = scenario.nodes;
  config.profile = algorithms::profile_for(info, scenario.params);
  config.exclusive = scenario.checks.exclusive;
  config.max_one_way_delay = max_one_way_delay(scenario.network.latency, plan);
  config.recovery_within = scenario.checks.recovery_within;
  config.stable_leader_within = scenario.checks.stable_leader_within;
  // recovery_within is judged "after the last fault heals" (docs/SCENARIOS.md): for a nemesis,
  // from the start of its quiet period, when every random fault has ended.
  if (scenario.nemesis) {
    config.recovery_judged_from =
        sim::Instant::zero() + (scenario.duration - scenario.nemesis->quiet_period);
  }
  config.recovery_counts_all_up = scenario.checks.recovery_quorum == RecoveryQuorum::kAllUp;
  config.sometimes = scenario.checks.sometimes;
  config.fencing = fencing_of(scenario);
  // The injector gives a fault without a label its default one; the checks name it the same way.
  for (const faults::Fault& fault : plan) {
    config.fault_labels.push_back(fault.label.empty() ? faults::default_label(fault)
                                                      : fault.label);
  }
  return config;
}

}  // namespace electsim::scenarios
