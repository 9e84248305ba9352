#include "scenarios/property_check.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/run_result.h"
#include "scenarios/builtin_scenarios.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "scenarios/shrink.h"
#include "sim/checks/checks.h"

namespace electsim::scenarios {
namespace {

// The path reports and the shrunk file name a scenario given as text by.
constexpr char kTextPath[] = "property.yaml";

bool is_known_check(const std::string& name) {
  const auto& checks = sim::checks::check_catalogue();
  return sim::checks::is_known_goal(name) ||
         std::any_of(checks.begin(), checks.end(),
                     [&](const sim::checks::CheckInfo& info) { return info.name == name; });
}

// A built-in algorithm of the same name would be found first (algorithms::find_algorithm), and
// the algorithm under test would silently not run.
absl::Status check_name(const algorithms::AlgorithmInfo& algorithm) {
  for (const algorithms::AlgorithmInfo& builtin : algorithms::registry()) {
    if (builtin.name == algorithm.name) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the algorithm's name \"", algorithm.name,
          "\" is a built-in algorithm's: give the algorithm under test a name of its own"));
    }
  }
  return absl::OkStatus();
}

absl::Status check_spec(const PropertySpec& spec) {
  for (const std::string& name : spec.checks) {
    if (!is_known_check(name)) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown check \"", name, "\" (electsim list names every check and goal)"));
    }
  }
  if (spec.seeds.first > spec.seeds.last) {
    return absl::InvalidArgumentError(absl::StrCat(
        "seeds ", spec.seeds.first, "..", spec.seeds.last, ": the first is after the last"));
  }
  if (spec.scenario_text.empty() && spec.scenario_path.empty()) {
    return absl::InvalidArgumentError("no scenario: give its YAML text or a path");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> source_text(const PropertySpec& spec) {
  if (!spec.scenario_text.empty()) return spec.scenario_text;
  return named_scenario_text(spec.scenario_path);
}

bool is_named(const PropertySpec& spec, const std::string& check) {
  return spec.checks.empty() ||
         std::find(spec.checks.begin(), spec.checks.end(), check) != spec.checks.end();
}

// The run's failure as the property sees it: an error, or its first violation of a named check.
std::optional<PropertyFailure> failure_of(const reports::RunResult& run,
                                          const PropertySpec& spec) {
  PropertyFailure failure;
  failure.seed = run.seed;
  failure.verdict = reports::verdict_name(run.verdict);
  if (!run.error.empty()) {
    failure.check = failure.verdict;
    failure.detail = run.error;
    failure.time = run.error_time;
    return failure;
  }
  for (const auto& violation : run.checks.violations) {
    if (!is_named(spec, violation.check)) continue;
    failure.check = violation.check;
    failure.detail = violation.detail;
    failure.time = violation.time;
    return failure;
  }
  return std::nullopt;
}

// Shrinks the failing seed when its first violation is the failure's check (shrink keeps the
// first violation's check; a run whose first violation is of a check not named is left as is).
void shrink_failure(const Scenario& scenario, const std::string& text, const PropertySpec& spec,
                    const reports::RunResult& run, PropertyFailure& failure) {
  if (spec.shrink_runs <= 0) {
    failure.shrink_summary = "not shrunk (shrink_runs is 0)";
    return;
  }
  if (run.checks.violations.empty() || run.checks.violations.front().check != failure.check) {
    failure.shrink_summary = "not shrunk: the run's first violation is of another check";
    return;
  }
  const ShrinkResult shrunk = shrink_scenario(scenario, failure.seed, spec.shrink_runs);
  if (!shrunk.failed) {
    failure.shrink_summary = "not shrunk: the seed passed when run again";
    return;
  }
  auto file = minimal_scenario_file(shrunk, scenario, failure.seed, text, "minimal.yaml");
  if (!file.ok()) {
    failure.shrink_summary = absl::StrCat("not shrunk: ", file.status().message());
    return;
  }
  failure.shrunk_scenario = *std::move(file);
  failure.shrink_summary = absl::StrCat(shrunk.faults_before, " faults -> ", shrunk.faults_after,
                                        " faults, duration ",
                                        sim::format_duration(shrunk.duration_before), " -> ",
                                        sim::format_duration(shrunk.duration_after), ", ",
                                        shrunk.runs, " runs");
}

}  // namespace

PropertyOutcome check_property(const algorithms::AlgorithmInfo& algorithm,
                               const PropertySpec& spec) {
  PropertyOutcome outcome;
  outcome.status = check_name(algorithm);
  if (outcome.status.ok()) outcome.status = check_spec(spec);
  if (!outcome.status.ok()) return outcome;
  algorithms::register_algorithm_for_tests(algorithm);
  auto text = source_text(spec);
  if (!text.ok()) {
    outcome.status = text.status();
    return outcome;
  }
  LoadOptions options;
  options.overrides = spec.overrides;
  options.algorithm_override = algorithm.name;
  const std::string path = spec.scenario_text.empty() ? spec.scenario_path : kTextPath;
  auto scenario = load_scenario_text(*text, path, options);
  if (!scenario.ok()) {
    outcome.status = scenario.status();
    return outcome;
  }
  RunOptions run_options;
  run_options.keep_timeline = false;
  for (uint64_t seed = spec.seeds.first;; ++seed) {
    const reports::RunResult run = run_scenario_as_result(*scenario, seed, run_options);
    ++outcome.seeds_run;
    if (auto failure = failure_of(run, spec)) {
      shrink_failure(*scenario, *text, spec, run, *failure);
      outcome.failure = std::move(failure);
      return outcome;
    }
    if (seed == spec.seeds.last) return outcome;
  }
}

std::string describe_outcome(const PropertyOutcome& outcome, const PropertySpec& spec,
                             const std::string& algorithm, const std::string& replay_command) {
  const std::string scenario = spec.scenario_text.empty() ? spec.scenario_path : kTextPath;
  if (!outcome.status.ok()) {
    return absl::StrCat("electsim: ", scenario, ": ", outcome.status.message());
  }
  if (!outcome.failure) return "";
  const PropertyFailure& failure = *outcome.failure;
  std::string text = absl::StrCat(
      algorithm, " under ", scenario, " fails ", failure.check, " with seed ", failure.seed,
      " (", failure.verdict, ", seed ", outcome.seeds_run, " of ",
      spec.seeds.last - spec.seeds.first + 1, " run)\n  at true time ",
      sim::format_instant_readable(failure.time), ": ", failure.detail,
      "\n  checks: ", spec.checks.empty() ? "all" : absl::StrJoin(spec.checks, ", "),
      "\n  shrunk: ", failure.shrink_summary, "\n  replay: ", replay_command, "\n");
  if (!failure.shrunk_scenario.empty()) {
    absl::StrAppend(&text, "--- the shrunk scenario ---\n", failure.shrunk_scenario);
  }
  return text;
}

}  // namespace electsim::scenarios
