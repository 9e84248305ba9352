#include "tests/algorithms/fencing_variants.h"

#include <memory>
#include <optional>
#include <utility>

#include "algorithms/raft/raft_factory.h"
#include "algorithms/registry.h"
#include "algorithms/resource/resource.h"
#include "sim/resource_write.h"
#include "tests/algorithms/forwarding_context.h"

namespace electsim::testing {
namespace {

// ---- raft-with-off-by-one-resource ----

class OffByOneResource final : public algorithms::resource::FencedResource {
 public:
  using FencedResource::FencedResource;

 protected:
  // The bug under test: it refuses only when token + 1 < highest, so the token just below the
  // highest is still accepted (with fencing on, the correct rule refuses token < highest).
  bool decide(const algorithms::resource::GroupFence& fence, sim::ProcessId /*writer*/,
              uint64_t /*epoch*/, uint64_t token) const override {
    return !fence.written || token + 1 >= fence.highest_token;
  }
};

class OffByOneResourceFactory final : public sim::AlgorithmFactory {
 public:
  explicit OffByOneResourceFactory(sim::FencingMode mode) : mode_(mode) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId /*process*/) const override {
    return std::make_unique<OffByOneResource>(mode_);
  }

 private:
  sim::FencingMode mode_;
};

void register_off_by_one_resource() {
  algorithms::AlgorithmInfo info = algorithms::raft::raft_info();
  info.name = kRaftWithOffByOneResourceName;
  info.summary = "tests only: Raft writing to a resource that accepts the token just below the "
                 "highest";
  info.make_resource_factory = [](sim::FencingMode mode) {
    return std::unique_ptr<sim::AlgorithmFactory>(std::make_unique<OffByOneResourceFactory>(mode));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

// ---- raft-writes-after-step-down ----

// A timer id Raft does not use (it uses 0..3).
constexpr sim::TimerId kStaleWriteTimer = sim::kMaxTimers - 2;
constexpr sim::Duration kStaleWriteEvery = sim::Duration::milliseconds(100);

// What the wrapper learns from the leadership reports Raft makes.
struct LeadershipMemory {
  std::optional<sim::Elected> led;  // the latest leadership, while and after it led
  bool stepped_down = false;
};

class RememberingContext final : public ForwardingContext {
 public:
  RememberingContext(sim::Context& inner, LeadershipMemory& memory)
      : ForwardingContext(inner), memory_(memory) {}
  using ForwardingContext::report;
  void report(const sim::Elected& event) override {
    memory_.led = event;
    memory_.stepped_down = false;
    inner_.report(event);
  }
  void report(const sim::SteppedDown& event) override {
    memory_.stepped_down = memory_.led.has_value();
    inner_.report(event);
    // The bug under test: the deposed leader goes on writing with its old token.
    if (memory_.stepped_down) inner_.set_timer(kStaleWriteTimer, kStaleWriteEvery);
  }

 private:
  LeadershipMemory& memory_;
};

class RaftWritesAfterStepDown final : public sim::Algorithm {
 public:
  explicit RaftWritesAfterStepDown(std::unique_ptr<sim::Algorithm> raft)
      : raft_(std::move(raft)) {}
  sim::FamilyId family() const override { return raft_->family(); }
  void on_start(sim::Context& context, const sim::DurableState* restored) override {
    memory_ = LeadershipMemory{};  // a restart forgets the leadership it wrote for
    RememberingContext remembering(context, memory_);
    raft_->on_start(remembering, restored);
  }
  void on_message(sim::Context& context, sim::ProcessId from,
                  const sim::Payload& message) override {
    RememberingContext remembering(context, memory_);
    raft_->on_message(remembering, from, message);
  }
  void on_timer(sim::Context& context, sim::TimerId timer) override {
    if (timer == kStaleWriteTimer) {
      write_stale(context);
      return;
    }
    RememberingContext remembering(context, memory_);
    raft_->on_timer(remembering, timer);
  }

 private:
  void write_stale(sim::Context& context) {
    if (!memory_.stepped_down || !memory_.led) return;
    const sim::ResourceWrite write{context.group(), memory_.led->epoch, memory_.led->token};
    for (sim::ProcessId resource : context.resources()) context.send(resource, write);
    context.set_timer(kStaleWriteTimer, kStaleWriteEvery);
  }

  std::unique_ptr<sim::Algorithm> raft_;
  LeadershipMemory memory_;
};

class RaftWritesAfterStepDownFactory final : public sim::AlgorithmFactory {
 public:
  explicit RaftWritesAfterStepDownFactory(std::unique_ptr<sim::AlgorithmFactory> raft)
      : raft_(std::move(raft)) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override {
    return std::make_unique<RaftWritesAfterStepDown>(raft_->create(process));
  }

 private:
  std::unique_ptr<sim::AlgorithmFactory> raft_;
};

void register_writes_after_step_down() {
  algorithms::AlgorithmInfo info = algorithms::raft::raft_info();
  info.name = kRaftWritesAfterStepDownName;
  info.summary = "tests only: Raft whose deposed leader keeps writing with its old token";
  auto make_raft = info.make_factory;
  info.make_factory = [make_raft](const algorithms::Params& params, uint32_t nodes) {
    return std::unique_ptr<sim::AlgorithmFactory>(
        std::make_unique<RaftWritesAfterStepDownFactory>(make_raft(params, nodes)));
  };
  algorithms::register_algorithm_for_tests(std::move(info));
}

}  // namespace

void register_fencing_variants() {
  register_off_by_one_resource();
  register_writes_after_step_down();
}

}  // namespace electsim::testing
