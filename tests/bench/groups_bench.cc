// Issue 8's acceptance 2: 1,000 Raft groups of 3 spread over 9 hosts (group g's member i on host
// (3g + i) % 9), default Raft parameters, latency uniform 1ms..5ms, 10 simulated minutes: about
// 30 million messages. Target: under 15 s of wall time on one core, peak RSS under 200 MB.
//   build/electsim_bench --benchmark_filter=RaftGroups
#include <benchmark/benchmark.h>

#include "algorithms/registry.h"
#include "sim/layout.h"
#include "sim/world.h"

namespace electsim {
namespace {

using sim::Duration;
using sim::Instant;

sim::Layout spread_groups(uint32_t hosts, uint32_t groups, uint32_t members) {
  sim::Layout layout;
  for (uint32_t h = 0; h < hosts; ++h) layout.add_host();
  for (uint32_t g = 0; g < groups; ++g) {
    const sim::GroupId group = layout.add_group();
    for (uint32_t i = 0; i < members; ++i) {
      layout.add_process(sim::ProcessKind::kMember, (members * g + i) % hosts, group);
    }
  }
  return layout;
}

void BM_RaftGroups(benchmark::State& state) {
  const auto groups = static_cast<uint32_t>(state.range(0));
  const int64_t sim_seconds = state.range(1);
  const sim::Layout layout = spread_groups(9, groups, 3);
  const algorithms::AlgorithmInfo* raft = algorithms::find_algorithm("raft");
  const auto params = algorithms::resolve_params(*raft, {}, 3);
  const auto factory = raft->make_factory(*params, 3);
  sim::Link link;
  link.latency = sim::LatencyModel::uniform(Duration::milliseconds(1), Duration::milliseconds(5));
  uint64_t delivered = 0;
  for (auto _ : state) {
    sim::World world(42, layout, link, sim::AlgorithmFactories{factory.get()});
    world.start();
    world.run_until(Instant::zero() + Duration::seconds(sim_seconds));
    delivered += world.stats().messages_delivered;
    state.counters["delivered"] = static_cast<double>(world.stats().messages_delivered);
  }
  state.SetItemsProcessed(static_cast<int64_t>(delivered));
}
BENCHMARK(BM_RaftGroups)
    ->Args({1000, 600})
    ->Args({1000, 10})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

}  // namespace
}  // namespace electsim
