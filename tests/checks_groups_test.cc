// The checks over hosts, processes and election groups (issue 8): per-group judging, host records
// reaching every process of the host, services and clients never counted in a quorum, the
// exclusivity rules of the check profiles, the `none` progress model, and the group figures.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "reports/json_report.h"
#include "sim/checks/checks.h"
#include "sim/checks/link_model.h"
#include "sim/layout.h"
#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HandTrace;
using testing::ms;
using testing::violations_of;

// `groups` groups of three members on three hosts, member i of every group on host i: process
// 3g + i is gi+1.n(i+1) on host h(i+1).
std::shared_ptr<const Layout> spread(uint32_t groups) {
  auto layout = std::make_shared<Layout>();
  for (int host = 0; host < 3; ++host) layout->add_host();
  for (uint32_t g = 0; g < groups; ++g) {
    const GroupId group = layout->add_group();
    for (HostId host = 0; host < 3; ++host) layout->add_process(ProcessKind::kMember, host, group);
  }
  return layout;
}

CheckConfig config_with(std::shared_ptr<const Layout> layout) {
  CheckConfig config;
  config.layout = std::move(layout);
  return config;
}

// ---- one_leader_per_epoch, per group ----

TEST(GroupChecks, TermOneInEveryGroupIsNotTwoLeaders) {
  HandTrace trace(config_with(spread(2)));
  trace.at(100).leader(0, 1).at(120).leader(4, 1);
  const CheckResults results = trace.end(1000);
  EXPECT_TRUE(violations_of(results, "one_leader_per_epoch").empty());
  EXPECT_EQ(results.leader_changes, 2u);
}

TEST(GroupChecks, TwoLeadersOfOneGroupInOneTermAreNamedWithTheirGroup) {
  HandTrace trace(config_with(spread(2)));
  trace.at(100).leader(3, 1).at(200).step_down(3).at(300).leader(5, 1);
  const CheckResults results = trace.end(1000);
  const auto found = violations_of(results, "one_leader_per_epoch");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].group, 1u);
  EXPECT_THAT(found[0].nodes, ElementsAre(3u, 5u));
  EXPECT_THAT(found[0].detail, HasSubstr("g2.n3 became leader of epoch 1"));
  EXPECT_THAT(found[0].detail, HasSubstr("g2.n1 already led that epoch"));
}

TEST(GroupChecks, OneGroupStillReadsAsBefore) {
  CheckConfig config;
  config.nodes = 3;
  HandTrace trace(config);
  trace.at(100).leader(0, 1).at(300).leader(2, 1);
  const auto found = violations_of(trace.end(1000), "one_leader_per_epoch");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("n3 became leader of epoch 1 at 300ms, but n1 already"));
  EXPECT_EQ(found[0].detail.find("g1"), std::string::npos);
}

// ---- host records through the layout ----

TEST(GroupChecks, AHostCrashEndsTheLeadershipOfEveryProcessOnIt) {
  CheckConfig config = config_with(spread(2));
  config.recovery_within = Duration::seconds(1);
  HandTrace trace(config);
  // Both groups' leaders run on h1; the others follow.
  trace.at(100).leader(0, 1).follows(1, 0, 1).follows(2, 0, 1);
  trace.at(110).leader(3, 1).follows(4, 3, 1).follows(5, 3, 1);
  trace.at(1000).crash(0);  // host h1: g1.n1 and g2.n1
  trace.at(1300).leader(1, 2).follows(2, 1, 2);
  trace.at(1500).leader(4, 2).follows(5, 4, 2);
  const CheckResults results = trace.end(3000);
  EXPECT_TRUE(results.violations.empty());
  EXPECT_TRUE(results.overlaps.empty());  // the crash ended both old leaderships
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(300),
                                            Duration::milliseconds(500)));
  ASSERT_TRUE(results.groups.has_value());
  EXPECT_EQ(results.groups->max_leaderless, 2u);
  EXPECT_EQ(results.groups->max_leaderless_at, ms(1000));
  EXPECT_EQ(results.groups->worst_group, 1u);
  EXPECT_EQ(results.groups->recovery_max, Duration::milliseconds(500));
}

