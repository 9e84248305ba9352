// The checks' configuration for one run of a scenario: the bounds and goals it declares, the
// algorithm's check profile for its resolved parameters, tightened by checks.exclusive, and the
// network's longest one-way delay for bounded exclusivity.
#pragma once

#include <memory>
#include <vector>

#include "algorithms/registry.h"
#include "faults/plan.h"
#include "scenarios/scenario.h"
#include "sim/checks/checks.h"
#include "sim/layout.h"

namespace electsim::scenarios {

// `plan` is every fault of the run (written and drawn); `layout` null means one group of
// scenario.nodes.
sim::checks::CheckConfig make_check_config(const Scenario& scenario,
                                           const algorithms::AlgorithmInfo& info,
                                           const std::vector<faults::Fault>& plan,
                                           std::shared_ptr<const sim::Layout> layout = nullptr);

// The longest a message can take on a link: the latency model's largest draw, plus the largest
// extra delay and the longest clog any fault of the plan adds (a fault's layer replaces another's
// extra delay, so the largest one, not their sum, is the most a message sees; both are added to
// stay on the safe side).
sim::Duration max_one_way_delay(const sim::LatencyModel& latency,
                                const std::vector<faults::Fault>& plan);

}  // namespace electsim::scenarios
