// VR's steady state (the view-0 primary's Commit heartbeats) and its leader-crash workload
// (view changes), in delivered messages per wall second (items_per_second):
//   build/electsim_bench --benchmark_filter=Vr
#include "tests/bench/vr_bully_workload.h"

namespace electsim::bench {
namespace {

void BM_VrSteadyState(benchmark::State& state) { run_and_report(state, "vr", false); }
void BM_VrLeaderCrash(benchmark::State& state) { run_and_report(state, "vr", true); }

BENCHMARK(BM_VrSteadyState)->Args({5, 3600})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_VrLeaderCrash)->Args({5, 3600})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace electsim::bench
