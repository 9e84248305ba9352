#include "scenarios/replay_command.h"

#include <iostream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "reports/run_result.h"
#include "reports/sweep_text.h"
#include "scenarios/command_support.h"
#include "scenarios/exit_codes.h"
#include "scenarios/interrupt.h"
#include "scenarios/replay_text.h"
#include "scenarios/replay_window.h"
#include "scenarios/runner.h"
#include "sim/jsonl_sink.h"

namespace electsim::scenarios {
namespace {

// What a person reads first: which run this is, its verdict and how to run it again.
std::string replay_heading(const reports::RunResult& result) {
  return absl::StrCat(version_line(), "\nreplay      ", result.scenario, " seed ", result.seed,
                      " (", result.algorithm, "): ", reports::verdict_name(result.verdict),
                      "\nreproduce   ", result.reproduce, "\n");
}

std::string violations_text(const ReplayWindow& window, const Scenario& scenario) {
  const ReplayNames names(scenario.layout, scenario.algorithm, window.fault_labels());
  const auto& violations = window.violations();
  const size_t total = violations.size() + window.violations_omitted();
  std::string text;
  for (size_t i = 0; i < violations.size(); ++i) {
    absl::StrAppend(&text, "\n",
                    replayed_violation_text(violations[i], i + 1, total, window.window(), names));
  }
  if (window.violations_omitted() > 0) {
    absl::StrAppend(&text, "\n", window.violations_omitted(), " later violations not shown (the "
                    "first ", ReplayWindow::kMaxViolations, " are)\n");
  }
  return text;
}

// The report for a run that finished: the violations around their windows, or that it passed.
void print_replay(std::ostream& out, const ReplayWindow& window, const Scenario& scenario,
                  const reports::RunResult& result) {
  out << replay_heading(result);
  if (result.verdict == reports::Verdict::kInternalError) {
    out << reports::run_failure_to_text(result);
    return;
  }
  if (window.violations().empty()) {
    out << "passed: seed " << result.seed << " has no violation (fingerprint "
        << reports::format_fingerprint(result.fingerprint) << ")\n";
    return;
  }
  out << violations_text(window, scenario);
}

}  // namespace

int command_replay(const ReplayCommand& command, const std::string& program) {
  // Installed before any temporary file exists: from then on an interrupt removes them.
  install_interrupt_handlers(InterruptMode::kImmediate);
  int exit_code = 0;
  auto scenario = load_scenario(command.scenario, program, exit_code);
  if (!scenario) return exit_code;
  if (command.scenario.print_scenario) return print_scenario(command.scenario, *scenario);
  auto outputs = open_outputs({{"--trace", command.trace_path}}, scenario->path, exit_code);
  if (!outputs) return exit_code;
  RunOptions options;
  options.keep_timeline = false;  // the replay is the timeline
  std::optional<sim::JsonlSink> trace_sink;
  if (OutputFile* trace = outputs->find("--trace")) {
    options.trace_sink = &trace_sink.emplace(trace->stream());
  }
  ReplayWindow window(command.window);
  options.watcher = &window;
  const uint64_t seed = command.seed.value_or(scenario->seed_first);
  auto result = run_scenario(*scenario, seed, options);
  if (trace_sink && trace_sink->failed()) {
    const absl::Status status =
        outputs->find("--trace")->write_error(std::string(trace_sink->flush().message()));
    std::cerr << "electsim: " << status.message() << "\n";
    return exit_code_for(status);
  }
  if (!result.ok()) {
    std::cerr << "electsim: " << result.status().message() << "\n";
    return kExitInternal;
  }
  // With the trace on standard output, the report for people goes to standard error.
  std::ostream& report = outputs->uses_standard_output() ? std::cerr : std::cout;
  print_replay(report, window, *scenario, *result);
  if (result->verdict == reports::Verdict::kBudgetExceeded) {
    std::cerr << "electsim: " << scenario->path << ": " << result->error << "\n";
  }
  if (result->verdict == reports::Verdict::kInternalError) {
    std::cerr << "electsim: " << reports::run_failure_line(*result) << "\n";
  }
  return commit_outputs(*outputs, reports::verdict_exit_code(result->verdict));
}

}  // namespace electsim::scenarios
