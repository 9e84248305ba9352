// Zab through the real binary: `electsim list` shows it, it runs the library's scenarios with
// the ticks their `algorithm.params_for.zab` blocks scale to their faults (docs/ALGORITHMS.md,
// "Timing on the library's scenarios"), runs are reproducible, and the test-only broken variants
// (tests/algorithms/zab_variants.h) are caught by the checks named. The variants run under names
// of their own, which the scenarios' blocks do not name, so they get the same ticks by --set.
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/algorithms/zab_variants.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

// The ticks the library's Raft-scale scenarios give Zab (their params_for.zab blocks), for the
// variants.
const std::string kScaled =
    " --set algorithm.params.tick_time=100ms --set algorithm.params.max_notification_interval=2s";

Json sweep_json(const std::string& binary, const std::string& name, const std::string& args,
                int expected_exit) {
  const auto dir = temp_dir(name);
  const auto json_path = dir / "sweep.json";
  const CommandResult result = run_binary(binary, args + " --json " + json_path.string(), dir);
  EXPECT_EQ(result.exit_code, expected_exit) << result.out << result.err;
  return Json::parse(read_text(json_path));
}

std::set<std::string> checks_of_first_failure(const Json& sweep) {
  std::set<std::string> names;
  for (const Json& run : sweep["runs"]) {
    if (run["verdict"] == "pass") continue;
    for (const Json& violation : run["violations"]) names.insert(violation["check"]);
    break;
  }
  return names;
}

TEST(ZabCli, ListShowsTheParametersWithZooKeepersDefaultsAndTheProfile) {
  const auto dir = temp_dir("zab-list");
  const CommandResult result = run_electsim("list", dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("  zab: ZooKeeper's Fast Leader Election"));
  EXPECT_THAT(result.out, HasSubstr("token epoch (zxid high bits; also the fencing token); "
                                    "reports support: yes"));
  EXPECT_THAT(result.out, HasSubstr("exclusivity bounded ((init_limit + sync_limit + 1) x "
                                    "tick_time + the network's maximum one-way delay)"));
  for (const char* line : {"algorithm.params.tick_time", "default 2s",
                           "algorithm.params.init_limit", "default 10",
                           "algorithm.params.sync_limit", "default 5",
                           "algorithm.params.finalize_wait", "default 200ms",
                           "algorithm.params.max_notification_interval", "default 60s"}) {
    EXPECT_THAT(result.out, HasSubstr(line));
  }
}

// The leader crash scenario: the crashed leader's successor is elected within the bound, in a
// higher epoch, and a run's fingerprint is the same twice.
TEST(ZabCli, LeaderCrashRecoversWithinTheBoundAndIsReproducible) {
  const auto dir = temp_dir("zab-leader-crash");
  const std::string args = "run " + source_path("scenarios/library/raft-leader-crash.yaml") +
                           " --algorithm zab --seed 3";
  const CommandResult first = run_electsim(args + " --json " + (dir / "a.json").string(), dir);
  const CommandResult second = run_electsim(args + " --json " + (dir / "b.json").string(), dir);
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  const Json a = Json::parse(read_text(dir / "a.json"));
  const Json b = Json::parse(read_text(dir / "b.json"));
  EXPECT_EQ(a["fingerprint"], b["fingerprint"]);
  EXPECT_GE(a["leader_changes"].get<int>(), 2);
  EXPECT_EQ(a["stale_writes_accepted"].get<int>(), 0);
  EXPECT_THAT(first.out, HasSubstr("reached: leader_crashed, new_leader_elected"));
}

// Issue 10, acceptance 1 in small, with no flag but --algorithm: the nemesis with fencing on,
// every seed recovers, no stale write is accepted, and no check fails (the support checks
// included: Zab reports its ACKEPOCHs).
TEST(ZabCli, NemesisSeedsRecoverWithNoStaleWrites) {
  const Json result = sweep_json(
      ELECTSIM_BINARY, "zab-nemesis",
      "sweep " + source_path("scenarios/library/nemesis.yaml") +
          " --algorithm zab --seeds 1..40 --jobs 2 --quiet",
      0);
  EXPECT_EQ(result["passed"].get<int>(), 40);
  EXPECT_EQ(result["runs"][0]["params"]["tick_time_ns"].get<int64_t>(), 100'000'000);
  EXPECT_GT(result["writes_accepted"].get<int64_t>(), 40);  // leaders did write to the resource
  EXPECT_EQ(result["stale_writes_accepted"].get<int>(), 0);
  EXPECT_EQ(result["recovery_ns"]["unrecovered"].get<int>(), 0);
  EXPECT_GT(result["leader_changes"].get<int>(), 40);  // the faults did depose leaders
}

