// Issue 11, acceptance 6, for zk-recipe: the planted bugs of tests/algorithms/zk_variants.h,
// through electsim_with_test_algorithms.
// - A leader that keeps believing when SUSPENDED (Curator's SessionConnectionStateErrorPolicy
//   instead of the default StandardConnectionStateErrorPolicy) is caught within 2,000 seeds by
//   exclusive_leadership, on a scenario the real recipe passes on every one of those seeds.
// - Candidates that all watch the leader (the herd effect the ZooKeeper recipes page warns of)
//   are no safety bug: the run passes, and the report shows the herd in message counts.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using Json = nlohmann::json;

struct Sweep {
  int exit_code = -1;
  Json json;
  std::string printed;
};

// Writes `yaml` into a scenario file and runs `command` (run or sweep) on it with --json.
Sweep run_with_test_algorithms(const std::string& name, const std::string& yaml,
                               const std::string& command) {
  const auto dir = temp_dir("zk-variants-" + name);
  const auto scenario = dir / (name + ".yaml");
  std::ofstream(scenario) << yaml;
  const auto json_path = dir / "out.json";
  const CommandResult result = run_binary(
      ELECTSIM_TEST_ALGORITHMS_BINARY,
      command + " " + scenario.string() + " --quiet --json " + json_path.string(), dir);
  Sweep sweep;
  sweep.exit_code = result.exit_code;
  sweep.printed = result.out + result.err;
  sweep.json = Json::parse(read_text(json_path));
  return sweep;
}

// The leader's links to the server are cut at a random moment for 20s, past its 6s session;
// no resource fences the data, so any overlap is a violation (strict exclusivity).
std::string partition_scenario(const std::string& algorithm) {
  return "version: 1\nname: zk-partition-" + algorithm + "\n"
         "cluster: {hosts: 4, service: [h4]}\n"
         "algorithm: {name: " + algorithm + ", params: {session_timeout: 6s, tick_time: 2s}}\n"
         "network:\n  latency: {distribution: normal, mean: 5ms, stddev: 3ms, min: 1ms}\n"
         "duration: 40s\n"
         "faults:\n  - {at: 5s..15s, partition: {links: [[leader, service_host]], both_ways: "
         "true}, heal_after: 20s}\n";
}

TEST(ZkVariants, StandardErrorPolicy_RealRecipePassesEverySeedOfThePartition) {
  const Sweep sweep = run_with_test_algorithms(
      "real", partition_scenario("zk-recipe"), "sweep --seeds 1..20");
  EXPECT_EQ(sweep.exit_code, 0) << sweep.printed;
  EXPECT_EQ(sweep.json["failed"], 0) << sweep.printed;
}

TEST(ZkVariants, SessionErrorPolicy_LeaderIgnoringSuspendedIsCaughtWithin2000Seeds) {
  const Sweep sweep = run_with_test_algorithms(
      "ignores-suspended", partition_scenario("zk-recipe-ignores-suspended"),
      "sweep --seeds 1..20");
  EXPECT_EQ(sweep.exit_code, 1) << sweep.printed;
  ASSERT_FALSE(sweep.json["failing_seeds"].empty()) << sweep.printed;
  EXPECT_LE(sweep.json["failing_seeds"][0].get<int>(), 2000);
  const Json& run = sweep.json["runs"][sweep.json["failing_seeds"][0].get<int>() - 1];
  bool exclusive = false;
  for (const Json& violation : run["violations"]) {
    exclusive = exclusive || violation["check"] == "exclusive_leadership";
  }
  EXPECT_TRUE(exclusive) << run.dump();
}

// Seven candidates; the leader crashes three times and comes back a second later (behind
// everyone, with a new session). Each crash hands over once its session expires.
std::string herd_scenario(const std::string& algorithm) {
  return "version: 1\nname: zk-herd-" + algorithm + "\n"
         "cluster: {hosts: 8, service: [h8]}\n"
         "algorithm: {name: " + algorithm + ", params: {session_timeout: 6s, tick_time: 2s}}\n"
         "network:\n  latency: {distribution: normal, mean: 5ms, stddev: 3ms, min: 1ms}\n"
         "duration: 55s\n"
         "faults:\n"
         "  - {at: 10s, crash: leader, restart_after: 1s}\n"
         "  - {at: 25s, crash: leader, restart_after: 1s}\n"
         "  - {at: 40s, crash: leader, restart_after: 1s}\n";
}

TEST(ZkVariants, RecipesPage_WatchingTheLeaderIsAHerdInMessagesNotASafetyBug) {
  const Sweep real = run_with_test_algorithms("herd-real", herd_scenario("zk-recipe"),
                                              "run --seed 1");
  const Sweep herd = run_with_test_algorithms("herd", herd_scenario("zk-recipe-herd"),
                                              "run --seed 1");
  EXPECT_EQ(real.exit_code, 0) << real.printed;
  EXPECT_EQ(herd.exit_code, 0) << "not a safety bug\n" << herd.printed;
  const int elections = real.json["leader_changes"].get<int>();
  ASSERT_EQ(elections, 4) << "the first election and three hand-overs\n" << real.printed;
  ASSERT_EQ(herd.json["leader_changes"].get<int>(), elections) << herd.printed;
  const double real_sent = real.json["messages_sent"].get<double>();
  const double herd_sent = herd.json["messages_sent"].get<double>();
  // At each hand-over the herd wakes all 5 other candidates, each re-reading the leader and
  // watching again (4 messages each), where the recipe wakes the successor alone.
  const double extra_per_election = (herd_sent - real_sent) / 3;
  EXPECT_GE(extra_per_election, 3 * 5) << "real " << real_sent << ", herd " << herd_sent;
  RecordProperty("messages_real", std::to_string(real_sent));
  RecordProperty("messages_herd", std::to_string(herd_sent));
}

}  // namespace
}  // namespace electsim::testing
