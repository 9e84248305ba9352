// Kernel benchmarks (Google Benchmark 1.7.1). The yardstick is BUILD-NOTES.md §6: a plain
// std::priority_queue in the hold model. The kernel's full dispatch of a real event (pop, node
// runtime, trace fingerprint, handler, the send or timer it causes, push) should stay within a
// factor of two of that bare queue at 1024 pending events.
//
//   ./build/electsim_bench --benchmark_filter='Queue|Dispatch|PingPong' --benchmark_min_time=0.2
#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <queue>
#include <vector>

#include "algorithms/pingpong/pingpong.h"
#include "sim/prng.h"
#include "sim/world.h"

namespace electsim::sim {
namespace {

constexpr uint64_t kMaxDelta = uint64_t{1} << 20;
constexpr size_t kDeltaCount = size_t{1} << 16;  // a power of two, indexed with a mask

// Uniform in [1, 2^20], drawn once so the timed loops do no random number generation.
const std::vector<uint64_t>& deltas() {
  static const std::vector<uint64_t> values = [] {
    Rng rng(0xbe7c4);
    std::vector<uint64_t> v(kDeltaCount);
    for (uint64_t& d : v) d = 1 + rng.below(kMaxDelta);
    return v;
  }();
  return values;
}

// ---- The yardstick: a bare binary heap in the hold model ----

struct RawEvent {  // 32 bytes, like sim::Event
  uint64_t time;
  uint64_t seq;
  uint32_t target;
  uint32_t kind;
  uint64_t data;
};
static_assert(sizeof(RawEvent) == 32);

struct RawLater {
  bool operator()(const RawEvent& a, const RawEvent& b) const {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
};

void BM_RawPriorityQueue(benchmark::State& state) {
  const auto pending = static_cast<size_t>(state.range(0));
  const std::vector<uint64_t>& delta = deltas();
  std::priority_queue<RawEvent, std::vector<RawEvent>, RawLater> queue;
  uint64_t seq = 0;
  for (size_t i = 0; i < pending; ++i) {
    queue.push(RawEvent{delta[i & (kDeltaCount - 1)], seq++, static_cast<uint32_t>(i), 0, i});
  }
  size_t next = pending;
  for (auto _ : state) {
    const RawEvent top = queue.top();
    queue.pop();
    queue.push(RawEvent{top.time + delta[next++ & (kDeltaCount - 1)], seq++, top.target,
                        top.kind, top.data});
  }
  benchmark::DoNotOptimize(queue.top().time);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawPriorityQueue)->Arg(64)->Arg(1024)->Arg(65536);

// ---- The kernel: World::step on real events ----

// Every message a node receives is forwarded to another node, so the number of messages in
// flight never changes. The link draws each latency uniformly in [1ns, 2^20 ns] from the
// network stream, like the yardstick's deltas; the handler itself does nothing else.
class Forwarder final : public Algorithm {
 public:
  explicit Forwarder(uint32_t initial) : initial_(initial) {}
  void on_start(Context& context, const DurableState*) override {
    for (uint32_t i = 0; i < initial_; ++i) forward(context);
  }
  void on_message(Context& context, NodeId, const Payload&) override { forward(context); }
  void on_timer(Context&, TimerId) override {}

 private:
  void forward(Context& context) {
    const auto nodes = static_cast<uint32_t>(context.members().size());
    next_ = next_ + 1 == nodes - 1 ? 0 : next_ + 1;
    context.send(static_cast<NodeId>((context.self() + 1 + next_) % nodes), uint64_t{0});
  }
  uint32_t initial_;
  uint32_t next_ = 0;
};

class ForwarderFactory final : public AlgorithmFactory {
 public:
  explicit ForwarderFactory(uint32_t initial) : initial_(initial) {}
  std::unique_ptr<Algorithm> create(NodeId) const override {
    return std::make_unique<Forwarder>(initial_);
  }

 private:
  uint32_t initial_;
};

void BM_KernelDispatch(benchmark::State& state) {
  constexpr uint32_t kNodes = 16;
  const auto pending = static_cast<uint32_t>(state.range(0));
  ForwarderFactory factory(pending / kNodes);
  Link link;
  link.latency = LatencyModel::uniform(Duration::nanoseconds(1),
                                       Duration::nanoseconds(static_cast<int64_t>(kMaxDelta)));
  link.may_reorder = true;  // FIFO would clamp the draws; the yardstick has no such clamp
  World world(1, kNodes, link, factory);
  world.start();
  for (uint32_t node = 0; node < kNodes; ++node) world.step(Instant::max());  // the starts
  for (auto _ : state) {
    world.step(Instant::max());
  }
  benchmark::DoNotOptimize(world.trace().fingerprint());
  state.SetItemsProcessed(state.iterations());
  state.counters["delivered"] = static_cast<double>(world.stats().messages_delivered);
}
BENCHMARK(BM_KernelDispatch)->Arg(64)->Arg(1024)->Arg(65536);

// Timers instead of messages: every node keeps all kMaxTimers timers pending and re-arms each
// one when it fires, with a precomputed delay. Node counts grow with the queue (the network's
// adjacency matrix is nodes^2), so only the smaller sizes run.
class TimerChurn final : public Algorithm {
 public:
  void on_start(Context& context, const DurableState*) override {
    for (TimerId timer = 0; timer < kMaxTimers; ++timer) rearm(context, timer);
  }
  void on_message(Context&, NodeId, const Payload&) override {}
  void on_timer(Context& context, TimerId timer) override { rearm(context, timer); }

 private:
  void rearm(Context& context, TimerId timer) {
    next_ = (next_ + 7919) & (kDeltaCount - 1);
    context.set_timer(timer, Duration::nanoseconds(static_cast<int64_t>(deltas()[next_])));
  }
  size_t next_ = 0;
};

class TimerChurnFactory final : public AlgorithmFactory {
 public:
  std::unique_ptr<Algorithm> create(NodeId) const override { return std::make_unique<TimerChurn>(); }
};

void BM_KernelTimerDispatch(benchmark::State& state) {
  const auto nodes = static_cast<uint32_t>(state.range(0) / kMaxTimers);
  TimerChurnFactory factory;
  World world(1, nodes, Link{}, factory);
  for (NodeId node = 0; node < nodes; ++node) world.set_clock_drift(node, node % 2 ? 100 : -100);
  world.start();
  for (uint32_t node = 0; node < nodes; ++node) world.step(Instant::max());
  for (auto _ : state) {
    world.step(Instant::max());
  }
  benchmark::DoNotOptimize(world.trace().fingerprint());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_KernelTimerDispatch)->Arg(64)->Arg(1024);

// ---- End to end: two nodes exchanging messages over the network ----

void BM_PingPong(benchmark::State& state) {
  algorithms::PingPongFactory factory(Duration::milliseconds(20));
  Link link;
  link.latency = LatencyModel::normal(Duration::milliseconds(5), Duration::milliseconds(2),
                                      Duration::milliseconds(1));
  World world(42, 2, link, factory);
  world.start();
  for (auto _ : state) {
    world.step(Instant::max());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["delivered_per_second"] = benchmark::Counter(
      static_cast<double>(world.stats().messages_delivered), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PingPong);

}  // namespace
}  // namespace electsim::sim
