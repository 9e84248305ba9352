// The electsim command line (DESIGN.md, "The outside contract"): run, sweep, check, list, merge,
// replay (sweep and merge live in scenarios/sweep_command.cc, replay in
// scenarios/replay_command.cc).
// Exit codes: 0 pass, 1 safety violation, 2 liveness violation, 64 bad command line,
// 65 bad scenario file, 70 internal error, 73 an output cannot be created, 74 a write failed,
// 130 interrupted (a sweep summarizes its finished seeds first). A failed internal check in a run
// is that run's verdict internal_error (70); a sweep's verdict ranks internal_error over safety
// over liveness over budget_exceeded (reports::sweep_verdict). Parsing lives in
// scenarios/command_line.cc (so that it can be fuzzed); this file executes what was parsed.
#include <chrono>
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "reports/json_report.h"
#include "reports/prometheus.h"
#include "reports/sweep_text.h"
#include "reports/text_report.h"
#include "reports/transition_log.h"
#include "absl/strings/str_cat.h"
#include "scenarios/builtin_scenarios.h"
#include "scenarios/cli_list.h"
#include "scenarios/command_line.h"
#include "scenarios/command_support.h"
#include "scenarios/compare_command.h"
#include "scenarios/exit_codes.h"
#include "scenarios/interrupt.h"
#include "scenarios/outputs.h"
#include "scenarios/replay_command.h"
#include "scenarios/run_page.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "scenarios/scenario_text.h"
#include "scenarios/shrink.h"
#include "scenarios/sweep_command.h"

