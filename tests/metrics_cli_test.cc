// `--metrics FILE` and `--transitions FILE` through the real binary (issue 13, acceptance 3):
// the Prometheus text passes `promtool check metrics` for a run and for a sweep, and every figure
// in it is the one the run's JSON reports; the transition log has one line per change the JSON
// lists.
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"
#include "tests/metrics_promtool_support.h"

namespace electsim::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

// The value of each sample whose name and labels match: "electsim_x{a="b",...}" prefix.
std::vector<std::string> samples(const std::string& text, const std::string& prefix) {
  std::vector<std::string> values;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(prefix, 0) == 0) values.push_back(line.substr(line.rfind(' ') + 1));
  }
  return values;
}

std::string the_sample(const std::string& text, const std::string& prefix) {
  const std::vector<std::string> values = samples(text, prefix);
  EXPECT_EQ(values.size(), 1u) << prefix;
  return values.empty() ? "" : values.front();
}

std::string seconds_of(int64_t ns) {
  std::ostringstream text;
  text << ns / 1'000'000'000;
  if (ns % 1'000'000'000 != 0) {
    std::string digits = std::to_string(ns % 1'000'000'000);
    digits.insert(0, 9 - digits.size(), '0');
    text << "." << digits.substr(0, digits.find_last_not_of('0') + 1);
  }
  return text.str();
}

const char* const kLabels = "{scenario=\"raft-leader-crash\",algorithm=\"raft\"";

class MetricsRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(temp_dir("metrics-run"));
    result_ = new CommandResult(run_electsim(
        "run raft-leader-crash --seed 3 --metrics " + (*dir_ / "run.prom").string() +
            " --json " + (*dir_ / "run.json").string() + " --transitions " +
            (*dir_ / "transitions.log").string(),
        *dir_));
    metrics_ = new std::string(read_text(*dir_ / "run.prom"));
    json_ = new Json(Json::parse(read_text(*dir_ / "run.json")));
  }
  static fs::path* dir_;
  static CommandResult* result_;
  static std::string* metrics_;
  static Json* json_;
};
fs::path* MetricsRun::dir_ = nullptr;
CommandResult* MetricsRun::result_ = nullptr;
std::string* MetricsRun::metrics_ = nullptr;
Json* MetricsRun::json_ = nullptr;

TEST_F(MetricsRun, PassesPromtoolCheckMetrics) {
  ASSERT_EQ(result_->exit_code, 0) << result_->err;
  EXPECT_NE(result_->out.find("metrics " + (*dir_ / "run.prom").string()), std::string::npos)
      << result_->out;
  ASSERT_TRUE(promtool_installed()) << kPromtoolMissing;
  const CommandResult check = promtool_check_metrics(*dir_ / "run.prom", *dir_);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.out + check.err, "");
}

TEST_F(MetricsRun, IsLeaderMarksExactlyTheLeadersAtTheEnd) {
  const auto& leaders = json_->at("leaders_at_end");
  ASSERT_EQ(leaders.size(), 1u);  // a passing Raft run ends with one leader
  int ones = 0;
  for (int node = 1; node <= 5; ++node) {
    const std::string name = "n" + std::to_string(node);
    const std::string value = the_sample(
        *metrics_, std::string("electsim_is_leader") + kLabels + ",group=\"g1\",process=\"" +
                       name + "\"}");
    ones += value == "1";
    EXPECT_EQ(value, name == leaders[0] ? "1" : "0") << name;
  }
  EXPECT_EQ(ones, 1);
}

