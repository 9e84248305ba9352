#include "scenarios/runner.h"

#include <variant>
#include <exception>

#include "absl/strings/str_cat.h"
#include "algorithms/idle/idle.h"
#include "algorithms/resource/resource.h"
#include "algorithms/service/service.h"
#include "electsim_commit.h"
#include "faults/describe.h"
#include "faults/injector.h"
#include "reports/json_report.h"
#include "scenarios/budget.h"
#include "scenarios/check_config.h"
#include "sim/checks/checks.h"
#include "sim/checks/leadership_watch.h"
#include "sim/checks/timeline.h"
#include "sim/jsonl_sink.h"
#include "sim/layout.h"
#include "sim/message_type.h"
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

// Each host's initial skew and drift, drawn from the seed's "clocks" stream in host order (with
// one group, host i runs process i, so the draws are those of the single-cluster runner).
void configure_clocks(const ClockSpec& clocks, uint64_t seed, sim::World& world) {
  if (clocks.drift_ppm_min == 0 && clocks.drift_ppm_max == 0 &&
      clocks.max_offset == sim::Duration::zero()) {
    return;
  }
  sim::Rng rng = sim::Rng::stream(seed, "clocks");
  for (sim::HostId host = 0; host < world.hosts(); ++host) {
    const int64_t drift = rng.uniform_int(clocks.drift_ppm_min, clocks.drift_ppm_max);
    const sim::Duration offset = rng.uniform(sim::Duration::zero() - clocks.max_offset,
                                             clocks.max_offset);
    world.set_initial_clock(host, offset, drift);
  }
}

// The brief timeline's head: as many entries as a person reads before the rest of the report.
constexpr size_t kBriefTimelineLimit = 20;

// Copies a parameter into the reports-side variant, which has the same alternatives in the same
// order (reports/ may not include algorithms/).
reports::RunParam report_param(const std::string& name, const algorithms::ParamValue& value) {
  reports::ParamValue typed = std::visit(
      [](const auto& alternative) { return reports::ParamValue(alternative); }, value);
  return reports::RunParam{name, std::move(typed), algorithms::format_param(value)};
}

// What a fault did, for its timeline entries: the injector's effect sentence when it started
// ("fault: partition bridge: n3 sees both ..."), its label when it ended. `fired_by_index` maps
// a plan index to what the injector recorded; a fault it did not record keeps the generic words.
std::string describe_timeline_entry(
    const sim::checks::LeadershipTimeline::Entry& entry,
    const std::vector<const faults::FiredFault*>& fired_by_index, const sim::Layout& layout) {
  using Event = sim::checks::LeadershipTimeline::Event;
  const bool is_fault = entry.event == Event::kFaultStarted || entry.event == Event::kFaultEnded;
  const faults::FiredFault* fired =
      is_fault && entry.fault_index < fired_by_index.size() ? fired_by_index[entry.fault_index]
                                                            : nullptr;
  if (fired == nullptr) return sim::checks::LeadershipTimeline::describe_event(entry, &layout);
  if (entry.event == Event::kFaultStarted) return absl::StrCat("fault: ", fired->effect);
  return absl::StrCat("fault ended: ", fired->label);
}

std::vector<reports::TimelineEntry> timeline_entries(
    const sim::checks::LeadershipTimeline& timeline, const faults::Injector& injector,
    const sim::Layout& layout) {
  std::vector<const faults::FiredFault*> fired_by_index(injector.plan().size(), nullptr);
  for (const faults::FiredFault& fired : injector.fired()) {
    if (fired.index < fired_by_index.size()) fired_by_index[fired.index] = &fired;
  }
  std::vector<reports::TimelineEntry> entries;
  entries.reserve(timeline.entries().size());
  for (const auto& entry : timeline.entries()) {
    entries.push_back(reports::TimelineEntry{
        entry.time, describe_timeline_entry(entry, fired_by_index, layout),
        entry.position});
  }
  return entries;
}

reports::Verdict verdict_of(const sim::checks::CheckResults& results) {
  if (results.safety_violated()) return reports::Verdict::kSafetyViolation;
  if (results.liveness_violated()) return reports::Verdict::kLivenessViolation;
  return reports::Verdict::kPass;
}

