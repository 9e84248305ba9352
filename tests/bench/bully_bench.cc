// Bully's steady state (the coordinator's announcements) and its leader-crash workload
// (elections, and the bully-back when the crashed highest id restarts), in delivered messages
// per wall second (items_per_second):
//   build/electsim_bench --benchmark_filter=Bully
#include "tests/bench/vr_bully_workload.h"

namespace electsim::bench {
namespace {

void BM_BullySteadyState(benchmark::State& state) { run_and_report(state, "bully", false); }
void BM_BullyLeaderCrash(benchmark::State& state) { run_and_report(state, "bully", true); }

BENCHMARK(BM_BullySteadyState)->Args({5, 3600})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_BullyLeaderCrash)->Args({5, 3600})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace electsim::bench
