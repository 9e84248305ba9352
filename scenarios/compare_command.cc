#include "scenarios/compare_command.h"

#include <iostream>
#include <optional>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "reports/compare_report.h"
#include "reports/json_report.h"
#include "reports/prometheus.h"
#include "scenarios/builtin_scenarios.h"
#include "scenarios/command_support.h"
#include "scenarios/compare_page.h"
#include "scenarios/exit_codes.h"
#include "scenarios/interrupt.h"
#include "scenarios/progress.h"
#include "scenarios/runner.h"
#include "scenarios/sweep.h"

namespace electsim::scenarios {
namespace {

// Marks an error in compare's own flags (--algorithms all with too few algorithms): exit 64.
constexpr absl::string_view kCompareFlagPayload = "electsim/compare-flag-error";

absl::Status flag_error(std::string message) {
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kCompareFlagPayload, absl::Cord("1"));
  return status;
}

bool is_flag_error(const absl::Status& status) {
  return is_command_line_error(status) || status.GetPayload(kCompareFlagPayload).has_value();
}

// The loader names the flag it was given (--set, --algorithm); the user typed --vary or
// --algorithms, so the message says that instead, keeping the loader's reason.
absl::Status renamed(const absl::Status& status, std::string_view flag_words) {
  const std::string message(status.message());
  const size_t reason = message.find(": ");
  if (!is_command_line_error(status) || reason == std::string::npos) return status;
  return flag_error(absl::StrCat(std::string(flag_words), message.substr(reason)));
}

absl::StatusOr<Scenario> load_variant(const CompareCommand& command, const std::string& program,
                                      std::vector<std::string> extra_overrides,
                                      std::optional<std::string> algorithm) {
  LoadOptions options = load_options(command.scenario);
  options.overrides.insert(options.overrides.end(), extra_overrides.begin(),
                           extra_overrides.end());
  options.algorithm_override = std::move(algorithm);
  auto scenario = load_named_scenario(command.scenario.scenario, options);
  if (scenario.ok()) scenario->program = program;
  return scenario;
}

absl::StatusOr<std::vector<CompareVariantSpec>> vary_variants(const CompareCommand& command,
                                                              const std::string& program) {
  std::optional<std::string> algorithm;
  if (!command.algorithms.empty()) algorithm = command.algorithms.front();
  std::vector<CompareVariantSpec> variants;
  for (const std::string& value : command.vary_values) {
    const std::string assignment = absl::StrCat(*command.vary_parameter, "=", value);
    auto scenario = load_variant(command, program, {"algorithm.params." + assignment}, algorithm);
    if (!scenario.ok()) {
      return renamed(scenario.status(), absl::StrCat("--vary '", assignment, "'"));
    }
    variants.push_back(CompareVariantSpec{value, *std::move(scenario)});
  }
  return variants;
}

absl::StatusOr<std::vector<CompareVariantSpec>> all_variants(const CompareCommand& command,
                                                             const std::string& program,
                                                             std::vector<std::string>* skipped) {
  // The scenario as written first, so that an error of its own is reported as such.
  auto base = load_variant(command, program, {}, std::nullopt);
  if (!base.ok()) return base.status();
  std::vector<CompareVariantSpec> variants;
  for (const algorithms::AlgorithmInfo& info : algorithms::registry()) {
    auto scenario = load_variant(command, program, {}, info.name);
    if (scenario.ok()) {
      variants.push_back(CompareVariantSpec{info.name, *std::move(scenario)});
    } else if (skipped != nullptr) {
      skipped->push_back(absl::StrCat(info.name, ": ", scenario.status().message()));
    }
  }
  if (variants.size() < 2) {
    return flag_error(absl::StrCat("--algorithms all: ", base->path, " can run only ",
                                   variants.size(), " algorithm(s); nothing to compare"));
  }
  return variants;
}

// With --algorithms all, the algorithms left out and why, on standard error.
void print_skipped(const std::vector<std::string>& skipped, bool quiet) {
  if (quiet) return;
  for (const std::string& line : skipped) {
    std::cerr << "electsim: compare: left out " << line << "\n";
  }
}

int exit_code_of_load(const absl::Status& status) {
  std::cerr << "electsim: " << status.message() << "\n";
  return is_flag_error(status) ? kExitUsage : kExitBadScenario;
}

// Runs every variant's seeds into its CompareVariant, one variant after another, each over all
// the jobs. Memory: a few numbers per seed (reports::CompareSeed), never a run.
absl::StatusOr<std::vector<reports::CompareVariant>> run_variants(
    const std::vector<CompareVariantSpec>& specs, SeedRange seeds, int jobs, bool quiet,
    bool varied, reports::PrometheusWriter* metrics) {
  const ProgressStyle style = progress_style(quiet);
  const uint64_t per_variant = seeds.last - seeds.first + 1;  // a compare's range is small
  SweepProgress progress(style, per_variant * specs.size(), progress_interval(style));
  uint64_t done = 0;
  uint64_t failed = 0;
  std::vector<reports::CompareVariant> variants;
  SweepOptions options;
  options.jobs = jobs;
  options.run.keep_timeline = false;
  for (const CompareVariantSpec& spec : specs) {
    reports::CompareVariant& variant = variants.emplace_back(spec.label, spec.scenario.algorithm);
    auto outcome = run_sweep(spec.scenario, seeds, options, [&](const reports::RunResult& run) {
      variant.add(run);
      // Under --vary the rows share an algorithm: the `variant` label keeps their series apart.
      if (metrics != nullptr) metrics->add_run(run, varied ? spec.label : "");
      ++done;
      if (run.verdict != reports::Verdict::kPass) ++failed;
      progress.update(done, failed);
      return absl::OkStatus();
    });
    if (!outcome.ok()) return outcome.status();
  }
  progress.finish(done, failed);
  return variants;
}

reports::CompareReport build_report(const CompareCommand& command,
                                    const std::vector<CompareVariantSpec>& specs,
                                    const std::vector<reports::CompareVariant>& variants,
                                    SeedRange seeds) {
  reports::CompareReport report = reports::make_compare_report(variants);
  report.version = version_line();
  report.scenario = specs.front().scenario.name;
  report.scenario_path = specs.front().scenario.path;
  report.seed_first = seeds.first;
  report.seed_last = seeds.last;
  report.varied = command.vary_parameter;
  for (const std::string& text : command.scenario.overrides) {
    report.overrides.push_back("--set " + text);
  }
  return report;
}

// Seed ranges past this many seeds per variant are refused: a comparison keeps every seed's
// figures for its paired tests (a few hundred bytes each).
constexpr uint64_t kMaxCompareSeeds = 10'000'000;

}  // namespace