// Runs the world to `end`. With a trace sink, a failed write (a full disk) stops the run at
// once: simulating on could only produce a trace that is thrown away, and a long run would keep
// the user waiting for an error it already has. Polling after every event costs one load.
void run_world(sim::World& world, sim::Instant end, const sim::JsonlSink* trace_sink) {
  if (trace_sink != nullptr) {
    while (!trace_sink->failed() && world.step(end)) {
    }
    if (trace_sink->failed()) return;
  }
  world.run_until(end);  // with no event left before `end`, this only ends the trace
}

}  // namespace

std::string version_line() {
  return absl::StrCat("electsim ", ELECTSIM_VERSION, " (commit ", ELECTSIM_COMMIT, ")");
}

std::string reproduce_command(const Scenario& scenario, uint64_t seed) {
  std::string command = absl::StrCat(shell_quote(scenario.program), " run ",
                                     shell_quote(scenario.path), " --seed ", seed);
  if (scenario.algorithm_override) {
    absl::StrAppend(&command, " --algorithm ", shell_quote(*scenario.algorithm_override));
  }
  for (const std::string& override_text : scenario.overrides) {
    absl::StrAppend(&command, " --set ", shell_quote(override_text));
  }
  if (scenario.max_events != kDefaultMaxEvents) {
    absl::StrAppend(&command, " --max-events ", scenario.max_events);
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

// What every result says whatever became of the run: which scenario, build, parameters and seed,
// and how to reproduce it.
reports::RunResult result_header(const Scenario& scenario, uint64_t seed) {
  reports::RunResult result;
  result.scenario = scenario.name;
  result.scenario_path = scenario.path;
  result.algorithm = scenario.algorithm;
  result.build = reports::BuildInfo{ELECTSIM_VERSION, ELECTSIM_COMMIT};
  for (const auto& [name, value] : scenario.params) {
    result.params.push_back(report_param(name, value));
  }
  result.seed = seed;
  result.alert_rules = scenario.alerts;
  result.reproduce = reproduce_command(scenario, seed);
  return result;
}

// The trace's header line: the run's identity and its resolved parameters, as the run's JSON
// writes them.
sim::TraceHeader trace_header(const Scenario& scenario, uint64_t seed) {
  sim::TraceHeader header;
  header.electsim_version = ELECTSIM_VERSION;
  header.commit = ELECTSIM_COMMIT;
  header.scenario = scenario.name;
  header.scenario_path = scenario.path;
  header.algorithm = scenario.algorithm;
  header.seed = seed;
  header.params_json =
      reports::json_text(reports::run_to_json(result_header(scenario, seed))["params"]);
  return header;
}

// How the trace names what it records: processes and hosts by the scenario's layout; every
// member runs the scenario's algorithm, whose message family shares its name.
sim::TraceNames trace_names(const Scenario& scenario, const sim::Layout& layout,
                            const std::vector<std::string>& fault_labels, bool through_service) {
  sim::TraceNames names;
  names.layout = &layout;
  const sim::FamilyInfo* family = sim::find_family_by_name(scenario.algorithm);
  if (family == nullptr && through_service) family = sim::find_family(sim::families::kService);
  if (family != nullptr) {
    names.process_families.assign(layout.processes(), sim::families::kTestOnly);
    for (sim::ProcessId member : layout.of_kind(sim::ProcessKind::kMember)) {
      names.process_families[member] = family->id;
    }
    for (sim::ProcessId resource : layout.of_kind(sim::ProcessKind::kResource)) {
      names.process_families[resource] = sim::families::kResource;
    }
    if (through_service) {
      for (sim::ProcessId service : layout.of_kind(sim::ProcessKind::kService)) {
        names.process_families[service] = sim::families::kService;
      }
    }
  }
  for (auto code = static_cast<uint8_t>(faults::FaultKind::kCrash);
       code <= static_cast<uint8_t>(faults::FaultKind::kResign); ++code) {
    names.fault_kinds.emplace_back(faults::fault_kind_name(static_cast<faults::FaultKind>(code)));
  }
  names.fault_labels = fault_labels;
  return names;
}

std::string_view check_kind_word(sim::checks::CheckKind kind) {
  switch (kind) {
    case sim::checks::CheckKind::kAlways: return "always";
    case sim::checks::CheckKind::kEventually: return "eventually";
    case sim::checks::CheckKind::kSometimes: return "sometimes";
  }
  return "unknown";
}

// Hands each violation to the timeline (which keeps the entries around it) and to the trace
// (where it becomes a `violation` line), either of which may be absent.
class ViolationFanOut final : public sim::checks::ViolationObserver {
 public:
  ViolationFanOut(sim::checks::ViolationObserver* timeline, sim::JsonlSink* trace_sink,
                  sim::checks::ViolationObserver* watcher)
      : timeline_(timeline), trace_sink_(trace_sink), watcher_(watcher) {}
  void on_violation(const sim::checks::Violation& violation) override {
    if (timeline_ != nullptr) timeline_->on_violation(violation);
    if (watcher_ != nullptr) watcher_->on_violation(violation);
    if (trace_sink_ == nullptr) return;
    trace_sink_->on_violation(sim::TraceViolation{violation.check, check_kind_word(violation.kind),
                                                  violation.time, violation.nodes, violation.group,
                                                  violation.epoch, violation.detail});
  }

 private:
  sim::checks::ViolationObserver* timeline_;
  sim::JsonlSink* trace_sink_;
  sim::checks::ViolationObserver* watcher_;
};

// The fenced resource of a scenario that has one: the algorithm's own if it brings one (a
// test-only broken resource), else the built-in one.
std::unique_ptr<sim::AlgorithmFactory> resource_factory(const Scenario& scenario,
                                                        const algorithms::AlgorithmInfo& info) {
  if (!scenario.resource) return nullptr;
  const sim::FencingMode mode = scenario.resource->fencing;
  if (info.make_resource_factory) return info.make_resource_factory(mode);
  return algorithms::resource::make_resource_factory(mode);
}

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
  // Clients have no algorithms of their own yet, nor services for an algorithm that does not
  // elect through one: they idle.
  const algorithms::IdleProcessFactory idle;
  const std::unique_ptr<sim::AlgorithmFactory> resource = resource_factory(scenario, *info);
  const bool through_service =
      algorithms::service::elects_through_service(*factory, scenario.layout);
  const std::unique_ptr<sim::AlgorithmFactory> service =
      through_service ? algorithms::service::make_service_factory() : nullptr;
  sim::AlgorithmFactories factories{factory.get(), service ? service.get() : &idle,
                                    resource ? resource.get() : &idle, &idle};
  sim::World world(seed, scenario.layout, scenario_link(scenario.network), factories);
  if (scenario.resource) world.enable_writes(scenario.resource->write_every);
  world.set_budget(run_budget(scenario));
  const FailureTimeRecorder failure_time_recorder(world, failure_time);
  configure_clocks(scenario.clocks, seed, world);

  std::vector<faults::Fault> plan = scenario.faults;
  std::vector<std::string> nemesis_kinds;
  if (scenario.nemesis) {
    std::vector<faults::Fault> drawn = faults::draw_nemesis_plan(
        *scenario.nemesis, scenario.layout, scenario.duration, seed, &nemesis_kinds);
    plan.insert(plan.end(), drawn.begin(), drawn.end());
  }

  const auto layout = std::make_shared<const sim::Layout>(scenario.layout);
  sim::checks::CheckConfig check_config = make_check_config(scenario, *info, plan, layout);
  for (sim::HostId host = 0; host < world.hosts(); ++host) {
    check_config.initial_clocks.push_back(world.clock(host));
  }
  sim::checks::CheckSuite checks(check_config);
  checks.attach(world.trace());
  if (options.trace_sink != nullptr) {
    options.trace_sink->start(
        trace_header(scenario, seed),
        trace_names(scenario, *layout, check_config.fault_labels, through_service));
  }

  // The nodes boot first: a fault at 0s (a crash, a pause) must find them running, which it does
  // only if their start events come before its own in the queue's (time, sequence) order.
  world.start();
  faults::Injector injector(world, std::move(plan), seed);
  injector.schedule();

  sim::checks::LeadershipTimeline timeline(options.full_timeline
                                               ? sim::checks::LeadershipTimeline::kFullLimit
                                               : kBriefTimelineLimit);
  if (options.keep_timeline) timeline.attach(world.trace());
  sim::checks::LeadershipWatch leadership(layout, scenario.alerts);
  leadership.attach(world.trace());
  ViolationFanOut violation_fan_out(options.keep_timeline ? &timeline : nullptr,
                                    options.trace_sink, options.watcher);
  if (options.keep_timeline || options.trace_sink != nullptr || options.watcher != nullptr) {
    checks.set_violation_observer(&violation_fan_out);
  }
  if (options.trace_sink != nullptr) world.trace().add_observer(options.trace_sink);
  if (options.watcher != nullptr) {
    options.watcher->on_start(world, check_config.fault_labels);
    world.trace().add_observer(options.watcher);
  }

  run_world(world, sim::Instant::zero() + scenario.duration, options.trace_sink);
  if (options.trace_sink != nullptr) {
    if (absl::Status status = options.trace_sink->flush(); !status.ok()) return status;
  }

  reports::RunResult result = result_header(scenario, seed);
  result.fingerprint = world.trace().fingerprint();
  result.checks = checks.results();
  result.verdict = verdict_of(result.checks);
  result.leadership = leadership.figures();
  if (world.budget_exceeded() != sim::BudgetExceeded::kNone) {
    // The checks judged a run cut short, so what they found is not the verdict.
    result.verdict = reports::Verdict::kBudgetExceeded;
    result.error = budget_stop_message(scenario, world.budget_exceeded(), world.now());
    result.error_time = world.now();
  }
  for (const faults::FiredFault& fired : injector.fired()) {
    result.faults.push_back(reports::FaultRecord{fired.label, fired.start, fired.end,
                                                 fired.skipped, fired.effect, fired.nodes,
                                                 fired.restart_skipped});
  }
  result.nemesis_kinds = nemesis_kinds;
  result.timeline = timeline_entries(timeline, injector, *layout);
  result.timeline_omitted = timeline.more();
  result.timeline_limit = timeline.limit();
  result.timeline_full = options.full_timeline;
  result.messages_sent = world.stats().messages_sent;
  result.election_messages_sent = world.stats().election_messages_sent;
  if (!world.counts_election_messages()) result.election_messages_sent.reset();
  result.messages_delivered = world.stats().messages_delivered;
  result.messages_dropped = world.stats().messages_dropped;
  result.events = world.stats().events;
  result.sim_time = world.now() - sim::Instant::zero();
  return result;
}

}  // namespace

