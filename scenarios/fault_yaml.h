// Fault plans written back as the `faults:` section of a scenario file, in the syntax the loader
// reads (scenarios/loader_faults.cc), so that a plan drawn by the nemesis can be saved as an
// explicit schedule (electsim shrink, scenarios/shrink.h) and loaded again to the same plan.
#pragma once

#include <vector>

#include <yaml-cpp/yaml.h>

#include "faults/plan.h"
#include "sim/layout.h"

namespace electsim::scenarios {

// One YAML mapping per fault, in plan order: {at: 12s, crash: leader, restart_after: 3s}.
// Targets are named as the loader reads them (n3, h2, leader, random, all).
YAML::Node faults_to_yaml(const std::vector<faults::Fault>& plan, const sim::Layout& layout);

}  // namespace electsim::scenarios
