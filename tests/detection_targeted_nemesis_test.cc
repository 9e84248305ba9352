// The targeted nemesis kinds (issue 12, faults/trigger_watch.h): the loader reads them into
// specs with their trigger; the nemesis draws armed faults; in a run each one that fired did so
// one nanosecond after its moment (a vote given to another process, a leader elected), on the
// process that reported it; a seed replays to the same fingerprint; and a fault that fired is
// written by shrink's plan as a plain fault.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "faults/injector.h"
#include "faults/plan.h"
#include "faults/trigger_watch.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "sim/algorithm.h"

namespace electsim::testing {
namespace {

using faults::FaultKind;
using faults::Trigger;

std::string scenario_text(const std::string& kinds) {
  return "version: 1\nname: targeted\ncluster: {nodes: 5}\n"
         "algorithm: {name: raft, params: {election_timeout: 150ms..300ms}}\n"
         "network:\n  latency: {distribution: normal, mean: 5ms, stddev: 3ms, min: 1ms}\n"
         "duration: 40s\n"
         "nemesis:\n  start_after: 1s\n  quiet_period: 10s\n  kinds:\n" + kinds;
}

scenarios::Scenario load(const std::string& kinds) {
  auto scenario = scenarios::load_scenario_text(scenario_text(kinds), "targeted.yaml", {});
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return scenario.ok() ? *scenario : scenarios::Scenario{};
}

TEST(DetectionTargetedNemesis, LoaderReadsEachTargetedKindWithItsTrigger) {
  const auto scenario = load(
      "    crash_after_vote: {every: 2s, duration: 20ms..500ms}\n"
      "    amnesia_after_vote: {every: 3s, duration: 20ms..500ms}\n"
      "    isolate_new_leader: {every: 5s, duration: 1s..5s}\n"
      "    pause_new_leader: {every: 10s, duration: 50ms..2s}\n");
  ASSERT_TRUE(scenario.nemesis.has_value());
  const auto& kinds = scenario.nemesis->kinds;
  ASSERT_EQ(kinds.size(), 4u);
  EXPECT_EQ(kinds[0].kind, FaultKind::kCrash);
  EXPECT_EQ(kinds[0].trigger, Trigger::kSupportGiven);
  EXPECT_EQ(kinds[1].kind, FaultKind::kAmnesiaCrash);
  EXPECT_EQ(kinds[1].trigger, Trigger::kSupportGiven);
  EXPECT_EQ(kinds[2].kind, FaultKind::kPartition);
  EXPECT_EQ(kinds[2].trigger, Trigger::kLeaderElected);
  EXPECT_EQ(kinds[3].kind, FaultKind::kPause);
  EXPECT_EQ(kinds[3].trigger, Trigger::kLeaderElected);
  EXPECT_EQ(kinds[2].duration.lo, sim::Duration::seconds(1));
}

TEST(DetectionTargetedNemesis, LoaderRefusesATargetedKindWithoutItsDuration) {
  const auto scenario = scenarios::load_scenario_text(
      scenario_text("    isolate_new_leader: {every: 5s}\n"), "targeted.yaml", {});
  ASSERT_FALSE(scenario.ok());
  EXPECT_NE(scenario.status().message().find("targeted.yaml:"), std::string::npos)
      << scenario.status();
  EXPECT_NE(scenario.status().message().find("duration"), std::string::npos) << scenario.status();
}

TEST(DetectionTargetedNemesis, PlanArmsEachFaultForItsIntervalAndEndsBeforeTheQuiet) {
  const auto scenario = load("    crash_after_vote: {every: 2s, duration: 20ms..500ms}\n");
  const auto plan = faults::draw_nemesis_plan(*scenario.nemesis, scenario.layout,
                                              scenario.duration, 7, nullptr);
  ASSERT_FALSE(plan.empty());
  for (const auto& fault : plan) {
    EXPECT_EQ(fault.trigger, Trigger::kSupportGiven);
    EXPECT_EQ(fault.armed_for, sim::Duration::seconds(2));
    EXPECT_TRUE(fault.targets.empty()) << "filled in when the trigger fires";
    EXPECT_EQ(fault.label, "crash after vote");
    EXPECT_LE(fault.at.hi + fault.armed_for + fault.duration->hi, sim::Duration::seconds(30));
  }
}

// Records the moments the triggers wait for, and the faults' starts with their node.
class Moments final : public scenarios::RunWatcher {
 public:
  void on_start(const sim::World& /*world*/, const std::vector<std::string>& labels) override {
    labels_ = labels;
  }
  void on_violation(const sim::checks::Violation& /*violation*/) override {}
  void on_record(const sim::TraceRecord& record) override {
    if (record.kind == sim::RecordKind::kSupported && record.node != record.peer &&
        static_cast<sim::SupportKind>(record.b) == sim::SupportKind::kVote) {
      votes.push_back(record);
    } else if (record.kind == sim::RecordKind::kBecameLeader) {
      elections.push_back(record);
    }
  }
  std::vector<sim::TraceRecord> votes;
  std::vector<sim::TraceRecord> elections;

