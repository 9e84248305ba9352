// The nemesis: a random fault plan drawn from the seed (swarm testing; Groce et al., "Swarm
// Testing", ISSTA 2012: each seed also decides which kinds of fault are enabled, so that a kind
// that masks another is absent from some runs).
//
// Each enabled kind fires as a Poisson process (exponential gaps with the kind's mean interval)
// from `start_after` on; a fault that would not be over before the quiet period begins is left
// out. Process faults (crash, pause) that would take more than `max_concurrent_crashes` nodes out
// at once are left out too, so that a quorum-based algorithm can always make progress again.
// Clock offsets and drifts are permanent (a skewed clock is the normal state of a real cluster),
// so clock faults carry no duration and stay in force through the quiet period.
#include <algorithm>
#include <functional>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "faults/describe.h"
#include "faults/injector.h"

namespace electsim::faults {
namespace {

// A bound on every kind's loop (STYLE.md 11). The loader keeps the expected count of all kinds
// together at kMaxNemesisFaults or below, so one kind's Poisson count reaching four times that
// (hundreds of standard deviations above its mean) means a spec that skipped the loader.
constexpr int64_t kMaxDrawsPerKind = 4 * kMaxNemesisFaults;

// Drawn times are rounded to a unit that keeps them readable in reports ("260ms" rather than
// "259886.914us") and still leaves a range a thousand or more distinct values.
Duration unit_for(Duration spread) {
  if (spread >= Duration::milliseconds(10)) return Duration::milliseconds(1);
  if (spread >= Duration::microseconds(10)) return Duration::microseconds(1);
  return Duration::nanoseconds(1);
}

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && (a < 0) ? 1 : 0); }
int64_t ceil_div(int64_t a, int64_t b) { return a / b + ((a % b != 0) && (a > 0) ? 1 : 0); }

// A uniform draw from the range, in whole units of unit_for(its width).
Duration draw(const DurationRange& range, sim::Rng& rng) {
  SIM_CHECK(range.lo <= range.hi, "a nemesis range runs backwards");
  if (range.lo == range.hi) return range.lo;
  const int64_t unit = unit_for(range.hi - range.lo).ns();
  const int64_t units =
      rng.uniform_int(ceil_div(range.lo.ns(), unit), floor_div(range.hi.ns(), unit));
  return Duration::nanoseconds(units * unit);
}

// An exponential gap with the given mean, rounded to the nearest unit_for(mean).
Duration draw_gap(Duration mean, sim::Rng& rng) {
  const int64_t unit = unit_for(mean).ns();
  const int64_t gap = rng.exponential(mean).ns();
  return Duration::nanoseconds((gap + unit / 2) / unit * unit);
}

// Half of the process faults hit the leader (the case an election exists for), half any node
// that is not down; both resolve when the fault fires.
Target draw_process_target(sim::Rng& rng) {
  return Target{rng.below(2) == 0 ? Target::Kind::kLeader : Target::Kind::kRandomNode, 0};
}

Target node_target(NodeId node) { return Target{Target::Kind::kNode, node}; }

Targets node_targets(std::span<const NodeId> nodes) {
  Targets targets;
  for (NodeId node : nodes) targets.push_back(node_target(node));
  return targets;
}

// Fisher-Yates with the project's own bounded draws.
std::vector<NodeId> draw_permutation(uint32_t nodes, sim::Rng& rng) {
  std::vector<NodeId> order(nodes);
  std::iota(order.begin(), order.end(), NodeId{0});
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  return order;
}

