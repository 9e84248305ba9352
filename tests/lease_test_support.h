// A tiny world for the lease recipes' rule tests (tests/lease_*): one coordination service and
// a few candidates of one group, each with a clock a test can set, messages delivered in send
// order after a fixed delay, timers fired in deadline order. Small enough to read at a glance,
// so a test can say exactly which rule it exercises; the real kernel runs the scenarios.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/service/service.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::service::testing {

class Bus;

class BusContext final : public sim::Context {
 public:
  BusContext(Bus& bus, sim::ProcessId self) : bus_(bus), self_(self) {}
  sim::ProcessId self() const override { return self_; }
  sim::GroupId group() const override;
  std::span<const sim::ProcessId> members() const override;
  std::span<const sim::ProcessId> services() const override;
  std::span<const sim::ProcessId> resources() const override { return {}; }
  sim::LocalInstant local_now() const override;
  void send(sim::ProcessId to, const sim::Payload& message, sim::MessageTypeId type) override;
  void set_timer(sim::TimerId timer, sim::Duration after) override;
  void set_timer(sim::TimerId timer, sim::Duration lo, sim::Duration /*hi*/) override {
    set_timer(timer, lo);
  }
  void cancel_timer(sim::TimerId timer) override;
  void persist(const sim::DurableState& /*state*/) override {}
  void persist_at(size_t, std::span<const uint64_t>, bool) override {}
  void report(const sim::Elected& event) override;
  void report(const sim::Ready& /*event*/) override {}
  void report(const sim::Follows& event) override;
  void report(const sim::SteppedDown& event) override;
  void report(const sim::LeaderLost& /*event*/) override {}
  void report(const sim::WriteDecided& /*event*/) override {}
  void report(const sim::Committed& /*event*/) override {}
  void report(const sim::Supported& event) override;
  sim::Rng& rng() override { return rng_; }

 private:
  Bus& bus_;
  sim::ProcessId self_;
  sim::Rng rng_{5};
};

// Process 0 is the service; processes 1..candidates are the group's members.
class Bus {
 public:
  static constexpr sim::Duration kDelay = sim::Duration::milliseconds(1);

  explicit Bus(std::vector<std::unique_ptr<sim::Algorithm>> candidates) {
    algorithms_.push_back(std::make_unique<CoordinationService>());
    for (auto& candidate : candidates) algorithms_.push_back(std::move(candidate));
    for (sim::ProcessId p = 0; p < algorithms_.size(); ++p) {
      contexts_.push_back(std::make_unique<BusContext>(*this, p));
      offsets_.push_back(sim::Duration::zero());
      if (p > 0) members_.push_back(p);
    }
    for (sim::ProcessId p = 0; p < algorithms_.size(); ++p) {
      algorithms_[p]->on_start(*contexts_[p], nullptr);
    }
  }

  // Runs every message and timer due up to `until` (true time).
  void run_until(sim::Instant until) {
    while (true) {
      const auto next = next_event();
      if (!next || next->first > until) break;
      now_ = next->first;
      deliver(next->second);
    }
    now_ = until;
  }
  void run_for(sim::Duration span) { run_until(now_ + span); }

  sim::Algorithm& algorithm(sim::ProcessId p) { return *algorithms_[p]; }
  sim::Context& context(sim::ProcessId p) { return *contexts_[p]; }
  CoordinationService& service() { return static_cast<CoordinationService&>(*algorithms_[0]); }
  // Cuts a process off (both ways) or reconnects it.
  void set_connected(sim::ProcessId p, bool connected) { cut_[p] = !connected; }
  void set_offset(sim::ProcessId p, sim::Duration offset) { offsets_[p] = offset; }

  sim::Instant now() const { return now_; }
  sim::LocalInstant local_now(sim::ProcessId p) const {
    return sim::LocalInstant::from_ns((now_ - sim::Instant::zero()).ns()) + offsets_[p];
  }
  // Reports as lines: "n1 leader 0 0", "n2 follows n1 0", "n1 stepped_down resigned".
  std::vector<std::string> reports;
  std::vector<sim::Supported> supported;
  std::span<const sim::ProcessId> members() const { return members_; }
  std::span<const sim::ProcessId> services() const { return services_; }