TEST_F(MetricsRun, CountersAreTheJsonFigures) {
  uint64_t changes = 0;
  for (const auto& [reason, count] : json_->at("transition_reasons").items()) {
    EXPECT_EQ(the_sample(*metrics_, std::string("electsim_leader_changes_total") + kLabels +
                                        ",reason=\"" + reason + "\"}"),
              std::to_string(count.get<uint64_t>()));
    changes += count.get<uint64_t>();
  }
  EXPECT_EQ(changes, json_->at("leader_changes").get<uint64_t>());
  EXPECT_GE(changes, 3u);  // startup, the crash and the isolation
  const int64_t leaderless = json_->at("leaderless_ns").get<int64_t>();
  EXPECT_GT(leaderless, 0);
  EXPECT_EQ(the_sample(*metrics_, std::string("electsim_leaderless_seconds_total") + kLabels + "}"),
            seconds_of(leaderless));
  EXPECT_EQ(the_sample(*metrics_, std::string("electsim_overlap_seconds_total") + kLabels + "}"),
            seconds_of(json_->at("overlap_ns").get<int64_t>()));
  EXPECT_EQ(the_sample(*metrics_, std::string("electsim_stale_writes_accepted_total") + kLabels +
                                      "}"),
            std::to_string(json_->at("stale_writes_accepted").get<uint64_t>()));
  EXPECT_EQ(the_sample(*metrics_, std::string("electsim_recovery_seconds_count") + kLabels + "}"),
            std::to_string(json_->at("recovery_ns").size()));
  int64_t recovery_sum = 0;
  for (const auto& ns : json_->at("recovery_ns")) recovery_sum += ns.get<int64_t>();
  EXPECT_EQ(the_sample(*metrics_, std::string("electsim_recovery_seconds_sum") + kLabels + "}"),
            seconds_of(recovery_sum));
}

