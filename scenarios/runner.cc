#include "scenarios/runner.h"

#include <exception>

#include "absl/strings/str_cat.h"
#include "electsim_commit.h"
#include "faults/injector.h"
#include "sim/checks/checks.h"
#include "sim/checks/timeline.h"
#include "sim/jsonl_sink.h"
#include "sim/world.h"

namespace electsim::scenarios {
namespace {

std::string shell_quote(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_./=:,+-@%") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

sim::Link scenario_link(const NetworkSpec& network) {
  sim::Link link;
  link.latency = network.latency;
  link.loss = network.loss;
  link.duplication = network.duplication;
  link.may_reorder = network.reorder;
  return link;
}

// Each node's initial skew and drift, drawn from the seed's "clocks" stream in node order.
void configure_clocks(const ClockSpec& clocks, uint64_t seed, sim::World& world) {
  if (clocks.drift_ppm_min == 0 && clocks.drift_ppm_max == 0 &&
      clocks.max_offset == sim::Duration::zero()) {
    return;
  }
  sim::Rng rng = sim::Rng::stream(seed, "clocks");
  for (sim::NodeId node = 0; node < world.size(); ++node) {
    const int64_t drift = rng.uniform_int(clocks.drift_ppm_min, clocks.drift_ppm_max);
    const sim::Duration offset = rng.uniform(sim::Duration::zero() - clocks.max_offset,
                                             clocks.max_offset);
    world.set_initial_clock(node, offset, drift);
  }
}

reports::Verdict verdict_of(const sim::checks::CheckResults& results) {
  if (results.safety_violated()) return reports::Verdict::kSafetyViolation;
  if (results.liveness_violated()) return reports::Verdict::kLivenessViolation;
  return reports::Verdict::kPass;
}

}  // namespace

std::string version_line() {
  return absl::StrCat("electsim ", ELECTSIM_VERSION, " (commit ", ELECTSIM_COMMIT, ")");
}

std::string reproduce_command(const Scenario& scenario, uint64_t seed) {
  std::string command = absl::StrCat("electsim run ", shell_quote(scenario.path), " --seed ", seed);
  if (scenario.algorithm_override) {
    absl::StrAppend(&command, " --algorithm ", shell_quote(*scenario.algorithm_override));
  }
  for (const std::string& override_text : scenario.overrides) {
    absl::StrAppend(&command, " --set ", shell_quote(override_text));
  }
  return command;
}

namespace {

// Records the world's true time in `time` if an exception (a failed check) leaves the scope.
class FailureTimeRecorder {
 public:
  FailureTimeRecorder(const sim::World& world, sim::Instant& time)
      : world_(world), time_(time), exceptions_before_(std::uncaught_exceptions()) {}
  ~FailureTimeRecorder() {
    if (std::uncaught_exceptions() > exceptions_before_) time_ = world_.now();
  }
  FailureTimeRecorder(const FailureTimeRecorder&) = delete;
  FailureTimeRecorder& operator=(const FailureTimeRecorder&) = delete;