TEST(GroupChecks, RecoveryIsJudgedPerGroup) {
  CheckConfig config = config_with(spread(2));
  config.recovery_within = Duration::seconds(1);
  HandTrace trace(config);
  trace.at(100).leader(0, 1).follows(1, 0, 1).follows(2, 0, 1);  // only g1 elects
  const CheckResults results = trace.end(3000);
  const auto found = violations_of(results, "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].group, 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("g2: no stable leader"));
}

// ---- services and clients never count in a group's quorum (acceptance 5, checks half) ----

// One group of three members on h1..h3, a service on h4 and a client on h5.
std::shared_ptr<const Layout> group_with_service_and_client() {
  auto layout = std::make_shared<Layout>();
  for (int host = 0; host < 5; ++host) layout->add_host();
  const GroupId group = layout->add_group();
  for (HostId host = 0; host < 3; ++host) layout->add_process(ProcessKind::kMember, host, group);
  layout->add_process(ProcessKind::kService, 3);
  layout->add_process(ProcessKind::kClient, 4);
  return layout;
}

TEST(GroupChecks, ServicesAndClientsNeverCountInAGroupsMajority) {
  auto topology = std::make_shared<const Topology>(group_with_service_and_client());
  LinkModel links(topology, ProgressModel::kGroupMajority);
  EXPECT_EQ(links.majority(0), 2u);  // of three members, not of five processes
  EXPECT_EQ(links.alive_neighbours(0), 2u);
  links.set_alive(1, false);
  EXPECT_TRUE(links.quorum_available(0));
  links.set_alive(2, false);
  // The member on h1, the service and the client are alive: still no majority of the group.
  EXPECT_FALSE(links.quorum_available(0));
  EXPECT_TRUE(links.quorum(0).empty());
}

TEST(GroupChecks, ALoneMemberWithAServiceAndAClientIsNotJudged) {
  CheckConfig config = config_with(group_with_service_and_client());
  config.recovery_within = Duration::seconds(1);
  HandTrace trace(config);
  trace.at(100).leader(0, 1).follows(1, 0, 1).follows(2, 0, 1);
  trace.at(1000).crash(1).crash(2);  // two of three members' hosts
  EXPECT_TRUE(trace.end(10'000).violations.empty());
}

TEST(GroupChecks, ServiceReachableNeedsALinkToAnAliveService) {
  auto topology = std::make_shared<const Topology>(group_with_service_and_client());
  LinkModel links(topology, ProgressModel::kServiceReachable);
  EXPECT_TRUE(links.quorum_available(0));
  for (HostId member_host = 0; member_host < 3; ++member_host) links.set_link(member_host, 3, false);
  EXPECT_FALSE(links.quorum_available(0));  // one-way is not enough
  links.set_link(0, 3, true);
  EXPECT_TRUE(links.quorum_available(0));
  EXPECT_THAT(links.quorum(0), ElementsAre(0u));
  links.set_alive(3, false);  // the service host is down
  EXPECT_FALSE(links.quorum_available(0));
}

// ---- the none progress model (Bully-like: no quorum) ----

CheckConfig no_quorum(uint32_t nodes) {
  CheckConfig config;
  config.nodes = nodes;
  config.profile.progress = ProgressModel::kNone;
  config.recovery_within = Duration::seconds(1);
  return config;
}

TEST(GroupChecks, NoQuorumModelJudgesTwoSurvivorsOfFive) {
  // Three of five crash; the two survivors never elect. A majority rule judges nothing (no
  // quorum); the none rule expects the survivors to elect among themselves.
  auto feed = [](HandTrace& trace) {
    trace.at(100).leader(0, 1);
    for (NodeId n = 1; n < 5; ++n) trace.follows(n, 0, 1);
    trace.at(1000).crash(0).crash(1).crash(2);
    return trace.end(5000);
  };
  CheckConfig majority = no_quorum(5);
  majority.profile.progress = ProgressModel::kGroupMajority;
  HandTrace by_majority(majority);
  EXPECT_TRUE(violations_of(feed(by_majority), "recovery").empty());
  HandTrace by_none(no_quorum(5));
  const auto found = violations_of(feed(by_none), "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("no stable leader for 1s after the crash of n3"));
}

TEST(GroupChecks, NoQuorumModelWantsEveryUpMemberToFollowOneLeader) {
  // n1 leads n2 and n3 (a majority of five); n4 and n5 follow nobody.
  auto feed = [](HandTrace& trace) {
    trace.at(100).leader(0, 1).follows(1, 0, 1).follows(2, 0, 1);
    return trace.end(5000);
  };
  CheckConfig majority = no_quorum(5);
  majority.profile.progress = ProgressModel::kGroupMajority;
  HandTrace by_majority(majority);
  EXPECT_TRUE(feed(by_majority).violations.empty());
  HandTrace by_none(no_quorum(5));
  EXPECT_EQ(violations_of(feed(by_none), "recovery").size(), 1u);
  // Everyone follows one leader, and (Bully's rule) it is the highest live id, n5.
  HandTrace everyone(no_quorum(5));
  everyone.at(100).leader(4, 1);
  for (NodeId n = 0; n < 4; ++n) everyone.follows(n, 4, 1);
  EXPECT_TRUE(everyone.end(5000).violations.empty());
}

// ---- exclusivity rules ----

// n1 leads epoch 1; n2 is elected in epoch 2 at 1s; n1 steps down `after_ms` later.
CheckResults overlap_of(CheckConfig config, int64_t after_ms) {
  HandTrace trace(config);
  trace.at(100).leader(0, 1).at(1000).leader(1, 2).at(1000 + after_ms).step_down(0);
  return trace.end(5000);
}

CheckConfig bounded(int64_t bound_ms, int64_t delay_ms) {
  CheckConfig config;
  config.nodes = 3;
  config.profile.exclusivity = ExclusivityRule::kBounded;
  config.profile.exclusivity_bound = Duration::milliseconds(bound_ms);
  config.profile.bound_formula = "2 x election_timeout.lo + the network's maximum one-way delay";
  config.max_one_way_delay = Duration::milliseconds(delay_ms);
  return config;
}

TEST(Exclusivity, UntilSupersededOnlyReportsOverlaps) {
  CheckConfig config;
  config.nodes = 3;
  const CheckResults results = overlap_of(config, 5000 - 1000 - 1);
  EXPECT_TRUE(results.violations.empty());
  ASSERT_EQ(results.overlaps.size(), 1u);
}

TEST(Exclusivity, StrictMakesEveryOverlapAViolation) {
  CheckConfig config;
  config.nodes = 3;
  config.exclusive = ExclusivityRule::kStrict;
  const CheckResults results = overlap_of(config, 1);
  EXPECT_EQ(violations_of(results, "exclusive_leadership").size(), 1u);
  EXPECT_TRUE(results.safety_violated());
}

TEST(Exclusivity, BoundedPassesAnOverlapWithinTheBound) {
  const CheckResults results = overlap_of(bounded(300, 10), 310);
  EXPECT_TRUE(results.violations.empty());
  EXPECT_EQ(results.overlaps.size(), 1u);
}

TEST(Exclusivity, BoundedCatchesAnOverlapPastTheBound) {
  const CheckResults results = overlap_of(bounded(300, 10), 320);
  const auto found = violations_of(results, "bounded_exclusivity");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kind, CheckKind::kAlways);
  EXPECT_EQ(found[0].time, ms(1310));
  EXPECT_THAT(found[0].nodes, ElementsAre(0u, 1u));
  EXPECT_THAT(found[0].detail,
              HasSubstr("n1 (epoch 1) went on believing it led for 320ms after n2 (epoch 2) "
                        "became leader at 1s"));
  EXPECT_THAT(found[0].detail, HasSubstr("longer than the algorithm's bound of 310ms"));
  EXPECT_THAT(found[0].detail, HasSubstr("2 x election_timeout.lo"));
}

TEST(Exclusivity, BoundedExcusesTheDeposedLeadersPause) {
  // The excuse window starts 4 x 310ms before the overlap, so the whole pause counts.
  HandTrace trace(bounded(300, 10));
  trace.at(100).leader(0, 1).at(900).pause(0).at(1000).leader(1, 2).at(1800).resume(0);
  trace.at(2000).step_down(0);  // 1s of overlap; 900ms paused from 310ms before it
  EXPECT_TRUE(trace.end(5000).violations.empty());
  HandTrace longer(bounded(300, 10));
  longer.at(100).leader(0, 1).at(900).pause(0).at(1000).leader(1, 2).at(1800).resume(0);
  longer.at(2400).step_down(0);  // 500ms running: 900ms of pause within the window
  const auto found = violations_of(longer.end(5000), "bounded_exclusivity");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("500ms of it running, after excusing 900ms"));
}

TEST(Exclusivity, ScenarioMayTightenTheProfile) {
  CheckConfig config = bounded(300, 10);
  EXPECT_EQ(effective_exclusivity(config), ExclusivityRule::kBounded);
  config.exclusive = ExclusivityRule::kUntilSuperseded;  // the loader refuses this; never looser
  EXPECT_EQ(effective_exclusivity(config), ExclusivityRule::kBounded);
  config.exclusive = ExclusivityRule::kStrict;
  EXPECT_EQ(effective_exclusivity(config), ExclusivityRule::kStrict);
  EXPECT_EQ(violations_of(overlap_of(config, 1), "exclusive_leadership").size(), 1u);
}

TEST(Exclusivity, OverlapsArePerGroup) {
  HandTrace trace(config_with(spread(2)));
  trace.at(100).leader(0, 1).at(200).leader(4, 1);  // one leader in each group
  const CheckResults results = trace.end(1000);
  EXPECT_TRUE(results.overlaps.empty());
}

// ---- group figures ----

TEST(GroupFigures, LeadersPerHostImbalance) {
  HandTrace trace(config_with(spread(3)));
  trace.at(100).leader(0, 1).at(200).leader(3, 1).at(300).leader(7, 1);  // h1, h1, h2
  trace.at(400).step_down(3);
  const CheckResults results = trace.end(1000);
  ASSERT_TRUE(results.groups.has_value());
  EXPECT_EQ(results.groups->groups, 3u);
  EXPECT_EQ(results.groups->max_leader_imbalance, 2u);  // h1 led two, h3 none
  EXPECT_EQ(results.groups->max_leader_imbalance_at, ms(200));
  EXPECT_EQ(results.groups->leader_imbalance_at_end, 1u);
  EXPECT_THAT(results.groups->leaders_per_host_at_end, ElementsAre(1u, 1u, 0u));
  EXPECT_EQ(results.groups->leaderless_at_end, 1u);
}

TEST(GroupFigures, SingleGroupRunsHaveNone) {
  CheckConfig config;
  config.nodes = 3;
  HandTrace trace(config);
  trace.at(100).leader(0, 1);
  EXPECT_FALSE(trace.end(1000).groups.has_value());
}

TEST(GroupFigures, JsonGroupsObjectKeys) {
  CheckConfig config = config_with(spread(2));
  config.recovery_within = Duration::seconds(1);
  HandTrace trace(config);
  trace.at(100).leader(0, 1).follows(1, 0, 1).follows(2, 0, 1);
  trace.at(110).leader(3, 1).follows(4, 3, 1).follows(5, 3, 1);
  trace.at(1000).crash(0);
  trace.at(1300).leader(1, 2).follows(2, 1, 2).at(1400).leader(4, 2).follows(5, 4, 2);
  reports::RunResult run;
  run.reproduce = "electsim run x.yaml --seed 1";
  run.checks = trace.end(3000);
  const auto json = reports::run_to_json(run);
  ASSERT_TRUE(json.contains("groups"));
  const auto& groups = json["groups"];
  for (const char* key : {"count", "max_leaderless", "max_leaderless_at_ns", "leaderless_at_end",
                          "leader_imbalance_at_end", "max_leader_imbalance",
                          "max_leader_imbalance_at_ns", "leaders_per_host_at_end", "recovery_ns",
                          "worst_group"}) {
    EXPECT_TRUE(groups.contains(key)) << key;
  }
  EXPECT_EQ(groups["count"], 2);
  EXPECT_EQ(groups["max_leaderless"], 2);
  EXPECT_EQ(groups["max_leaderless_at_ns"], 1'000'000'000);
  EXPECT_EQ(groups["recovery_ns"]["max"], 400'000'000);
  EXPECT_EQ(groups["recovery_ns"]["count"], 2);
  EXPECT_EQ(groups["worst_group"]["group"], "g2");
  EXPECT_EQ(groups["worst_group"]["reproduce"], "electsim run x.yaml --seed 1");
}

TEST(GroupFigures, SingleGroupJsonHasNoGroupsObject) {
  CheckConfig config;
  config.nodes = 3;
  HandTrace trace(config);
  trace.at(100).leader(0, 1).at(200).leader(2, 1);
  reports::RunResult run;
  run.checks = trace.end(1000);
  const auto json = reports::run_to_json(run);
  EXPECT_FALSE(json.contains("groups"));
  EXPECT_FALSE(json["violations"][0].contains("group"));
  EXPECT_EQ(json["violations"][0]["nodes"][1], "n3");
}

}  // namespace
}  // namespace electsim::sim::checks