namespace {

using namespace electsim;
using scenarios::kExitCannotCreate;
using scenarios::kExitInternal;
using scenarios::kExitIoError;
using scenarios::kExitUsage;
using scenarios::CheckCommand;
using scenarios::FinishedCommand;
using scenarios::ListCommand;
using scenarios::MergeCommand;
using scenarios::RunCommand;
using scenarios::ScenarioFlags;
using scenarios::SweepCommand;

using scenarios::commit_outputs;
using scenarios::print_scenario;

std::optional<scenarios::Scenario> load(const ScenarioFlags& flags, const std::string& program,
                                        int& exit_code) {
  return scenarios::load_scenario(flags, program, exit_code);
}

std::optional<scenarios::Outputs> open_outputs(
    const std::vector<scenarios::OutputRequest>& requests, const scenarios::Scenario& scenario,
    int& exit_code) {
  return scenarios::open_outputs(requests, scenario.path, exit_code);
}

// "wrote       trace run.jsonl (8690 records), json run.json": where the outputs went, the last
// line of the run report.
std::string wrote_line(const scenarios::Outputs& outputs, const sim::JsonlSink* trace_sink) {
  std::string line;
  auto describe = [&](const char* flag, const char* name) {
    const scenarios::OutputFile* file = outputs.find(flag);
    if (file == nullptr) return;
    absl::StrAppend(&line, line.empty() ? "" : ", ", name, " ",
                    file->is_standard_output() ? "to standard output" : file->path());
    if (trace_sink != nullptr && std::string_view(flag) == "--trace") {
      absl::StrAppend(&line, " (", trace_sink->records_written(), " records)");
    }
  };
  describe("--trace", "trace");
  describe("--json", "json");
  describe("--junit", "junit");
  describe("--html", "html");
  describe("--svg", "svg");
  describe("--metrics", "metrics");
  describe("--transitions", "transitions");
  return line.empty() ? line : absl::StrCat("wrote       ", line, "\n");
}

void print_run_report(std::ostream& out, const scenarios::OutputFlags& flags,
                      const scenarios::Scenario& scenario, const reports::RunResult& result) {
  if (result.verdict == reports::Verdict::kInternalError) {
    // A failed internal check: no checks or timeline to show, only what failed and where. The
    // one line on standard error (command_run) says it too.
    if (flags.quiet) {
      out << reports::run_failure_line(result) << "\n";
    } else {
      out << scenarios::version_line() << "\n" << reports::run_failure_to_text(result);
    }
    return;
  }
  if (flags.quiet) {
    out << reports::verdict_name(result.verdict) << " seed " << result.seed << " fingerprint "
        << reports::format_fingerprint(result.fingerprint) << "\n";
    return;
  }
  out << scenarios::version_line() << "\n";
  reports::RunTextOptions text_options;
  // The bound the recovery times are measured against (stable_leader_within when it is the
  // only one; see CheckConfig::stable_leader_within).
  text_options.recovery_bound = scenario.checks.recovery_within
                                    ? scenario.checks.recovery_within
                                    : scenario.checks.stable_leader_within;
  out << reports::run_to_text(result, text_options);
}

// --metrics and --transitions of a run.
void write_leadership_outputs(const scenarios::Outputs& outputs, const reports::RunResult& run) {
  if (scenarios::OutputFile* metrics = outputs.find("--metrics")) {
    reports::PrometheusWriter writer(reports::MetricsScope::kOneRun);
    writer.add_run(run);
    metrics->write(writer.text());
  }
  if (scenarios::OutputFile* transitions = outputs.find("--transitions")) {
    transitions->write(reports::transition_log(run));
  }
}

int command_run(const RunCommand& command, const std::string& program) {
  // Installed before any temporary file exists: from then on an interrupt removes them.
  scenarios::install_interrupt_handlers(scenarios::InterruptMode::kImmediate);
  int exit_code = 0;
  auto scenario = load(command.scenario, program, exit_code);
  if (!scenario) return exit_code;
  if (command.scenario.print_scenario) return print_scenario(command.scenario, *scenario);
  const auto& flags = command.output;
  auto outputs = open_outputs({{"--trace", command.trace_path},
                               {"--json", flags.json_path},
                               {"--junit", flags.junit_path},
                               {"--html", command.html_path},
                               {"--svg", command.svg_path},
                               {"--metrics", flags.metrics_path},
                               {"--transitions", command.transitions_path}},
                              *scenario, exit_code);
  if (!outputs) return exit_code;
  const auto started = std::chrono::steady_clock::now();  // wall time, for JUnit only
  const uint64_t chosen_seed = command.seed.value_or(scenario->seed_first);
  scenarios::RunOptions options;
  std::optional<sim::JsonlSink> trace_sink;
  if (scenarios::OutputFile* trace = outputs->find("--trace")) {
    options.trace_sink = &trace_sink.emplace(trace->stream());
  }
  options.full_timeline = command.timeline_full;
  // The page's recorder watches the run only when a page was asked for.
  std::optional<scenarios::RunPageRecorder> page_recorder;
  if (command.html_path || command.svg_path) {
    options.watcher = &page_recorder.emplace(*scenario);
  }
  auto result = scenarios::run_scenario(*scenario, chosen_seed, options);
  if (trace_sink && trace_sink->failed()) {
    const absl::Status status =
        outputs->find("--trace")->write_error(std::string(trace_sink->flush().message()));
    std::cerr << "electsim: " << status.message() << "\n";
    return scenarios::exit_code_for(status);
  }
  if (!result.ok()) {
    std::cerr << "electsim: " << result.status().message() << "\n";
    return kExitInternal;
  }
  // With an output on standard output, the report for people goes to standard error.
  std::ostream& report = outputs->uses_standard_output() ? std::cerr : std::cout;
  print_run_report(report, flags, *scenario, *result);
  if (result->verdict == reports::Verdict::kBudgetExceeded) {
    std::cerr << "electsim: " << scenario->path << ": " << result->error << "\n";
  }
  if (result->verdict == reports::Verdict::kInternalError) {
    // One line that says where on its own (the seed, the true time, the values the check
    // compared, the reproduce command), for a CI log that keeps only standard error.
    std::cerr << "electsim: " << reports::run_failure_line(*result) << "\n";
  }
  if (scenarios::OutputFile* json = outputs->find("--json")) {
    json->write(reports::json_text(reports::run_to_json(*result), 2) + "\n");
  }
  if (scenarios::OutputFile* html = outputs->find("--html")) {
    html->write(scenarios::run_page_html(*scenario, *result, *page_recorder));
  }
  if (scenarios::OutputFile* svg = outputs->find("--svg")) {
    svg->write(scenarios::run_timeline_svg(*result, *page_recorder));
  }
  write_leadership_outputs(*outputs, *result);
  if (scenarios::OutputFile* junit = outputs->find("--junit")) {
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
    const absl::Status status = scenarios::write_run_junit(*junit, *scenario, *result,
                                                           wall.count());
    if (!status.ok()) {
      std::cerr << "electsim: " << status.message() << "\n";
      return scenarios::exit_code_for(status);
    }
  }
  exit_code = commit_outputs(*outputs, reports::verdict_exit_code(result->verdict));
  if (!flags.quiet && exit_code != scenarios::kExitIoError &&
      exit_code != scenarios::kExitCannotCreate) {
    report << wrote_line(*outputs, trace_sink ? &*trace_sink : nullptr);
  }
  return exit_code;
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
    return scenarios::command_sweep(*sweep, program);
  }
  if (const auto* check = std::get_if<CheckCommand>(&command)) {
    return command_check(*check, program);
  }
  if (const auto* list = std::get_if<ListCommand>(&command)) return command_list(*list);
  if (const auto* merge = std::get_if<MergeCommand>(&command)) {
    return scenarios::command_merge(*merge);
  }
  if (const auto* shrink = std::get_if<scenarios::ShrinkCommand>(&command)) {
    return scenarios::command_shrink(*shrink, program);
  }
  if (const auto* replay = std::get_if<scenarios::ReplayCommand>(&command)) {
    return scenarios::command_replay(*replay, program);
  }
  if (const auto* compare = std::get_if<scenarios::CompareCommand>(&command)) {
    return scenarios::command_compare(*compare, program);
  }
  return command_finished(std::get<FinishedCommand>(command));
}

// A report that never reached standard output (`> /dev/full`) is an error, not a pass.
int check_standard_output(int exit_code) {
  // An output on standard output that failed has said so already, in one line.
  if (exit_code == scenarios::kExitIoError) return exit_code;
  const absl::Status status = scenarios::flush_standard_output();
  if (status.ok()) return exit_code;
  std::cerr << "electsim: " << status.message() << "\n";
  return scenarios::exit_code_for(status);
}

}  // namespace

int main(int argc, char** argv) {
  scenarios::buffer_standard_output();
  try {
    return check_standard_output(main_with_exceptions(argc, argv));
  } catch (const std::exception& error) {
    std::cerr << "electsim: internal error: " << error.what() << "\n";
    return kExitInternal;
  }
}
