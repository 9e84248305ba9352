#include "tests/algorithms/ci_scale_global_counter.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <utility>

#include "algorithms/registry.h"
#include "sim/algorithm.h"

namespace electsim::testing {
namespace {

// A timer id Raft does not use (it uses 0..3).
constexpr sim::TimerId kCounterTimer = sim::kMaxTimers - 1;

// The bug: state shared by every world this process builds.
std::atomic<uint64_t> starts{0};

class GlobalCounterRaft final : public sim::Algorithm {
 public:
  explicit GlobalCounterRaft(std::unique_ptr<sim::Algorithm> raft) : raft_(std::move(raft)) {}

  sim::FamilyId family() const override { return raft_->family(); }

  void on_start(sim::Context& context, const sim::DurableState* restored) override {
    const uint64_t count = starts.fetch_add(1);
    context.set_timer(kCounterTimer,
                      sim::Duration::milliseconds(1 + static_cast<int64_t>(count % 7)));
    raft_->on_start(context, restored);
  }
  void on_message(sim::Context& context, sim::NodeId from, const sim::Payload& message) override {
    raft_->on_message(context, from, message);
  }
  void on_timer(sim::Context& context, sim::TimerId timer) override {
    if (timer != kCounterTimer) raft_->on_timer(context, timer);
  }

 private:
  std::unique_ptr<sim::Algorithm> raft_;
};

class GlobalCounterFactory final : public sim::AlgorithmFactory {
 public:
  explicit GlobalCounterFactory(std::unique_ptr<sim::AlgorithmFactory> raft)
      : raft_(std::move(raft)) {}
  std::unique_ptr<sim::Algorithm> create(sim::NodeId node) const override {
    return std::make_unique<GlobalCounterRaft>(raft_->create(node));
  }

 private:
  std::unique_ptr<sim::AlgorithmFactory> raft_;
};

}  // namespace

void register_global_counter() {
  algorithms::AlgorithmInfo info = *algorithms::find_algorithm("raft");
  info.name = kGlobalCounterName;
  info.summary = "test only: Raft whose timers depend on a process-wide counter (nondeterministic)";
  auto make_raft = info.make_factory;
  info.make_factory = [make_raft](const algorithms::Params& params, uint32_t nodes) {
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<GlobalCounterFactory>(make_raft(params, nodes)));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
