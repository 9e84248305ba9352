#include "tests/algorithms/raft_reuses_token.h"

#include <memory>
#include <utility>

#include "algorithms/raft/raft_factory.h"
#include "algorithms/registry.h"
#include "tests/algorithms/forwarding_context.h"

namespace electsim::testing {
namespace {

// Reports every Elected with the token halved; everything else passes through.
class HalvedTokenContext final : public ForwardingContext {
 public:
  using ForwardingContext::ForwardingContext;
  using ForwardingContext::report;
  void report(const sim::Elected& event) override {
    sim::Elected halved = event;
    halved.token = event.epoch / 2;
    inner_.report(halved);
  }
};

class RaftReusesToken final : public sim::Algorithm {
 public:
  explicit RaftReusesToken(std::unique_ptr<sim::Algorithm> raft) : raft_(std::move(raft)) {}
  sim::FamilyId family() const override { return raft_->family(); }
  void on_start(sim::Context& context, const sim::DurableState* restored) override {
    HalvedTokenContext halved(context);
    raft_->on_start(halved, restored);
  }
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override {
    HalvedTokenContext halved(context);
    raft_->on_message(halved, from, message);
  }
  void on_timer(sim::Context& context, sim::TimerId timer) override {
    HalvedTokenContext halved(context);
    raft_->on_timer(halved, timer);
  }

 private:
  std::unique_ptr<sim::Algorithm> raft_;
};

class RaftReusesTokenFactory final : public sim::AlgorithmFactory {
 public:
  explicit RaftReusesTokenFactory(std::unique_ptr<sim::AlgorithmFactory> raft)
      : raft_(std::move(raft)) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override {
    return std::make_unique<RaftReusesToken>(raft_->create(process));
  }

 private:
  std::unique_ptr<sim::AlgorithmFactory> raft_;
};

}  // namespace

void register_raft_reuses_token() {
  algorithms::AlgorithmInfo info = algorithms::raft::raft_info();
  info.name = kRaftReusesTokenName;
  info.summary = "tests only: Raft whose fencing token is term / 2, so leaderships share tokens";
  auto make_raft = info.make_factory;
  info.make_factory = [make_raft](const algorithms::Params& params, uint32_t nodes) {
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<RaftReusesTokenFactory>(make_raft(params, nodes)));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace electsim::testing
