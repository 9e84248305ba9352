#include "tests/algorithms/check_tripper.h"

#include <memory>
#include <utility>

#include "algorithms/registry.h"
#include "sim/algorithm.h"
#include "sim/prng.h"

namespace electsim::testing {
namespace {

// A timer id Raft does not use (it uses 0..3).
constexpr sim::TimerId kTripTimer = sim::kMaxTimers - 1;

// Wraps one Raft server; node n1 draws its fate at its first start and, on a tripping seed, fails
// a SIM_CHECK when its trip timer fires.
class CheckTripper final : public sim::Algorithm {
 public:
  explicit CheckTripper(std::unique_ptr<sim::Algorithm> raft) : raft_(std::move(raft)) {}

  // It speaks Raft: the messages it receives are the wrapped server's.
  sim::FamilyId family() const override { return raft_->family(); }

  void on_start(sim::Context& context, const sim::DurableState* restored) override {
    if (context.self() == 0 && restored == nullptr) {
      draw_ = context.rng().below(kTripOneIn);
      context.set_timer(kTripTimer, kTripAfter);
    }
    raft_->on_start(context, restored);
  }
  void on_message(sim::Context& context, sim::NodeId from, const sim::Payload& message) override {
    raft_->on_message(context, from, message);
  }
  void on_timer(sim::Context& context, sim::TimerId timer) override {
    if (timer != kTripTimer) {
      raft_->on_timer(context, timer);
      return;
    }
    SIM_CHECK_NE(draw_, 0u, kTripMessage);
  }

 private:
  std::unique_ptr<sim::Algorithm> raft_;
  uint64_t draw_ = 1;
};

class CheckTripperFactory final : public sim::AlgorithmFactory {
 public:
  explicit CheckTripperFactory(std::unique_ptr<sim::AlgorithmFactory> raft)
      : raft_(std::move(raft)) {}
  std::unique_ptr<sim::Algorithm> create(sim::NodeId node) const override {
    return std::make_unique<CheckTripper>(raft_->create(node));
  }

 private:
  std::unique_ptr<sim::AlgorithmFactory> raft_;
};

}  // namespace

bool trips_on_seed(uint64_t seed) {
  // The stream the kernel gives node id 0 (sim/world.cc), drawn once as on_start does.
  sim::Rng rng = sim::Rng::stream(seed, sim::stream_id("node") + 0);
  return rng.below(kTripOneIn) == 0;
}

void register_check_tripper() {
  algorithms::AlgorithmInfo info = *algorithms::find_algorithm("raft");
  info.name = kCheckTripperName;
  info.summary = "test only: Raft that fails an internal check on some seeds";
  auto make_raft = info.make_factory;
  info.make_factory = [make_raft](const algorithms::Params& params, uint32_t nodes) {
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<CheckTripperFactory>(make_raft(params, nodes)));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
