// A recording context for Multi-Paxos rule tests (the shape of tests/raft_test_support.h): it
// records what one server does (sends, timers, saves, reports) instead of doing it.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/multipaxos/multipaxos.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::multipaxos::testing {

class RecordingContext final : public sim::Context {
 public:
  RecordingContext(sim::ProcessId self, uint32_t members) : self_(self) {
    for (sim::ProcessId member = 0; member < members; ++member) members_.push_back(member);
  }

  sim::ProcessId self() const override { return self_; }
  sim::GroupId group() const override { return 0; }
  std::span<const sim::ProcessId> members() const override { return members_; }
  std::span<const sim::ProcessId> services() const override { return {}; }
  std::span<const sim::ProcessId> resources() const override { return {}; }
  sim::LocalInstant local_now() const override { return now; }
  void send(sim::ProcessId to, const sim::Payload& message, sim::MessageTypeId type) override {
    const auto body = message.as<MultiPaxosMessage>();
    EXPECT_EQ(type, message_type_of(body));
    sent.emplace_back(to, body);
    durable_at_send.push_back(durable);
  }
  void set_timer(sim::TimerId timer, sim::Duration after) override { timers[timer] = after; }
  void set_timer(sim::TimerId timer, sim::Duration lo, sim::Duration hi) override {
    timer_ranges[timer] = {lo, hi};
    timers[timer] = rng_.uniform(lo, hi);
  }
  void cancel_timer(sim::TimerId timer) override { timers.erase(timer); }
  void persist(const sim::DurableState& state) override { durable = state; }
  void persist_at(size_t offset, std::span<const uint64_t> words, bool truncate_rest) override {
    if (!durable) durable.emplace();
    splice(*durable, offset, words, truncate_rest);
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
  void report(const sim::WriteDecided& /*event*/) override { reports.push_back("write"); }
  void report(const sim::Committed& event) override { committed.push_back(event.position); }
  void report(const sim::Supported& event) override { supported.push_back(event); }
  sim::Rng& rng() override { return rng_; }

  // The messages sent since the last call, and forgets them.
  std::vector<std::pair<sim::ProcessId, MultiPaxosMessage>> take_sent() {
    durable_at_send.clear();
    return std::exchange(sent, {});
  }
  // The messages of type Message sent since the last take_sent(), with their receivers.
  template <class Message>
  std::vector<std::pair<sim::ProcessId, Message>> sent_of() const {
    std::vector<std::pair<sim::ProcessId, Message>> found;
    for (const auto& [to, message] : sent) {
      if (const auto* typed = std::get_if<Message>(&message)) found.emplace_back(to, *typed);
    }
    return found;
  }

  sim::LocalInstant now;
  std::vector<std::pair<sim::ProcessId, MultiPaxosMessage>> sent;
  std::vector<std::optional<sim::DurableState>> durable_at_send;
  std::map<sim::TimerId, sim::Duration> timers;
  std::map<sim::TimerId, sim::DurationRange> timer_ranges;
  std::optional<sim::DurableState> durable;
  std::vector<std::string> reports;
  std::vector<sim::Elected> elected;
  std::vector<sim::LogPosition> committed;
  std::vector<sim::Supported> supported;

 private:
  sim::ProcessId self_;
  std::vector<sim::ProcessId> members_;
  sim::Rng rng_{7};
};

inline MultiPaxosOptions default_options() {
  MultiPaxosOptions options;
  options.failure_detector_timeout = {sim::Duration::milliseconds(150),
                                      sim::Duration::milliseconds(300)};
  options.heartbeat_interval = sim::Duration::milliseconds(75);
  return options;
}

inline void deliver(MultiPaxos& server, RecordingContext& context, sim::ProcessId from,
                    const MultiPaxosMessage& message) {
  server.on_message(context, from, sim::Payload::of(message));
}

}  // namespace electsim::algorithms::multipaxos::testing
