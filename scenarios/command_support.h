// What the commands of the electsim command line share (scenarios/main.cc runs them): loading
// the scenario a command names, printing it resolved, and opening and committing its outputs,
// each reporting its own error in one line on standard error with the right exit code.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "scenarios/command_line.h"
#include "scenarios/outputs.h"
#include "scenarios/scenario.h"

namespace electsim::scenarios {

LoadOptions load_options(const ScenarioFlags& flags);

// Errors in --set or --algorithm are the command line's (64); any other, the scenario's (65).
int report_load_error(const absl::Status& status);

// Loads the scenario (a file, or a built-in by name); nullopt after reporting an error.
std::optional<Scenario> load_scenario(const ScenarioFlags& flags, const std::string& program,
                                      int& exit_code);

// --print-scenario: the resolved scenario as YAML, instead of running it.
int print_scenario(const ScenarioFlags& flags, const Scenario& scenario);

// Checks and opens the outputs before anything runs; prints the error if one cannot be created.
std::optional<Outputs> open_outputs(const std::vector<OutputRequest>& requests,
                                    const std::string& scenario_path, int& exit_code);

// Commits every output; on an error prints it and returns its exit code, else `exit_code`.
int commit_outputs(Outputs& outputs, int exit_code);

}  // namespace electsim::scenarios
