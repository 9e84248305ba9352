// "This algorithm, under this scenario, for seeds A..B, satisfies these checks": the harness
// behind the GoogleTest adapter (scenarios/public/gtest.h, installed as electsim/gtest.h) for
// algorithms written outside electsim's tree (docs/LIBRARY.md). It runs the seeds in order and
// stops at the first that fails; the failure carries the seed, the check, its one-sentence
// detail and true time, and the fault schedule shrunk to a minimal scenario (scenarios/shrink.h).
// No GoogleTest here: the adapter only formats what this returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "algorithms/registry.h"
#include "scenarios/seed_range.h"
#include "sim/time.h"

namespace electsim::scenarios {

struct PropertySpec {
  // The scenario: YAML text (`scenario_text`), or else a file path or a built-in scenario's name
  // (`scenario_path`). Its `algorithm:` section is replaced by the algorithm under test, with
  // that algorithm's defaults (as `--algorithm` does); `overrides` then apply, as `--set` does.
  std::string scenario_text;
  std::string scenario_path;
  std::vector<std::string> overrides;
  SeedRange seeds{1, 100};
  // The checks the algorithm must satisfy, by name (`electsim list`: checks and goals); empty
  // means every check. An internal error or an exceeded budget fails whatever is named.
  std::vector<std::string> checks;
  // Runs the shrink may spend on the failing seed (0: no shrink).
  int shrink_runs = 200;
};

struct PropertyFailure {
  uint64_t seed = 0;
  std::string verdict;  // safety_violation, liveness_violation, internal_error, budget_exceeded
  std::string check;    // the first violation of a named check (the error, for an error)
  std::string detail;
  sim::Instant time;    // true time
  // The minimal scenario file shrink wrote (empty when the shrink did not run), and one line on
  // what it did or why it did not run.
  std::string shrunk_scenario;
  std::string shrink_summary;
};

struct PropertyOutcome {
  absl::Status status;  // not ok: the scenario or the spec is wrong (nothing ran)
  uint64_t seeds_run = 0;
  std::optional<PropertyFailure> failure;
  bool holds() const { return status.ok() && !failure; }
};

// Registers `algorithm` (algorithms::register_algorithm_for_tests: a name already registered is
// replaced; a built-in algorithm's name is refused) and runs the property. Deterministic, like
// every run. Not thread-safe (the registration), as GoogleTest runs tests: one at a time.
PropertyOutcome check_property(const algorithms::AlgorithmInfo& algorithm,
                               const PropertySpec& spec);

// What a failed property says: the seed, the check, the detail, the shrunk schedule and
// `replay_command`; or the status's message; "" when the property holds.
std::string describe_outcome(const PropertyOutcome& outcome, const PropertySpec& spec,
                             const std::string& algorithm, const std::string& replay_command);

}  // namespace electsim::scenarios
