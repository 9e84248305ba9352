#include "scenarios/shrink.h"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <optional>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "absl/strings/str_cat.h"
#include "faults/describe.h"
#include "faults/injector.h"
#include "scenarios/builtin_scenarios.h"
#include "scenarios/command_support.h"
#include "scenarios/exit_codes.h"
#include "scenarios/fault_yaml.h"
#include "scenarios/runner.h"
#include "scenarios/scenario_text.h"
#include "sim/check.h"

namespace electsim::scenarios {
namespace {

using faults::Fault;
using faults::FaultKind;
using faults::PartitionShape;
using sim::Duration;

// Runs candidates with one seed, counting the runs and refusing any beyond the limit.
class Tester {
 public:
  Tester(uint64_t seed, int max_runs) : seed_(seed), max_runs_(max_runs) {}

  // One run of `scenario`; the caller checks the limit first.
  reports::RunResult run(const Scenario& scenario) {
    SIM_CHECK_LT(runs_, max_runs_, "a shrink run past --max-runs");
    ++runs_;
    RunOptions options;
    options.keep_timeline = false;
    return run_scenario_as_result(scenario, seed_, options);
  }

  // The first violation of one run of `scenario`, if it has one (and the run limit allows it).
  std::optional<sim::checks::Violation> first_violation(const Scenario& scenario) {
    if (exhausted()) return std::nullopt;
    return first_violation_of(run(scenario));
  }

  static std::optional<sim::checks::Violation> first_violation_of(
      const reports::RunResult& result) {
    if (result.verdict == reports::Verdict::kInternalError) return std::nullopt;
    if (result.checks.violations.empty()) return std::nullopt;
    return result.checks.violations.front();
  }

  // Whether `scenario` still fails `check` first; remembers when, for cutting the run short.
  bool fails(const Scenario& scenario, const std::string& check) {
    auto violation = first_violation(scenario);
    if (!violation || violation->check != check) return false;
    violation_time_ = violation->time;
    return true;
  }

  bool exhausted() const { return runs_ >= max_runs_; }
  int runs() const { return runs_; }
  sim::Instant violation_time() const { return violation_time_; }

