// A Context that passes everything to another one, for test-only algorithms that wrap a real
// one and change one thing it does (what it reports, what it sends). Override what changes.
#pragma once

#include <memory>
#include <span>
#include <utility>

#include "sim/algorithm.h"

namespace electsim::testing {

class ForwardingContext : public sim::Context {
 public:
  explicit ForwardingContext(sim::Context& inner) : inner_(inner) {}

  sim::ProcessId self() const override { return inner_.self(); }
  sim::GroupId group() const override { return inner_.group(); }
  std::span<const sim::ProcessId> members() const override { return inner_.members(); }
  std::span<const sim::ProcessId> services() const override { return inner_.services(); }
  std::span<const sim::ProcessId> resources() const override { return inner_.resources(); }
  sim::LocalInstant local_now() const override { return inner_.local_now(); }
  using sim::Context::send;
  void send(sim::ProcessId to, const sim::Payload& message, sim::MessageTypeId type) override {
    inner_.send(to, message, type);
  }
  void set_timer(sim::TimerId timer, sim::Duration after) override {
    inner_.set_timer(timer, after);
  }
  void set_timer(sim::TimerId timer, sim::Duration lo, sim::Duration hi) override {
    inner_.set_timer(timer, lo, hi);
  }
  void cancel_timer(sim::TimerId timer) override { inner_.cancel_timer(timer); }
  void persist(const sim::DurableState& state) override { inner_.persist(state); }
  void persist_at(size_t offset, std::span<const uint64_t> words, bool truncate_rest) override {
    inner_.persist_at(offset, words, truncate_rest);
  }
  void report(const sim::Elected& event) override { inner_.report(event); }
  void report(const sim::Ready& event) override { inner_.report(event); }
  void report(const sim::Follows& event) override { inner_.report(event); }
  void report(const sim::SteppedDown& event) override { inner_.report(event); }
  void report(const sim::LeaderLost& event) override { inner_.report(event); }
  void report(const sim::WriteDecided& event) override { inner_.report(event); }
  void report(const sim::Committed& event) override { inner_.report(event); }
  void report(const sim::Supported& event) override { inner_.report(event); }
  sim::Rng& rng() override { return inner_.rng(); }

 protected:
  sim::Context& inner_;
};

// Makes each process's algorithm with the inner factory and wraps it: `Wrapper` is an Algorithm
// constructed from the std::unique_ptr<sim::Algorithm> it wraps.
template <class Wrapper>
class WrappingFactory final : public sim::AlgorithmFactory {
 public:
  explicit WrappingFactory(std::unique_ptr<sim::AlgorithmFactory> inner)
      : inner_(std::move(inner)) {}
  std::unique_ptr<sim::Algorithm> create(sim::ProcessId process) const override {
    return std::make_unique<Wrapper>(inner_->create(process));
  }

 private:
  std::unique_ptr<sim::AlgorithmFactory> inner_;
};

}  // namespace electsim::testing
