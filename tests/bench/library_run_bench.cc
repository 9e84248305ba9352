// A library scenario run the way `electsim run` runs it: loaded by name, with every check, the
// nemesis, the fault injector and the leadership timeline attached (issue 8's acceptance 2 for
// partitions-raft-1000: under 15 s of wall time on one core). BM_RaftGroups measures the world
// alone; the difference is what the checks and faults cost.
//   build/electsim_bench --benchmark_filter=LibraryRun
#include <benchmark/benchmark.h>

#include "scenarios/builtin_scenarios.h"
#include "scenarios/runner.h"

namespace electsim {
namespace {

void BM_LibraryRun(benchmark::State& state, const char* name) {
  const auto scenario = scenarios::load_named_scenario(name, scenarios::LoadOptions{});
  if (!scenario.ok()) {
    state.SkipWithError(std::string(scenario.status().message()).c_str());
    return;
  }
  uint64_t delivered = 0;
  for (auto _ : state) {
    const auto result = scenarios::run_scenario(*scenario, 1, scenarios::RunOptions{});
    if (!result.ok() || result->verdict != reports::Verdict::kPass) {
      state.SkipWithError("the run did not pass");
      return;
    }
    delivered += result->messages_delivered;
  }
  state.SetItemsProcessed(static_cast<int64_t>(delivered));
  state.counters["delivered"] = static_cast<double>(delivered) / static_cast<double>(state.iterations());
}
BENCHMARK_CAPTURE(BM_LibraryRun, partitions_raft_1000, "partitions-raft-1000")
    ->Unit(benchmark::kSecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace electsim
