// The scenario's `alerts:` block (issue 13): its keys are checked like every other key (exit 65
// with FILE:LINE:COL), each rule fires in a run where the condition really happened (the run's
// JSON shows the event) and stays silent where it did not, and alerts never change a verdict.
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

constexpr int64_t kSecond = 1'000'000'000;

// A 3-node Raft cluster whose nodes all crash at 5s and come back `restart_after` later, so it
// has no leader for about that long.
std::string outage_scenario(const std::string& restart_after, const std::string& alerts) {
  return "version: 1\n"
         "name: alerts-outage\n"
         "cluster: {nodes: 3}\n"
         "algorithm: {name: raft, params: {election_timeout: 150ms..300ms}}\n"
         "duration: 20s\n"
         "faults:\n"
         "  - {at: 5s, crash: all, restart_after: " + restart_after + "}\n" + alerts;
}

// The leader crashes every 2 s, and a new one is elected each time.
std::string churn_scenario(const std::string& alerts) {
  std::string text =
      "version: 1\n"
      "name: alerts-churn\n"
      "cluster: {nodes: 5}\n"
      "algorithm: {name: raft, params: {election_timeout: 150ms..300ms}}\n"
      "duration: 12s\n"
      "faults:\n";
  for (const char* at : {"2s", "4s", "6s", "8s"}) {
    text += std::string("  - {at: ") + at + ", crash: leader, restart_after: 500ms}\n";
  }
  return text + alerts;
}

struct RunOutput {
  CommandResult result;
  Json json;
};

RunOutput run_text(const std::string& name, const std::string& scenario) {
  const fs::path dir = temp_dir("alerts-" + name);
  std::ofstream(dir / "scenario.yaml") << scenario;
  RunOutput run;
  run.result = run_electsim("run " + (dir / "scenario.yaml").string() + " --json " +
                                (dir / "run.json").string(),
                            dir);
  run.json = Json::parse(read_text(dir / "run.json"), nullptr, /*allow_exceptions=*/false);
  return run;
}

// The election that ended the outage, and when the leader before it stepped down.
const Json& first_election_after(const Json& transitions, int64_t time_ns) {
  for (const Json& change : transitions) {
    if (change.at("time_ns").get<int64_t>() > time_ns) return change;
  }
  return transitions.back();
}

TEST(AlertsScenario, LeaderlessFiresWhenTheOutageOutlastsTheBound) {
  const RunOutput run = run_text("long-outage",
                           outage_scenario("8s", "alerts: {leaderless_longer_than: 5s}\n"));
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  // The event: the leader stepped down (crashed) at 5 s and the next one came over 5 s later.
  const Json& after = first_election_after(run.json.at("transitions"), 5 * kSecond);
  ASSERT_EQ(after.at("reason"), "crashed");
  const int64_t outage_start = after.at("previous_ended_ns").get<int64_t>();
  EXPECT_GT(after.at("time_ns").get<int64_t>() - outage_start, 5 * kSecond);
  const Json& alerts = run.json.at("alerts");
  ASSERT_EQ(alerts.size(), 1u) << alerts.dump();
  EXPECT_EQ(alerts[0].at("rule"), "leaderless_longer_than");
  EXPECT_EQ(alerts[0].at("time_ns").get<int64_t>(), outage_start + 5 * kSecond);
  EXPECT_NE(alerts[0].at("detail").get<std::string>().find("no leader from 5s to 13."),
            std::string::npos)
      << alerts[0].at("detail");
  EXPECT_EQ(run.json.at("alerts_fired").at("leaderless_longer_than"), 1);
  EXPECT_NE(run.result.out.find("alerts    1 fired"), std::string::npos) << run.result.out;
}

TEST(AlertsScenario, LeaderlessStaysSilentWhenTheOutageIsShort) {
  const RunOutput run = run_text("short-outage",
                           outage_scenario("1s", "alerts: {leaderless_longer_than: 5s}\n"));
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  // There was an outage, shorter than the bound.
  const Json& after = first_election_after(run.json.at("transitions"), 5 * kSecond);
  const int64_t gap = after.at("time_ns").get<int64_t>() -
                      after.at("previous_ended_ns").get<int64_t>();
  EXPECT_GT(gap, kSecond);
  EXPECT_LT(gap, 5 * kSecond);
  EXPECT_TRUE(run.json.at("alerts").empty()) << run.json.at("alerts").dump();
  EXPECT_EQ(run.json.at("alerts_fired").at("leaderless_longer_than"), 0);
  EXPECT_NE(run.result.out.find("alerts    0 fired"), std::string::npos) << run.result.out;
}

TEST(AlertsScenario, LeaderChangesFireAtTheElectionThatExceedsTheRate) {
  const RunOutput run = run_text(
      "churn", churn_scenario("alerts: {leader_changes: {more_than: 3, within: 60s}}\n"));
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  const Json& transitions = run.json.at("transitions");
  ASSERT_GE(transitions.size(), 5u);  // startup and one per crash, all within 12 s
  const Json& alerts = run.json.at("alerts");
  ASSERT_EQ(alerts.size(), 1u) << alerts.dump();
  EXPECT_EQ(alerts[0].at("rule"), "leader_changes");
  // The fourth election within a minute is the one that makes "more than 3".
  EXPECT_EQ(alerts[0].at("time_ns"), transitions[3].at("time_ns"));
}

