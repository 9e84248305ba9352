// The sometimes goals, each reached by one hand-fed trace and missed by a near miss.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>

#include "sim/checks/checks.h"
#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using ::testing::ElementsAre;
using testing::HandTrace;
using testing::ms;

struct GoalCase {
  std::string goal;
  std::function<void(HandTrace&)> reach;  // a trace that reaches the goal
  std::function<void(HandTrace&)> miss;   // the closest trace that does not
};

// Three nodes; n1 leads epoch 1 with both others following.
void elect_n1(HandTrace& trace) {
  trace.at(100).leader(0, 1).at(110).follows(1, 0, 1).follows(2, 0, 1);
}

std::vector<GoalCase> goal_cases() {
  return {
      {"leader_crashed",
       [](HandTrace& t) { elect_n1(t); t.at(1000).crash(0); },
       [](HandTrace& t) { elect_n1(t); t.at(1000).crash(1); }},  // a follower crashed
      {"new_leader_elected",
       [](HandTrace& t) { elect_n1(t); t.at(1000).crash(0).at(1300).leader(1, 2); },
       // Re-elected, but in an epoch that existed before the fault.
       [](HandTrace& t) {
         t.at(50).leader(2, 3).at(100).follows(1, 2, 3).at(200).leader(0, 1).at(1000).crash(0)
             .at(1300).leader(2, 3);
       }},
      {"leader_isolated",
       [](HandTrace& t) { elect_n1(t); t.at(1000).link(0, 1, false).link(0, 2, false); },
       // One link of the leader cut: it still reaches n3 both ways, a majority of three.
       [](HandTrace& t) { elect_n1(t); t.at(1000).link(0, 1, false).link(1, 2, false); }},
      {"leader_paused",
       [](HandTrace& t) { elect_n1(t); t.at(1000).pause(0).at(2000).resume(0); },
       [](HandTrace& t) { elect_n1(t); t.at(1000).pause(2).at(2000).resume(2); }},
      {"node_restarted",
       [](HandTrace& t) { t.at(1000).crash(1).at(2000).restart(1); },
       [](HandTrace& t) { t.at(1000).crash(1); }},
      {"amnesia_restart",
       [](HandTrace& t) { t.at(1000).crash(1).at(2000).restart(1, /*amnesia=*/true); },
       [](HandTrace& t) { t.at(1000).crash(1).at(2000).restart(1); }},
      {"clock_changed",
       [](HandTrace& t) { t.at(1000).clock(2); },
       // A clock set at true time zero is the scenario's initial skew, not a fault.
       [](HandTrace& t) { t.at(0).clock(2); }},
      {"partition_healed",
       [](HandTrace& t) {
         t.at(1000).fault_start(0, FaultCode::kPartition).at(2000).fault_end(0,
                                                                         FaultCode::kPartition);
       },
       [](HandTrace& t) {
         t.at(1000).fault_start(0, FaultCode::kPartition).fault_end(1, FaultCode::kLinkFault);
       }},
      {"fault_fired",
       [](HandTrace& t) { t.at(1000).fault_start(0, FaultCode::kClockJump); },
       [](HandTrace& t) { t.at(1000).crash(1); }},  // injected directly, not by a fault
  };
}

CheckConfig declaring(const std::string& goal) {
  CheckConfig config;
  config.nodes = 3;
  config.sometimes = {goal};
  return config;
}

TEST(SometimesGoals, EveryGoalIsReachedByItsSituation) {
  for (const GoalCase& c : goal_cases()) {
    HandTrace trace(declaring(c.goal));
    c.reach(trace);
    const CheckResults results = trace.end(5000);
    EXPECT_THAT(results.goals_reached, ElementsAre(c.goal)) << c.goal;
    EXPECT_TRUE(results.goals_missed.empty()) << c.goal;
    EXPECT_FALSE(results.liveness_violated()) << c.goal;
  }
}

TEST(SometimesGoals, EveryGoalIsMissedByANearMiss) {
  for (const GoalCase& c : goal_cases()) {
    HandTrace trace(declaring(c.goal));
    c.miss(trace);
    const CheckResults results = trace.end(5000);
    EXPECT_TRUE(results.goals_reached.empty()) << c.goal;
    EXPECT_THAT(results.goals_missed, ElementsAre(c.goal)) << c.goal;
    ASSERT_EQ(results.violations.size(), 1u) << c.goal;
    const Violation& violation = results.violations[0];
    EXPECT_EQ(violation.check, "sometimes");
    EXPECT_EQ(violation.kind, CheckKind::kSometimes);
    EXPECT_EQ(violation.time, ms(5000));  // the end of the run
    EXPECT_EQ(violation.detail, "goal " + c.goal + " never reached");
    EXPECT_TRUE(results.liveness_violated()) << c.goal;
    EXPECT_FALSE(results.safety_violated()) << c.goal;
  }
}

TEST(SometimesGoals, TheCasesCoverTheWholeCatalogue) {
  std::set<std::string> covered;
  for (const GoalCase& c : goal_cases()) covered.insert(c.goal);
  for (const GoalInfo& info : goal_catalogue()) EXPECT_EQ(covered.count(info.name), 1u) << info.name;
}

TEST(SometimesGoals, AHealAfterAPartitionCounts) {
  HandTrace trace(declaring("partition_healed"));
  trace.at(1000).fault_start(0, FaultCode::kPartition).at(2000).fault_start(1, FaultCode::kHeal);
  EXPECT_THAT(trace.end(3000).goals_reached, ElementsAre("partition_healed"));
}

TEST(SometimesGoals, OnlyDeclaredGoalsAreReportedInDeclaredOrder) {
  CheckConfig config;
  config.nodes = 3;
  config.sometimes = {"node_restarted", "leader_crashed", "fault_fired"};
  HandTrace trace(config);
  elect_n1(trace);
  trace.at(1000).crash(0).at(2000).restart(0).at(2500).clock(1);  // clock_changed: undeclared
  const CheckResults results = trace.end(3000);
  EXPECT_THAT(results.goals_reached, ElementsAre("node_restarted", "leader_crashed"));
  EXPECT_THAT(results.goals_missed, ElementsAre("fault_fired"));
}

TEST(SometimesGoals, AnIsolatedFollowerIsNotAnIsolatedLeader) {
  HandTrace trace(declaring("leader_isolated"));
  elect_n1(trace);
  trace.at(1000).isolate(2, 3);
  EXPECT_THAT(trace.end(3000).goals_missed, ElementsAre("leader_isolated"));
}

}  // namespace
}  // namespace electsim::sim::checks
