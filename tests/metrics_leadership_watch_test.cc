// The leadership figures and the alert rules of sim/checks/leadership_watch.h, on hand-written
// traces whose true times make every expected figure easy to check by hand.
#include <memory>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/checks/leadership_watch.h"
#include "sim/trace.h"
#include "sim/trace_records.h"

namespace electsim::sim::checks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Instant at_ms(int64_t ms) { return Instant::zero() + Duration::milliseconds(ms); }

// Records leadership events for the processes of `layout`, and ends the trace.
class Script {
 public:
  Script(std::shared_ptr<const Layout> layout, AlertRules rules)
      : layout_(std::move(layout)), watch_(layout_, rules) {
    watch_.attach(trace_);
  }
  void elected(ProcessId process, int64_t ms, uint64_t epoch = 1) {
    trace_.record(at_ms(ms), LeaderElected{process, layout_->process(process).group, epoch,
                                           epoch, std::nullopt});
  }
  void stepped_down(ProcessId process, int64_t ms, StepDownReason reason) {
    trace_.record(at_ms(ms), LeaderSteppedDown{process, layout_->process(process).group, reason,
                                               1});
  }
  void follows(ProcessId process, ProcessId leader, int64_t ms, uint64_t epoch) {
    trace_.record(at_ms(ms), FollowsLeader{process, leader, layout_->process(process).group,
                                           epoch});
  }
  void fault(int64_t ms) { trace_.record(at_ms(ms), FaultStarted{0, 0, 0}); }
  const LeadershipFigures& end(int64_t ms) {
    trace_.end(at_ms(ms));
    return watch_.figures();
  }

 private:
  std::shared_ptr<const Layout> layout_;
  Trace trace_;
  LeadershipWatch watch_;
};

std::shared_ptr<const Layout> one_group(uint32_t nodes) {
  return std::make_shared<const Layout>(Layout::single_group(nodes));
}

AlertRules leaderless_rule(int64_t ms) {
  AlertRules rules;
  rules.leaderless_longer_than = Duration::milliseconds(ms);
  return rules;
}

