// The always checks, the suite and the catalogues, on traces fed by hand (DESIGN.md, "Checks").
// Recovery and goals have their own files; checks_world_test.cc runs broken algorithms on a real
// world.
#include "sim/checks/checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "faults/plan.h"
#include "sim/checks/check_base.h"
#include "sim/checks/leadership_checks.h"
#include "sim/checks/topology.h"
#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::config_for;
using testing::HandTrace;
using testing::ms;
using testing::violations_of;

// ---- one_leader_per_epoch (Raft's Election Safety, Ongaro & Ousterhout 2014, Figure 3) ----

TEST(OneLeaderPerEpoch, FailsWhenTwoNodesLeadTheSameEpoch) {
  HandTrace trace(config_for(3));
  trace.at(1000).leader(0, 1).at(1500).step_down(0).at(2000).leader(1, 1);
  const CheckResults results = trace.end(3000);

  const auto found = violations_of(results, "one_leader_per_epoch");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, CheckKind::kAlways);
  EXPECT_EQ(found[0].time, ms(2000));
  EXPECT_THAT(found[0].nodes, ElementsAre(0u, 1u));
  EXPECT_EQ(found[0].epoch, 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("n2 became leader of epoch 1 at 2s"));
  EXPECT_THAT(found[0].detail, HasSubstr("n1 already led that epoch (since 1s)"));
  EXPECT_TRUE(results.safety_violated());
  EXPECT_FALSE(results.liveness_violated());
}

TEST(OneLeaderPerEpoch, PassesWhenEveryEpochHasOneLeader) {
  HandTrace trace(config_for(3));
  trace.at(1000).leader(0, 1).at(2000).crash(0).at(2300).leader(1, 2).at(4000).restart(0);
  trace.at(4100).follows(0, 1, 2);
  const CheckResults results = trace.end(5000);
  EXPECT_TRUE(violations_of(results, "one_leader_per_epoch").empty());
  EXPECT_FALSE(results.safety_violated());
  EXPECT_EQ(results.leader_changes, 2u);
}

TEST(OneLeaderPerEpoch, SameNodeReclaimingItsEpochIsNotTwoLeaders) {
  HandTrace trace(config_for(3));
  trace.at(1000).leader(0, 4).at(2000).crash(0).at(3000).restart(0).at(3100).leader(0, 4);
  const CheckResults results = trace.end(4000);
  EXPECT_TRUE(results.violations.empty());
  EXPECT_EQ(results.leader_changes, 2u);
}

TEST(OneLeaderPerEpoch, MemoryIsBoundedAndRecentEpochsAreStillJudged) {
  OneLeaderPerEpoch check(std::make_shared<const Topology>(
      std::make_shared<const Layout>(Layout::single_group(3))));
  const uint64_t claims = OneLeaderPerEpoch::kMaxRememberedEpochs + 5000;
  for (uint64_t epoch = 1; epoch <= claims; ++epoch) {
    check.on_record(TraceRecord{ms(static_cast<int64_t>(epoch)), RecordKind::kBecameLeader,
                                static_cast<NodeId>(epoch % 3), kNoNode, epoch, epoch});
  }
  EXPECT_LE(check.remembered_epochs(), OneLeaderPerEpoch::kMaxRememberedEpochs);
  // A recent epoch claimed again by another node is still caught...
  check.on_record(TraceRecord{ms(999'999'999), RecordKind::kBecameLeader,
                              static_cast<NodeId>((claims + 1) % 3), kNoNode, claims, claims});
  // ...and one far below what was forgotten is counted, not judged.
  check.on_record(TraceRecord{ms(999'999'999), RecordKind::kBecameLeader, 2, kNoNode, 1, 1});
  CheckResults results;
  check.collect(results);
  ASSERT_EQ(results.violations.size(), 1u);
  EXPECT_EQ(results.violations[0].epoch, claims);
  EXPECT_EQ(check.unjudged_claims(), 1u);
  EXPECT_EQ(results.leader_changes, claims + 2);
}

// ---- exclusive_leadership ----

TEST(ExclusiveLeadership, OverlapOfDifferentEpochsIsReportedButIsNotAViolation) {
  HandTrace trace(config_for(3));
  // n1 leads epoch 1, is cut off, n2 is elected in epoch 2 before n1 hears of it.
  trace.at(1000).leader(0, 1).at(2000).leader(1, 2).at(2500).step_down(0);
  trace.at(2500).follows(0, 1, 2);
  const CheckResults results = trace.end(3000);
  ASSERT_EQ(results.overlaps.size(), 1u);
  EXPECT_THAT(results.overlaps[0].nodes, ElementsAre(0u, 1u));
  EXPECT_EQ(results.overlaps[0].start, ms(2000));
  EXPECT_EQ(results.overlaps[0].duration, Duration::milliseconds(500));
  EXPECT_TRUE(results.violations.empty());
  EXPECT_FALSE(results.safety_violated());
}

