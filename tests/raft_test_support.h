// A fake context for Raft rule tests: it records what one server does (sends, timers, saves,
// leadership reports) instead of doing it, so a test can look at exactly that.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/raft/raft.h"
#include "sim/algorithm.h"

namespace electsim::algorithms::raft::testing {

class FakeContext final : public sim::Context {
 public:
  FakeContext(sim::NodeId self, uint32_t nodes) : self_(self) {
    for (sim::NodeId node = 0; node < nodes; ++node) members_.push_back(node);
  }

  sim::NodeId self() const override { return self_; }
  sim::GroupId group() const override { return 0; }
  std::span<const sim::NodeId> members() const override { return members_; }
  std::span<const sim::NodeId> services() const override { return {}; }
  std::span<const sim::NodeId> resources() const override { return {}; }
  sim::LocalInstant local_now() const override { return now; }
  void send(sim::NodeId to, const sim::Payload& message, sim::MessageTypeId type) override {
    const auto body = message.as<RaftMessage>();
    EXPECT_EQ(type, sim::message_type_id(sim::families::kRaft,
                                         static_cast<uint16_t>(body.index())));
    sent.emplace_back(to, body);
    durable_at_send.push_back(durable);
  }
  void set_timer(sim::TimerId timer, sim::Duration after) override { timers[timer] = after; }
  void set_timer(sim::TimerId timer, sim::Duration lo, sim::Duration hi) override {
    timers[timer] = rng_.uniform(lo, hi);
  }
  void cancel_timer(sim::TimerId timer) override { timers.erase(timer); }
  void persist(const sim::DurableState& state) override {
    durable = state;
    ++writes;
  }
  // Raft saves with two persist_at calls, its header at offset 0 then its log's changed tail:
  // one write in `writes`.
  void persist_at(size_t offset, std::span<const uint64_t> words, bool truncate_rest) override {
    if (!durable) durable.emplace();
    splice(*durable, offset, words, truncate_rest);
    if (offset == 0) ++writes;
  }
  void report(const sim::Elected& event) override {
    reports.push_back("leader " + std::to_string(event.epoch) + " " + std::to_string(event.token));
  }
  void report(const sim::Ready& /*event*/) override { reports.push_back("ready"); }
  void report(const sim::Follows& event) override {
    followed = event.leader;
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
  // Commits and support are recorded as facts a test can ask for, not as report lines, so the
  // tests that compare report lines stay about leadership.
  void report(const sim::Committed& event) override { committed.push_back(event.position); }
  void report(const sim::Supported& event) override { supported.push_back(event); }
  std::vector<sim::LogPosition> committed;
  std::vector<sim::Supported> supported;
  sim::Rng& rng() override { return rng_; }

  // The messages sent since the last call, and forgets them.
  std::vector<std::pair<sim::NodeId, RaftMessage>> take_sent() {
    durable_at_send.clear();
    return std::exchange(sent, {});
  }

  sim::LocalInstant now;
  std::vector<std::pair<sim::NodeId, RaftMessage>> sent;
  std::map<sim::TimerId, sim::Duration> timers;
  std::optional<sim::DurableState> durable;
  // For each message in `sent`, what was saved when it went out: what a crash then would keep.
  std::vector<std::optional<sim::DurableState>> durable_at_send;
  std::vector<std::string> reports;
  int writes = 0;  // completed saves
  std::optional<sim::NodeId> followed;  // the last leader reported in follows()

 private:
  sim::NodeId self_;
  std::vector<sim::NodeId> members_;
  sim::Rng rng_{7};
};

}  // namespace electsim::algorithms::raft::testing