TEST(AlertsScenario, LeaderChangesStaySilentUnderAHigherThreshold) {
  const RunOutput run = run_text(
      "calm", churn_scenario("alerts: {leader_changes: {more_than: 10, within: 60s}}\n"));
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
  const size_t changes = run.json.at("transitions").size();
  EXPECT_GT(changes, 3u);
  EXPECT_LE(changes, 10u);
  EXPECT_TRUE(run.json.at("alerts").empty());
}

TEST(AlertsScenario, AlertsNeverChangeTheRunOrItsVerdict) {
  const RunOutput with =
      run_text("with", outage_scenario("8s", "alerts: {leaderless_longer_than: 1s}\n"));
  const RunOutput without = run_text("without", outage_scenario("8s", ""));
  ASSERT_FALSE(with.json.at("alerts").empty());
  EXPECT_EQ(with.result.exit_code, without.result.exit_code);
  EXPECT_EQ(with.json.at("verdict"), without.json.at("verdict"));
  EXPECT_EQ(with.json.at("fingerprint"), without.json.at("fingerprint"));
  EXPECT_TRUE(without.json.at("alerts").empty());
  EXPECT_EQ(without.result.out.find("alerts "), std::string::npos);  // no rules, no section
}

// A sweep's report totals each rule over its seeds, and a resumed sweep (which reads the finished
// runs back from its JSON) prints the same line.
TEST(AlertsScenario, ASweepTotalsEachRuleOverItsSeeds) {
  const fs::path dir = temp_dir("alerts-sweep");
  std::ofstream(dir / "s.yaml") << churn_scenario(
      "alerts: {leader_changes: {more_than: 3, within: 60s}, leaderless_longer_than: 10s}\n");
  const std::string sweep = "sweep " + (dir / "s.yaml").string() + " --seeds 1..4 --jobs 1 ";
  const CommandResult result = run_electsim(sweep + "--json " + (dir / "a.json").string(), dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string line =
      "alerts: leader_changes fired 4 times in 4 seeds; leaderless_longer_than fired 0 times in 0 "
      "seeds (observations, not checks: the verdict ignores them)\n";
  EXPECT_NE(result.out.find(line), std::string::npos) << result.out;
  // The same count from the runs' JSON: one leader_changes firing per seed.
  const Json runs = Json::parse(read_text(dir / "a.json")).at("runs");
  ASSERT_EQ(runs.size(), 4u);
  for (const Json& run : runs) EXPECT_EQ(run.at("alerts_fired").at("leader_changes"), 1) << run;

  std::filesystem::copy_file(dir / "a.json", dir / "b.json");
  const CommandResult resumed =
      run_electsim(sweep + "--resume --json " + (dir / "b.json").string(), dir);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find(line), std::string::npos) << resumed.out;

  // No rules, no line.
  std::ofstream(dir / "plain.yaml") << churn_scenario("");
  const CommandResult plain =
      run_electsim("sweep " + (dir / "plain.yaml").string() + " --seeds 1..2 --jobs 1", dir);
  EXPECT_EQ(plain.out.find("alerts:"), std::string::npos) << plain.out;
}

// Each bad value is refused at its place in the file, exit 65.
TEST(AlertsScenario, BadAlertKeysAreScenarioErrors) {
  const fs::path dir = temp_dir("alerts-errors");
  const struct {
    const char* block;
    const char* message;
  } cases[] = {
      {"alerts: {leaderless_longer_than: -5s}", ":8:34: alerts.leaderless_longer_than: "},
      {"alerts: {leaderless_longer_than: 0s}", ":8:34: alerts.leaderless_longer_than: "},
      {"alerts: {leaderles_longer_than: 5s}", "did you mean 'leaderless_longer_than'"},
      {"alerts: {leader_changes: {more_than: 3}}", "missing required key 'within'"},
      {"alerts: {leader_changes: {more_than: -1, within: 1m}}",
       ":8:38: alerts.leader_changes.more_than: "},
      {"alerts: {leader_changes: {more_than: 3, within: 1m, per: group}}", "unknown key 'per'"},
      {"alerts: [leader_changes]", ":8:9: "},
  };
  for (const auto& bad : cases) {
    std::ofstream(dir / "bad.yaml") << outage_scenario("1s", std::string(bad.block) + "\n");
    const CommandResult check = run_electsim("check " + (dir / "bad.yaml").string(), dir);
    EXPECT_EQ(check.exit_code, 65) << bad.block << "\n" << check.err;
    EXPECT_NE(check.err.find("electsim: " + (dir / "bad.yaml").string() + ":"), std::string::npos)
        << check.err;
    EXPECT_NE(check.err.find(bad.message), std::string::npos) << bad.block << "\n" << check.err;
  }
}

TEST(AlertsScenario, TheKeysAreListedAndPrintedBack) {
  const fs::path dir = temp_dir("alerts-keys");
  const CommandResult list = run_electsim("list", dir);
  EXPECT_NE(list.out.find("alerts.leader_changes.more_than"), std::string::npos);
  EXPECT_NE(list.out.find("alerts.leaderless_longer_than"), std::string::npos);
  std::ofstream(dir / "s.yaml") << outage_scenario(
      "1s", "alerts: {leader_changes: {more_than: 3, within: 1m}, leaderless_longer_than: 5s}\n");
  const CommandResult printed =
      run_electsim("run " + (dir / "s.yaml").string() + " --print-scenario", dir);
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  EXPECT_NE(printed.out.find("alerts:"), std::string::npos) << printed.out;
  std::ofstream(dir / "again.yaml") << printed.out;
  const CommandResult again =
      run_electsim("run " + (dir / "again.yaml").string() + " --print-scenario", dir);
  EXPECT_EQ(again.out, printed.out);
}

}  // namespace
}  // namespace electsim::testing
