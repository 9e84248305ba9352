// The electsim command line (DESIGN.md, "The outside contract"): run, sweep, check, list.
// Exit codes: 0 pass, 1 safety violation, 2 liveness violation, 64 bad command line,
// 65 bad scenario file, 70 internal error. Parsing lives in scenarios/command_line.cc (so that
// it can be fuzzed); this file executes what was parsed.
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "reports/json_report.h"
#include "reports/text_report.h"
#include "scenarios/builtin_scenarios.h"
#include "scenarios/cli_list.h"
#include "scenarios/command_line.h"
#include "scenarios/exit_codes.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_text.h"

namespace {

using namespace electsim;
using scenarios::kExitBadScenario;
using scenarios::kExitInternal;
using scenarios::kExitUsage;
using scenarios::CheckCommand;
using scenarios::FinishedCommand;
using scenarios::ListCommand;
using scenarios::RunCommand;
using scenarios::ScenarioFlags;
using scenarios::SweepCommand;

scenarios::LoadOptions load_options(const ScenarioFlags& flags) {
  scenarios::LoadOptions options;
  options.overrides = flags.overrides;
  options.algorithm_override = flags.algorithm;
  return options;
}

// Errors in --set or --algorithm are the command line's (64); any other, the scenario's (65).
int report_load_error(const absl::Status& status) {
  std::cerr << "electsim: " << status.message() << "\n";
  return scenarios::is_command_line_error(status) ? kExitUsage : kExitBadScenario;
}

// Loads the scenario (a file, or a built-in by name); nullopt after reporting an error.
std::optional<scenarios::Scenario> load(const ScenarioFlags& flags, const std::string& program,
                                        int& exit_code) {
  auto scenario = scenarios::load_named_scenario(flags.scenario, load_options(flags));
  if (!scenario.ok()) {
    exit_code = report_load_error(scenario.status());
    return std::nullopt;
  }
  scenario->program = program;
  return *std::move(scenario);
}

// --print-scenario: the resolved scenario as YAML, instead of running it.
int print_scenario(const ScenarioFlags& flags, const scenarios::Scenario& scenario) {
  const auto text = scenarios::named_scenario_text(flags.scenario);
  if (!text.ok()) return report_load_error(text.status());
  const auto yaml = scenarios::resolved_scenario_yaml(scenario, *text, load_options(flags));
  if (!yaml.ok()) return report_load_error(yaml.status());
  std::cout << *yaml;
  return 0;
}

bool write_json(const std::string& path, const std::string& text) {
  if (path.empty()) return true;
  const absl::Status status = reports::write_file_atomically(path, text);
  if (!status.ok()) std::cerr << "electsim: " << status.message() << "\n";
  return status.ok();
}

int command_run(const RunCommand& command, const std::string& program) {
  int exit_code = 0;
  auto scenario = load(command.scenario, program, exit_code);
  if (!scenario) return exit_code;
  if (command.scenario.print_scenario) return print_scenario(command.scenario, *scenario);
  const auto& flags = command.output;
  const uint64_t chosen_seed = command.seed.value_or(scenario->seed_first);
  scenarios::RunOptions options;
  if (!command.trace_path.empty()) options.trace_path = command.trace_path;
  auto result = scenarios::run_scenario(*scenario, chosen_seed, options);
  if (!result.ok()) {
    std::cerr << "electsim: " << result.status().message() << "\n";
    return kExitInternal;
  }
  if (flags.quiet) {
    std::cout << reports::verdict_name(result->verdict) << " seed " << chosen_seed
              << " fingerprint " << reports::format_fingerprint(result->fingerprint) << "\n";
  } else {
    std::cout << scenarios::version_line() << "\n";
    reports::RunTextOptions text_options;
    // The bound the recovery times are measured against (stable_leader_within when it is the
    // only one; see CheckConfig::stable_leader_within).
    text_options.recovery_bound = scenario->checks.recovery_within
                                      ? scenario->checks.recovery_within
                                      : scenario->checks.stable_leader_within;
    std::cout << reports::run_to_text(*result, text_options);
  }
  if (!write_json(flags.json_path, reports::run_to_json(*result).dump(2) + "\n")) {
    return kExitInternal;
  }
  return reports::verdict_exit_code(result->verdict);
}

int command_sweep(const SweepCommand& command, const std::string& program) {
  int exit_code = 0;
  auto scenario = load(command.scenario, program, exit_code);
  if (!scenario) return exit_code;
  if (command.scenario.print_scenario) return print_scenario(command.scenario, *scenario);
  const auto& flags = command.output;
  const int jobs = command.jobs;
  const uint64_t first = command.seeds ? command.seeds->first : scenario->seed_first;
  const uint64_t last = command.seeds ? command.seeds->last : scenario->seed_last;
  const bool show_progress = !flags.quiet && isatty(STDERR_FILENO) != 0;
  auto progress = [&](uint64_t done, uint64_t total) {
    if (show_progress && (done % 64 == 0 || done == total)) {
      std::fprintf(stderr, "\r%llu/%llu seeds", static_cast<unsigned long long>(done),
                   static_cast<unsigned long long>(total));
      if (done == total) std::fprintf(stderr, "\n");
    }
  };
  const auto runs = scenarios::run_sweep(*scenario, first, last, jobs, progress);
  const auto summary = reports::summarize(runs, first, last);
  if (!flags.quiet) std::cout << scenarios::version_line() << "\n";
  std::cout << reports::sweep_to_text(summary, runs, flags.quiet ? 3 : 10);
  if (!write_json(flags.json_path, reports::sweep_to_json_text(summary, runs))) {
    return kExitInternal;
  }
  return reports::verdict_exit_code(reports::sweep_verdict(summary));
}

int command_check(const CheckCommand& command, const std::string& program) {
  int exit_code = 0;
  auto scenario = load(command.scenario, program, exit_code);
  if (!scenario) return exit_code;
  if (command.scenario.print_scenario) return print_scenario(command.scenario, *scenario);
  std::cout << scenarios::check_summary(*scenario) << "\n";
  return 0;
}

int command_list(const ListCommand& command) {
  std::cout << (command.json ? scenarios::list_json() : scenarios::list_text());
  return 0;
}

int command_finished(const FinishedCommand& command) {
  std::cout << command.out;
  std::cerr << command.err;
  return command.exit_code;
}

int main_with_exceptions(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  const std::string program = scenarios::invoked_program_name(argc > 0 ? argv[0] : "");
  const scenarios::Command command = scenarios::parse_command_line(args);
  if (const auto* run = std::get_if<RunCommand>(&command)) return command_run(*run, program);
  if (const auto* sweep = std::get_if<SweepCommand>(&command)) {
    return command_sweep(*sweep, program);
  }
  if (const auto* check = std::get_if<CheckCommand>(&command)) {
    return command_check(*check, program);
  }
  if (const auto* list = std::get_if<ListCommand>(&command)) return command_list(*list);
  return command_finished(std::get<FinishedCommand>(command));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return main_with_exceptions(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "electsim: internal error: " << error.what() << "\n";
    return kExitInternal;
  }
}