 private:
  const sim::World& world_;
  sim::Instant& time_;
  int exceptions_before_;
};

// run_scenario without the guard: a failed internal check throws out of it, after setting
// `failure_time` to the world's true time when it failed.
absl::StatusOr<reports::RunResult> run_unguarded(const Scenario& scenario, uint64_t seed,
                                                 const RunOptions& options,
                                                 sim::Instant& failure_time) {
  const algorithms::AlgorithmInfo* info = algorithms::find_algorithm(scenario.algorithm);
  if (info == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown algorithm '", scenario.algorithm, "'"));
  }
  const auto factory = info->make_factory(scenario.params, scenario.nodes);
  sim::World world(seed, scenario.nodes, scenario_link(scenario.network), *factory);
  const FailureTimeRecorder failure_time_recorder(world, failure_time);
  configure_clocks(scenario.clocks, seed, world);

  sim::checks::CheckConfig check_config;
  check_config.nodes = scenario.nodes;
  check_config.recovery_within = scenario.checks.recovery_within;
  check_config.stable_leader_within = scenario.checks.stable_leader_within;
  // recovery_within is judged "after the last fault heals" (docs/SCENARIOS.md): for a nemesis,
  // from the start of its quiet period, when every random fault has ended.
  if (scenario.nemesis) {
    check_config.recovery_judged_from =
        sim::Instant::zero() + (scenario.duration - scenario.nemesis->quiet_period);
  }
  check_config.recovery_counts_all_up = scenario.checks.recovery_quorum == RecoveryQuorum::kAllUp;
  check_config.sometimes = scenario.checks.sometimes;
  sim::checks::CheckSuite checks(check_config);
  checks.attach(world.trace());

  std::vector<faults::Fault> plan = scenario.faults;
  std::vector<std::string> nemesis_kinds;
  if (scenario.nemesis) {
    std::vector<faults::Fault> drawn = faults::draw_nemesis_plan(
        *scenario.nemesis, scenario.nodes, scenario.duration, seed, &nemesis_kinds);
    plan.insert(plan.end(), drawn.begin(), drawn.end());
  }
  // The nodes boot first: a fault at 0s (a crash, a pause) must find them running, which it does
  // only if their start events come before its own in the queue's (time, sequence) order.
  world.start();
  faults::Injector injector(world, std::move(plan), seed);
  injector.schedule();

  sim::checks::LeadershipTimeline timeline;
  if (options.keep_timeline) timeline.attach(world.trace());
  std::unique_ptr<sim::JsonlSink> sink;
  if (options.trace_path) {
    auto opened = sim::JsonlSink::open(*options.trace_path);
    if (!opened.ok()) return opened.status();
    sink = *std::move(opened);
    world.trace().add_observer(sink.get());
  }

  world.run_until(sim::Instant::zero() + scenario.duration);
  if (sink) {
    if (absl::Status status = sink->finish(); !status.ok()) return status;
  }

  reports::RunResult result;
  result.scenario = scenario.name;
  result.scenario_path = scenario.path;
  result.algorithm = scenario.algorithm;
  for (const auto& [name, value] : scenario.params) {
    result.params.emplace_back(name, algorithms::format_param(value));
  }
  result.seed = seed;
  result.fingerprint = world.trace().fingerprint();
  result.checks = checks.results();
  result.verdict = verdict_of(result.checks);
  for (const faults::FiredFault& fired : injector.fired()) {
    result.faults.push_back(reports::FaultRecord{fired.label, fired.start, fired.end,
                                                 fired.skipped, fired.effect, fired.nodes});
  }
  result.nemesis_kinds = nemesis_kinds;
  for (const auto& entry : timeline.entries()) {
    result.timeline.push_back(reports::TimelineEntry{
        entry.time, sim::checks::LeadershipTimeline::describe_event(entry)});
  }
  result.timeline_omitted = timeline.more();
  result.messages_sent = world.stats().messages_sent;
  result.messages_delivered = world.stats().messages_delivered;
  result.messages_dropped = world.stats().messages_dropped;
  result.events = world.stats().events;
  result.sim_time = world.now() - sim::Instant::zero();
  result.reproduce = reproduce_command(scenario, seed);
  return result;
}

// The result of a run that a failed internal check ended: what the scenario and seed were, the
// check's one-line message and the true time, and how to reproduce it. Nothing else is known.
reports::RunResult internal_error_result(const Scenario& scenario, uint64_t seed,
                                         const std::string& error, sim::Instant time) {
  reports::RunResult result;
  result.scenario = scenario.name;
  result.scenario_path = scenario.path;
  result.algorithm = scenario.algorithm;
  for (const auto& [name, value] : scenario.params) {
    result.params.emplace_back(name, algorithms::format_param(value));
  }
  result.seed = seed;
  result.verdict = reports::Verdict::kInternalError;
  result.error = error;
  result.error_time = time;
  result.sim_time = time - sim::Instant::zero();
  result.reproduce = reproduce_command(scenario, seed);
  return result;
}

}  // namespace

absl::StatusOr<reports::RunResult> run_scenario(const Scenario& scenario, uint64_t seed,
                                                const RunOptions& options) {
  // A check that fails while the world is being built, before the run, happens at time zero.
  sim::Instant failure_time = sim::Instant::zero();
  try {
    return run_unguarded(scenario, seed, options, failure_time);
  } catch (const sim::InternalCheckFailure& failure) {
    return internal_error_result(scenario, seed, failure.what(), failure_time);
  }
}

reports::RunResult run_scenario_as_result(const Scenario& scenario, uint64_t seed,
                                          const RunOptions& options) noexcept {
  try {
    auto run = run_scenario(scenario, seed, options);
    if (run.ok()) return *std::move(run);
    return internal_error_result(scenario, seed, std::string(run.status().message()),
                                 sim::Instant::zero());
  } catch (const std::exception& error) {
    return internal_error_result(scenario, seed,
                                 absl::StrCat("unexpected exception: ", error.what()),
                                 sim::Instant::zero());
  } catch (...) {
    return internal_error_result(scenario, seed, "unexpected exception of an unknown type",
                                 sim::Instant::zero());
  }
}

}  // namespace electsim::scenarios