absl::StatusOr<std::vector<CompareVariantSpec>> compare_variants(
    const CompareCommand& command, const std::string& program, std::vector<std::string>* skipped) {
  if (command.vary_parameter) return vary_variants(command, program);
  if (command.all_algorithms) return all_variants(command, program, skipped);
  std::vector<CompareVariantSpec> variants;
  for (const std::string& name : command.algorithms) {
    auto scenario = load_variant(command, program, {}, name);
    if (!scenario.ok()) return renamed(scenario.status(), absl::StrCat("--algorithms ", name));
    variants.push_back(CompareVariantSpec{name, *std::move(scenario)});
  }
  return variants;
}

int command_compare(const CompareCommand& command, const std::string& program) {
  install_interrupt_handlers(InterruptMode::kImmediate);
  std::vector<std::string> skipped;
  auto specs = compare_variants(command, program, &skipped);
  if (!specs.ok()) return exit_code_of_load(specs.status());
  const Scenario& first = specs->front().scenario;
  if (command.scenario.print_scenario) return print_scenario(command.scenario, first);
  const SeedRange seeds = command.seeds.value_or(SeedRange{first.seed_first, first.seed_last});
  if (seeds.last - seeds.first >= kMaxCompareSeeds) {
    std::cerr << "electsim: --seeds " << seeds.first << ".." << seeds.last
              << ": compare runs at most " << kMaxCompareSeeds << " seeds per variant\n";
    return kExitUsage;
  }
  int exit_code = 0;
  auto outputs = open_outputs({{"--json", command.output.json_path},
                               {"--csv", command.csv_path},
                               {"--html", command.html_path},
                               {"--metrics", command.output.metrics_path}},
                              first.path, exit_code);
  if (!outputs) return exit_code;
  std::ostream& report_stream = outputs->uses_standard_output() ? std::cerr : std::cout;
  print_skipped(skipped, command.output.quiet);
  std::optional<reports::PrometheusWriter> metrics;
  if (outputs->find("--metrics") != nullptr) metrics.emplace(reports::MetricsScope::kManyRuns);
  auto variants = run_variants(*specs, seeds, command.jobs, command.output.quiet,
                               command.vary_parameter.has_value(),
                               metrics ? &*metrics : nullptr);
  if (!variants.ok()) {
    std::cerr << "electsim: " << variants.status().message() << "\n";
    return kExitInternal;
  }
  const reports::CompareReport report = build_report(command, *specs, *variants, seeds);
  report_stream << (command.output.quiet ? reports::compare_verdict_line(report)
                                         : reports::compare_to_text(report));
  if (OutputFile* json = outputs->find("--json")) {
    json->write(reports::json_text(reports::compare_to_json(report), 2) + "\n");
  }
  if (OutputFile* csv = outputs->find("--csv")) csv->write(reports::compare_to_csv(report));
  if (OutputFile* file = outputs->find("--metrics")) file->write(metrics->text());
  if (OutputFile* html = outputs->find("--html")) {
    html->write(compare_page_html(report, *specs, *variants));
  }
  return commit_outputs(*outputs, reports::verdict_exit_code(report.verdict));
}

}  // namespace electsim::scenarios