reports::RunResult internal_error_result(const Scenario& scenario, uint64_t seed,
                                         const std::string& error, sim::Instant time) {
  reports::RunResult result = result_header(scenario, seed);
  result.verdict = reports::Verdict::kInternalError;
  result.error = error;
  result.error_time = time;
  result.sim_time = time - sim::Instant::zero();
  return result;
}

absl::StatusOr<reports::RunResult> run_scenario(const Scenario& scenario, uint64_t seed,
                                                const RunOptions& options) {
  // A check that fails while the world is being built, before the run, happens at time zero.
  sim::Instant failure_time = sim::Instant::zero();
  try {
    return run_unguarded(scenario, seed, options, failure_time);
  } catch (const sim::InternalCheckFailure& failure) {
    return internal_error_result(scenario, seed, failure.what(), failure_time);
  } catch (const std::exception& error) {
    // Anything else thrown during the run (std::bad_alloc) is also a failure of this seed at
    // this true time, not of the whole command: saying which seed and when is what lets a
    // person reproduce it.
    return internal_error_result(scenario, seed,
                                 absl::StrCat("unexpected exception: ", error.what()),
                                 failure_time);
  }
}

reports::RunResult run_scenario_as_result(const Scenario& scenario, uint64_t seed,
                                          const RunOptions& options) {
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
