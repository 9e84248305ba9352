#include "scenarios/sweep_command.h"

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/json_report.h"
#include "reports/prometheus.h"
#include "reports/regression_gate.h"
#include "reports/sweep_summary.h"
#include "reports/sweep_text.h"
#include "scenarios/baseline.h"
#include "scenarios/command_support.h"
#include "scenarios/exit_codes.h"
#include "scenarios/interrupt.h"
#include "scenarios/junit.h"
#include "scenarios/merge.h"
#include "scenarios/progress.h"
#include "scenarios/runner.h"
#include "scenarios/sweep.h"
#include "scenarios/sweep_file.h"

namespace electsim::scenarios {
namespace {

using Properties = std::vector<std::pair<std::string, std::string>>;

// Everything a finished run goes to, in seed order: the summary, the JSON, the JUnit report, the
// progress line, and the test hook that interrupts after N seeds.
class SweepSink {
 public:
  SweepSink(reports::SweepSummary& summary, OutputFile* json, JunitReport* junit,
            SweepProgress& progress)
      : summary_(summary), json_(json), junit_(junit), progress_(progress),
        interrupt_after_(interrupt_after_seeds_for_tests()) {}

  // With --baseline: keeps what the regression gate reads from each run (a few numbers and the
  // recovery times per seed, so memory grows with the seeds, only then).
  void keep_gate_runs() { keep_gate_runs_ = true; }
  const std::vector<reports::GateRun>& gate_runs() const { return gate_runs_; }

  // With --metrics: every run, copied from a resumed file or run here, is added to `metrics`.
  void add_metrics_to(reports::PrometheusWriter* metrics) { metrics_ = metrics; }

  void open() {
    if (json_ != nullptr) json_->write(reports::sweep_json_opening(summary_));
  }

  // A run read back from the file being resumed: its JSON is copied as written.
  void add_copied(const SweepFileRun& run) {
    write_run_text(run.text);
    record(run.summary_fields);
  }

  // A run of this process. Resuming, the first one must have the identity of the file's runs
  // (the same parameters and electsim build), or the sweep would mix two different sweeps.
  absl::Status add(const reports::RunResult& run) {
    const nlohmann::ordered_json json = reports::run_to_json(run);
    if (expected_identity_) {
      const std::string identity = run_identity(json);
      if (identity != *expected_identity_) {
        return absl::InvalidArgumentError(absl::StrCat(
            "--resume: seed ", run.seed, " runs with other parameters or another electsim build "
            "than the file's runs: ", identity, " vs ", *expected_identity_));
      }
      expected_identity_.reset();
    }
    // A write error is kept by the output and reported when it is committed (exit 74).
    write_run_text(reports::json_text(json));
    record(run);
    if (interrupt_after_ != 0 && ++ran_here_ == interrupt_after_) raise(SIGINT);
    return absl::OkStatus();
  }

  void expect_identity(std::string identity) { expected_identity_ = std::move(identity); }

  void close(const nlohmann::ordered_json& regression = nullptr) {
    if (json_ != nullptr) {
      json_->write(reports::sweep_json_closing(summary_, any_runs_, regression));
    }
  }

 private:
  void write_run_text(std::string_view text) {
    if (json_ != nullptr) {
      json_->write(any_runs_ ? ",\n    " : "\n    ");
      json_->write(text);
    }
    any_runs_ = true;
  }
  void record(const reports::RunResult& run) {
    summary_.add(run);
    if (keep_gate_runs_ && reports::gate_counts(run)) {
      gate_runs_.push_back(reports::gate_run_of(run));
    }
    if (junit_ != nullptr) junit_->add(run);
    if (metrics_ != nullptr) metrics_->add_run(run);
    progress_.update(summary_.seeds(), summary_.failed());
  }

