// The electsim command line (DESIGN.md, "The outside contract"): run, sweep, list.
// Exit codes: 0 pass, 1 safety violation, 2 liveness violation, 64 bad command line,
// 65 bad scenario file, 70 internal error (a failed internal check in a run: that run's verdict
// internal_error), 73 an output cannot be created, 74 an output could not be written,
// 130 a sweep interrupted by SIGINT or SIGTERM (its finished seeds summarized). A sweep's
// verdict ranks internal_error over safety over liveness over budget_exceeded
// (reports::sweep_verdict).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "reports/json_report.h"
#include "reports/sweep_summary.h"
#include "reports/sweep_text.h"
#include "reports/text_report.h"
#include "scenarios/cli_list.h"
#include "scenarios/exit_codes.h"
#include "scenarios/interrupt.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "scenarios/sweep.h"

namespace {

using namespace electsim;
using scenarios::kExitBadScenario;
using scenarios::kExitCannotCreate;
using scenarios::kExitInternal;
using scenarios::kExitIoError;
using scenarios::kExitUsage;


struct CommonFlags {
  std::string scenario_path;
  std::vector<std::string> overrides;
  std::string algorithm;
  std::string json_path;
  bool quiet = false;
};

void add_common(CLI::App& command, CommonFlags& flags) {
  command.add_option("scenario", flags.scenario_path, "scenario file (YAML)")->required();
  command.add_option("--set", flags.overrides, "override a scenario field: PATH=VALUE")
      ->type_name("PATH=VALUE");
  command.add_option("--algorithm", flags.algorithm,
                     "run this algorithm instead, with its default parameters");
  command.add_option("--json", flags.json_path, "write the results as JSON to FILE");
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
  if (result->verdict == reports::Verdict::kInternalError) {
    // A failed internal check: no checks or timeline to show, only what failed and where.
    if (flags.quiet) {
      std::cout << "internal_error seed " << chosen_seed << ": " << result->error << "\n";
    } else {
      std::cout << scenarios::version_line() << "\n" << reports::run_failure_to_text(*result);
    }
  } else if (flags.quiet) {
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

// The sweep's JSON, streamed to a temporary file next to the target as runs arrive and renamed
// over it at the end (an interrupted sweep also ends there, with its finished seeds).
class SweepJsonFile {
 public:
  // Empty `path`: no JSON asked for, every call does nothing.
  explicit SweepJsonFile(std::string path)
      : path_(std::move(path)), temporary_(path_.empty() ? "" : path_ + ".tmp") {}
  ~SweepJsonFile() {
    if (out_.is_open()) {
      out_.close();
      std::remove(temporary_.c_str());
    }
  }

  absl::Status open(const reports::SweepSummary& summary) {
    if (path_.empty()) return absl::OkStatus();
    registration_.emplace(temporary_);
    out_.open(temporary_, std::ios::binary | std::ios::trunc);
    if (!out_) {
      return absl::FailedPreconditionError(
          absl::StrCat("--json ", path_, ": cannot create ", temporary_));
    }
    return write(reports::sweep_json_opening(summary));
  }
  absl::Status add(const reports::RunResult& run) {
    if (path_.empty()) return absl::OkStatus();
    const absl::Status status = write(reports::sweep_json_run(run, !any_runs_));
    any_runs_ = true;
    return status;
  }
  absl::Status finish(reports::SweepSummary& summary) {
    if (path_.empty()) return absl::OkStatus();
    if (absl::Status status = write(reports::sweep_json_closing(summary, any_runs_));
        !status.ok()) {
      return status;
    }
    out_.close();
    if (!out_ || std::rename(temporary_.c_str(), path_.c_str()) != 0) {
      std::remove(temporary_.c_str());
      return absl::DataLossError(absl::StrCat("--json ", path_, ": cannot write the file"));
    }
    return absl::OkStatus();
  }

 private:
  absl::Status write(const std::string& text) {
    out_ << text;
    if (out_) return absl::OkStatus();
    return absl::DataLossError(absl::StrCat("--json ", path_, ": write failed"));
  }

  std::string path_;
  std::string temporary_;
  std::optional<scenarios::TemporaryFileRegistration> registration_;
  std::ofstream out_;
  bool any_runs_ = false;
};

// Progress on a terminal: "\r12345 seeds" now and then (the total may be 2^64, which does not
// fit in 64 bits, so it is the range that is shown once, not a fraction).
void show_progress(uint64_t done) {
  if (done % 256 != 0) return;
  std::fprintf(stderr, "\r%llu seeds done", static_cast<unsigned long long>(done));
}

int command_sweep(const CommonFlags& flags, const std::string& seeds_text, int jobs) {
  auto scenario = load(flags);
  if (!scenario) return kExitBadScenario;
  scenarios::SeedRange range{scenario->seed_first, scenario->seed_last};
  if (!seeds_text.empty() && !parse_seed_range(seeds_text, range.first, range.last)) {
    std::cerr << "electsim: --seeds: expected A..B with A <= B, got '" << seeds_text << "'\n";
    return kExitUsage;
  }
  // The first SIGINT or SIGTERM stops handing out seeds; the finished prefix is summarized.
  scenarios::install_interrupt_handlers(scenarios::InterruptMode::kGraceful);
  reports::SweepSummary summary(scenario->name, scenario->algorithm,
                                scenarios::override_words(*scenario), range.first, range.last);
  SweepJsonFile json(flags.json_path);
  if (absl::Status status = json.open(summary); !status.ok()) {
    std::cerr << "electsim: " << status.message() << "\n";
    return kExitCannotCreate;
  }
  if (!flags.quiet) {
    std::cout << scenarios::version_line() << std::endl;  // flushed: the sweep may be long
  }
  const bool progress = !flags.quiet && isatty(STDERR_FILENO) != 0;
  scenarios::SweepOptions options;
  options.jobs = jobs;
  options.run.keep_timeline = false;
  options.stop_requested = scenarios::interrupt_requested;
  const auto started = std::chrono::steady_clock::now();  // wall time, for people only
  auto outcome = scenarios::run_sweep(
      *scenario, range, options, [&](const reports::RunResult& run) {
        summary.add(run);
        if (progress) show_progress(summary.seeds());
        return json.add(run);
      });
  if (progress) std::fprintf(stderr, "\r%llu seeds done\n",
                             static_cast<unsigned long long>(summary.seeds()));
  if (!outcome.ok()) {
    std::cerr << "electsim: " << outcome.status().message() << "\n";
    return kExitIoError;
  }
  if (outcome->stopped) summary.mark_interrupted();
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
  if (flags.quiet) {
    std::cout << reports::sweep_verdict_line(summary);
  } else {
    reports::SweepTextOptions text_options;
    text_options.wall_seconds = wall.count();
    std::cout << reports::sweep_to_text(summary, text_options);
  }
  std::cout.flush();
  if (absl::Status status = json.finish(summary); !status.ok()) {
    std::cerr << "electsim: " << status.message() << "\n";
    return kExitIoError;
  }
  if (outcome->stopped) return scenarios::kExitInterrupted;
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
