// The recovery check (eventually) and its link model, on traces fed by hand.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/checks/checks.h"
#include "sim/checks/link_model.h"
#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HandTrace;
using testing::ms;
using testing::violations_of;

CheckConfig recovery_config(uint32_t nodes, int64_t bound_ms, bool all_up = false) {
  CheckConfig config;
  config.nodes = nodes;
  config.recovery_within = Duration::milliseconds(bound_ms);
  config.recovery_counts_all_up = all_up;
  return config;
}

// n1 leads epoch 1 and n2, n3 follow from 110ms: a stable leader from the start.
void elect_n1(HandTrace& trace) {
  trace.at(100).leader(0, 1).at(110).follows(1, 0, 1).follows(2, 0, 1);
}

TEST(Recovery, PassesWhenANewLeaderIsFollowedWithinTheBound) {
  HandTrace trace(recovery_config(3, 1000));
  elect_n1(trace);
  trace.at(2000).crash(0).at(2300).leader(1, 2).at(2310).follows(2, 1, 2);
  const CheckResults results = trace.end(5000);
  EXPECT_TRUE(results.violations.empty());
  // The startup election is judged but not reported as a recovery; the crash is.
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(310)));
  EXPECT_FALSE(results.liveness_violated());
}

TEST(Recovery, FailsWhenTheNewLeaderComesAfterTheBound) {
  HandTrace trace(recovery_config(3, 1000));
  elect_n1(trace);
  trace.at(2000).crash(0).at(3500).leader(1, 2).at(3510).follows(2, 1, 2);
  const CheckResults results = trace.end(5000);
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, CheckKind::kEventually);
  EXPECT_EQ(found[0].time, ms(3000));  // the crash + the bound
  EXPECT_THAT(found[0].nodes, ElementsAre(1u, 2u));
  EXPECT_THAT(found[0].detail, HasSubstr("no stable leader for 1s after the crash of n1 at 2s"));
  EXPECT_THAT(found[0].detail, HasSubstr("quorum available (n2 and n3)"));
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(1510)));
  EXPECT_TRUE(results.liveness_violated());
  EXPECT_FALSE(results.safety_violated());
}

TEST(Recovery, ALeaderWithoutMajorityFollowersIsNotStable) {
  HandTrace trace(recovery_config(5, 1000));
  // n1 leads, but only n2 follows: two of five.
  trace.at(100).leader(0, 1).at(110).follows(1, 0, 1);
  // A follower of the wrong epoch does not count either.
  trace.at(120).follows(2, 0, 7);
  const CheckResults results = trace.end(3000);
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(1000));
  EXPECT_THAT(found[0].detail, HasSubstr("after the start of the run"));
}

TEST(Recovery, TheStartupElectionIsJudgedAgainstTheBound) {
  HandTrace trace(recovery_config(3, 500));
  trace.at(800).leader(0, 1).follows(1, 0, 1).follows(2, 0, 1);
  const CheckResults results = trace.end(2000);
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(500));
  EXPECT_TRUE(results.recovery.empty());
}

TEST(Recovery, LivelockWithoutFaultsIsAViolation) {
  HandTrace trace(recovery_config(3, 1000));
  elect_n1(trace);
  trace.at(2000).crash(0);
  // n2 and n3 take turns: each is followed, then deposed with nothing failing in between.
  for (int i = 0; i < 10; ++i) {
    const NodeId leader = 1 + static_cast<NodeId>(i % 2);
    const NodeId follower = 3 - leader;
    const auto epoch = static_cast<uint64_t>(i + 2);
    const int64_t t = 2100 + 200 * i;
    trace.at(t).leader(leader, epoch).at(t + 10).follows(follower, leader, epoch);
    trace.at(t + 150).step_down(leader, StepDownReason::kHigherEpochSeen);
  }
  const CheckResults results = trace.end(5000);
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(3000));
  EXPECT_THAT(found[0].detail, HasSubstr("after the crash of n1 at 2s"));
  EXPECT_THAT(found[0].detail, HasSubstr("5 leaders were elected meanwhile but deposed"));
  EXPECT_TRUE(results.recovery.empty());  // no leader ever lasted
}

TEST(Recovery, ADeposedLeaderDoesNotCountButALastingOneDoes) {
  HandTrace trace(recovery_config(3, 1000));
  elect_n1(trace);
  trace.at(2000).crash(0);
  trace.at(2100).leader(1, 2).at(2110).follows(2, 1, 2).at(2400).step_down(1);
  trace.at(2500).leader(2, 3).at(2510).follows(1, 2, 3);
  const CheckResults results = trace.end(5000);
  EXPECT_TRUE(results.violations.empty());
  // Judged from the crash, not from the deposed leader: 2510ms - 2000ms.
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(510)));
}