// A partition of the named shape with random members; nullopt if the cluster is too small for
// the shape to cut anything.
std::optional<PartitionShape> draw_shape(std::string_view name, uint32_t nodes, sim::Rng& rng) {
  // Without a shape, a random majority/minority split (Jepsen's "random halves").
  const std::optional<PartitionShape::Kind> kind =
      name.empty() ? PartitionShape::Kind::kMajorityMinority : parse_shape_name(name);
  SIM_CHECK(kind.has_value(), "unknown partition shape in a nemesis spec");
  if (nodes < 2) return std::nullopt;
  PartitionShape shape;
  shape.kind = *kind;
  switch (*kind) {
    case PartitionShape::Kind::kIsolate:
      shape.members = {draw_process_target(rng)};
      break;
    case PartitionShape::Kind::kMajorityMinority:
      // Half the time around the leader, half a random minority.
      if (rng.below(2) == 1) {
        const std::vector<NodeId> order = draw_permutation(nodes, rng);
        const size_t minority = std::max<size_t>(1, (nodes - 1) / 2);
        shape.members = node_targets(std::span(order).first(minority));
      }
      break;
    case PartitionShape::Kind::kGroups: {
      const std::vector<NodeId> order = draw_permutation(nodes, rng);
      const size_t split = 1 + rng.below(nodes - 1);
      shape.groups = {node_targets(std::span(order).first(split)),
                      node_targets(std::span(order).subspan(split))};
      break;
    }
    case PartitionShape::Kind::kBridge: {
      if (nodes < 3) return std::nullopt;
      const std::vector<NodeId> order = draw_permutation(nodes, rng);
      const size_t split = 2 + rng.below(nodes - 2);  // the first side holds order[1, split)
      shape.bridge = node_target(order[0]);
      shape.groups = {node_targets(std::span(order).subspan(1, split - 1)),
                      node_targets(std::span(order).subspan(split))};
      break;
    }
    case PartitionShape::Kind::kOneWay:
      // The node either stops being heard (it still hears everyone) or stops hearing.
      if (rng.below(2) == 0) {
        shape.from = {draw_process_target(rng)};
        shape.to = {Target{Target::Kind::kAll, 0}};
      } else {
        shape.from = {Target{Target::Kind::kAll, 0}};
        shape.to = {draw_process_target(rng)};
      }
      break;
    case PartitionShape::Kind::kRing:
      if (nodes < 4) return std::nullopt;  // a ring of 3 is fully connected
      shape.members = node_targets(draw_permutation(nodes, rng));
      break;
    case PartitionShape::Kind::kLinks: {
      const uint64_t count = 1 + rng.below(nodes);
      for (uint64_t i = 0; i < count; ++i) {
        const auto from = static_cast<NodeId>(rng.below(nodes));
        const auto to = static_cast<NodeId>((from + 1 + rng.below(nodes - 1)) % nodes);
        shape.links.emplace_back(node_target(from), node_target(to));
      }
      shape.both_ways = rng.below(2) == 0;
      break;
    }
  }
  return shape;
}

// Degrades the links out of one random node, into it, or every link.
LinkDegradation draw_link_fault(const NemesisKindSpec& spec, uint32_t nodes, sim::Rng& rng) {
  LinkDegradation link;
  const uint64_t which = rng.below(3);
  const Target node = node_target(static_cast<NodeId>(rng.below(nodes)));
  if (which == 1) link.from = {node};
  if (which == 2) link.to = {node};
  if (!spec.loss.is_zero()) link.loss = spec.loss;
  if (!spec.duplication.is_zero()) link.duplication = spec.duplication;
  const DurationRange& delay = spec.extra_latency;
  if (delay.hi > Duration::zero()) {
    link.extra_latency = delay.lo == delay.hi ? sim::LatencyModel::constant(delay.lo)
                                              : sim::LatencyModel::uniform(delay.lo, delay.hi);
  }
  return link;
}

const char* trigger_name(Trigger trigger) {
  switch (trigger) {
    case Trigger::kNone: return "";
    case Trigger::kSupportGiven: return "vote";
    case Trigger::kLeaderElected: return "election";
  }
  return "";
}

