// The electsim command line (DESIGN.md, "The outside contract"): run, sweep, list.
// Exit codes: 0 pass, 1 safety violation, 2 liveness violation, 64 bad command line,
// 65 bad scenario file, 70 internal error.
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
  std::string json_path;
  bool quiet = false;
  uint64_t max_events = scenarios::kDefaultMaxEvents;
};

// Checks the flag's text before CLI11 converts it, which would wrap "-1" and clamp 2^64 silently.
CLI::Validator positive_count() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        uint64_t value = 0;
        const bool digits =
            !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        if (digits && absl::SimpleAtoi(text, &value) && value > 0) return "";
        return "expected a whole number from 1 to 18446744073709551615, got '" + text + "'";
      },
      "N");
}

void add_common(CLI::App& command, CommonFlags& flags) {
  command.add_option("scenario", flags.scenario_path, "scenario file (YAML)")->required();
  command.add_option("--set", flags.overrides, "override a scenario field: PATH=VALUE")
      ->type_name("PATH=VALUE");
  command.add_option("--algorithm", flags.algorithm,
                     "run this algorithm instead, with its default parameters");
  command.add_option("--json", flags.json_path, "write the results as JSON to FILE");
  command.add_flag("--quiet", flags.quiet, "print only the verdict line");
  command.add_option("--max-events", flags.max_events,
                     "the event budget of a run (default 100,000,000); a run that needs more "
                     "is refused or stopped with exit 65")
      ->check(positive_count());
}

std::optional<scenarios::Scenario> load(const CommonFlags& flags) {
  scenarios::LoadOptions options;
  options.overrides = flags.overrides;
  if (!flags.algorithm.empty()) options.algorithm_override = flags.algorithm;
  options.max_events = flags.max_events;
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

bool write_json(const std::string& path, const std::string& text) {
  if (path.empty()) return true;
  const absl::Status status = reports::write_file_atomically(path, text);
  if (!status.ok()) std::cerr << "electsim: " << status.message() << "\n";
  return status.ok();
}

int command_run(const CommonFlags& flags, std::optional<uint64_t> seed,
                const std::string& trace_path) {
  auto scenario = load(flags);
  if (!scenario) return kExitBadScenario;
  const uint64_t chosen_seed = seed.value_or(scenario->seed_first);
  scenarios::RunOptions options;
  if (!trace_path.empty()) options.trace_path = trace_path;
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
  if (result->verdict == reports::Verdict::kBudgetExceeded) {
    std::cerr << "electsim: " << scenario->path << ": " << result->error << "\n";
  }
  if (!write_json(flags.json_path, reports::run_to_json(*result).dump(2) + "\n")) {
    return kExitInternal;
  }
  return reports::verdict_exit_code(result->verdict);
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

int main_with_exceptions(int argc, char** argv) {
  CLI::App app{"electsim: a deterministic simulator and chaos-test harness for leader election"};
  app.require_subcommand(1);
  app.set_version_flag("--version", scenarios::version_line());

  CommonFlags run_flags;
  std::optional<uint64_t> run_seed;
  std::string trace_path;
  CLI::App* run = app.add_subcommand("run", "run one scenario with one seed");
  add_common(*run, run_flags);
  run->add_option("--seed", run_seed, "the seed (default: the scenario's first seed)");
  run->add_option("--trace", trace_path, "stream the full trace as JSON Lines to FILE");

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

}  // namespace

int main(int argc, char** argv) {
  try {
    return main_with_exceptions(argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "electsim: internal error: " << error.what() << "\n";
    return kExitInternal;
  }
}
