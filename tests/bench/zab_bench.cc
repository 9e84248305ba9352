// Zab's speed on the workload shape of raft_workload_bench.cc: N servers, every message exactly
// 5 ms one way, tick_time 100 ms (so the leader pings every 50 ms, as the Raft workload's
// heartbeat), ZooKeeper's other defaults. Two workloads: the steady state (one election, then
// pings and their answers) and leader crashes (the current leader crashed at t = 10 s, 20 s,
// ... and restarted 1 s later with its durable state). Delivered messages per wall second are
// the unit, as for Raft:
//
//   build/electsim_bench --benchmark_filter=Zab
#include <benchmark/benchmark.h>

#include "algorithms/registry.h"
#include "algorithms/zab/zab.h"
#include "sim/world.h"

namespace electsim {
namespace {

using sim::Duration;
using sim::Instant;

struct ZabRun {
  uint64_t delivered = 0;
  uint64_t leaders = 0;
};

class CountLeaders final : public sim::TraceObserver {
 public:
  void on_record(const sim::TraceRecord& record) override {
    if (record.kind == sim::RecordKind::kBecameLeader) ++leaders;
  }
  uint64_t leaders = 0;
};

void schedule_leader_crashes(sim::World& world, Instant at, Instant end) {
  if (at >= end) return;
  world.at(at, [&world, at, end]() {
    if (auto leader = world.current_leader()) {
      const sim::ProcessId node = *leader;
      world.crash(node);
      world.at(at + Duration::seconds(1), [&world, node]() { world.restart(node, false); });
    }
    schedule_leader_crashes(world, at + Duration::seconds(10), end);
  });
}

ZabRun run_zab(uint32_t nodes, int64_t sim_seconds, bool crash_leaders) {
  const algorithms::AlgorithmInfo* zab = algorithms::find_algorithm("zab");
  algorithms::Params given;
  given.emplace("tick_time", Duration::milliseconds(100));
  auto params = algorithms::resolve_params(*zab, given, nodes);
  const auto factory = zab->make_factory(*params, nodes);
  sim::Link link;
  link.latency = sim::LatencyModel::constant(Duration::milliseconds(5));
  sim::World world(42, nodes, link, *factory);
  CountLeaders leaders;
  world.trace().add_observer(&leaders, sim::mask_of(sim::RecordKind::kBecameLeader));
  const Instant end = Instant::zero() + Duration::seconds(sim_seconds);
  if (crash_leaders) schedule_leader_crashes(world, Instant::zero() + Duration::seconds(10), end);
  world.start();
  world.run_until(end);
  return ZabRun{world.stats().messages_delivered, leaders.leaders};
}

void run_and_report(benchmark::State& state, bool crash_leaders) {
  const auto nodes = static_cast<uint32_t>(state.range(0));
  const int64_t sim_seconds = state.range(1);
  uint64_t delivered = 0;
  ZabRun last;
  for (auto _ : state) {
    last = run_zab(nodes, sim_seconds, crash_leaders);
    delivered += last.delivered;
  }
  state.SetItemsProcessed(static_cast<int64_t>(delivered));  // items = delivered messages
  state.counters["delivered"] = static_cast<double>(last.delivered);
  state.counters["leaders"] = static_cast<double>(last.leaders);
  state.counters["sim_s_per_wall_s"] = benchmark::Counter(
      static_cast<double>(sim_seconds) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_ZabSteadyState(benchmark::State& state) { run_and_report(state, false); }
void BM_ZabLeaderCrash(benchmark::State& state) { run_and_report(state, true); }

BENCHMARK(BM_ZabSteadyState)->Args({5, 3600})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ZabLeaderCrash)->Args({5, 3600})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace electsim