  void send(sim::ProcessId from, sim::ProcessId to, const sim::Payload& payload) {
    if (cut_[from] || cut_[to]) return;
    messages_.push_back(Message{now_ + kDelay, seq_++, from, to, payload});
  }
  void set_timer(sim::ProcessId p, sim::TimerId timer, sim::Duration after) {
    timers_[{p, timer}] = now_ + after;
  }
  void cancel_timer(sim::ProcessId p, sim::TimerId timer) { timers_.erase({p, timer}); }

 private:
  struct Message {
    sim::Instant at;
    uint64_t seq;
    sim::ProcessId from;
    sim::ProcessId to;
    sim::Payload payload;
  };
  // An event: a message (index into messages_) or a timer (process, timer).
  struct Event {
    bool is_message = false;
    size_t message = 0;
    std::pair<sim::ProcessId, sim::TimerId> timer;
  };

  std::optional<std::pair<sim::Instant, Event>> next_event() const {
    std::optional<std::pair<sim::Instant, Event>> best;
    if (!messages_.empty()) best = {{messages_.front().at, Event{true, 0, {}}}};
    for (const auto& [key, at] : timers_) {
      if (!best || at < best->first) best = {{at, Event{false, 0, key}}};
    }
    return best;
  }

  void deliver(const Event& event) {
    if (event.is_message) {
      const Message message = messages_.front();
      messages_.pop_front();
      algorithms_[message.to]->on_message(*contexts_[message.to], message.from, message.payload);
      return;
    }
    timers_.erase(event.timer);
    algorithms_[event.timer.first]->on_timer(*contexts_[event.timer.first], event.timer.second);
  }

  std::vector<std::unique_ptr<sim::Algorithm>> algorithms_;
  std::vector<std::unique_ptr<BusContext>> contexts_;
  std::vector<sim::Duration> offsets_;
  std::vector<sim::ProcessId> members_;
  std::vector<sim::ProcessId> services_{0};
  std::map<sim::ProcessId, bool> cut_;
  std::deque<Message> messages_;
  std::map<std::pair<sim::ProcessId, sim::TimerId>, sim::Instant> timers_;
  sim::Instant now_ = sim::Instant::zero();
  uint64_t seq_ = 0;
};

// Appended rather than "n" + std::to_string(p): gcc 12 at -O3 reports a false -Wrestrict in
// operator+(const char*, std::string&&) (GCC bug 105329).
inline std::string name(sim::ProcessId p) {
  std::string text = "n";
  text += std::to_string(p);
  return text;
}

inline sim::GroupId BusContext::group() const { return 0; }
inline std::span<const sim::ProcessId> BusContext::members() const { return bus_.members(); }
inline std::span<const sim::ProcessId> BusContext::services() const { return bus_.services(); }
inline sim::LocalInstant BusContext::local_now() const { return bus_.local_now(self_); }
inline void BusContext::send(sim::ProcessId to, const sim::Payload& message,
                             sim::MessageTypeId type) {
  EXPECT_EQ(sim::family_of(type), sim::families::kService);
  bus_.send(self_, to, message);
}
inline void BusContext::set_timer(sim::TimerId timer, sim::Duration after) {
  bus_.set_timer(self_, timer, after);
}
inline void BusContext::cancel_timer(sim::TimerId timer) { bus_.cancel_timer(self_, timer); }
inline void BusContext::report(const sim::Elected& event) {
  bus_.reports.push_back(name(self_) + " leader " + std::to_string(event.epoch) + " " +
                         std::to_string(event.token));
}
inline void BusContext::report(const sim::Follows& event) {
  bus_.reports.push_back(name(self_) + " follows " + name(event.leader) + " " +
                         std::to_string(event.epoch));
}
inline void BusContext::report(const sim::SteppedDown& event) {
  bus_.reports.push_back(name(self_) + " stepped_down " +
                         std::string(sim::step_down_reason_name(event.reason)));
}
inline void BusContext::report(const sim::Supported& event) { bus_.supported.push_back(event); }

}  // namespace electsim::algorithms::service::testing