// The name of a targeted kind, as the scenario language spells it: crash_after_vote, ...
std::string targeted_kind_name(const NemesisKindSpec& spec) {
  if (spec.kind == FaultKind::kPartition) return "isolate_new_leader";
  if (spec.kind == FaultKind::kPause) return "pause_new_leader";
  return absl::StrCat(spec.kind == FaultKind::kAmnesiaCrash ? "amnesia" : "crash", "_after_",
                      trigger_name(spec.trigger));
}

// A targeted fault: armed at `at` for the kind's interval, on whoever its trigger names then.
Fault draw_targeted_fault(const NemesisKindSpec& spec, Duration at, sim::Rng& rng) {
  Fault fault;
  fault.kind = spec.kind == FaultKind::kRestart ? FaultKind::kCrash : spec.kind;
  fault.at = DurationRange{at, at};
  fault.trigger = spec.trigger;
  fault.armed_for = spec.mean_interval;
  const Duration length = draw(spec.duration, rng);
  fault.duration = DurationRange{length, length};
  if (fault.kind == FaultKind::kPartition) fault.partition.kind = PartitionShape::Kind::kIsolate;
  fault.label = targeted_kind_name(spec);
  std::replace(fault.label.begin(), fault.label.end(), '_', ' ');
  return fault;
}

// One fault of `spec`'s kind at `at`, or nullopt if the cluster is too small for it.
std::optional<Fault> draw_fault(const NemesisKindSpec& spec, uint32_t nodes, Duration at,
                                sim::Rng& rng) {
  if (spec.trigger != Trigger::kNone) return draw_targeted_fault(spec, at, rng);
  Fault fault;
  fault.kind = spec.kind;
  fault.at = DurationRange{at, at};
  switch (spec.kind) {
    case FaultKind::kRestart:
      // Restarting a running node does nothing, so a nemesis restart is what restarting a
      // process means: a crash, then a restart with the durable state after the duration.
      fault.kind = FaultKind::kCrash;
      [[fallthrough]];
    case FaultKind::kCrash:
    case FaultKind::kAmnesiaCrash:
    case FaultKind::kPause: {
      const Duration length = draw(spec.duration, rng);
      fault.duration = DurationRange{length, length};
      fault.targets = {draw_process_target(rng)};
      break;
    }
    case FaultKind::kPartition: {
      const Duration length = draw(spec.duration, rng);
      fault.duration = DurationRange{length, length};
      std::optional<PartitionShape> shape = draw_shape(spec.shape, nodes, rng);
      if (!shape) return std::nullopt;
      fault.partition = std::move(*shape);
      break;
    }
    case FaultKind::kLinkFault: {
      const Duration length = draw(spec.duration, rng);
      fault.duration = DurationRange{length, length};
      fault.link = draw_link_fault(spec, nodes, rng);
      break;
    }
    case FaultKind::kHeal:
      break;
    case FaultKind::kClockOffset:
    case FaultKind::kClockJump:
      fault.targets = {draw_process_target(rng)};
      fault.clock_amount = draw(spec.clock_amount, rng);
      break;
    case FaultKind::kClockDrift:
      fault.targets = {draw_process_target(rng)};
      fault.drift_ppm = rng.uniform_int(spec.drift_ppm.first, spec.drift_ppm.second);
      break;
    case FaultKind::kResign:
      // Only a leader can resign: asking any other node would do nothing.
      fault.targets = {Target{Target::Kind::kLeader, 0}};
      break;
  }
  fault.label = default_label(fault);
  return fault;
}