TEST(ExclusiveLeadership, StrictModeMakesEveryOverlapAViolation) {
  CheckConfig config = config_for(3);
  config.overlaps_are_violations = true;
  HandTrace trace(config);
  trace.at(1000).leader(0, 1).at(2000).leader(1, 2).at(2250).crash(0);
  const CheckResults results = trace.end(3000);
  const auto found = violations_of(results, "exclusive_leadership");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(2000));
  EXPECT_THAT(found[0].nodes, ElementsAre(0u, 1u));
  EXPECT_THAT(found[0].detail, HasSubstr("both believed they led for 250ms from 2s"));
  EXPECT_TRUE(results.safety_violated());
}

TEST(ExclusiveLeadership, StrictModePassesWhenLeadershipsNeverOverlap) {
  CheckConfig config = config_for(3);
  config.overlaps_are_violations = true;
  HandTrace trace(config);
  // A clean handover at the same instant (n1 steps down first) and one with a gap.
  trace.at(1000).leader(0, 1).at(2000).step_down(0).leader(1, 2);
  trace.at(3000).follows(1, 2, 3).at(3100).leader(2, 3);
  const CheckResults results = trace.end(4000);
  EXPECT_TRUE(results.overlaps.empty());
  // The only violation: n2 follows n3 before n3 claims epoch 3 (follows_a_claimed_leader).
  for (const Violation& violation : results.violations) {
    EXPECT_EQ(violation.check, "follows_a_claimed_leader");
  }
}

TEST(ExclusiveLeadership, ZeroLengthOverlapAtAHandoverIsNotAnOverlap) {
  CheckConfig config = config_for(2);
  config.overlaps_are_violations = true;
  HandTrace trace(config);
  trace.at(1000).leader(0, 1).at(2000).leader(1, 2).step_down(0);  // same instant
  const CheckResults results = trace.end(3000);
  EXPECT_TRUE(results.overlaps.empty());
  EXPECT_TRUE(results.violations.empty());
}

TEST(ExclusiveLeadership, EveryPairIsReportedAndOpenOverlapsCloseAtTheEnd) {
  HandTrace trace(config_for(3));
  // n1 leads throughout; n2 overlaps it from 1s, n3 overlaps both from 2s until it follows.
  trace.at(0).leader(0, 1).at(1000).leader(1, 2).at(2000).leader(2, 3);
  trace.at(2400).follows(2, 1, 2);
  const CheckResults results = trace.end(5000);
  ASSERT_EQ(results.overlaps.size(), 3u);
  // In start order: (n1, n2) from 1s until the end, then (n1, n3) and (n2, n3) from 2s.
  EXPECT_THAT(results.overlaps[0].nodes, ElementsAre(0u, 1u));
  EXPECT_EQ(results.overlaps[0].duration, Duration::seconds(4));
  for (int i : {1, 2}) {
    EXPECT_EQ(results.overlaps[static_cast<size_t>(i)].start, ms(2000));
    EXPECT_EQ(results.overlaps[static_cast<size_t>(i)].duration, Duration::milliseconds(400));
  }
  std::set<std::vector<NodeId>> pairs = {results.overlaps[1].nodes, results.overlaps[2].nodes};
  EXPECT_EQ(pairs, (std::set<std::vector<NodeId>>{{0, 2}, {1, 2}}));
}

TEST(ExclusiveLeadership, ReElectionAtANewEpochDoesNotEndTheOverlap) {
  HandTrace trace(config_for(3));
  trace.at(0).leader(0, 1).at(1000).leader(1, 2).at(1500).leader(0, 3).at(2000).step_down(1);
  const CheckResults results = trace.end(3000);
  ASSERT_EQ(results.overlaps.size(), 1u);
  EXPECT_EQ(results.overlaps[0].start, ms(1000));
  EXPECT_EQ(results.overlaps[0].duration, Duration::seconds(1));
}

// ---- epochs_never_go_backwards (Raft: currentTerm is persistent state, Figure 2) ----

