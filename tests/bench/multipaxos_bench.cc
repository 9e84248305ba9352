// Multi-Paxos' speed on the workload of raft_workload_bench.cc, so the two compare: N members,
// every message exactly 5 ms one way, the default failure-detector timeout (150 ms..300 ms) and
// heartbeats every 75 ms. Two runs: the steady state (one leader, heartbeats only) and the
// leader crashed every 10 s and restarted 1 s later with its durable state. Items are delivered
// messages, so items_per_second is delivered messages per wall second.
//
//   build/electsim_bench --benchmark_filter=MultiPaxos
#include <benchmark/benchmark.h>

#include "algorithms/registry.h"
#include "sim/world.h"

namespace electsim {
namespace {

using sim::Duration;
using sim::Instant;

struct Counts {
  uint64_t delivered = 0;
  uint64_t leaders = 0;
};

class CountLeaders final : public sim::TraceObserver {
 public:
  void on_record(const sim::TraceRecord& /*record*/) override { ++leaders; }
  uint64_t leaders = 0;
};

void schedule_crashes(sim::World& world, Instant at, Instant end) {
  if (at >= end) return;
  world.at(at, [&world, at, end]() {
    if (auto leader = world.current_leader()) {
      const sim::ProcessId process = *leader;
      world.crash(process);
      world.at(at + Duration::seconds(1), [&world, process]() { world.restart(process, false); });
    }
    schedule_crashes(world, at + Duration::seconds(10), end);
  });
}

Counts run_once(uint32_t members, int64_t sim_seconds, bool crash_leader) {
  const algorithms::AlgorithmInfo* info = algorithms::find_algorithm("multipaxos");
  auto params = algorithms::resolve_params(*info, {}, members);
  const auto factory = info->make_factory(*params, members);
  sim::Link link;
  link.latency = sim::LatencyModel::constant(Duration::milliseconds(5));
  sim::World world(42, sim::Layout::single_group(members), link,
                   sim::AlgorithmFactories{factory.get()});
  CountLeaders leaders;
  world.trace().add_observer(&leaders, sim::mask_of(sim::RecordKind::kBecameLeader));
  const Instant end = Instant::zero() + Duration::seconds(sim_seconds);
  if (crash_leader) schedule_crashes(world, Instant::zero() + Duration::seconds(10), end);
  world.start();
  world.run_until(end);
  return Counts{world.stats().messages_delivered, leaders.leaders};
}

void run_and_report(benchmark::State& state, bool crash_leader) {
  const auto members = static_cast<uint32_t>(state.range(0));
  const int64_t sim_seconds = state.range(1);
  uint64_t delivered = 0;
  Counts last;
  for (auto _ : state) {
    last = run_once(members, sim_seconds, crash_leader);
    delivered += last.delivered;
  }
  state.SetItemsProcessed(static_cast<int64_t>(delivered));
  state.counters["delivered"] = static_cast<double>(last.delivered);
  state.counters["leaders"] = static_cast<double>(last.leaders);
  state.counters["sim_s_per_wall_s"] = benchmark::Counter(
      static_cast<double>(sim_seconds) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_MultiPaxosSteadyState(benchmark::State& state) { run_and_report(state, false); }
void BM_MultiPaxosLeaderCrash(benchmark::State& state) { run_and_report(state, true); }

BENCHMARK(BM_MultiPaxosSteadyState)->Args({5, 3600})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_MultiPaxosLeaderCrash)->Args({5, 3600})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace electsim