// The faults of one kind: a Poisson process over [start_after, window_end).
void draw_kind(const NemesisKindSpec& spec, uint32_t nodes, Duration start_after,
               Duration window_end, sim::Rng& rng, std::vector<Fault>* plan) {
  SIM_CHECK(spec.mean_interval > Duration::zero(), "a nemesis kind needs a positive interval");
  Duration at = start_after;
  for (int64_t count = 0;; ++count) {
    SIM_CHECK(count < kMaxDrawsPerKind,
              "a nemesis kind drew more faults than its cap; the loader bounds the expected count");
    at += draw_gap(spec.mean_interval, rng);
    if (at >= window_end) return;
    std::optional<Fault> fault = draw_fault(spec, nodes, at, rng);
    if (!fault) continue;
    // Everything is over before the quiet period begins (a targeted fault may fire as late as
    // the end of its arming).
    if (fault->duration && at + fault->armed_for + fault->duration->hi > window_end) continue;
    plan->push_back(std::move(*fault));
  }
}

bool takes_a_node_out(FaultKind kind) {
  return kind == FaultKind::kCrash || kind == FaultKind::kAmnesiaCrash || kind == FaultKind::kPause;
}

// Leaves out the process faults that would take more than `limit` nodes out at once. The plan
// is sorted by start, so a fault can only overlap the kept faults that are still running when
// it starts: counting those is enough.
void keep_crashes_within(int limit, std::vector<Fault>* plan) {
  std::vector<Duration> kept_ends;
  std::vector<Fault> kept;
  kept.reserve(plan->size());
  for (Fault& fault : *plan) {
    if (takes_a_node_out(fault.kind)) {
      const Duration start = fault.at.lo;
      const Duration end =
          start + fault.armed_for + fault.duration.value_or(DurationRange{}).hi;
      // Closed intervals: a restart and a crash at the same instant count as overlapping.
      const auto running = std::count_if(kept_ends.begin(), kept_ends.end(),
                                         [start](Duration kept_end) { return kept_end >= start; });
      if (running >= limit) continue;
      kept_ends.push_back(end);
    }
    kept.push_back(std::move(fault));
  }
  *plan = std::move(kept);
}

std::string kind_name(const NemesisKindSpec& spec) {
  if (spec.trigger != Trigger::kNone) return targeted_kind_name(spec);
  if (spec.kind != FaultKind::kPartition) return fault_kind_name(spec.kind);
  const std::optional<PartitionShape::Kind> shape =
      spec.shape.empty() ? PartitionShape::Kind::kMajorityMinority : parse_shape_name(spec.shape);
  SIM_CHECK(shape.has_value(), "unknown partition shape in a nemesis spec");
  return absl::StrCat(fault_kind_name(spec.kind), " ", shape_name(*shape));
}

}  // namespace

int max_hosts_down_keeping_majorities(const sim::Layout& layout) {
  int limit = static_cast<int>(layout.hosts());
  for (sim::GroupId group = 0; group < layout.groups(); ++group) {
    std::vector<uint32_t> per_host(layout.hosts(), 0);
    for (sim::ProcessId member : layout.members(group)) ++per_host[layout.process(member).host];
    std::sort(per_host.begin(), per_host.end(), std::greater<>());
    const uint32_t may_lose = static_cast<uint32_t>(layout.members(group).size() - 1) / 2;
    int k = 0;
    uint32_t lost = 0;
    while (k < limit && lost + per_host[static_cast<size_t>(k)] <= may_lose) {
      lost += per_host[static_cast<size_t>(k)];
      ++k;
    }
    limit = std::min(limit, k);
  }
  return limit;
}

