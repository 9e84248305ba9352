// The electsim command line (DESIGN.md, "The outside contract"): run, sweep, list.
// Exit codes: 0 pass, 1 safety violation, 2 liveness violation, 64 bad command line,
// 65 bad scenario file, 70 internal error, 73 an output cannot be created, 74 a write failed,
// 130 interrupted.
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "reports/json_report.h"
#include "reports/text_report.h"
#include "scenarios/cli_list.h"
#include "scenarios/exit_codes.h"
#include "scenarios/interrupt.h"
#include "scenarios/outputs.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"

namespace {

using namespace electsim;
using scenarios::kExitBadScenario;
using scenarios::kExitInternal;
using scenarios::kExitUsage;


struct CommonFlags {
  std::string scenario_path;
  std::vector<std::string> overrides;
  std::string algorithm;
  std::optional<std::string> json_path;
  bool quiet = false;
};

void add_common(CLI::App& command, CommonFlags& flags) {
  command.add_option("scenario", flags.scenario_path, "scenario file (YAML)")->required();
  command.add_option("--set", flags.overrides, "override a scenario field: PATH=VALUE")
      ->type_name("PATH=VALUE");
  command.add_option("--algorithm", flags.algorithm,
                     "run this algorithm instead, with its default parameters");
  command.add_option("--json", flags.json_path,
                     "write the results as JSON to FILE ('-': standard output, and the report "
                     "for people goes to standard error)");
  command.add_flag("--quiet", flags.quiet, "print only the verdict line");
}

std::optional<scenarios::Scenario> load(const CommonFlags& flags) {
  scenarios::LoadOptions options;
  options.overrides = flags.overrides;
  if (!flags.algorithm.empty()) options.algorithm_override = flags.algorithm;
  auto scenario = scenarios::load_scenario_file(flags.scenario_path, options);
  if (!scenario.ok()) {
    std::cerr << "electsim: " << scenario.status().message() << "\n";
    return std::nullopt;
  }
  return *std::move(scenario);
}

// Parses "A..B" (or a single seed "A").
bool parse_seed_range(const std::string& text, uint64_t& first, uint64_t& last) {
  const size_t dots = text.find("..");
  if (dots == std::string::npos) {
    if (!absl::SimpleAtoi(text, &first)) return false;
    last = first;
    return true;
  }
  return absl::SimpleAtoi(text.substr(0, dots), &first) &&
         absl::SimpleAtoi(text.substr(dots + 2), &last) && first <= last;
}

// Checks and opens the outputs before anything runs; prints the error if one cannot be created.
std::optional<scenarios::Outputs> open_outputs(const std::vector<scenarios::OutputRequest>& requests,
                                               const scenarios::Scenario& scenario, int& exit_code) {
  auto outputs = scenarios::Outputs::open(requests, scenario.path);
  if (!outputs.ok()) {
    std::cerr << "electsim: " << outputs.status().message() << "\n";
    exit_code = scenarios::exit_code_for(outputs.status());
    return std::nullopt;
  }
  return *std::move(outputs);
}

// Commits every output; on an error prints it and returns its exit code, else `exit_code`.
int commit_outputs(scenarios::Outputs& outputs, int exit_code) {
  const absl::Status status = outputs.commit_all();
  if (status.ok()) return exit_code;
  std::cerr << "electsim: " << status.message() << "\n";
  return scenarios::exit_code_for(status);
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
  return line.empty() ? line : absl::StrCat("wrote       ", line, "\n");
}

void print_run_report(std::ostream& out, const CommonFlags& flags,
                      const scenarios::Scenario& scenario, const reports::RunResult& result) {
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

int command_run(const CommonFlags& flags, std::optional<uint64_t> seed,
                const std::optional<std::string>& trace_path) {
  // Installed before any temporary file exists: from then on an interrupt removes them.
  scenarios::install_interrupt_handlers(scenarios::InterruptMode::kImmediate);
  auto scenario = load(flags);
  if (!scenario) return kExitBadScenario;
  int exit_code = 0;
  auto outputs = open_outputs({{"--trace", trace_path}, {"--json", flags.json_path}}, *scenario,
                              exit_code);
  if (!outputs) return exit_code;
  const uint64_t chosen_seed = seed.value_or(scenario->seed_first);
  scenarios::RunOptions options;
  std::optional<sim::JsonlSink> trace_sink;
  if (scenarios::OutputFile* trace = outputs->find("--trace")) {
    options.trace_sink = &trace_sink.emplace(trace->stream());
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
  if (scenarios::OutputFile* json = outputs->find("--json")) {
    json->write(reports::run_to_json(*result).dump(2) + "\n");
  }
  exit_code = commit_outputs(*outputs, reports::verdict_exit_code(result->verdict));
  if (!flags.quiet && exit_code != scenarios::kExitIoError &&
      exit_code != scenarios::kExitCannotCreate) {
    report << wrote_line(*outputs, trace_sink ? &*trace_sink : nullptr);
  }
  return exit_code;
}

int command_sweep(const CommonFlags& flags, const std::string& seeds_text, int jobs) {
  auto scenario = load(flags);
  if (!scenario) return kExitBadScenario;
  uint64_t first = scenario->seed_first;
  uint64_t last = scenario->seed_last;
  if (!seeds_text.empty() && !parse_seed_range(seeds_text, first, last)) {
    std::cerr << "electsim: --seeds: expected A..B with A <= B, got '" << seeds_text << "'\n";
    return kExitUsage;
  }
  // Hook for the sweep's interrupt handling: install_interrupt_handlers(kGraceful) belongs
  // before open_outputs, so the temporary JSON file is removed by a second interrupt too (and by
  // the ordinary return after a graceful stop).
  int exit_code = 0;
  auto outputs = open_outputs({{"--json", flags.json_path}}, *scenario, exit_code);
  if (!outputs) return exit_code;
  std::ostream& report = outputs->uses_standard_output() ? std::cerr : std::cout;
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
  if (!flags.quiet) report << scenarios::version_line() << "\n";
  report << reports::sweep_to_text(summary, runs, flags.quiet ? 3 : 10);
  if (scenarios::OutputFile* json = outputs->find("--json")) {
    json->write(reports::sweep_to_json_text(summary, runs));
  }
  return commit_outputs(*outputs, reports::verdict_exit_code(reports::sweep_verdict(summary)));
}

int main_with_exceptions(int argc, char** argv) {
  CLI::App app{"electsim: a deterministic simulator and chaos-test harness for leader election"};
  app.require_subcommand(1);
  app.set_version_flag("--version", scenarios::version_line());

  CommonFlags run_flags;
  std::optional<uint64_t> run_seed;
  std::optional<std::string> trace_path;
  CLI::App* run = app.add_subcommand("run", "run one scenario with one seed");
  add_common(*run, run_flags);
  run->add_option("--seed", run_seed, "the seed (default: the scenario's first seed)");
  run->add_option("--trace", trace_path,
                  "stream the full trace as JSON Lines to FILE ('-': standard output, and the "
                  "report for people goes to standard error)");

  CommonFlags sweep_flags;
  std::string seeds_text;
  int jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  CLI::App* sweep = app.add_subcommand("sweep", "run many seeds on all cores");
  add_common(*sweep, sweep_flags);
  sweep->add_option("--seeds", seeds_text, "seed range A..B (default: the scenario's seeds)");
  sweep->add_option("--jobs", jobs, "worker threads (default: all cores)")
      ->check(CLI::Range(1, 1024));

  CLI::App* list = app.add_subcommand("list", "algorithms, scenario keys, built-in scenarios, checks");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? 0 : kExitUsage;
  }
  if (run->parsed()) return command_run(run_flags, run_seed, trace_path);
  if (sweep->parsed()) return command_sweep(sweep_flags, seeds_text, jobs);
  if (list->parsed()) {
    std::cout << scenarios::list_text();
    return 0;
  }
  return kExitUsage;
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
