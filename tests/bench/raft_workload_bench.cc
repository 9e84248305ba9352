// The Raft heartbeat/election workload of ../shared/peers/simgrid/README.md, run on electsim so
// that its speed can be compared with SimGrid 3.32 on the same machine, back to back:
// N nodes, heartbeat every 50 ms, election timeout 150-300 ms, every message exactly 5 ms one
// way, the current leader crashed at t = 10 s, 20 s, ... and restarted 1 s later with its
// durable state. Messages delivered to an up node are the unit of comparison.
//
//   build/electsim_bench --benchmark_filter=RaftSimGrid
//
// electsim's Raft is the real algorithm (with its no-op log), not a reduced model, so its
// counts are compared with the README's reference counts for seed 42 in the closing note.
#include <benchmark/benchmark.h>

#include <optional>

#include "algorithms/raft/raft.h"
#include "algorithms/registry.h"
#include "algorithms/resource/resource.h"
#include "sim/world.h"

namespace electsim {
namespace {

using sim::Duration;
using sim::Instant;

class CountElections final : public sim::TraceObserver {
 public:
  void on_record(const sim::TraceRecord& record) override {
    if (record.kind == sim::RecordKind::kTimer && record.a == algorithms::raft::Raft::kElectionTimer) {
      ++elections;
    } else if (record.kind == sim::RecordKind::kBecameLeader) {
      ++leaders;
    } else if (record.kind == sim::RecordKind::kCrash) {
      ++crashes;
    } else if (record.kind == sim::RecordKind::kWriteSent) {
      ++writes;
    }
  }
  uint64_t elections = 0;
  uint64_t leaders = 0;
  uint64_t crashes = 0;
  uint64_t writes = 0;
};

struct WorkloadResult {
  uint64_t delivered = 0;
  uint64_t dropped = 0;
  uint64_t sent = 0;
  CountElections counts;
};

// Crashes the current leader every 10 s; it comes back 1 s later.
void schedule_crashes(sim::World& world, Instant at, Instant end) {
  if (at >= end) return;
  world.at(at, [&world, at, end]() {
    if (auto leader = world.current_leader()) {
      const sim::NodeId node = *leader;
      world.crash(node);
      world.at(at + Duration::seconds(1), [&world, node]() { world.restart(node, false); });
    }
    schedule_crashes(world, at + Duration::seconds(10), end);
  });
}

// With `write_every`, the fenced resource runs on a host of its own beside the N members and
// the runtime writes to it for every leader at that interval (issue 9's cost bound).
void run_workload(uint32_t nodes, int64_t sim_seconds, uint64_t seed, WorkloadResult& result,
                  std::optional<Duration> write_every = std::nullopt) {
  const algorithms::AlgorithmInfo* raft = algorithms::find_algorithm("raft");
  algorithms::Params given;
  given.emplace("election_timeout",
                sim::DurationRange{Duration::milliseconds(150), Duration::milliseconds(300)});
  given.emplace("heartbeat_interval", Duration::milliseconds(50));
  auto params = algorithms::resolve_params(*raft, given, nodes);
  const auto factory = raft->make_factory(*params, nodes);
  const algorithms::resource::FencedResourceFactory resource(sim::FencingMode::kOn);
  sim::Link link;
  link.latency = sim::LatencyModel::constant(Duration::milliseconds(5));
  sim::Layout layout = sim::Layout::single_group(nodes);
  if (write_every) layout.add_process(sim::ProcessKind::kResource, layout.add_host());
  sim::World world(seed, layout, link, sim::AlgorithmFactories{factory.get(), nullptr, &resource});
  if (write_every) world.enable_writes(*write_every);
  world.trace().add_observer(&result.counts, sim::mask_of(sim::RecordKind::kTimer) |
                                                 sim::mask_of(sim::RecordKind::kBecameLeader) |
                                                 sim::mask_of(sim::RecordKind::kCrash) |
                                                 sim::mask_of(sim::RecordKind::kWriteSent));
  const Instant end = Instant::zero() + Duration::seconds(sim_seconds);
  schedule_crashes(world, Instant::zero() + Duration::seconds(10), end);
  world.start();
  world.run_until(end);
  result.delivered = world.stats().messages_delivered;
  result.dropped = world.stats().messages_dropped;
  result.sent = world.stats().messages_sent;
}

void report(benchmark::State& state, uint64_t delivered, int64_t sim_seconds,
            const WorkloadResult& last) {
  state.SetItemsProcessed(static_cast<int64_t>(delivered));  // items = delivered messages
  state.counters["delivered"] = static_cast<double>(last.delivered);
  state.counters["dropped"] = static_cast<double>(last.dropped);
  state.counters["elections"] = static_cast<double>(last.counts.elections);
  state.counters["leaders"] = static_cast<double>(last.counts.leaders);
  state.counters["crashes"] = static_cast<double>(last.counts.crashes);
  state.counters["writes"] = static_cast<double>(last.counts.writes);
  state.counters["sim_s_per_wall_s"] = benchmark::Counter(
      static_cast<double>(sim_seconds) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

// Runs the workload once per iteration and reports the last run's counts.
void run_and_report(benchmark::State& state, std::optional<Duration> write_every) {
  const auto nodes = static_cast<uint32_t>(state.range(0));
  const int64_t sim_seconds = state.range(1);
  uint64_t delivered = 0;
  WorkloadResult last;
  for (auto _ : state) {
    WorkloadResult result;
    run_workload(nodes, sim_seconds, 42, result, write_every);
    delivered += result.delivered;
    last = result;
  }
  report(state, delivered, sim_seconds, last);
}

void BM_RaftSimGridWorkload(benchmark::State& state) { run_and_report(state, std::nullopt); }

// The same workload with the fenced resource and a write every 100 ms from each leader (issue
// 9: under 10% slower). Compare sim_s_per_wall_s (the same simulated work) with
// BM_RaftSimGridWorkload's, measured back to back:
//   build/electsim_bench --benchmark_filter='RaftSimGridWorkload(WithWrites)?/5/'
void BM_RaftSimGridWorkloadWithWrites(benchmark::State& state) {
  run_and_report(state, Duration::milliseconds(100));
}
BENCHMARK(BM_RaftSimGridWorkloadWithWrites)
    ->Args({5, 36000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

// The README's durations: 36000 simulated s for N = 5, 3600 for N = 51; plus short variants
// for smoke runs.
BENCHMARK(BM_RaftSimGridWorkload)
    ->Args({5, 36000})
    ->Args({51, 3600})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(2.0);

}  // namespace
}  // namespace electsim
