// Malformed `cluster:` keys through the binary (issue 8, acceptance 6): each exits 65 with one
// line "electsim: FILE:LINE:COLUMN: ...", the same mistake through --set exits 64 naming the flag,
// and the 1,000-group library scenario loads, is listed and prints back to itself.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/cli_test_support.h"

namespace electsim {
namespace {

using testing::run_electsim;
using testing::source_path;

const std::string kThousand = source_path("scenarios/library/partitions-raft-1000.yaml");

// Writes a scenario whose third line is `cluster: CLUSTER` and checks it: the result of
// `electsim check` on it.
testing::CommandResult check_cluster(const std::filesystem::path& dir, const std::string& cluster,
                                     const std::string& rest = "") {
  const auto file = dir / "c.yaml";
  std::ofstream(file) << "version: 1\nduration: 10s\ncluster: " << cluster << "\n" << rest;
  return run_electsim("check " + file.string(), dir);
}

void expect_scenario_error(const testing::CommandResult& result, const std::filesystem::path& dir,
                           const std::string& position, const std::string& message) {
  EXPECT_EQ(result.exit_code, 65) << result.err;
  const std::string expected = "electsim: " + (dir / "c.yaml").string() + ":" + position + ": ";
  EXPECT_EQ(result.err.rfind(expected, 0), 0u) << result.err;
  EXPECT_NE(result.err.find(message), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << "one line: " << result.err;
}

TEST(ClusterCli, UnknownPlacement) {
  const auto dir = testing::temp_dir("cluster-placement");
  expect_scenario_error(
      check_cluster(dir, "{hosts: 9, groups: {count: 3, placement: sprad}}"), dir, "3:51",
      "unknown placement 'sprad'; expected spread, packed or a list of host lists");
}

TEST(ClusterCli, MoreMembersThanHosts) {
  const auto dir = testing::temp_dir("cluster-members");
  expect_scenario_error(check_cluster(dir, "{hosts: 2, groups: {members: 3}}"), dir, "3:39",
                        "groups of 3 members need 3 different hosts, but only 2 hosts run members");
}

TEST(ClusterCli, AGroupOfZero) {
  const auto dir = testing::temp_dir("cluster-zero");
  expect_scenario_error(check_cluster(dir, "{hosts: 3, groups: {members: 0}}"), dir, "3:39",
                        "a group needs at least one member, got 0");
  expect_scenario_error(check_cluster(dir, "{hosts: 3, groups: {count: 0}}"), dir, "3:37",
                        "a cluster needs at least one group, got 0");
}

TEST(ClusterCli, AServiceHostThatDoesNotExist) {
  const auto dir = testing::temp_dir("cluster-service");
  expect_scenario_error(check_cluster(dir, "{hosts: 9, service: [h10]}"), dir, "3:31",
                        "cluster.service[0]: host h10 does not exist; the cluster has h1..h9");
}

TEST(ClusterCli, ExplicitPlacementOfTheWrongLengthOrWithARepeatedHost) {
  const auto dir = testing::temp_dir("cluster-explicit");
  expect_scenario_error(check_cluster(dir, "{hosts: 3, groups: {count: 2, placement: [[h1, h2]]}}"),
                        dir, "3:51", "the placement lists 1 group, but cluster.groups.count is 2");
  expect_scenario_error(check_cluster(dir, "{hosts: 3, groups: {placement: [[h1, h1]]}}"), dir,
                        "3:47", "h1 is named twice in group g1's hosts");
}

TEST(ClusterCli, MoreProcessesThanARunMayHold) {
  const auto dir = testing::temp_dir("cluster-budget");
  expect_scenario_error(check_cluster(dir, "{hosts: 9, groups: {count: 4000, members: 3}}"), dir,
                        "3:37", "this cluster would run 12,000 processes");
  expect_scenario_error(check_cluster(dir, "{hosts: 10001}"), dir, "3:18",
                        "10,001 hosts, more than the 10,000 a run may hold");
}

TEST(ClusterCli, ATargetGroupThatDoesNotExist) {
  const auto dir = testing::temp_dir("cluster-target");
  expect_scenario_error(
      check_cluster(dir, "{hosts: 9, groups: {count: 3, members: 3}}",
                    "faults: [{at: 1s, crash: leader of group 4}]\n"),
      dir, "4:26", "group 4 does not exist; the cluster has groups 1..3");
}

TEST(ClusterCli, TheSameMistakeThroughSetIsTheFlags) {
  const auto dir = testing::temp_dir("cluster-set");
  const auto result = run_electsim(
      "check " + kThousand + " --set cluster.groups.placement=sprad", dir);
  EXPECT_EQ(result.exit_code, 64) << result.err;
  EXPECT_EQ(
      result.err.rfind("electsim: --set cluster.groups.placement=sprad: unknown placement", 0), 0u)
      << result.err;
  const auto nodes = run_electsim(
      "check " + source_path("scenarios/library/raft-leader-crash.yaml") + " --set cluster.hosts=9",
      dir);
  EXPECT_EQ(nodes.exit_code, 64) << nodes.err;
  EXPECT_NE(nodes.err.find("cluster.nodes and cluster.hosts cannot be used together"),
            std::string::npos)
      << nodes.err;
}

TEST(ClusterCli, TheThousandGroupScenarioLoadsIsListedAndTakesSet) {
  const auto dir = testing::temp_dir("cluster-thousand");
  const auto check = run_electsim("check " + kThousand, dir);
  ASSERT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("1000 groups on 9 hosts (3000 processes)"), std::string::npos)
      << check.out;
  const auto smaller = run_electsim(
      "check " + kThousand + " --set cluster.groups.count=10 --set cluster.hosts=6", dir);
  ASSERT_EQ(smaller.exit_code, 0) << smaller.err;
  EXPECT_NE(smaller.out.find("10 groups on 6 hosts (30 processes)"), std::string::npos)
      << smaller.out;
  const auto list = nlohmann::json::parse(run_electsim("list --json", dir).out);
  bool listed = false;
  for (const auto& builtin : list["builtin_scenarios"]) {
    listed |= builtin["name"] == "partitions-raft-1000";
  }
  EXPECT_TRUE(listed);
  const auto by_name = run_electsim("check partitions-raft-1000", dir);
  EXPECT_EQ(by_name.exit_code, 0) << by_name.err;
}

TEST(ClusterCli, PrintScenarioRoundTripsTheCluster) {
  const auto dir = testing::temp_dir("cluster-print");
  const auto printed = run_electsim("check --print-scenario " + kThousand +
                                        " --set cluster.clients=5 --set 'cluster.service=[h9]'",
                                    dir);
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("hosts: 9"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("clients: 5"), std::string::npos) << printed.out;
  EXPECT_NE(printed.out.find("service: [h9]"), std::string::npos) << printed.out;
  const auto file = dir / "printed.yaml";
  std::ofstream(file) << printed.out;
  const auto again = run_electsim("check --print-scenario " + file.string(), dir);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, printed.out);
}

}  // namespace
}  // namespace electsim