 private:
  uint64_t seed_;
  int max_runs_;
  int runs_ = 0;
  sim::Instant violation_time_;
};

Scenario with_faults(const Scenario& base, std::vector<Fault> plan) {
  Scenario candidate = base;
  candidate.faults = std::move(plan);
  return candidate;
}

// The file's faults and the nemesis's drawn ones, as the runner builds its plan
// (scenarios/runner.cc), so that the same seed fires the same faults with the nemesis gone.
std::vector<Fault> explicit_plan(const Scenario& scenario, uint64_t seed) {
  std::vector<Fault> plan = scenario.faults;
  if (scenario.nemesis) {
    std::vector<Fault> drawn = faults::draw_nemesis_plan(*scenario.nemesis, scenario.layout,
                                                         scenario.duration, seed, nullptr);
    plan.insert(plan.end(), drawn.begin(), drawn.end());
  }
  return plan;
}

// The faults that can have fired before the violation: a fault that starts later cannot change
// what came before it (the injector draws every fault's time up front, in plan order, and the
// nemesis's plan is in time order).
std::vector<Fault> fired_before(const std::vector<Fault>& plan, sim::Instant violation) {
  std::vector<Fault> fired;
  for (const Fault& fault : plan) {
    // A targeted fault names nobody until its moment comes: only its record can say whom it hit.
    if (fault.trigger != faults::Trigger::kNone) continue;
    if (sim::Instant::zero() + fault.at.hi <= violation) fired.push_back(fault);
  }
  return fired;
}

bool names_a_role(const faults::Targets& targets) {
  return std::any_of(targets.begin(), targets.end(), [](const faults::Target& target) {
    return target.kind != faults::Target::Kind::kNode && target.kind != faults::Target::Kind::kAll;
  });
}

faults::Targets node_targets(const std::vector<sim::NodeId>& nodes) {
  faults::Targets targets;
  for (const sim::NodeId node : nodes) targets.push_back({faults::Target::Kind::kNode, node, 0});
  return targets;
}

// `fault` as it fired: at its drawn time, and with a role or a random draw ("leader", "random")
// replaced by the nodes it hit, so that removing another fault (which changes who leads, and
// what the injector's stream draws next) does not change what this one does. Shapes other than
// isolate and majority_minority keep their targets: their record does not say how they resolved.
Fault as_fired(Fault fault, const reports::FaultRecord& record) {
  const Duration start = record.start - sim::Instant::zero();
  fault.at = sim::DurationRange{start, start};
  if (fault.duration && fault.duration->lo != fault.duration->hi && record.end) {
    const Duration length = *record.end - record.start;
    fault.duration = sim::DurationRange{length, length};
  }
  if (fault.trigger != faults::Trigger::kNone) {
    // A targeted fault fired on the process its moment named: written as a plain fault on it.
    fault.trigger = faults::Trigger::kNone;
    fault.armed_for = Duration::zero();
    if (fault.kind == FaultKind::kPartition) {
      fault.partition.members = node_targets(record.nodes);
    } else {
      fault.targets = node_targets(record.nodes);
    }
    fault.label = faults::default_label(fault);
    return fault;
  }
  using Shape = PartitionShape::Kind;
  const bool process_or_clock =
      fault.kind != FaultKind::kPartition && fault.kind != FaultKind::kLinkFault &&
      fault.kind != FaultKind::kHeal;
  if (process_or_clock && names_a_role(fault.targets)) fault.targets = node_targets(record.nodes);
  PartitionShape& shape = fault.partition;
  const bool resolvable_shape = fault.kind == FaultKind::kPartition &&
                                (shape.kind == Shape::kIsolate ||
                                 shape.kind == Shape::kMajorityMinority);
  if (resolvable_shape && (shape.members.empty() || names_a_role(shape.members))) {
    shape.members = node_targets(record.nodes);
  }
  return fault;
}

// The plan's faults that fired (not skipped) before the violation, in firing order, as they
// fired. A record names its fault by the plan's label and its start lies in the fault's `at`
// range; the first unused such fault is it (two faults alike in both fire alike). Only for one
// group: with several, records name processes while the nemesis names hosts.
std::vector<Fault> fired_as_explicit(const Scenario& scenario, const std::vector<Fault>& plan,
                                     const std::vector<reports::FaultRecord>& records,
                                     sim::Instant violation) {
  if (!scenario.layout.is_single_group()) return fired_before(plan, violation);
  std::vector<bool> used(plan.size(), false);
  std::vector<Fault> fired;
  for (const reports::FaultRecord& record : records) {
    if (record.skipped || record.start > violation) continue;
    const Duration start = record.start - sim::Instant::zero();
    for (size_t index = 0; index < plan.size(); ++index) {
      const Fault& fault = plan[index];
      const std::string label = fault.label.empty() ? faults::default_label(fault) : fault.label;
      // A targeted fault fires when its moment comes, up to armed_for after it was armed.
      const Duration latest = fault.at.hi + fault.armed_for;
      if (used[index] || label != record.label || start < fault.at.lo || start > latest) {
        continue;
      }
      used[index] = true;
      fired.push_back(as_fired(fault, record));
      break;
    }
  }
  return fired;
}

// ddmin's reduction to complements: remove one of `chunks` equal parts at a time; on success
// keep the smaller plan and coarsen, else refine, down to one fault per part.
std::vector<Fault> remove_faults(const Scenario& base, std::vector<Fault> plan,
                                 const std::string& check, Tester& tester) {
  size_t chunks = 2;
  while (!plan.empty() && !tester.exhausted()) {
    chunks = std::min(chunks, plan.size());
    bool removed = false;
    for (size_t part = 0; part < chunks && !tester.exhausted(); ++part) {
      const size_t begin = plan.size() * part / chunks;
      const size_t end = plan.size() * (part + 1) / chunks;
      std::vector<Fault> rest(plan.begin(), plan.begin() + static_cast<ptrdiff_t>(begin));
      rest.insert(rest.end(), plan.begin() + static_cast<ptrdiff_t>(end), plan.end());
      if (tester.fails(with_faults(base, rest), check)) {
        plan = std::move(rest);
        chunks = std::max<size_t>(chunks - 1, 2);
        removed = true;
        break;
      }
    }
    if (removed) continue;
    if (chunks >= plan.size()) break;  // one fault per part, and none could go
    chunks = std::min(plan.size(), chunks * 2);
  }
  return plan;
}

// Every pair of faults removed together, for a plan that ddmin left 1-minimal: in a chaotic run,
// two faults may each be needed only while the other is there (a crash that matters only because
// a partition delayed an election, say). Keeps the first pair whose removal still fails, then
// tries the pairs of what is left. Quadratic, so only for the few faults ddmin leaves.
constexpr size_t kMaxFaultsForPairs = 16;

std::vector<Fault> remove_pairs(const Scenario& base, std::vector<Fault> plan,
                                const std::string& check, Tester& tester) {
  bool removed = true;
  while (removed && plan.size() >= 2 && plan.size() <= kMaxFaultsForPairs) {
    removed = false;
    for (size_t first = 0; first + 1 < plan.size() && !removed; ++first) {
      for (size_t second = first + 1; second < plan.size() && !removed; ++second) {
        if (tester.exhausted()) return plan;
        std::vector<Fault> rest;
        for (size_t index = 0; index < plan.size(); ++index) {
          if (index != first && index != second) rest.push_back(plan[index]);
        }
        if (tester.fails(with_faults(base, rest), check)) {
          plan = std::move(rest);
          removed = true;
        }
      }
    }
  }
  return plan;
}

// Each fault's restart_after / heal_after / pause length halved (to whole milliseconds) while
// the run still fails, down to a millisecond.
std::vector<Fault> shorten_faults(const Scenario& base, std::vector<Fault> plan,
                                  const std::string& check, Tester& tester) {
  const Duration shortest = Duration::milliseconds(1);
  for (Fault& fault : plan) {
    while (fault.duration && fault.duration->hi > shortest && !tester.exhausted()) {
      // Whole milliseconds keep the written schedule readable.
      const Duration half = std::max(
          shortest, Duration::milliseconds((fault.duration->hi / 2).ns() / shortest.ns()));
      const sim::DurationRange previous = *fault.duration;
      fault.duration = sim::DurationRange{half, half};
      if (!tester.fails(with_faults(base, plan), check)) {
        fault.duration = previous;
        break;
      }
    }
  }
  return plan;
}

Duration last_fault_end(const std::vector<Fault>& plan) {
  Duration end = Duration::zero();
  for (const Fault& fault : plan) {
    end = std::max(end, fault.at.hi + (fault.duration ? fault.duration->hi : Duration::zero()));
  }
  return end;
}

// Whole seconds, rounding up.
Duration whole_seconds_after(Duration duration) {
  const int64_t second = Duration::seconds(1).ns();
  return Duration::nanoseconds((duration.ns() / second + 1) * second);
}

}  // namespace

ShrinkResult shrink_scenario(const Scenario& scenario, uint64_t seed, int max_runs) {
  SIM_CHECK(max_runs >= 1, "shrink needs at least one run");
  Tester tester(seed, max_runs);
  ShrinkResult result;
  result.duration_before = scenario.duration;
  const std::vector<Fault> plan = explicit_plan(scenario, seed);
  result.faults_before = plan.size();
  const reports::RunResult original = tester.run(scenario);
  const auto violation = Tester::first_violation_of(original);
  result.runs = tester.runs();
  if (!violation) return result;
  result.failed = true;
  result.check = violation->check;

  Scenario base = scenario;
  base.nemesis.reset();
  base.seed_first = base.seed_last = seed;
  // The faults as they fired replace the nemesis. Should that change the run after all (a
  // record matched to the wrong fault), the plan's faults before the violation as the plan
  // writes them, and then the whole plan, are the starting point.
  std::vector<Fault> current = fired_as_explicit(scenario, plan, original.faults, violation->time);
  if (!tester.fails(with_faults(base, current), result.check)) {
    current = fired_before(plan, violation->time);
    if (!tester.fails(with_faults(base, current), result.check)) {
      current = fired_before(plan, sim::Instant::zero() + scenario.duration);
    }
  }
  // Removing, then removing pairs, then shortening, until a round changes nothing: a shorter
  // fault changes the run, which may let another fault go.
  for (size_t before = SIZE_MAX; current.size() < before && !tester.exhausted();) {
    before = current.size();
    current = remove_faults(base, std::move(current), result.check, tester);
    current = remove_pairs(base, std::move(current), result.check, tester);
    current = shorten_faults(base, std::move(current), result.check, tester);
  }
  base.faults = current;
  // The violation time of the last failing candidate: that candidate is `base` as it is now,
  // unless the last tries failed; one more run pins it.
  if (tester.fails(base, result.check)) {
    const Duration shorter = whole_seconds_after(
        std::max(last_fault_end(current), tester.violation_time() - sim::Instant::zero()));
    if (shorter < base.duration) {
      Scenario cut = base;
      cut.duration = shorter;
      if (tester.fails(cut, result.check)) base = cut;
    }
  }
  result.minimal = base;
  result.faults_after = base.faults.size();
  result.duration_after = base.duration;
  result.runs = tester.runs();
  return result;
}

absl::StatusOr<std::string> minimal_scenario_file(const ShrinkResult& result,
                                                  const Scenario& original, uint64_t seed,
                                                  const std::string& source_text,
                                                  const std::string& output_path) {
  YAML::Node root;
  try {
    root = YAML::Load(source_text);
  } catch (const YAML::Exception& error) {
    return absl::InternalError(absl::StrCat("reading the scenario again: ", error.what()));
  }
  root["faults"] = faults_to_yaml(result.minimal.faults, result.minimal.layout);
  root["nemesis"] = YAML::Node(YAML::NodeType::Null);
  // Every other section is written from the resolved scenario, the overrides already in it.
  auto yaml = resolved_scenario_yaml(result.minimal, YAML::Dump(root), LoadOptions{});
  if (!yaml.ok()) return yaml.status();
  // The writer leaves a null section out; the reader of this file should see the nemesis gone.
  const size_t checks = yaml->find("\nchecks:");
  SIM_CHECK(checks != std::string::npos, "the scenario writer wrote no checks section");
  yaml->insert(checks + 1, "nemesis: null  # the faults above are those its draws fired\n");
  const std::string replay = absl::StrCat(original.program, " run ", output_path, " --seed ", seed);
  return absl::StrCat(
      "# Written by electsim shrink from ", original.path, " seed ", seed, ": ",
      result.faults_before, " faults -> ", result.faults_after, " faults, duration ",
      sim::format_duration(result.duration_before), " -> ",
      sim::format_duration(result.duration_after), ", ", result.runs, " runs.\n",
      "# It fails ", result.check, " with seed ", seed,
      " only: the latencies, timeouts and clocks are still drawn from the seed.\n",
      "#   ", replay, "\n", *yaml);
}

}  // namespace electsim::scenarios
