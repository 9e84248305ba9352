// The workload the VR and Bully benchmarks share (tests/bench/vr_bench.cc, bully_bench.cc),
// shaped like the Raft SimGrid workload (raft_workload_bench.cc) so the figures compare: N
// members, every message exactly 5 ms one way, and either a steady state (the first leader
// sends heartbeats for the whole run) or the current leader crashed at t = 10 s, 20 s, ... and
// restarted 1 s later with its durable state. Messages delivered to an up process are the unit.
#pragma once

#include <benchmark/benchmark.h>

#include <string>

#include "algorithms/registry.h"
#include "sim/world.h"

namespace electsim::bench {

struct Workload {
  uint64_t delivered = 0;
  uint64_t leaders = 0;
};

class CountLeaders final : public sim::TraceObserver {
 public:
  void on_record(const sim::TraceRecord& /*record*/) override { ++leaders; }
  uint64_t leaders = 0;
};

inline void crash_leaders(sim::World& world, sim::Instant at, sim::Instant end) {
  if (at >= end) return;
  world.at(at, [&world, at, end]() {
    if (auto leader = world.current_leader()) {
      const sim::NodeId node = *leader;
      world.crash(node);
      world.at(at + sim::Duration::seconds(1), [&world, node]() { world.restart(node, false); });
    }
    crash_leaders(world, at + sim::Duration::seconds(10), end);
  });
}

inline Workload run_workload(const std::string& algorithm, uint32_t nodes, int64_t sim_seconds,
                             bool crash_leader) {
  const algorithms::AlgorithmInfo* info = algorithms::find_algorithm(algorithm);
  const auto params = algorithms::resolve_params(*info, {}, nodes);
  const auto factory = info->make_factory(*params, nodes);
  sim::Link link;
  link.latency = sim::LatencyModel::constant(sim::Duration::milliseconds(5));
  sim::World world(42, sim::Layout::single_group(nodes), link,
                   sim::AlgorithmFactories{factory.get(), nullptr, nullptr});
  CountLeaders leaders;
  world.trace().add_observer(&leaders, sim::mask_of(sim::RecordKind::kBecameLeader));
  const sim::Instant end = sim::Instant::zero() + sim::Duration::seconds(sim_seconds);
  if (crash_leader) crash_leaders(world, sim::Instant::zero() + sim::Duration::seconds(10), end);
  world.start();
  world.run_until(end);
  return Workload{world.stats().messages_delivered, leaders.leaders};
}

// state.range(0) nodes, state.range(1) simulated seconds; items = delivered messages.
inline void run_and_report(benchmark::State& state, const std::string& algorithm,
                           bool crash_leader) {
  const auto nodes = static_cast<uint32_t>(state.range(0));
  const int64_t sim_seconds = state.range(1);
  uint64_t delivered = 0;
  Workload last;
  for (auto _ : state) {
    last = run_workload(algorithm, nodes, sim_seconds, crash_leader);
    delivered += last.delivered;
  }
  state.SetItemsProcessed(static_cast<int64_t>(delivered));
  state.counters["delivered"] = static_cast<double>(last.delivered);
  state.counters["leaders"] = static_cast<double>(last.leaders);
}

}  // namespace electsim::bench