TEST(Recovery, ALeaderLostWithoutAFaultLongAfterTheLastOneIsAViolation) {
  HandTrace trace(recovery_config(3, 1000));
  elect_n1(trace);
  trace.at(2000).crash(2).at(3000).restart(2).at(3050).follows(2, 0, 1);
  // Nothing fails after 3s, yet n1 steps down at 10s and a new leader follows at 10.2s.
  trace.at(10000).step_down(0).at(10100).leader(1, 2).at(10200).follows(0, 1, 2);
  const CheckResults results = trace.end(12000);
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(10000));
  EXPECT_THAT(found[0].detail, HasSubstr("leadership was lost at 10s although nothing had failed "
                                         "since the restart of n3 at 3s"));
}

TEST(Recovery, ANewFaultGivesAFreshBound) {
  HandTrace trace(recovery_config(5, 1000));
  trace.at(100).leader(0, 1).at(110).follows(1, 0, 1).follows(2, 0, 1).follows(3, 0, 1);
  trace.at(2000).crash(0).at(2800).crash(4);
  trace.at(3500).leader(1, 2).at(3510).follows(2, 1, 2).follows(3, 1, 2);
  const CheckResults results = trace.end(6000);
  EXPECT_TRUE(results.violations.empty());
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(710)));
}

TEST(Recovery, AFaultThatLeavesTheLeaderInPlaceOpensNoWindow) {
  HandTrace trace(recovery_config(3, 1000));
  elect_n1(trace);
  trace.at(2000).crash(2).at(2500).clock(1).at(3000).restart(2).at(3100).follows(2, 0, 1);
  const CheckResults results = trace.end(6000);
  EXPECT_TRUE(results.violations.empty());
  EXPECT_TRUE(results.recovery.empty());
}

TEST(Recovery, NotJudgedWhileAMajorityIsDown) {
  HandTrace trace(recovery_config(3, 1000));
  elect_n1(trace);
  trace.at(2000).crash(0).crash(1);
  // Eight seconds without a leader, but no quorum could have elected one.
  const CheckResults results = trace.end(10000);
  EXPECT_TRUE(results.violations.empty());
  EXPECT_TRUE(results.recovery.empty());
}

TEST(Recovery, JudgedAgainFromWhenTheQuorumCameBack) {
  for (const int64_t end_ms : {10500, 12000}) {
    HandTrace trace(recovery_config(3, 1000));
    elect_n1(trace);
    trace.at(2000).crash(0).crash(1).at(10000).restart(1);
    const CheckResults results = trace.end(end_ms);
    const auto found = violations_of(results, "recovery");
    if (end_ms == 10500) {
      EXPECT_TRUE(found.empty()) << "an open window is judged only past the bound";
    } else {
      ASSERT_EQ(found.size(), 1u);
      EXPECT_EQ(found[0].time, ms(11000));
      EXPECT_THAT(found[0].detail, HasSubstr("after the restart of n2 at 10s"));
    }
  }
}

TEST(Recovery, NotJudgedWhileEveryNodeIsCutOff) {
  HandTrace trace(recovery_config(3, 1000));
  elect_n1(trace);
  trace.at(2000).crash(0);
  for (NodeId node = 1; node < 3; ++node) trace.isolate(node, 3);
  const CheckResults results = trace.end(10000);
  EXPECT_TRUE(results.violations.empty());
}

TEST(Recovery, AnIsolatedLeaderIsReplacedByTheMajoritySide) {
  HandTrace trace(recovery_config(3, 1000));
  elect_n1(trace);
  // n1 is cut off; it still believes it leads, but n2 and n3 stop following at 2.2s.
  trace.at(2000).isolate(0, 3).at(2200).step_down(1, StepDownReason::kElectionStarted);
  trace.at(2250).leader(1, 2).at(2260).follows(2, 1, 2);
  trace.at(4000).isolate(0, 3, /*cut=*/false).at(4010).follows(0, 1, 2);
  const CheckResults results = trace.end(6000);
  EXPECT_TRUE(results.violations.empty());
  // n1 stopped being a stable leader at the cut (it reaches nobody), so the window runs from
  // the last link cut at 2s to n3 following n2.
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(260)));
}

TEST(Recovery, APausedLeaderIsNotStable) {
  HandTrace trace(recovery_config(3, 1000));
  elect_n1(trace);
  trace.at(2000).pause(0).at(4000).resume(0);
  const CheckResults results = trace.end(4500);
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(3000));
  EXPECT_THAT(found[0].detail, HasSubstr("after the pause of n1 at 2s"));
}

TEST(Recovery, AllUpModeNeedsEveryUpNodeToFollow) {
  for (const bool all_up : {false, true}) {
    HandTrace trace(recovery_config(3, 1000, all_up));
    trace.at(100).leader(0, 1).at(110).follows(1, 0, 1);  // n3 never follows
    const CheckResults results = trace.end(3000);
    EXPECT_EQ(violations_of(results, "recovery").size(), all_up ? 1u : 0u) << all_up;
  }
}

TEST(Recovery, AllUpModeDoesNotWaitForNodesThatAreDown) {
  HandTrace trace(recovery_config(3, 1000, /*all_up=*/true));
  trace.at(100).leader(0, 1).at(110).follows(1, 0, 1).follows(2, 0, 1);
  trace.at(2000).crash(2).at(2100).step_down(1).at(2200).follows(1, 0, 1);
  const CheckResults results = trace.end(5000);
  EXPECT_TRUE(results.violations.empty());
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(200)));
}

