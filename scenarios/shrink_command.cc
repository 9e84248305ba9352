// `electsim shrink` on the command line (scenarios/shrink.h): load, open the output before any
// run, shrink, check that the written file loads and fails the same check, commit.
#include <iostream>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "scenarios/builtin_scenarios.h"
#include "scenarios/command_support.h"
#include "scenarios/exit_codes.h"
#include "scenarios/interrupt.h"
#include "scenarios/output_target.h"
#include "scenarios/runner.h"
#include "scenarios/shrink.h"

namespace electsim::scenarios {
namespace {

constexpr char kOutputFlag[] = "--output";

// "12 faults -> 3 faults, duration 120s -> 31s, 47 runs".
std::string summary_line(const ShrinkResult& result) {
  return absl::StrCat(result.faults_before, " faults -> ", result.faults_after,
                      " faults, duration ", sim::format_duration(result.duration_before), " -> ",
                      sim::format_duration(result.duration_after), ", ", result.runs, " runs");
}

// The written text loads as a scenario and its first violation is still `check`: a file that
// did not would be a bug in the writer, not the user's.
absl::Status verify_written(const std::string& text, const std::string& path, uint64_t seed,
                            const std::string& check) {
  auto loaded = load_scenario_text(text, path, LoadOptions{});
  if (!loaded.ok()) {
    return absl::InternalError(absl::StrCat("the minimal scenario does not load: ",
                                            loaded.status().message()));
  }
  RunOptions options;
  options.keep_timeline = false;
  const reports::RunResult result = run_scenario_as_result(*loaded, seed, options);
  if (result.checks.violations.empty() || result.checks.violations.front().check != check) {
    return absl::InternalError(absl::StrCat("the minimal scenario no longer fails ", check,
                                            " with seed ", seed));
  }
  return absl::OkStatus();
}

}  // namespace

int command_shrink(const ShrinkCommand& command, const std::string& program) {
  install_interrupt_handlers(InterruptMode::kImmediate);
  int exit_code = 0;
  auto scenario = load_scenario(command.scenario, program, exit_code);
  if (!scenario) return exit_code;
  if (command.scenario.print_scenario) return print_scenario(command.scenario, *scenario);
  const auto source_text = named_scenario_text(command.scenario.scenario);
  if (!source_text.ok()) return report_load_error(source_text.status());
  // Opened before any run: a path that cannot be written costs no simulation.
  auto outputs = open_outputs({{kOutputFlag, command.output_path}}, scenario->path, exit_code);
  if (!outputs) return exit_code;
  const ShrinkResult result = shrink_scenario(*scenario, command.seed, command.max_runs);
  if (!result.failed) {
    std::cout << "seed " << command.seed << " passes: nothing to shrink ("
              << command.output_path << " not written)\n";
    return 0;  // the outputs' temporary file goes with them
  }
  auto text = minimal_scenario_file(result, *scenario, command.seed, *source_text,
                                    command.output_path);
  absl::Status verified = text.ok() ? verify_written(*text, command.output_path, command.seed,
                                                     result.check)
                                    : text.status();
  if (!verified.ok()) {
    std::cerr << "electsim: shrink: " << verified.message() << "\n";
    return kExitInternal;
  }
  outputs->find(kOutputFlag)->write(*text);
  exit_code = commit_outputs(*outputs, 0);
  if (exit_code != 0) return exit_code;
  if (!command.quiet) {
    // With the file on standard output, the report for people goes to standard error.
    std::ostream& report = command.output_path == kStandardOutputPath ? std::cerr : std::cout;
    report << "shrink      " << result.check << " with seed " << command.seed << ": "
              << summary_line(result) << "\n"
              << "wrote       " << command.output_path << "; replay with: " << program
              << " run " << command.output_path << " --seed " << command.seed << "\n";
  }
  return 0;
}

}  // namespace electsim::scenarios
