// Issue 11, acceptance 1, for the recipes of this scope (k8s-lease, ttl-lock): each elects a
// leader, and hands over when its leader crashes and when its leader is cut off from the
// service, each transition carrying its reason in the trace. Runs in process with the trace the
// binary writes (`electsim run --trace`).
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"
#include "tests/fence_runtime_test_support.h"

namespace electsim::testing {
namespace {

struct Case {
  std::string algorithm;
  std::string fault;            // one YAML fault item, fired at 20s on the first leader
  std::string old_leader_reason;  // the reason in the first leader's stepped_down
};

std::ostream& operator<<(std::ostream& out, const Case& c) {
  return out << c.algorithm << " " << c.old_leader_reason;
}

scenarios::Scenario scenario_for(const Case& c) {
  const auto dir = temp_dir("lease_recipes");
  const auto path = dir / "recipe.yaml";
  std::ofstream(path) << "version: 1\nname: recipe-handover\n"
                         "cluster: {hosts: 4, groups: {count: 1, members: 3}, service: [h4]}\n"
                         "algorithm: {name: " << c.algorithm << "}\n"
                         "network: {latency: {distribution: constant, value: 2ms}}\n"
                         "duration: 60s\n"
                         "faults:\n  - " << c.fault << "\n";
  auto scenario = scenarios::load_scenario_file(path.string(), {});
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return *scenario;
}

class LeaseRecipeHandover : public ::testing::TestWithParam<Case> {};

TEST_P(LeaseRecipeHandover, TheLeaderStepsDownWithItsReasonAndAnotherTakesOver) {
  const Case& c = GetParam();
  const TracedRun run = run_traced(scenario_for(c), 1);
  const std::vector<Json> elected = of_kind(run.records, "became_leader");
  ASSERT_GE(elected.size(), 2u) << "no hand-over";
  const std::string first = elected[0]["process"];
  EXPECT_LT(elected[0]["t_ns"].get<int64_t>(), int64_t{20'000'000'000}) << "no leader at start";
  // The fault fired on the first leader, which stepped down for the expected reason.
  bool stepped_down = false;
  int64_t stepped_down_at = 0;
  for (const Json& record : of_kind(run.records, "stepped_down")) {
    if (record["process"] == first && record["t_ns"].get<int64_t>() >= 20'000'000'000) {
      EXPECT_EQ(record["reason"], c.old_leader_reason) << record.dump();
      stepped_down = true;
      stepped_down_at = record["t_ns"];
      break;
    }
  }
  ASSERT_TRUE(stepped_down) << "the first leader never stepped down after the fault";
  // Another candidate leads after the fault, at a higher epoch.
  bool handed_over = false;
  for (const Json& record : elected) {
    if (record["process"] != first && record["t_ns"].get<int64_t>() > 20'000'000'000) {
      EXPECT_GT(record["epoch"].get<uint64_t>(), elected[0]["epoch"].get<uint64_t>());
      handed_over = true;
      break;
    }
  }
  EXPECT_TRUE(handed_over);
  EXPECT_GT(stepped_down_at, 0);
  EXPECT_EQ(run.result.verdict, reports::Verdict::kPass) << "no overlap without skew or pauses";
}

INSTANTIATE_TEST_SUITE_P(
    Recipes, LeaseRecipeHandover,
    ::testing::Values(
        Case{"k8s-lease", "{at: 20s, crash: leader}", "crashed"},
        Case{"k8s-lease", "{at: 20s, partition: {isolate: leader}, heal_after: 30s}",
             "renew_deadline_exceeded"},
        Case{"ttl-lock", "{at: 20s, crash: leader}", "crashed"},
        Case{"ttl-lock", "{at: 20s, partition: {isolate: leader}, heal_after: 30s}",
             "lease_expired"}));

}  // namespace
}  // namespace electsim::testing