namespace {

// The nemesis draws named nodes 0..count-1; over several groups those numbers index the hosts
// that run more than the resource (`hosts`), which keeps the resource's host out of every draw.
struct HostRetargeter {
  const std::vector<sim::HostId>& hosts;
  void operator()(Target& target) const {
    if (target.kind != Target::Kind::kNode) return;
    target.kind = Target::Kind::kHost;
    target.node = hosts[target.node];
  }
  void operator()(Targets& targets) const {
    for (Target& target : targets) (*this)(target);
  }
  void operator()(Fault& fault) const {
    (*this)(fault.targets);
    PartitionShape& shape = fault.partition;
    for (Targets& group : shape.groups) (*this)(group);
    (*this)(shape.members);
    (*this)(shape.bridge);
    (*this)(shape.from);
    (*this)(shape.to);
    for (auto& [from, to] : shape.links) {
      (*this)(from);
      (*this)(to);
    }
    (*this)(fault.link.from);
    (*this)(fault.link.to);
    if (fault.trigger == Trigger::kNone) fault.label = default_label(fault);
  }
};

// The hosts a nemesis may name: every host but those that run only the fenced resource.
std::vector<sim::HostId> drawable_hosts(const sim::Layout& layout) {
  std::vector<sim::HostId> hosts;
  for (sim::HostId host = 0; host < layout.hosts(); ++host) {
    const auto processes = layout.on_host(host);
    const bool only_resource =
        !processes.empty() && std::all_of(processes.begin(), processes.end(), [&](auto p) {
          return layout.process(p).kind == sim::ProcessKind::kResource;
        });
    if (!only_resource) hosts.push_back(host);
  }
  return hosts;
}

}  // namespace

std::vector<Fault> draw_nemesis_plan(const NemesisSpec& nemesis, const sim::Layout& layout,
                                     sim::Duration run_duration, uint64_t seed,
                                     std::vector<std::string>* enabled) {
  if (layout.is_single_group()) {
    // The members' hosts only: the resource's own host beside them is never drawn.
    return draw_nemesis_plan(nemesis, static_cast<uint32_t>(layout.members(0).size()),
                             run_duration, seed, enabled);
  }
  NemesisSpec over_hosts = nemesis;
  if (over_hosts.max_concurrent_crashes < 0) {
    over_hosts.max_concurrent_crashes = max_hosts_down_keeping_majorities(layout);
  }
  const std::vector<sim::HostId> hosts = drawable_hosts(layout);
  std::vector<Fault> plan = draw_nemesis_plan(over_hosts, static_cast<uint32_t>(hosts.size()),
                                              run_duration, seed, enabled);
  const HostRetargeter retarget{hosts};
  for (Fault& fault : plan) retarget(fault);
  return plan;
}

std::vector<Fault> draw_nemesis_plan(const NemesisSpec& nemesis, uint32_t nodes,
                                     sim::Duration run_duration, uint64_t seed,
                                     std::vector<std::string>* enabled) {
  SIM_CHECK(nodes > 0, "a nemesis needs a cluster");
  sim::Rng rng = sim::Rng::stream(seed, "nemesis");
  // Each kind draws from its own stream, seeded before the swarm draws, so that which kinds
  // are enabled never shifts the faults an enabled kind draws.
  std::vector<sim::Rng> kind_streams;
  for (size_t i = 0; i < nemesis.kinds.size(); ++i) kind_streams.emplace_back(rng.next());
  std::vector<bool> on(nemesis.kinds.size(), true);
  if (nemesis.swarm && !nemesis.kinds.empty()) {
    for (size_t i = 0; i < on.size(); ++i) on[i] = rng.below(2) == 0;
    if (std::find(on.begin(), on.end(), true) == on.end()) on[rng.below(on.size())] = true;
  }
  const Duration window_end = run_duration - nemesis.quiet_period;
  std::vector<Fault> plan;
  for (size_t i = 0; i < nemesis.kinds.size(); ++i) {
    if (!on[i]) continue;
    if (enabled != nullptr) enabled->push_back(kind_name(nemesis.kinds[i]));
    draw_kind(nemesis.kinds[i], nodes, nemesis.start_after, window_end, kind_streams[i], &plan);
  }
  std::stable_sort(plan.begin(), plan.end(),
                   [](const Fault& a, const Fault& b) { return a.at.lo < b.at.lo; });
  const int limit = nemesis.max_concurrent_crashes >= 0 ? nemesis.max_concurrent_crashes
                                                        : static_cast<int>((nodes - 1) / 2);
  keep_crashes_within(limit, &plan);
  return plan;
}

}  // namespace electsim::faults
