// The JSON Lines trace through the real binary (docs/TRACE.md): the header first, every line in
// true-time order, keys by name, and the checks' violations as lines of their own.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using nlohmann::json;

const std::string kLeaderCrash = source_path("scenarios/library/raft-leader-crash.yaml");

std::vector<json> trace_lines(const std::string& text) {
  std::istringstream in(text);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  return lines;
}

TEST(TraceCli, HeaderFirstThenRecordsByName) {
  const auto dir = temp_dir("trace-cli-header");
  const auto run = run_electsim("run " + kLeaderCrash + " --seed 3 --quiet --trace - "
                                "--set algorithm.params.pre_vote=false", dir);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::vector<json> lines = trace_lines(run.out);
  ASSERT_GT(lines.size(), 100u);
  const json& header = lines[0];
  EXPECT_EQ(header["kind"], "header");
  EXPECT_EQ(header["trace_format"], 2);
  EXPECT_EQ(header["scenario"], "raft-leader-crash");
  EXPECT_EQ(header["algorithm"], "raft");
  EXPECT_EQ(header["seed"], 3);
  EXPECT_EQ(header["params"]["pre_vote"], false);  // resolved, with the override applied
  EXPECT_TRUE(header["params"].contains("election_timeout_ns"));
  EXPECT_FALSE(header["electsim"].get<std::string>().empty());
  bool crashed = false;
  bool fault_named = false;
  for (size_t i = 1; i < lines.size(); ++i) {
    const json& line = lines[i];
    ASSERT_NE(line["kind"], "header") << i;
    ASSERT_GE(line["t_ns"].get<int64_t>(), lines[i - 1].value("t_ns", int64_t{0})) << i;
    // No untyped keys of format 1.
    ASSERT_FALSE(line.contains("node") || line.contains("peer") || line.contains("a")) << line;
    if (line["kind"] == "crash") crashed = crashed || line["host"].is_string();
    if (line["kind"] == "fault_start" && line["fault"] == "crash") {
      fault_named = line["label"] == "crash leader, restart after 5s";
    }
  }
  EXPECT_TRUE(crashed);
  EXPECT_TRUE(fault_named);
}

// A recovery bound no run can meet: the liveness violation is a line in the trace, in order.
TEST(TraceCli, ViolationsAreLinesOfTheTrace) {
  const auto dir = temp_dir("trace-cli-violation");
  const auto run = run_electsim("run " + kLeaderCrash + " --seed 1 --quiet --trace - "
                                "--set checks.recovery_within=1ms", dir);
  ASSERT_EQ(run.exit_code, 2) << run.err;
  const std::vector<json> lines = trace_lines(run.out);
  int violations = 0;
  for (size_t i = 1; i < lines.size(); ++i) {
    ASSERT_GE(lines[i]["t_ns"].get<int64_t>(), lines[i - 1].value("t_ns", int64_t{0})) << i;
    if (lines[i]["kind"] != "violation") continue;
    ++violations;
    EXPECT_EQ(lines[i]["property"], "eventually") << lines[i];
    EXPECT_LE(lines[i]["violation_ns"].get<int64_t>(), lines[i]["t_ns"].get<int64_t>());
    EXPECT_FALSE(lines[i]["detail"].get<std::string>().empty());
  }
  EXPECT_GE(violations, 1);
}

}  // namespace
}  // namespace electsim::testing
