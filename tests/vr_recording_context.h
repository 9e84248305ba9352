// A fake context for the VR and Bully rule tests: it records what one process does (sends,
// timers, saves, leadership reports, commits, support) instead of doing it, so a test can look
// at exactly that. `Message` is the algorithm's message variant.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sim/algorithm.h"

namespace electsim::testing {

template <class Message>
class RecordingContext final : public sim::Context {
 public:
  RecordingContext(sim::ProcessId self, uint32_t members, sim::FamilyId family)
      : self_(self), family_(family) {
    for (sim::ProcessId member = 0; member < members; ++member) members_.push_back(member);
  }

  sim::ProcessId self() const override { return self_; }
  sim::GroupId group() const override { return 0; }
  std::span<const sim::ProcessId> members() const override { return members_; }
  std::span<const sim::ProcessId> services() const override { return {}; }
  std::span<const sim::ProcessId> resources() const override { return {}; }
  sim::LocalInstant local_now() const override { return sim::LocalInstant{}; }
  void send(sim::ProcessId to, const sim::Payload& message, sim::MessageTypeId type) override {
    const auto body = message.as<Message>();
    EXPECT_EQ(type, sim::message_type_id(family_, static_cast<uint16_t>(body.index())));
    sent.emplace_back(to, body);
  }
  void set_timer(sim::TimerId timer, sim::Duration after) override { timers[timer] = after; }
  void set_timer(sim::TimerId timer, sim::Duration lo, sim::Duration /*hi*/) override {
    timers[timer] = lo;
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
  void report(const sim::WriteDecided& /*event*/) override {}
  void report(const sim::Committed& event) override { committed.push_back(event.position); }
  void report(const sim::Supported& event) override { supported.push_back(event); }
  sim::Rng& rng() override { return rng_; }

  // The messages sent since the last call, and forgets them.
  std::vector<std::pair<sim::ProcessId, Message>> take_sent() { return std::exchange(sent, {}); }
  // Those of one alternative, with their destinations.
  template <class Alternative>
  std::vector<std::pair<sim::ProcessId, Alternative>> sent_of() const {
    std::vector<std::pair<sim::ProcessId, Alternative>> found;
    for (const auto& [to, message] : sent) {
      if (const auto* typed = std::get_if<Alternative>(&message)) found.emplace_back(to, *typed);
    }
    return found;
  }
  std::vector<std::string> take_reports() { return std::exchange(reports, {}); }

  std::vector<std::pair<sim::ProcessId, Message>> sent;
  std::map<sim::TimerId, sim::Duration> timers;
  std::optional<sim::DurableState> durable;
  std::vector<std::string> reports;
  std::vector<sim::Elected> elected;
  std::vector<sim::LogPosition> committed;
  std::vector<sim::Supported> supported;

 private:
  sim::ProcessId self_;
  sim::FamilyId family_;
  std::vector<sim::ProcessId> members_;
  sim::Rng rng_{7};
};

// Delivers `message` from `from` to `algorithm`.
template <class Message, class Algorithm, class Typed>
void deliver(Algorithm& algorithm, RecordingContext<Message>& context, sim::ProcessId from,
             const Typed& message) {
  algorithm.on_message(context, from, sim::Payload::of(Message{message}));
}

}  // namespace electsim::testing