// The planned broken variant: a vote order that ignores epochs elects servers with stale logs,
// but discovery refuses them (a follower ahead of the leader does not count), so the group is
// left without a leader: the recovery check catches it, no safety check has anything to see.
TEST(ZabCli, VoteOrderIgnoringEpochsIsCaughtByRecovery) {
  const Json result = sweep_json(
      ELECTSIM_TEST_ALGORITHMS_BINARY, "zab-vote-ignores-epoch",
      "sweep " + source_path("scenarios/library/nemesis.yaml") + " --algorithm " +
          kZabVoteIgnoresEpochName + " --seeds 1..11 --jobs 2 --quiet" + kScaled,
      2);
  ASSERT_FALSE(result["failing_seeds"].empty());
  EXPECT_EQ(result["failing_seeds"][0].get<int>(), 11);
  EXPECT_EQ(checks_of_first_failure(result), std::set<std::string>{"recovery"});
}

// Issue 10, acceptance 4, by a safety check: the vote order above and a discovery that counts a
// follower ahead of the leader (tests/algorithms/zab_variants.h) elect a server whose log lacks
// a transaction committed in an earlier epoch, which leader_completeness catches at the election
// (on 476 of the first 1,000 nemesis seeds).
TEST(ZabCli, StaleLeaderWinningDiscoveryIsCaughtByLeaderCompleteness) {
  const Json result = sweep_json(
      ELECTSIM_TEST_ALGORITHMS_BINARY, "zab-stale-leader-wins",
      "sweep " + source_path("scenarios/library/nemesis.yaml") + " --algorithm " +
          kZabStaleLeaderWinsName + " --seeds 1..1 --quiet" + kScaled,
      1);
  ASSERT_EQ(result["failing_seeds"].size(), 1u);
  EXPECT_EQ(result["failing_seeds"][0].get<int>(), 1);
  EXPECT_EQ(checks_of_first_failure(result), std::set<std::string>{"leader_completeness"});
}

// getEpochToPropose without its "+ 1": a prospective leader proposes an epoch it had already
// acknowledged to another leader and acknowledges it again, to itself: one_vote_per_epoch sees
// the second ACKEPOCH for one epoch (and the group livelocks: recovery), on the first seed.
TEST(ZabCli, NewEpochOffByOneIsCaughtByOneVotePerEpoch) {
  const Json result = sweep_json(
      ELECTSIM_TEST_ALGORITHMS_BINARY, "zab-new-epoch-off-by-one",
      "sweep " + source_path("scenarios/library/nemesis.yaml") + " --algorithm " +
          kZabNewEpochOffByOneName + " --seeds 1..1 --quiet" + kScaled,
      1);
  ASSERT_EQ(result["failing_seeds"].size(), 1u);
  EXPECT_EQ(result["failing_seeds"][0].get<int>(), 1);
  EXPECT_EQ(checks_of_first_failure(result),
            (std::set<std::string>{"one_vote_per_epoch", "recovery"}));
}

// Issue 14, acceptance 1, Zab's support rule: a leader elected by f ACKEPOCHs of 2f + 1 is
// caught by leader_had_a_quorum at the moment it is elected, on the first nemesis seed.
TEST(ZabCli, EpochQuorumShortByOneIsCaughtByLeaderHadAQuorum) {
  const Json result = sweep_json(
      ELECTSIM_TEST_ALGORITHMS_BINARY, "zab-epoch-quorum-short",
      "sweep " + source_path("scenarios/library/nemesis.yaml") + " --algorithm " +
          kZabEpochQuorumShortName + " --seeds 1..1 --quiet" + kScaled,
      1);
  ASSERT_EQ(result["failing_seeds"].size(), 1u);
  EXPECT_EQ(result["failing_seeds"][0].get<int>(), 1);
  EXPECT_EQ(checks_of_first_failure(result), std::set<std::string>{"leader_had_a_quorum"});
  const Json& violation = result["runs"][0]["violations"][0];
  EXPECT_THAT(violation["detail"].get<std::string>(), HasSubstr("short of the majority of 3"));
}

}  // namespace
}  // namespace electsim::testing
