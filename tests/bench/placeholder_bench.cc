#include <benchmark/benchmark.h>
static void BM_Queue(benchmark::State& s) { for (auto _ : s) benchmark::DoNotOptimize(s.iterations()); }
BENCHMARK(BM_Queue);