// n1 leads from 300 ms to its crash at 10 s; n2 from 17 s to the end at 20 s.
const LeadershipFigures& crash_and_gap(Script& script) {
  script.elected(0, 300);
  script.stepped_down(0, 10'000, StepDownReason::kCrashed);
  script.elected(1, 17'000, 2);
  return script.end(20'000);
}

TEST(MetricsLeadershipWatch, LeaderlessTimeIsEveryPeriodWithoutABelievingMember) {
  Script script(one_group(3), AlertRules{});
  const LeadershipFigures& figures = crash_and_gap(script);
  // The first election (300 ms) counts, and the 7 s gap after the crash.
  EXPECT_EQ(figures.leaderless, Duration::milliseconds(7'300));
  EXPECT_EQ(figures.overlap, Duration::zero());
  EXPECT_THAT(figures.leading_at_end, ElementsAre(1));
  EXPECT_TRUE(figures.alerts.empty());
}

TEST(MetricsLeadershipWatch, LeaderlessRuleFiresWhenThePeriodPassesTheBound) {
  Script script(one_group(3), leaderless_rule(5'000));
  const LeadershipFigures& figures = crash_and_gap(script);
  ASSERT_EQ(figures.alerts.size(), 1u);
  EXPECT_EQ(figures.alerts[0].rule, kLeaderlessAlert);
  // It fired 5 s into the gap that began at 10 s, not when the gap ended.
  EXPECT_EQ(figures.alerts[0].time, at_ms(15'000));
  EXPECT_THAT(figures.alerts[0].detail, HasSubstr("no leader from 10s to 17s"));
  EXPECT_EQ(figures.leaderless_fired, 1u);
}

TEST(MetricsLeadershipWatch, LeaderlessRuleStaysSilentForShorterGaps) {
  Script script(one_group(3), leaderless_rule(7'000));  // the gap is exactly 7 s: not longer
  EXPECT_TRUE(crash_and_gap(script).alerts.empty());
}

TEST(MetricsLeadershipWatch, AGroupLeaderlessAtTheEndFiresToo) {
  Script script(one_group(3), leaderless_rule(5'000));
  script.elected(0, 300);
  script.stepped_down(0, 2'000, StepDownReason::kQuorumLost);
  const LeadershipFigures& figures = script.end(20'000);
  ASSERT_EQ(figures.alerts.size(), 1u);
  EXPECT_EQ(figures.alerts[0].time, at_ms(7'000));
  EXPECT_THAT(figures.alerts[0].detail, HasSubstr("until the run ended at 20s"));
  EXPECT_TRUE(figures.leading_at_end.empty());
}

TEST(MetricsLeadershipWatch, OverlapIsTheTimeTwoMembersBelieveAtOnce) {
  Script script(one_group(3), AlertRules{});
  script.elected(0, 1'000);
  script.elected(1, 2'000, 2);  // n1 has not heard of it yet
  script.stepped_down(0, 2'500, StepDownReason::kHigherEpochSeen);
  const LeadershipFigures& figures = script.end(4'000);
  EXPECT_EQ(figures.overlap, Duration::milliseconds(500));
  EXPECT_EQ(figures.leaderless, Duration::milliseconds(1'000));
}

TEST(MetricsLeadershipWatch, LeaderChangesFireOncePerStretchAboveTheRate) {
  AlertRules rules;
  rules.leader_changes = LeaderChangesRule{2, Duration::seconds(10)};
  Script script(one_group(3), rules);
  // 1, 2, 3 s: three within 10 s, fires at 3 s; 4 s keeps it firing; 20, 21, 22 s fire again.
  for (const int64_t ms : {1'000, 2'000, 3'000, 4'000, 20'000, 21'000, 22'000}) {
    script.elected(0, ms);
  }
  const LeadershipFigures& figures = script.end(30'000);
  ASSERT_EQ(figures.alerts.size(), 2u);
  EXPECT_EQ(figures.alerts[0].time, at_ms(3'000));
  EXPECT_EQ(figures.alerts[1].time, at_ms(22'000));
  EXPECT_EQ(figures.alerts[0].rule, kLeaderChangesAlert);
  EXPECT_THAT(figures.alerts[0].detail, HasSubstr("3 leaders elected within 2s"));
  EXPECT_EQ(figures.leader_changes_fired, 2u);
}

TEST(MetricsLeadershipWatch, LeaderChangesSpreadOutNeverFire) {
  AlertRules rules;
  rules.leader_changes = LeaderChangesRule{2, Duration::seconds(10)};
  Script script(one_group(3), rules);
  for (const int64_t ms : {1'000, 6'000, 11'000, 16'000}) script.elected(0, ms);  // 2 per 10 s
  EXPECT_TRUE(script.end(30'000).alerts.empty());
}

TEST(MetricsLeadershipWatch, SeveralGroupsAreMeasuredAndNamedApart) {
  auto layout = std::make_shared<Layout>();
  for (int host = 0; host < 2; ++host) layout->add_host();
  for (int group = 0; group < 2; ++group) {
    const GroupId id = layout->add_group();
    for (HostId host = 0; host < 2; ++host) layout->add_process(ProcessKind::kMember, host, id);
  }
  Script script(layout, leaderless_rule(5'000));
  script.elected(0, 1'000);   // g1.n1
  script.elected(2, 8'000);   // g2.n1: g2 waited 8 s
  const LeadershipFigures& figures = script.end(10'000);
  EXPECT_EQ(figures.leaderless, Duration::milliseconds(9'000));
  ASSERT_EQ(figures.alerts.size(), 1u);
  EXPECT_EQ(figures.alerts[0].group, 1u);
  EXPECT_THAT(figures.alerts[0].detail, HasSubstr("g2 had no leader from 0s to 8s"));
  EXPECT_THAT(figures.leading_at_end, ElementsAre(0, 2));
}

TEST(MetricsLeadershipWatch, TheAlertListIsBounded) {
  AlertRules rules;
  rules.leader_changes = LeaderChangesRule{0, Duration::milliseconds(1)};  // every election
  Script script(one_group(3), rules);
  for (int64_t i = 0; i < 150; ++i) script.elected(0, 10 * (i + 1));
  const LeadershipFigures& figures = script.end(10'000);
  EXPECT_EQ(figures.alerts.size(), LeadershipWatch::kMaxAlerts);
  EXPECT_EQ(figures.alerts_omitted, 50u);
  EXPECT_EQ(figures.leader_changes_fired, 150u);
}

// `electsim compare`'s "time without a leader" is the part after the first fault: the first
// election, which no fault caused, stays out of a comparison of algorithms under faults.
TEST(LeadershipWatch, LeaderlessTimeSinceTheFirstFaultLeavesOutTheFirstElection) {
  Script script(one_group(3), {});
  script.elected(0, 100);                           // 0..100: the first election
  script.fault(1000);                               // the first fault
  script.stepped_down(0, 1000, StepDownReason::kCrashed);
  script.elected(1, 1300, 2);                       // 300 ms without a leader
  script.stepped_down(1, 2000, StepDownReason::kHigherEpochSeen);
  script.elected(2, 2100, 3);                       // another 100 ms
  script.elected(0, 2500, 4);                       // an overlap: someone always leads
  script.stepped_down(2, 2600, StepDownReason::kHigherEpochSeen);
  script.follows(0, 1, 2800, 5);                    // the last leader follows another: 200 ms
  const LeadershipFigures& figures = script.end(3000);
  EXPECT_EQ(figures.leaderless, Duration::milliseconds(100 + 300 + 100 + 200));
  EXPECT_EQ(figures.leaderless_since_first_fault, Duration::milliseconds(300 + 100 + 200));
  EXPECT_EQ(figures.overlap, Duration::milliseconds(100));
}

TEST(LeadershipWatch, ALeaderlessStretchAcrossTheFirstFaultCountsOnlyItsPartAfterIt) {
  Script script(one_group(3), {});
  script.fault(400);  // before anyone leads
  script.elected(0, 1000);
  const LeadershipFigures& figures = script.end(2000);
  EXPECT_EQ(figures.leaderless, Duration::milliseconds(1000));
  EXPECT_EQ(figures.leaderless_since_first_fault, Duration::milliseconds(600));
}

TEST(LeadershipWatch, WithoutAFaultNothingCountsSinceTheFirst) {
  Script script(one_group(3), {});
  script.elected(1, 250);
  const LeadershipFigures& figures = script.end(1000);
  EXPECT_EQ(figures.leaderless, Duration::milliseconds(250));
  EXPECT_EQ(figures.leaderless_since_first_fault, Duration::zero());
}

}  // namespace
}  // namespace electsim::sim::checks
