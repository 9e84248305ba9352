// How the runner wires faults into a run (scenarios/runner.cc).
#include <gtest/gtest.h>

#include <string>

#include "absl/strings/match.h"
#include "reports/json_report.h"
#include "reports/text_report.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"

namespace electsim {
namespace {

reports::RunResult run_text(const std::string& text) {
  auto scenario = scenarios::load_scenario_text(text, "inline.yaml", {});
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  auto run = scenarios::run_scenario(*scenario, 1, scenarios::RunOptions{});
  EXPECT_TRUE(run.ok()) << run.status();
  return *std::move(run);
}

// Regression: the runner scheduled the faults before the nodes' start events, so a process
// fault at 0s found its node not yet booted and was skipped ("n5 is already down").
TEST(RunnerFaults, ProcessFaultsAtTimeZeroFindTheNodesRunning) {
  const reports::RunResult run = run_text(
      "version: 1\n"
      "cluster: {nodes: 5}\n"
      "duration: 5s\n"
      "faults:\n"
      "  - {at: 0s, crash: n5}\n"
      "  - {at: 0s, pause: n4, duration: 1s}\n");
  ASSERT_EQ(run.faults.size(), 2u);
  EXPECT_FALSE(run.faults[0].skipped) << run.faults[0].effect;
  EXPECT_EQ(run.faults[0].effect, "crash n5, never restarted");
  EXPECT_FALSE(run.faults[1].skipped) << run.faults[1].effect;
  EXPECT_EQ(run.faults[1].effect, "pause n4 for 1s");
}

// A skipped fault's effect already names the fault and says why; the report prints it once.
TEST(RunnerFaults, TheReportNamesASkippedFaultOnce) {
  const reports::RunResult run = run_text(
      "version: 1\n"
      "cluster: {nodes: 3}\n"
      "duration: 2s\n"
      "faults:\n"
      "  - {at: 0s, crash: leader}\n");
  ASSERT_EQ(run.faults.size(), 1u);
  EXPECT_TRUE(run.faults[0].skipped);
  const std::string text = reports::run_to_text(run, reports::RunTextOptions{});
  EXPECT_TRUE(absl::StrContains(text, "0.000s  crash leader: skipped, no node leads\n")) << text;
  EXPECT_FALSE(absl::StrContains(text, "crash leader - skipped")) << text;
}

// Issue 8's case from a scenario file: n1's first crash is due to restart at 20s, but a restart
// at 12s and a second crash at 15s mean n1 is the second crash's until 45s. The report says the
// first restart was skipped, and why, in text and JSON.
TEST(RunnerFaults, AFirstCrashRestartLeavesANodeThatALaterCrashStopped) {
  const reports::RunResult run = run_text(
      "version: 1\n"
      "cluster: {nodes: 3}\n"
      "duration: 50s\n"
      "faults:\n"
      "  - {at: 10s, crash: n1, restart_after: 10s}\n"
      "  - {at: 12s, restart: n1}\n"
      "  - {at: 15s, crash: n1, restart_after: 30s}\n");
  ASSERT_EQ(run.faults.size(), 3u);
  EXPECT_TRUE(run.faults[0].restart_skipped);
  EXPECT_TRUE(absl::StrContains(run.faults[0].effect,
                                ", restart after 10s skipped: n1 crashed again at 15s"))
      << run.faults[0].effect;
  EXPECT_FALSE(run.faults[2].restart_skipped);
  EXPECT_TRUE(absl::EndsWith(run.faults[2].effect, ", restarted after 30s"))
      << run.faults[2].effect;
  const auto json = reports::run_to_json(run);
  EXPECT_EQ(json["faults_fired"][0]["restart_skipped"], true);
  EXPECT_EQ(json["faults_fired"][2]["restart_skipped"], false);
}

}  // namespace
}  // namespace electsim