 private:
  std::vector<std::string> labels_;
};

// Whether one of `moments` on `node` came one nanosecond before `fired` (TriggerWatch's
// kAfterTheMoment).
bool happened_just_before(const std::vector<sim::TraceRecord>& moments, sim::Instant fired,
                          sim::NodeId node) {
  for (const auto& moment : moments) {
    if (moment.time + faults::TriggerWatch::kAfterTheMoment == fired && moment.node == node) {
      return true;
    }
  }
  return false;
}

TEST(DetectionTargetedNemesis, EachFaultFiresAtItsMomentOnTheProcessThatReportedIt) {
  // The plain crashes start the elections whose moments the targeted kinds wait for.
  const auto scenario = load(
      "    crash: {every: 3s, duration: 500ms..1s}\n"
      "    crash_after_vote: {every: 2s, duration: 20ms..500ms}\n"
      "    isolate_new_leader: {every: 5s, duration: 1s..3s}\n"
      "    pause_new_leader: {every: 5s, duration: 50ms..1s}\n");
  int after_vote = 0;
  int after_election = 0;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Moments moments;
    scenarios::RunOptions options;
    options.keep_timeline = false;
    options.watcher = &moments;
    const auto result = scenarios::run_scenario(scenario, seed, options);
    ASSERT_TRUE(result.ok()) << result.status();
    for (const auto& fault : result->faults) {
      if (fault.skipped) continue;
      ASSERT_EQ(fault.nodes.size(), 1u) << fault.effect;
      const sim::NodeId node = fault.nodes[0];
      if (fault.label == "crash after vote") {
        EXPECT_TRUE(happened_just_before(moments.votes, fault.start, node)) << fault.effect;
        ++after_vote;
      } else if (fault.label == "isolate new leader" || fault.label == "pause new leader") {
        EXPECT_TRUE(happened_just_before(moments.elections, fault.start, node)) << fault.effect;
        ++after_election;
      }
    }
  }
  // The faults did fire: the test would pass vacuously otherwise.
  EXPECT_GE(after_vote, 2);
  EXPECT_GE(after_election, 2);
}

TEST(DetectionTargetedNemesis, ASeedReplaysToTheSameFingerprint) {
  const auto scenario = load(
      "    crash: {every: 3s, duration: 500ms..1s}\n"
      "    crash_after_vote: {every: 2s, duration: 20ms..500ms}\n"
      "    isolate_new_leader: {every: 5s, duration: 1s..3s}\n");
  scenarios::RunOptions options;
  options.keep_timeline = false;
  int targeted = 0;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    const auto first = scenarios::run_scenario(scenario, seed, options);
    const auto second = scenarios::run_scenario(scenario, seed, options);
    ASSERT_TRUE(first.ok() && second.ok());
    EXPECT_EQ(first->fingerprint, second->fingerprint) << "seed " << seed;
    for (const auto& fault : first->faults) {
      targeted += !fault.skipped &&
                  (fault.label == "crash after vote" || fault.label == "isolate new leader");
    }
  }
  EXPECT_GT(targeted, 0) << "no targeted fault fired: the replays would prove nothing";
}

}  // namespace
}  // namespace electsim::testing
