// A fake context for Zab rule tests: it records what one server does (sends, timers, saves,
// reports) instead of doing it, so a test can look at exactly that.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/zab/zab.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::zab::testing {

class FakeContext final : public sim::Context {
 public:
  FakeContext(sim::ProcessId self, uint32_t nodes) : self_(self) {
    for (sim::ProcessId node = 0; node < nodes; ++node) members_.push_back(node);
  }

  sim::ProcessId self() const override { return self_; }
  sim::GroupId group() const override { return 0; }
  std::span<const sim::ProcessId> members() const override { return members_; }
  std::span<const sim::ProcessId> services() const override { return {}; }
  std::span<const sim::ProcessId> resources() const override { return {}; }
  sim::LocalInstant local_now() const override { return now; }
  void send(sim::ProcessId to, const sim::Payload& message, sim::MessageTypeId type) override {
    const auto body = message.as<ZabMessage>();
    EXPECT_EQ(type, message_type_of(body));
    sent.emplace_back(to, body);
  }
  void set_timer(sim::TimerId timer, sim::Duration after) override { timers[timer] = after; }
  void set_timer(sim::TimerId timer, sim::Duration lo, sim::Duration /*hi*/) override {
    timers[timer] = lo;
  }
  void cancel_timer(sim::TimerId timer) override { timers.erase(timer); }
  void persist(const sim::DurableState& state) override {
    durable = state;
    ++writes;
  }
  void persist_at(size_t offset, std::span<const uint64_t> words, bool truncate_rest) override {
    if (!durable) durable.emplace();
    splice(*durable, offset, words, truncate_rest);
    ++writes;
  }
  void report(const sim::Elected& event) override {
    elected.push_back(event);
    reports.push_back("leader " + std::to_string(event.epoch));
  }
  void report(const sim::Ready& /*event*/) override { reports.push_back("ready"); }
  void report(const sim::Follows& event) override {
    reports.push_back("follows n" + std::to_string(event.leader + 1) + " " +
                      std::to_string(event.epoch));
  }
  void report(const sim::SteppedDown& event) override {
    reports.push_back("stepped_down " + std::string(sim::step_down_reason_name(event.reason)));
  }
  void report(const sim::LeaderLost& event) override {
    reports.push_back("leader_lost " + std::string(sim::leader_lost_reason_name(event.reason)));
  }
  void report(const sim::WriteDecided& /*event*/) override { reports.push_back("write_decided"); }
  void report(const sim::Committed& event) override { committed.push_back(event.position); }
  void report(const sim::Supported& event) override { supported.push_back(event); }
  sim::Rng& rng() override { return rng_; }

  // The messages sent since the last call, and forgets them.
  std::vector<std::pair<sim::ProcessId, ZabMessage>> take_sent() { return std::exchange(sent, {}); }
  // The messages of type Message sent since the last take_sent, with their receivers.
  template <class Message>
  std::vector<std::pair<sim::ProcessId, Message>> sent_of() const {
    std::vector<std::pair<sim::ProcessId, Message>> found;
    for (const auto& [to, message] : sent) {
      if (const auto* typed = std::get_if<Message>(&message)) found.emplace_back(to, *typed);
    }
    return found;
  }

  sim::LocalInstant now;
  std::vector<std::pair<sim::ProcessId, ZabMessage>> sent;
  std::map<sim::TimerId, sim::Duration> timers;
  std::optional<sim::DurableState> durable;
  std::vector<std::string> reports;
  std::vector<sim::Elected> elected;
  std::vector<sim::LogPosition> committed;
  std::vector<sim::Supported> supported;
  int writes = 0;

 private:
  sim::ProcessId self_;
  std::vector<sim::ProcessId> members_;
  sim::Rng rng_{7};
};

}  // namespace electsim::algorithms::zab::testing
