// A loaded scenario written back out: the one-line summary of `electsim check`, and the YAML of
// --print-scenario (the scenario as resolved after --set and --algorithm, which loads again to
// the same scenario and runs to the same fingerprint).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "scenarios/scenario.h"

namespace electsim::scenarios {

// "ok: raft-leader-crash, raft, 5 nodes, 60s, 2 faults, seeds 1..100".
std::string check_summary(const Scenario& scenario);

// `scenario` must have been loaded from `source_text` with `options`. Every field is written
// from the resolved scenario (parameters with their defaults filled in); the `faults` and
// `nemesis` sections are written as the file and the overrides give them, which the loader has
// already validated.
absl::StatusOr<std::string> resolved_scenario_yaml(const Scenario& scenario,
                                                   const std::string& source_text,
                                                   const LoadOptions& options);

}  // namespace electsim::scenarios
