// Issue 11, acceptance 2, for the scenarios of this scope: each library scenario gives its
// stated outcome through the real binary (the outcomes are written in each file's header).
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using nlohmann::json;

struct Outcome {
  int exit_code = -1;
  json run;
  std::string err;
};

Outcome run_library(const std::string& name, const std::string& extra) {
  const auto dir = temp_dir("lease_scenarios");
  const auto out = dir / "run.json";
  const CommandResult result = run_electsim(
      "run " + source_path("scenarios/library/" + name + ".yaml") + " --seed 1 --quiet --json " +
          out.string() + " " + extra,
      dir);
  Outcome outcome{result.exit_code, json(), result.err};
  if (result.exit_code == 0 || result.exit_code == 1) outcome.run = json::parse(read_text(out));
  return outcome;
}

bool has_violation(const json& run, const std::string& check) {
  for (const json& violation : run["violations"]) {
    if (violation["check"] == check) return true;
  }
  return false;
}

int64_t longest_overlap_ns(const json& run) {
  int64_t longest = 0;
  for (const json& overlap : run["overlaps"]) {
    longest = std::max(longest, overlap["duration_ns"].get<int64_t>());
  }
  return longest;
}

bool fault_fired(const json& run, const std::string& label_part) {
  for (const json& fault : run["faults_fired"]) {
    if (fault["label"].get<std::string>().find(label_part) != std::string::npos &&
        !fault.value("skipped", false)) {
      return true;
    }
  }
  return false;
}

TEST(LeaseScenarios, KleppmannGcPauseWithFencingOnRefusesTheLateWrite) {
  const Outcome outcome = run_library("lease-kleppmann-gc-pause", "");
  ASSERT_EQ(outcome.exit_code, 0) << outcome.err << outcome.run.dump();
  EXPECT_TRUE(fault_fired(outcome.run, "pause"));
  EXPECT_GT(longest_overlap_ns(outcome.run), 0) << "the overlap was not reported";
  EXPECT_EQ(outcome.run["stale_writes_accepted"], 0);
  EXPECT_GT(outcome.run["writes"]["refused"].get<int64_t>(), 0) << outcome.run["writes"].dump();
}

TEST(LeaseScenarios, KleppmannGcPauseWithFencingOffAcceptsTheLateWrite) {
  const Outcome outcome = run_library("lease-kleppmann-gc-pause", "--set resource.fencing=off");
  ASSERT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_TRUE(has_violation(outcome.run, "exclusive_leadership"));
  EXPECT_GT(outcome.run["stale_writes_accepted"].get<int64_t>(), 0);
}

TEST(LeaseScenarios, K8sClockDriftOverlapsWhenTheLeadersClockIsSlowEnough) {
  const Outcome slow = run_library("lease-k8s-clock-drift", "");
  ASSERT_EQ(slow.exit_code, 1) << slow.err;
  EXPECT_TRUE(has_violation(slow.run, "exclusive_leadership"));
  EXPECT_GT(longest_overlap_ns(slow.run), 0);
  // Ratio 1/0.9 = 1.11, inside client-go's 15/12 envelope: a hand-over, and no overlap.
  const Outcome mild = run_library("lease-k8s-clock-drift",
                                   "--set 'faults[0].clock.drift_ppm=-100000'");
  ASSERT_EQ(mild.exit_code, 0) << mild.err << mild.run["violations"].dump();
  EXPECT_EQ(mild.run["overlaps"].size(), 0u);
  EXPECT_GE(mild.run["leader_changes"].get<int64_t>(), 2);
  EXPECT_TRUE(fault_fired(mild.run, "partition"));
}

TEST(LeaseScenarios, K8sConstantClockOffsetsNeverOverlapWithEqualRates) {
  // Every host's clock starts up to a minute off true time, the rates stay equal: client-go
  // measures only durations on one clock, so each seed hands over without an overlap.
  const auto dir = temp_dir("lease_offsets");
  const auto out = dir / "sweep.json";
  const CommandResult result = run_electsim(
      "sweep " + source_path("scenarios/library/lease-k8s-clock-drift.yaml") +
          " --seeds 1..20 --quiet --set 'faults[0].clock.drift_ppm=0' --set clocks.max_offset=60s"
          " --json " + out.string(),
      dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const json sweep = json::parse(read_text(out));
  ASSERT_EQ(sweep["runs"].size(), 20u);
  for (const json& run : sweep["runs"]) {
    EXPECT_EQ(run["overlaps"].size(), 0u) << run["seed"];
    EXPECT_GE(run["leader_changes"].get<int64_t>(), 2) << run["seed"] << ": no hand-over";
  }
}

TEST(LeaseScenarios, K8sPauseOverlapsWhenThePauseOutlastsTheLease) {
  const Outcome long_pause = run_library("lease-k8s-pause", "");
  ASSERT_EQ(long_pause.exit_code, 1) << long_pause.err;
  EXPECT_TRUE(has_violation(long_pause.run, "exclusive_leadership"));
  EXPECT_GT(longest_overlap_ns(long_pause.run), 0);
  const Outcome short_pause = run_library("lease-k8s-pause", "--set 'faults[0].duration=10s'");
  ASSERT_EQ(short_pause.exit_code, 0) << short_pause.err;
  EXPECT_EQ(short_pause.run["overlaps"].size(), 0u);
  EXPECT_TRUE(fault_fired(short_pause.run, "pause"));
}

TEST(LeaseScenarios, TtlClockJumpOnTheStoreExpiresTheLockEarly) {
  const Outcome outcome = run_library("lease-ttl-clock-jump", "");
  ASSERT_EQ(outcome.exit_code, 1) << outcome.err;
  EXPECT_TRUE(fault_fired(outcome.run, "clock"));
  EXPECT_TRUE(has_violation(outcome.run, "exclusive_leadership"));
  EXPECT_GT(longest_overlap_ns(outcome.run), 0);
}

TEST(LeaseScenarios, ARecipeWithoutAServiceIsRefusedWithWhereAndWhy) {
  const auto dir = temp_dir("lease_no_service");
  const auto file = dir / "no-service.yaml";
  std::ofstream(file) << "version: 1\nname: no-service\ncluster: {nodes: 3}\n"
                         "algorithm: {name: ttl-lock}\nduration: 10s\n";
  const CommandResult in_file = run_electsim("run " + file.string(), dir);
  EXPECT_EQ(in_file.exit_code, 65);
  EXPECT_NE(in_file.err.find("no-service.yaml:4:19: algorithm.name: algorithm 'ttl-lock' elects "
                             "through the coordination service"),
            std::string::npos)
      << in_file.err;
  const CommandResult by_flag = run_electsim(
      "run " + source_path("scenarios/library/raft-leader-crash.yaml") + " --algorithm k8s-lease",
      dir);
  EXPECT_EQ(by_flag.exit_code, 64);
  EXPECT_NE(by_flag.err.find("--algorithm k8s-lease: algorithm 'k8s-lease' elects through"),
            std::string::npos)
      << by_flag.err;
}

}  // namespace
}  // namespace electsim::testing
