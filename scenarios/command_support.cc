#include "scenarios/command_support.h"

#include <iostream>
#include <utility>

#include "scenarios/builtin_scenarios.h"
#include "scenarios/exit_codes.h"
#include "scenarios/scenario_text.h"

namespace electsim::scenarios {

LoadOptions load_options(const ScenarioFlags& flags) {
  LoadOptions options;
  options.overrides = flags.overrides;
  options.algorithm_override = flags.algorithm;
  options.max_events = flags.max_events;
  return options;
}

int report_load_error(const absl::Status& status) {
  std::cerr << "electsim: " << status.message() << "\n";
  return is_command_line_error(status) ? kExitUsage : kExitBadScenario;
}

std::optional<Scenario> load_scenario(const ScenarioFlags& flags, const std::string& program,
                                      int& exit_code) {
  auto scenario = load_named_scenario(flags.scenario, load_options(flags));
  if (!scenario.ok()) {
    exit_code = report_load_error(scenario.status());
    return std::nullopt;
  }
  scenario->program = program;
  return *std::move(scenario);
}

int print_scenario(const ScenarioFlags& flags, const Scenario& scenario) {
  const auto text = named_scenario_text(flags.scenario);
  if (!text.ok()) return report_load_error(text.status());
  const auto yaml = resolved_scenario_yaml(scenario, *text, load_options(flags));
  if (!yaml.ok()) return report_load_error(yaml.status());
  std::cout << *yaml;
  return 0;
}

std::optional<Outputs> open_outputs(const std::vector<OutputRequest>& requests,
                                    const std::string& scenario_path, int& exit_code) {
  auto outputs = Outputs::open(requests, scenario_path);
  if (!outputs.ok()) {
    std::cerr << "electsim: " << outputs.status().message() << "\n";
    exit_code = exit_code_for(outputs.status());
    return std::nullopt;
  }
  return *std::move(outputs);
}

int commit_outputs(Outputs& outputs, int exit_code) {
  const absl::Status status = outputs.commit_all();
  if (status.ok()) return exit_code;
  std::cerr << "electsim: " << status.message() << "\n";
  return exit_code_for(status);
}

}  // namespace electsim::scenarios