TEST(EpochsNeverGoBackwards, FailsWhenAFollowerReportsAnOlderEpoch) {
  HandTrace trace(config_for(3));
  trace.at(1000).follows(2, 0, 5).at(2000).follows(2, 1, 3).at(2100).follows(2, 1, 4);
  const CheckResults results = trace.end(3000);
  const auto found = violations_of(results, "epochs_never_go_backwards");
  ASSERT_EQ(found.size(), 1u);  // one fall, reported once
  EXPECT_EQ(found[0].time, ms(2000));
  EXPECT_THAT(found[0].nodes, ElementsAre(2u));
  EXPECT_EQ(found[0].epoch, 3u);
  EXPECT_THAT(found[0].detail, HasSubstr("n3 followed n2 in epoch 3 at 2s after epoch 5 at 1s"));
  EXPECT_TRUE(results.safety_violated());
}

TEST(EpochsNeverGoBackwards, AmnesiaRestartIsStillAViolationAndSaysWhy) {
  HandTrace trace(config_for(3));
  trace.at(1000).leader(0, 4).at(2000).crash(0).at(3000).restart(0, /*amnesia=*/true);
  trace.at(3200).leader(0, 1);
  const CheckResults results = trace.end(4000);
  const auto found = violations_of(results, "epochs_never_go_backwards");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].epoch, 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("n1 became leader of epoch 1 at 3.2s after epoch 4"));
  EXPECT_THAT(found[0].detail, HasSubstr("amnesia restart at 3s"));
}

TEST(EpochsNeverGoBackwards, PassesAcrossCrashesAndDurableRestarts) {
  HandTrace trace(config_for(3));
  trace.at(1000).leader(0, 3).at(2000).crash(0).at(3000).restart(0).at(3100).follows(0, 1, 3);
  trace.at(4000).leader(0, 5);
  const CheckResults results = trace.end(5000);
  // (n1 follows n2 in an epoch n2 never claimed: follows_a_claimed_leader's business.)
  EXPECT_TRUE(violations_of(results, "epochs_never_go_backwards").empty());
}

TEST(EpochsNeverGoBackwards, ASecondFallAfterCatchingUpIsReportedAgain) {
  HandTrace trace(config_for(2));
  trace.at(100).follows(1, 0, 5).at(200).follows(1, 0, 2).at(300).follows(1, 0, 1);
  trace.at(400).follows(1, 0, 6).at(500).follows(1, 0, 4);
  const CheckResults results = trace.end(1000);
  const auto found = violations_of(results, "epochs_never_go_backwards");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].time, ms(200));
  EXPECT_EQ(found[1].time, ms(500));
}

// ---- The suite ----

TEST(CheckSuite, ViolationsAreInTimeOrderAcrossChecks) {
  HandTrace trace(config_for(3));
  trace.at(1000).follows(2, 0, 5).at(2000).leader(0, 7).leader(1, 7).at(3000).follows(2, 0, 1);
  const CheckResults results = trace.end(4000);
  // Two leaders of epoch 7 also share its token (the hand trace's token is the epoch), and n3
  // follows n1 in epochs n1 never claimed; at equal times the suite's order holds.
  ASSERT_EQ(results.violations.size(), 5u);
  EXPECT_EQ(results.violations[0].check, "follows_a_claimed_leader");
  EXPECT_EQ(results.violations[1].check, "one_leader_per_epoch");
  EXPECT_EQ(results.violations[2].check, "unique_tokens");
  EXPECT_EQ(results.violations[3].check, "epochs_never_go_backwards");
  EXPECT_EQ(results.violations[4].check, "follows_a_claimed_leader");
}

TEST(CheckSuite, MessageRecordsAreNotDeliveredToTheChecks) {
  // Observers registered only for the kinds they need: a trace full of sends costs them nothing
  // and changes nothing.
  HandTrace trace(config_for(2));
  for (int i = 0; i < 1000; ++i) trace.at(i).send(0, 1);
  const CheckResults results = trace.end(2000);
  EXPECT_EQ(trace.trace().records(), 1000u);
  EXPECT_TRUE(results.violations.empty());
  EXPECT_EQ(results.leader_changes, 0u);
}

