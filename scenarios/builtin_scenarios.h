// The built-in scenario library (scenarios/library/*.yaml), embedded in the binary at build time
// so that `electsim run raft-leader-crash` works from any working directory.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "scenarios/scenario.h"

namespace electsim::scenarios {

struct BuiltinScenario {
  std::string name;         // the file's stem: "raft-leader-crash"
  std::string text;         // the YAML as written in scenarios/library
  std::string description;  // the file's `description`, folded as YAML folds it
};

// In name order.
const std::vector<BuiltinScenario>& builtin_scenarios();
// nullptr when no built-in scenario has this name.
const BuiltinScenario* find_builtin_scenario(std::string_view name);

// Loads what the user named: a path that exists wins; otherwise the built-in scenario of that
// name; otherwise an error that says neither was found (exit 65, as for any unreadable file).
absl::StatusOr<Scenario> load_named_scenario(const std::string& given, const LoadOptions& options);

// The YAML text behind `given` by the same rule, for --print-scenario.
absl::StatusOr<std::string> named_scenario_text(const std::string& given);

}  // namespace electsim::scenarios
