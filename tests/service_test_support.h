// A fake context for the coordination service's tests (tests/service_*): it records what the
// service sends and which timers it sets, and lets a test move the service's clock.
#pragma once

#include <map>
#include <span>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/service/service.h"
#include "algorithms/service/service_client.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::service::testing {

class ServiceContext final : public sim::Context {
 public:
  explicit ServiceContext(sim::ProcessId self = 9) : self_(self) {}

  sim::ProcessId self() const override { return self_; }
  sim::GroupId group() const override { return sim::kNoGroup; }
  std::span<const sim::ProcessId> members() const override { return {}; }
  std::span<const sim::ProcessId> services() const override { return services_; }
  std::span<const sim::ProcessId> resources() const override { return {}; }
  sim::LocalInstant local_now() const override { return now; }
  void send(sim::ProcessId to, const sim::Payload& message, sim::MessageTypeId type) override {
    EXPECT_EQ(sim::family_of(type), sim::families::kService);
    sent.emplace_back(to, message);
  }
  void set_timer(sim::TimerId timer, sim::Duration after) override { timers[timer] = now + after; }
  void set_timer(sim::TimerId timer, sim::Duration lo, sim::Duration /*hi*/) override {
    timers[timer] = now + lo;
  }
  void cancel_timer(sim::TimerId timer) override { timers.erase(timer); }
  void persist(const sim::DurableState& /*state*/) override {}
  void persist_at(size_t /*offset*/, std::span<const uint64_t> /*words*/,
                  bool /*truncate_rest*/) override {}
  void report(const sim::Elected& /*event*/) override {}
  void report(const sim::Ready& /*event*/) override {}
  void report(const sim::Follows& /*event*/) override {}
  void report(const sim::SteppedDown& /*event*/) override {}
  void report(const sim::LeaderLost& /*event*/) override {}
  void report(const sim::WriteDecided& /*event*/) override {}
  void report(const sim::Committed& /*event*/) override {}
  void report(const sim::Supported& event) override { supported.push_back(event); }
  sim::Rng& rng() override { return rng_; }

  // The replies sent since the last call (to anyone), and forgets every message sent.
  std::vector<Reply> take_replies() {
    std::vector<Reply> replies;
    for (const auto& [to, payload] : sent) {
      if (kind_of(payload) == MessageKind::kReply) replies.push_back(payload.as<Reply>());
    }
    take_events();
    return replies;
  }
  // The watch events sent since the last call, with their recipients; forgets every message.
  std::vector<std::pair<sim::ProcessId, WatchEvent>> take_events() {
    std::vector<std::pair<sim::ProcessId, WatchEvent>> events;
    for (const auto& [to, payload] : sent) {
      if (kind_of(payload) == MessageKind::kWatchEvent) {
        events.emplace_back(to, payload.as<WatchEvent>());
      }
    }
    sent.clear();
    return events;
  }

  sim::LocalInstant now = sim::LocalInstant::zero();
  std::vector<std::pair<sim::ProcessId, sim::Payload>> sent;
  std::map<sim::TimerId, sim::LocalInstant> timers;
  std::vector<sim::Supported> supported;

 private:
  sim::ProcessId self_;
  std::vector<sim::ProcessId> services_{9};
  sim::Rng rng_{3};
};

// Sends `request` from `client` to `service` and returns the one reply it makes (watch events
// it sends as well are dropped; use ServiceContext::take_events before asking for them).
inline Reply ask(CoordinationService& service, ServiceContext& context, sim::ProcessId client,
                 Request request) {
  static uint32_t next_id = 0;
  request.request_id = ++next_id;
  context.sent.clear();
  service.on_message(context, client, sim::Payload::of(request));
  std::vector<Reply> replies;
  for (const auto& [to, payload] : context.sent) {
    if (kind_of(payload) != MessageKind::kReply) continue;
    EXPECT_EQ(to, client);
    replies.push_back(payload.as<Reply>());
  }
  EXPECT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies.empty() ? 0u : replies.front().request_id, request.request_id);
  return replies.empty() ? Reply{} : replies.front();
}

}  // namespace electsim::algorithms::service::testing