TEST(CheckSuite, ListsStayBoundedInALongBrokenRun) {
  CheckConfig config = config_for(2);
  config.overlaps_are_violations = true;
  HandTrace trace(config);
  const int rounds = 5000;
  for (int i = 0; i < rounds; ++i) {
    const auto epoch = static_cast<uint64_t>(i + 1);
    trace.at(10 * i).leader(0, epoch).at(10 * i + 1).leader(1, epoch);
    trace.at(10 * i + 5).step_down(0).step_down(1);
  }
  const CheckResults results = trace.end(10 * rounds);
  EXPECT_EQ(results.overlaps.size(), kMaxOverlaps);
  EXPECT_EQ(results.overlaps.size() + results.overlaps_dropped, static_cast<uint64_t>(rounds));
  // One hundred kept for each of the three checks that fire every round (one_leader_per_epoch,
  // exclusive_leadership, and unique_tokens: the two leaders of an epoch share its token).
  EXPECT_EQ(results.violations.size(), 300u);
  EXPECT_EQ(results.violations.size() + results.violations_dropped,
            3 * static_cast<uint64_t>(rounds));
  EXPECT_TRUE(results.safety_violated());
}

TEST(CheckResults, VerdictsFollowTheKindOfEachViolation) {
  CheckResults results;
  EXPECT_FALSE(results.safety_violated());
  EXPECT_FALSE(results.liveness_violated());
  results.violations.push_back(Violation{"recovery", CheckKind::kEventually, ms(1), {}, 0, ""});
  EXPECT_FALSE(results.safety_violated());
  EXPECT_TRUE(results.liveness_violated());
  results.violations.clear();
  results.goals_missed.push_back("leader_crashed");
  EXPECT_TRUE(results.liveness_violated());
  results.violations.push_back(
      Violation{"one_leader_per_epoch", CheckKind::kAlways, ms(1), {0, 1}, 1, ""});
  EXPECT_TRUE(results.safety_violated());
}

// ---- Catalogues ----

TEST(Catalogue, ChecksAndGoalsHaveUniqueNamesAndDescriptions) {
  std::set<std::string> names;
  for (const CheckInfo& info : check_catalogue()) {
    EXPECT_TRUE(names.insert(info.name).second) << info.name;
    EXPECT_FALSE(info.description.empty());
  }
  EXPECT_EQ(names.count("one_leader_per_epoch"), 1u);
  EXPECT_EQ(names.count("recovery"), 1u);
  EXPECT_EQ(names.count("stable_leader"), 1u);
  std::set<std::string> goals;
  for (const GoalInfo& info : goal_catalogue()) {
    EXPECT_TRUE(goals.insert(info.name).second) << info.name;
    EXPECT_TRUE(is_known_goal(info.name));
  }
  EXPECT_FALSE(is_known_goal("leader_exploded"));
  for (const char* required : {"leader_crashed", "new_leader_elected", "leader_isolated",
                               "leader_paused", "node_restarted", "amnesia_restart",
                               "clock_changed", "partition_healed", "fault_fired"}) {
    EXPECT_TRUE(is_known_goal(required)) << required;
  }
}

// FaultCode mirrors faults::FaultKind (sim/ cannot include faults/): pin the two together.
TEST(Catalogue, FaultCodesMirrorFaultKinds) {
  auto same = [](faults::FaultKind kind, FaultCode code) {
    return static_cast<uint64_t>(kind) == static_cast<uint64_t>(code);
  };
  EXPECT_TRUE(same(faults::FaultKind::kCrash, FaultCode::kCrash));
  EXPECT_TRUE(same(faults::FaultKind::kAmnesiaCrash, FaultCode::kAmnesiaCrash));
  EXPECT_TRUE(same(faults::FaultKind::kRestart, FaultCode::kRestart));
  EXPECT_TRUE(same(faults::FaultKind::kPause, FaultCode::kPause));
  EXPECT_TRUE(same(faults::FaultKind::kPartition, FaultCode::kPartition));
  EXPECT_TRUE(same(faults::FaultKind::kLinkFault, FaultCode::kLinkFault));
  EXPECT_TRUE(same(faults::FaultKind::kHeal, FaultCode::kHeal));
  EXPECT_TRUE(same(faults::FaultKind::kClockOffset, FaultCode::kClockOffset));
  EXPECT_TRUE(same(faults::FaultKind::kClockDrift, FaultCode::kClockDrift));
  EXPECT_TRUE(same(faults::FaultKind::kClockJump, FaultCode::kClockJump));
  EXPECT_TRUE(same(faults::FaultKind::kResign, FaultCode::kResign));
  EXPECT_EQ(fault_code_name(static_cast<uint64_t>(FaultCode::kPartition)), "partition");
  EXPECT_EQ(fault_code_name(static_cast<uint64_t>(FaultCode::kResign)), "resign");
  EXPECT_EQ(fault_code_name(42), "fault kind 42");
}

}  // namespace
}  // namespace electsim::sim::checks
