// Every lease recipe hands over on a crash, on a partition from the service and on a voluntary
// resignation, and each transition carries its reason (issue 11, acceptance 1), through the
// binary's run JSON. One scenario per recipe, with the recipe's defaults:
//   20s   the leader crashes (back 70s later, behind everyone): a successor, reason `crashed`;
//   120s  the new leader is cut off from the service for 100s: a successor, reason
//         renew_deadline_exceeded (k8s-lease), session_expired (zk-recipe: SUSPENDED) or
//         lease_expired (etcd-election, ttl-lock);
//   300s  the leader resigns: a successor at once, reason `resigned`.
// Raft has no voluntary resignation: the same fault leaves its leader leading, and says so.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using Json = nlohmann::json;

struct HandoverRun {
  int exit_code = -1;
  Json json;
  std::string printed;
};

std::string handover_scenario(const std::string& algorithm) {
  return "version: 1\nname: handover-" + algorithm + "\n"
         "cluster: {hosts: 4, service: [h4]}\n"
         "algorithm: {name: " + algorithm + "}\n"
         "network:\n  latency: {distribution: normal, mean: 5ms, stddev: 3ms, min: 1ms}\n"
         "resource: {fencing: on, write_every: 1s}\n"
         "duration: 400s\n"
         "faults:\n"
         "  - {at: 20s, crash: leader, restart_after: 70s}\n"
         "  - {at: 120s, partition: {links: [[leader, service_host]], both_ways: true}, "
         "heal_after: 100s}\n"
         "  - {at: 300s, resign: leader}\n";
}

HandoverRun run_handover(const std::string& algorithm, const std::string& yaml) {
  const auto dir = temp_dir("lease-handover-" + algorithm);
  const auto scenario = dir / "handover.yaml";
  std::ofstream(scenario) << yaml;
  const auto json_path = dir / "run.json";
  const CommandResult result = run_electsim(
      "run " + scenario.string() + " --seed 1 --quiet --json " + json_path.string(), dir);
  HandoverRun run;
  run.exit_code = result.exit_code;
  run.printed = result.out + result.err;
  run.json = Json::parse(read_text(json_path));
  return run;
}

std::vector<std::string> reasons_of(const Json& run) {
  std::vector<std::string> reasons;
  for (const Json& transition : run["transitions"]) {
    reasons.push_back(transition["reason"].is_null() ? "null"
                                                     : transition["reason"].get<std::string>());
  }
  return reasons;
}

// The three hand-overs, each to another candidate, with its reason; the resignation said so.
void expect_handovers(const std::string& algorithm, const std::string& partition_reason) {
  const HandoverRun run = run_handover(algorithm, handover_scenario(algorithm));
  EXPECT_EQ(run.exit_code, 0) << run.printed;
  const std::vector<std::string> expected = {"startup", "crashed", partition_reason, "resigned"};
  ASSERT_EQ(reasons_of(run.json), expected) << run.json["transitions"].dump(1);
  const Json& transitions = run.json["transitions"];
  for (size_t i = 1; i < transitions.size(); ++i) {
    EXPECT_NE(transitions[i]["from"], transitions[i]["to"]) << "a hand-over: " << i;
    EXPECT_EQ(transitions[i]["from"], transitions[i - 1]["to"]) << i;
  }
  EXPECT_GE(transitions[1]["time_ns"].get<int64_t>(), 20'000'000'000);
  EXPECT_GE(transitions[2]["time_ns"].get<int64_t>(), 120'000'000'000);
  EXPECT_LT(transitions[2]["time_ns"].get<int64_t>(), 220'000'000'000) << "before the heal";
  EXPECT_GE(transitions[3]["time_ns"].get<int64_t>(), 300'000'000'000);
  EXPECT_LT(transitions[3]["time_ns"].get<int64_t>(), 310'000'000'000) << "at once";
  const std::string resign_effect = run.json["faults_fired"][2]["effect"].get<std::string>();
  EXPECT_NE(resign_effect.find(" resigned"), std::string::npos) << resign_effect;
  EXPECT_EQ(run.json["transition_reasons"][partition_reason], 1) << run.json["transition_reasons"];
  EXPECT_EQ(run.json["stale_writes_accepted"], 0);
}

TEST(LeaseHandover, K8sLeaseHandsOverOnCrashPartitionAndResignation) {
  expect_handovers("k8s-lease", "renew_deadline_exceeded");
}

TEST(LeaseHandover, ZkRecipeHandsOverOnCrashPartitionAndResignation) {
  expect_handovers("zk-recipe", "session_expired");
}

TEST(LeaseHandover, EtcdElectionHandsOverOnCrashPartitionAndResignation) {
  expect_handovers("etcd-election", "lease_expired");
}

TEST(LeaseHandover, TtlLockHandsOverOnCrashPartitionAndResignation) {
  expect_handovers("ttl-lock", "lease_expired");
}

TEST(LeaseHandover, RaftIgnoresAResignationAndSaysSo) {
  const std::string yaml =
      "version: 1\nname: raft-resign\ncluster: {nodes: 3}\nalgorithm: {name: raft}\n"
      "duration: 10s\nfaults:\n  - {at: 5s, resign: leader}\n";
  const HandoverRun run = run_handover("raft", yaml);
  EXPECT_EQ(run.exit_code, 0) << run.printed;
  ASSERT_EQ(run.json["faults_fired"].size(), 1u);
  const Json& fault = run.json["faults_fired"][0];
  EXPECT_FALSE(fault["skipped"].get<bool>()) << "a leader was there to ask";
  EXPECT_NE(fault["effect"].get<std::string>().find("kept leading"), std::string::npos)
      << fault["effect"];
  EXPECT_EQ(run.json["transitions"].size(), 1u) << "only the first election";
  EXPECT_EQ(run.json["transition_reasons"]["startup"], 1);
}

TEST(LeaseHandover, AResignationWithNobodyLeadingIsSkipped) {
  const std::string yaml =
      "version: 1\nname: resign-early\ncluster: {hosts: 4, service: [h4]}\n"
      "algorithm: {name: k8s-lease}\nduration: 10s\nfaults:\n  - {at: 0s, resign: leader}\n";
  const HandoverRun run = run_handover("k8s-early", yaml);
  ASSERT_EQ(run.json["faults_fired"].size(), 1u);
  EXPECT_TRUE(run.json["faults_fired"][0]["skipped"].get<bool>());
  EXPECT_NE(run.json["faults_fired"][0]["effect"].get<std::string>().find("nobody leads"),
            std::string::npos)
      << run.json["faults_fired"][0]["effect"];
}

}  // namespace
}  // namespace electsim::testing