TEST(Recovery, OffUnlessABoundIsSet) {
  HandTrace trace(testing::config_for(3));
  const CheckResults results = trace.end(60000);  // a minute without any leader
  EXPECT_TRUE(results.violations.empty());
  EXPECT_TRUE(results.recovery.empty());
}

// ---- The link model behind "quorum available" ----

// A nemesis run judges recovery from its quiet period on: a stall before that is measured but
// not reported, and one still open when the quiet period starts is reported at once.
TEST(Recovery, HeldBackUntilJudgedFromButMeasured) {
  CheckConfig config = recovery_config(3, 1000);
  config.recovery_judged_from = ms(10000);
  HandTrace trace(config);
  elect_n1(trace);
  // A 3s stall at 2s (a violation if judged then), recovered at 5s.
  trace.at(2000).crash(0).at(5000).leader(1, 2).at(5010).follows(2, 1, 2);
  const CheckResults results = trace.end(15000);
  EXPECT_TRUE(violations_of(results, "recovery").empty());
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(3010)));
}

TEST(Recovery, AStallStillOpenWhenJudgingStartsIsReportedThen) {
  CheckConfig config = recovery_config(3, 1000);
  config.recovery_judged_from = ms(10000);
  HandTrace trace(config);
  elect_n1(trace);
  trace.at(2000).crash(0).at(9000).leader(1, 2).at(9010).step_down(1);  // deposed, no fault
  const CheckResults results = trace.end(15000);
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(10000));
  EXPECT_THAT(found[0].detail, HasSubstr("after the crash of n1 at 2s"));
}

TEST(Recovery, StableLeaderIsJudgedAtAllTimesUnderItsOwnName) {
  CheckConfig config;
  config.nodes = 3;
  config.recovery_within = Duration::milliseconds(1000);
  config.recovery_judged_from = ms(10000);
  config.stable_leader_within = Duration::milliseconds(1000);
  HandTrace trace(config);
  elect_n1(trace);
  trace.at(2000).crash(0).at(5000).leader(1, 2).at(5010).follows(2, 1, 2);
  const CheckResults results = trace.end(15000);
  EXPECT_TRUE(violations_of(results, "recovery").empty());
  const auto found = violations_of(results, "stable_leader");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].time, ms(3000));
  EXPECT_EQ(found[0].kind, CheckKind::kEventually);
  // The window is measured once, by the recovery check.
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(3010)));
}

TEST(Recovery, StableLeaderAloneMeasuresRecoveryTimes) {
  CheckConfig config;
  config.nodes = 3;
  config.stable_leader_within = Duration::milliseconds(1000);
  HandTrace trace(config);
  elect_n1(trace);
  trace.at(2000).crash(0).at(2300).leader(1, 2).at(2310).follows(2, 1, 2);
  const CheckResults results = trace.end(5000);
  EXPECT_TRUE(results.violations.empty());
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(310)));
}

TEST(LinkModel, AQuorumNeedsOneNodeDirectlyLinkedToAMajority) {
  LinkModel links(5);
  EXPECT_TRUE(links.quorum_available());
  EXPECT_THAT(links.quorum(), ElementsAre(0u, 1u, 2u, 3u, 4u));
  // Keep only the chain n1 - n2 - n3 - n4 - n5: n2 reaches n1 and n3 directly, a majority.
  for (NodeId a = 0; a < 5; ++a)
    for (NodeId b = 0; b < 5; ++b)
      if (a != b && (a > b ? a - b : b - a) != 1) links.set_link(a, b, false);
  EXPECT_TRUE(links.quorum_available());
  EXPECT_THAT(links.quorum(), ElementsAre(0u, 1u, 2u));
  // Cutting n2 -> n3 and n3 -> n4 one way breaks every three-node star: n3 is reachable from
  // others only through relays, which Raft does not have.
  links.set_link(1, 2, false);
  links.set_link(2, 3, false);
  EXPECT_FALSE(links.quorum_available());
  EXPECT_TRUE(links.quorum().empty());
  links.set_link(2, 3, true);
  EXPECT_TRUE(links.quorum_available());  // n3 - n4 - n5 again
  EXPECT_THAT(links.quorum(), ElementsAre(2u, 3u, 4u));
}

TEST(LinkModel, DownOrPausedNodesDoNotCount) {
  LinkModel links(3);
  links.set_alive(0, false);
  EXPECT_TRUE(links.quorum_available());
  EXPECT_EQ(links.alive_neighbours(1), 1u);
  EXPECT_EQ(links.neighbours(1), 2u);
  links.set_alive(1, false);
  EXPECT_FALSE(links.quorum_available());
  links.set_alive(0, true);
  EXPECT_TRUE(links.quorum_available());
  EXPECT_THAT(links.quorum(), ElementsAre(0u, 2u));
  // Idempotent updates change nothing.
  links.set_alive(0, true);
  links.set_link(0, 2, true);
  EXPECT_EQ(links.alive_neighbours(2), 1u);
}

}  // namespace
}  // namespace electsim::sim::checks
