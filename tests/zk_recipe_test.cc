// zk-recipe, one rule per test, each named after its source (algorithms/zk_recipe/zk_recipe.h
// cites them): the ZooKeeper recipes page, the Programmer's Guide, ClientCnxn, Curator's
// ConnectionStateManager and LeaderLatch. The scenarios run in-process with their traces kept.
#include <gtest/gtest.h>

#include "algorithms/zk_recipe/zk_recipe.h"
#include "tests/zk_test_support.h"

namespace electsim::testing {
namespace {

using algorithms::zk_recipe::ZkRecipeOptions;
using sim::Duration;

ZkRecipeOptions with_session(Duration asked, Duration tick) {
  ZkRecipeOptions options;
  options.session_timeout = asked;
  options.tick_time = tick;
  return options;
}

TEST(ZkRecipe, ProgrammersGuide_SessionTimeoutIsNegotiatedWithinTwoToTwentyTicks) {
  // Curator asks for 60s by default; a server with a 2s tick grants at most 40s.
  EXPECT_EQ(with_session(Duration::seconds(60), Duration::seconds(2)).negotiated_session_timeout(),
            Duration::seconds(40));
  EXPECT_EQ(with_session(Duration::seconds(1), Duration::seconds(2)).negotiated_session_timeout(),
            Duration::seconds(4));
  EXPECT_EQ(with_session(Duration::seconds(6), Duration::seconds(2)).negotiated_session_timeout(),
            Duration::seconds(6));
}

TEST(ZkRecipe, ClientCnxn_ReadTimeoutIsTwoThirdsOfTheSessionAndPingsComeBeforeHalfOfIt) {
  const ZkRecipeOptions six = with_session(Duration::seconds(6), Duration::seconds(2));
  EXPECT_EQ(six.read_timeout(), Duration::seconds(4));
  EXPECT_EQ(six.ping_interval(), Duration::seconds(1));  // idle for a second: never sooner
  const ZkRecipeOptions forty = with_session(Duration::seconds(60), Duration::seconds(2));
  EXPECT_EQ(forty.read_timeout(), Duration::nanoseconds(26'666'666'666));
  // readTimeout / 2 less the one second ClientCnxn takes off an idle client.
  EXPECT_EQ(forty.ping_interval(), Duration::nanoseconds(12'333'333'333));
}

const char* const kSession = "session_timeout: 6s, tick_time: 2s";

TEST(ZkRecipe, LeaderLatch_TheSmallestZnodeLeadsWithItsCzxidAndTheOthersFollowIt) {
  const TracedRun run = run_inline(lease_scenario("zk-recipe", kSession, "20s", ""), 1);
  const auto leaders = of_kind(run.records, "became_leader");
  ASSERT_EQ(leaders.size(), 1u) << "one leader and no change without faults";
  const Json& leader = leaders[0];
  EXPECT_EQ(leader["token"], leader["epoch"]) << "the token is the czxid, which is the epoch";
  EXPECT_TRUE(leader["lease_until_ns"].is_number()) << "a lease recipe says until when";
  const auto follows = of_kind(run.records, "follows");
  ASSERT_EQ(follows.size(), 2u);
  for (const Json& follow : follows) {
    EXPECT_EQ(follow["leader"], leader["process"]);
    EXPECT_EQ(follow["epoch"], leader["epoch"]);
  }
  EXPECT_EQ(run.result.verdict, reports::Verdict::kPass);
}

// The leader's links to the server are cut at 10s for 20s. The client hears nothing for its
// read timeout (4s of a 6s session), Curator says SUSPENDED, and LeaderLatch gives up at once:
// before the server, 6s after the last ping it heard, expires the session and the successor
// leads.
const char* const kPartitionFromService =
    "faults:\n  - {at: 10s, partition: {links: [[leader, service_host]], both_ways: true}, "
    "heal_after: 20s}\n";

TEST(ZkRecipe, ConnectionStateManager_SuspendedLeaderStepsDownBeforeTheServerExpiresItsSession) {
  const TracedRun run =
      run_inline(lease_scenario("zk-recipe", kSession, "40s", kPartitionFromService), 1);
  const auto leaders = of_kind(run.records, "became_leader");
  ASSERT_GE(leaders.size(), 2u);
  const Json& old_leader = leaders[0];
  const auto downs = where(run.records, "stepped_down", "process", old_leader["process"]);
  ASSERT_FALSE(downs.empty());
  EXPECT_EQ(downs[0]["reason"], "session_expired");
  // SUSPENDED comes a read timeout after the last ping reply, which is at most a ping interval
  // (1s) and a round trip before the cut.
  EXPECT_GE(time_ns(downs[0]), 10 * kSecond + 4 * kSecond - kSecond - 50 * kMillisecond);
  EXPECT_LE(time_ns(downs[0]), 10 * kSecond + 4 * kSecond + kMillisecond);
  const Json& successor = leaders[1];
  EXPECT_NE(successor["process"], old_leader["process"]);
  EXPECT_GT(successor["epoch"].get<uint64_t>(), old_leader["epoch"].get<uint64_t>());
  EXPECT_GT(time_ns(successor), time_ns(downs[0])) << "no overlap: it stopped first";
  EXPECT_TRUE(run.result.checks.overlaps.empty());
}

TEST(ZkRecipe, ConnectionStateManager_LostSessionRejoinsBehindTheNewLeaderAfterTheHeal) {
  const TracedRun run =
      run_inline(lease_scenario("zk-recipe", kSession, "40s", kPartitionFromService), 1);
  const auto leaders = of_kind(run.records, "became_leader");
  ASSERT_EQ(leaders.size(), 2u) << "the old leader, LOST, comes back as a candidate";
  const auto follows = where(run.records, "follows", "process", leaders[0]["process"]);
  ASSERT_FALSE(follows.empty());
  EXPECT_GE(time_ns(follows.back()), 30 * kSecond) << "after the partition healed";
  EXPECT_EQ(follows.back()["leader"], leaders[1]["process"]);
  EXPECT_EQ(run.result.verdict, reports::Verdict::kPass);
}

TEST(ZkRecipe, LeaderLatch_ARestartedCandidateGetsANewZnodeBehindTheOthers) {
  const std::string faults = "faults:\n  - {at: 10s, crash: leader, restart_after: 1s}\n";
  const TracedRun run = run_inline(lease_scenario("zk-recipe", kSession, "30s", faults), 1);
  const auto leaders = of_kind(run.records, "became_leader");
  ASSERT_EQ(leaders.size(), 2u);
  EXPECT_NE(leaders[1]["process"], leaders[0]["process"]) << "its old znode still led until "
                                                             "the server expired its session";
  // The server expires the crashed client's session 6s after its last ping.
  EXPECT_GE(time_ns(leaders[1]), 10 * kSecond + 6 * kSecond - kSecond - 50 * kMillisecond);
  const auto follows = where(run.records, "follows", "process", leaders[0]["process"]);
  ASSERT_FALSE(follows.empty());
  EXPECT_EQ(follows.back()["leader"], leaders[1]["process"]);
}

}  // namespace
}  // namespace electsim::testing