TEST_F(MetricsRun, TransitionLogHasOneLinePerChange) {
  std::istringstream log(read_text(*dir_ / "transitions.log"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(log, line);) {
    if (!line.starts_with("#")) lines.push_back(line);
  }
  const auto& transitions = json_->at("transitions");
  ASSERT_EQ(lines.size(), transitions.size());
  ASSERT_GE(lines.size(), 3u);
  const std::regex shape(
      "time=[0-9.]+m?s group=g1 previous=(none|n[1-5]) new=n[1-5] epoch=[0-9]+ reason=[a-z_]+");
  for (size_t i = 0; i < lines.size(); ++i) {
    const Json& change = transitions[i];
    EXPECT_TRUE(std::regex_match(lines[i], shape)) << lines[i];
    const std::string previous =
        change.at("from").is_null() ? "none" : change.at("from").get<std::string>();
    const std::string reason =
        change.at("reason").is_null() ? "unresolved" : change.at("reason").get<std::string>();
    EXPECT_NE(lines[i].find(" previous=" + previous + " new=" + change.at("to").get<std::string>() +
                            " epoch=" + std::to_string(change.at("epoch").get<uint64_t>()) +
                            " reason=" + reason),
              std::string::npos)
        << lines[i];
  }
  EXPECT_NE(lines[0].find("reason=startup"), std::string::npos);
}

TEST(MetricsSweep, SumsTheRunsAndPassesPromtool) {
  const fs::path dir = temp_dir("metrics-sweep");
  const CommandResult sweep = run_electsim(
      "sweep raft-leader-crash --seeds 1..4 --jobs 2 --quiet --metrics " +
          (dir / "sweep.prom").string() + " --json " + (dir / "sweep.json").string(),
      dir);
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
  const std::string metrics = read_text(dir / "sweep.prom");
  const Json json = Json::parse(read_text(dir / "sweep.json"));
  EXPECT_EQ(the_sample(metrics, std::string("electsim_runs_total") + kLabels +
                                    ",verdict=\"pass\"}"),
            std::to_string(json.at("passed").get<uint64_t>()));
  uint64_t changes = 0;
  for (const std::string& value :
       samples(metrics, std::string("electsim_leader_changes_total") + kLabels)) {
    changes += std::stoull(value);
  }
  EXPECT_EQ(changes, json.at("leader_changes").get<uint64_t>());
  EXPECT_EQ(the_sample(metrics, std::string("electsim_recovery_seconds_count") + kLabels + "}"),
            std::to_string(json.at("recovery_ns").at("count").get<uint64_t>()));
  EXPECT_EQ(metrics.find("electsim_is_leader"), std::string::npos);
  ASSERT_TRUE(promtool_installed()) << kPromtoolMissing;
  const CommandResult check = promtool_check_metrics(dir / "sweep.prom", dir);
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_EQ(check.out + check.err, "");
}

// `compare --metrics`: one series set per algorithm (the `algorithm` label), or per value under
// --vary (the `variant` label), each the sum of that row's runs.
TEST(MetricsCompare, OneSeriesSetPerRowThatPassesPromtool) {
  const fs::path dir = temp_dir("metrics-compare");
  const CommandResult compare = run_electsim(
      "compare raft-leader-crash --algorithms raft,vr --seeds 1..3 --jobs 2 --quiet --metrics " +
          (dir / "compare.prom").string(),
      dir);
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  const std::string metrics = read_text(dir / "compare.prom");
  for (const char* algorithm : {"raft", "vr"}) {
    EXPECT_EQ(the_sample(metrics, std::string("electsim_runs_total{scenario=\"raft-leader-crash\","
                                              "algorithm=\"") + algorithm +
                                      "\",verdict=\"pass\"}"),
              "3");
  }
  const CommandResult varied = run_electsim(
      "compare raft-leader-crash --vary election_timeout=50ms..100ms,150ms..300ms --seeds 1..2 "
      "--jobs 2 --quiet --metrics " + (dir / "vary.prom").string(),
      dir);
  ASSERT_EQ(varied.exit_code, 0) << varied.err;
  const std::string vary = read_text(dir / "vary.prom");
  EXPECT_NE(vary.find("variant=\"50ms..100ms\""), std::string::npos) << vary;
  EXPECT_NE(vary.find("variant=\"150ms..300ms\""), std::string::npos) << vary;
  ASSERT_TRUE(promtool_installed()) << kPromtoolMissing;
  for (const char* file : {"compare.prom", "vary.prom"}) {
    const CommandResult check = promtool_check_metrics(dir / file, dir);
    EXPECT_EQ(check.exit_code, 0) << file << check.out << check.err;
    EXPECT_EQ(check.out + check.err, "") << file;
  }
}

// A resumed sweep reads its finished runs back from its JSON: the metrics must come out the same
// as a sweep that ran every seed in one go.
TEST(MetricsSweep, AResumedSweepExportsTheSameMetrics) {
  const fs::path dir = temp_dir("metrics-resume");
  const std::string whole = (dir / "whole.prom").string();
  ASSERT_EQ(run_electsim("sweep raft-leader-crash --seeds 1..12 --jobs 1 --quiet --metrics " +
                             whole,
                         dir)
                .exit_code,
            0);
  const std::string json = (dir / "part.json").string();
  const CommandResult interrupted =
      run_shell("ELECTSIM_TEST_INTERRUPT_AFTER_SEEDS=2 '" + std::string(ELECTSIM_BINARY) +
                    "' sweep raft-leader-crash --seeds 1..12 --jobs 1 --quiet --json '" + json +
                    "'",
                dir);
  ASSERT_EQ(interrupted.exit_code, 130) << interrupted.err;  // the hook's SIGINT arrived
  // Some runs are in the file, and --resume reads them back instead of running them again.
  const std::string part = read_text(json);
  size_t finished_runs = 0;
  for (size_t at = part.find("\n    {\""); at != std::string::npos;
       at = part.find("\n    {\"", at + 1)) {
    ++finished_runs;
  }
  ASSERT_GE(finished_runs, 2u);
  ASSERT_LT(finished_runs, 12u);
  const std::string resumed = (dir / "resumed.prom").string();
  const CommandResult finished = run_electsim(
      "sweep raft-leader-crash --seeds 1..12 --jobs 1 --quiet --resume --json " + json +
          " --metrics " + resumed,
      dir);
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_EQ(read_text(resumed), read_text(whole));
}

TEST(MetricsOutputs, AnOutputThatCannotBeCreatedExits73BeforeTheRun) {
  const fs::path dir = temp_dir("metrics-73");
  for (const std::string flag : {"--metrics", "--transitions"}) {
    const CommandResult run = run_electsim(
        "run raft-leader-crash " + flag + " " + (dir / "missing" / "out.txt").string(), dir);
    EXPECT_EQ(run.exit_code, 73) << flag;
    EXPECT_NE(run.err.find("electsim: " + flag + " "), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("cannot create"), std::string::npos) << run.err;
    EXPECT_EQ(run.out, "") << flag;  // nothing ran
  }
}

}  // namespace
}  // namespace electsim::testing