  reports::SweepSummary& summary_;
  OutputFile* json_;
  JunitReport* junit_;
  SweepProgress& progress_;
  const uint64_t interrupt_after_;
  uint64_t ran_here_ = 0;
  bool any_runs_ = false;
  std::optional<std::string> expected_identity_;
  bool keep_gate_runs_ = false;
  std::vector<reports::GateRun> gate_runs_;
  reports::PrometheusWriter* metrics_ = nullptr;
};

// What the summary says the sweep is of, as a file's header would say it.
SweepFileHeader header_of(const reports::SweepSummary& summary) {
  return SweepFileHeader{summary.scenario(), summary.algorithm(), summary.overrides(),
                         summary.requested_first(), summary.requested_last(), summary.shard()};
}

// --resume: copies the finished runs of the sweep in `path` into `sink` and returns the seeds
// left to run (nullopt: none). A missing file is a sweep not started yet: everything is left.
absl::StatusOr<std::optional<SeedSlice>> resume(const std::string& path,
                                                const reports::SweepSummary& summary,
                                                std::optional<SeedSlice> slice, SweepSink& sink) {
  if (!std::filesystem::exists(path)) return slice;
  auto reader = SweepFileReader::open(path);
  if (!reader.ok()) return reader.status();
  const SweepFileHeader expected = header_of(summary);
  if (!same_sweep((*reader)->header(), expected, /*ignore_shard=*/false)) {
    return (*reader)->error_at(
        1, absl::StrCat("--resume: this file is a sweep of ", describe_sweep((*reader)->header()),
                        ", not of ", describe_sweep(expected),
                        "; give the same scenario, --seeds, --set, --algorithm and --shard"));
  }
  std::optional<uint64_t> last;
  std::optional<std::string> identity;
  while (true) {
    auto run = (*reader)->next_run();
    if (!run.ok()) return run.status();
    if (!*run) break;
    const uint64_t seed = (*run)->summary_fields.seed;
    if (!slice || (last && *last == slice->final_seed())) {
      return (*reader)->error_at((*run)->line, absl::StrCat("--resume: seed ", seed,
                                                            " is past the sweep's last seed"));
    }
    const uint64_t expected_seed = last ? *last + slice->stride : slice->first;
    if (seed != expected_seed) {
      return (*reader)->error_at((*run)->line, absl::StrCat("--resume: found seed ", seed,
                                                            " where the sweep runs seed ",
                                                            expected_seed));
    }
    if (!identity) identity = (*run)->identity;
    if ((*run)->identity != *identity) {
      return (*reader)->error_at((*run)->line, "--resume: the runs have different parameters");
    }
    sink.add_copied(**run);
    last = seed;
  }
  if (identity) sink.expect_identity(*identity);
  if (!last) return slice;
  return slice->after(*last);
}

// How many seeds the slice holds, if that fits in 64 bits; 0 for an empty shard.
std::optional<uint64_t> seed_count(const std::optional<SeedSlice>& slice) {
  if (!slice) return 0;
  if (slice->last_offset() == UINT64_MAX) return std::nullopt;
  return slice->last_offset() + 1;
}

Properties sweep_properties(const reports::SweepSummary& summary) {
  Properties properties{{"electsim", version_line()},
                        {"seeds", absl::StrCat(summary.requested_first(), "..",
                                               summary.requested_last())}};
  if (summary.shard()) properties.emplace_back("shard", *summary.shard());
  if (!summary.overrides().empty()) {
    properties.emplace_back("overrides", absl::StrJoin(summary.overrides(), " "));
  }
  return properties;
}

// The JUnit report of --junit, if asked for; false after printing why it cannot be made.
bool make_junit(const Outputs& outputs, const std::string& scenario, const std::string& algorithm,
                Properties properties, std::optional<JunitReport>& junit) {
  OutputFile* file = outputs.find("--junit");
  if (file == nullptr) return true;
  auto created = JunitReport::create(scenario, algorithm, std::move(properties));
  if (!created.ok()) {
    const absl::Status status =
        cannot_create("--junit", file->path(), std::string(created.status().message()));
    std::cerr << "electsim: " << status.message() << "\n";
    return false;
  }
  junit.emplace(*std::move(created));
  return true;
}

// Writes the JUnit document into its output; the error status if its temporary file failed.
absl::Status finish_junit(const Outputs& outputs, std::optional<JunitReport>& junit,
                          double wall_seconds) {
  if (!junit) return absl::OkStatus();
  OutputFile* file = outputs.find("--junit");
  if (junit->finish([&](std::string_view text) { file->write(text); }, wall_seconds)) {
    return absl::OkStatus();
  }
  return file->write_error("the temporary file of its test cases failed");
}

// Prints the summary for people (or the verdict line with --quiet).
void print_summary(std::ostream& report, bool quiet, reports::SweepSummary& summary,
                   std::optional<double> wall_seconds) {
  if (quiet) {
    report << reports::sweep_verdict_line(summary);
    return;
  }
  reports::SweepTextOptions text_options;
  text_options.wall_seconds = wall_seconds;
  report << reports::sweep_to_text(summary, text_options);
}

int exit_code_for_error(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitBadScenario : kExitInternal;
}

// --baseline: the earlier sweep, checked to be of this scenario and algorithm unless
// --allow-baseline-mismatch; nullopt after printing why not (exit_code set: 65 or 74).
std::optional<Baseline> load_baseline(const SweepCommand& command, const Scenario& scenario,
                                      int& exit_code) {
  auto baseline = read_baseline(*command.baseline_path);
  absl::Status status = baseline.status();
  if (status.ok() && !command.allow_baseline_mismatch) {
    status = check_baseline_subject(*baseline, scenario.name, scenario.algorithm);
  }
  if (status.ok()) return *std::move(baseline);
  std::cerr << "electsim: " << status.message() << "\n";
  exit_code = status.code() == absl::StatusCode::kDataLoss ? kExitIoError : kExitBadScenario;
  return std::nullopt;
}

reports::GateResult run_regression_gate(const Baseline& baseline, const SweepSink& sink,
                                        double tolerance) {
  reports::GateSubject subject;
  subject.baseline_path = baseline.path;
  subject.baseline_description = describe_sweep(baseline.header);
  reports::GateOptions options;
  options.tolerance = tolerance;
  return reports::run_gate(baseline.runs, sink.gate_runs(), subject, options);
}

// The regression gate as one JUnit test case: its failure message is the verdict line.
void add_gate_case(JunitReport* junit, const reports::GateResult& gate) {
  if (junit == nullptr) return;
  std::string message = reports::gate_verdict_line(gate);
  message.pop_back();  // the newline
  junit->add_sweep_case("regression gate", !gate.regression(), "regression", message,
                        reports::gate_to_text(gate));
}

// The sweep's exit code with the gate: a regression is a liveness-class failure (2), which a
// safety violation or an internal error outranks, as in reports::sweep_verdict.
int with_gate(int verdict_code, const std::optional<reports::GateResult>& gate) {
  if (!gate || !gate->regression()) return verdict_code;
  if (verdict_code == kExitPass || verdict_code == kExitBadScenario) return kExitLivenessViolation;
  return verdict_code;
}

}  // namespace

uint64_t interrupt_after_seeds_for_tests() {
  const char* text = std::getenv("ELECTSIM_TEST_INTERRUPT_AFTER_SEEDS");
  uint64_t seeds = 0;
  if (text == nullptr || !absl::SimpleAtoi(text, &seeds)) return 0;
  return seeds;
}

int command_sweep(const SweepCommand& command, const std::string& program) {
  // The first SIGINT or SIGTERM stops handing out seeds and the finished prefix is summarized; a
  // second one removes the temporary files and exits at once. Installed before any exists.
  install_interrupt_handlers(InterruptMode::kGraceful);
  int exit_code = 0;
  auto scenario = load_scenario(command.scenario, program, exit_code);
  if (!scenario) return exit_code;
  if (command.scenario.print_scenario) return print_scenario(command.scenario, *scenario);
  const auto& flags = command.output;
  const SeedRange range =
      command.seeds.value_or(SeedRange{scenario->seed_first, scenario->seed_last});
  std::optional<SeedSlice> slice =
      command.shard ? shard_slice(range, *command.shard) : whole(range);
  std::optional<Baseline> baseline;
  if (command.baseline_path) {
    baseline = load_baseline(command, *scenario, exit_code);
    if (!baseline) return exit_code;
  }
  auto outputs = open_outputs({{"--json", flags.json_path},
                               {"--junit", flags.junit_path},
                               {"--metrics", flags.metrics_path}},
                              scenario->path, exit_code);
  if (!outputs) return exit_code;
  std::ostream& report = outputs->uses_standard_output() ? std::cerr : std::cout;
  reports::PrometheusWriter metrics(reports::MetricsScope::kManyRuns);
  reports::SweepSummary summary(scenario->name, scenario->algorithm, override_words(*scenario),
                                range.first, range.last);
  if (command.shard) {
    summary.set_shard(slice ? slice->first : range.first, command.shard->count,
                      absl::StrCat(command.shard->index, "/", command.shard->count));
  }
  std::optional<JunitReport> junit;
  if (!make_junit(*outputs, scenario->name, scenario->algorithm, sweep_properties(summary),
                  junit)) {
    return kExitCannotCreate;
  }
  const ProgressStyle style = progress_style(flags.quiet);
  SweepProgress progress(style, seed_count(slice), progress_interval(style));
  SweepSink sink(summary, outputs->find("--json"), junit ? &*junit : nullptr, progress);
  if (baseline) sink.keep_gate_runs();
  if (outputs->find("--metrics") != nullptr) sink.add_metrics_to(&metrics);
  sink.open();
  if (!flags.quiet) report << version_line() << std::endl;  // the sweep may be long
  if (command.resume) {
    auto remaining = resume(*flags.json_path, summary, slice, sink);
    if (!remaining.ok()) {
      std::cerr << "electsim: " << remaining.status().message() << "\n";
      return kExitBadScenario;
    }
    slice = *remaining;
  }
  SweepOptions options;
  options.jobs = command.jobs;
  options.run.keep_timeline = false;
  options.stop_requested = interrupt_requested;
  options.check_determinism = command.check_determinism;
  const auto started = std::chrono::steady_clock::now();  // wall time, for people only
  absl::StatusOr<SweepOutcome> outcome = SweepOutcome{};
  if (slice) {
    outcome = run_sweep_slice(*scenario, *slice, options,
                        [&](const reports::RunResult& run) { return sink.add(run); });
  }
  progress.finish(summary.seeds(), summary.failed());
  if (!outcome.ok()) {
    std::cerr << "electsim: " << outcome.status().message() << "\n";
    return exit_code_for_error(outcome.status());
  }
  if (outcome->stopped) summary.mark_interrupted();
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
  print_summary(report, flags.quiet, summary, wall.count());
  // An interrupted sweep has only a prefix of its seeds: nothing to judge a regression on.
  std::optional<reports::GateResult> gate;
  if (baseline && !outcome->stopped) {
    gate = run_regression_gate(*baseline, sink, command.tolerance);
    report << (flags.quiet ? reports::gate_verdict_line(*gate) : reports::gate_to_text(*gate));
    add_gate_case(junit ? &*junit : nullptr, *gate);
  }
  sink.close(gate ? reports::gate_to_json(*gate) : nlohmann::ordered_json(nullptr));
  if (absl::Status status = finish_junit(*outputs, junit, wall.count()); !status.ok()) {
    std::cerr << "electsim: " << status.message() << "\n";
    return exit_code_for(status);
  }
  if (OutputFile* file = outputs->find("--metrics")) file->write(metrics.text());
  const int verdict_code = outcome->stopped
                               ? kExitInterrupted
                               : reports::verdict_exit_code(reports::sweep_verdict(summary));
  return commit_outputs(*outputs, with_gate(verdict_code, gate));
}

int command_merge(const MergeCommand& command) {
  install_interrupt_handlers(InterruptMode::kImmediate);
  int exit_code = 0;
  const auto& flags = command.output;
  auto outputs = open_outputs({{"--json", flags.json_path}, {"--junit", flags.junit_path}}, "",
                              exit_code);
  if (!outputs) return exit_code;
  std::ostream& report = outputs->uses_standard_output() ? std::cerr : std::cout;
  OutputFile* json = outputs->find("--json");
  std::optional<JunitReport> junit;
  bool junit_failed = false;
  const auto started = std::chrono::steady_clock::now();  // wall time, for JUnit only
  auto summary = merge_shards(
      command.files,
      [&](std::string_view text) {
        if (json != nullptr) json->write(text);
      },
      [&](const SweepFileHeader& header, const reports::RunResult& run) {
        if (!junit && !junit_failed && outputs->find("--junit") != nullptr) {
          reports::SweepSummary described(header.scenario, header.algorithm, header.overrides,
                                          header.requested_first, header.requested_last);
          junit_failed = !make_junit(*outputs, header.scenario, header.algorithm,
                                     sweep_properties(described), junit);
        }
        if (junit) junit->add(run);
      });
  if (junit_failed) return kExitCannotCreate;
  if (!summary.ok()) {
    std::cerr << "electsim: " << summary.status().message() << "\n";
    return kExitBadScenario;
  }
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
  print_summary(report, flags.quiet, **summary, std::nullopt);
  if (absl::Status status = finish_junit(*outputs, junit, wall.count()); !status.ok()) {
    std::cerr << "electsim: " << status.message() << "\n";
    return exit_code_for(status);
  }
  return commit_outputs(*outputs,
                        reports::verdict_exit_code(reports::sweep_verdict(**summary)));
}

absl::Status write_run_junit(OutputFile& file, const Scenario& scenario,
                             const reports::RunResult& run, double wall_seconds) {
  auto junit = JunitReport::create(scenario.name, scenario.algorithm,
                                   {{"electsim", version_line()},
                                    {"seed", std::to_string(run.seed)}});
  if (!junit.ok()) return file.write_error(std::string(junit.status().message()));
  junit->add(run);
  if (!junit->finish([&](std::string_view text) { file.write(text); }, wall_seconds)) {
    return file.write_error("the temporary file of its test cases failed");
  }
  return absl::OkStatus();
}

}  // namespace electsim::scenarios
