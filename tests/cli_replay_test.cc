// `electsim replay` through the binary (docs/CI.md, "Replay"): the first failing seed of
// nemesis-amnesia (docs/FAULTS.md: seed 23, n2 and n5 both lead epoch 33 at 62.957s) printed
// with the events around the violation, names, the faults in force and the clocks; a passing
// seed; the trace; bad flags.
#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

const char kAmnesia[] = "scenarios/library/nemesis-amnesia.yaml";
constexpr int64_t kViolationMs = 62957;  // docs/FAULTS.md, seed 23

std::string amnesia() { return source_path(kAmnesia); }

// The true times (ns) of the record lines: "  62.951234567s  -5.765433ms  delivered ...".
std::vector<int64_t> record_times(const std::string& out) {
  static const std::regex kLine(R"(^  (\d+)\.(\d{9})s  [-+]\d+\.\d{6}ms  )");
  std::vector<int64_t> times;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    std::smatch match;
    if (!std::regex_search(line, match, kLine)) continue;
    times.push_back(std::stoll(match[1]) * 1'000'000'000 + std::stoll(match[2]));
  }
  return times;
}

// Lines between `heading` and the next line that does not start with two blanks.
std::vector<std::string> section(const std::string& out, const std::string& heading) {
  std::vector<std::string> lines;
  const size_t start = out.find(heading);
  if (start == std::string::npos) return lines;
  std::istringstream rest(out.substr(start));
  std::string line;
  std::getline(rest, line);  // the heading itself
  while (std::getline(rest, line) && line.starts_with("  ")) lines.push_back(line);
  return lines;
}

// The section of seed 23's two leaders of epoch 33 (one_leader_per_epoch), the third of its
// eight violations: a leader without a committed entry at 17.7s and a second vote come first.
std::string two_leaders_section(const std::string& out) {
  const size_t start = out.find("violation 3 of 8: ");
  if (start == std::string::npos) return "";
  return out.substr(start, out.find("\nviolation 4 of", start) - start);
}

class CliReplay : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = temp_dir("replay"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(CliReplay, AmnesiaSeedShowsTheViolationWithItsWindow) {
  const CommandResult replay = run_electsim("replay " + amnesia() + " --seed 23", dir_);
  ASSERT_EQ(replay.exit_code, 1) << replay.err;
  const std::string& out = replay.out;
  EXPECT_NE(out.find("nemesis-amnesia seed 23 (raft): safety_violation"), std::string::npos)
      << out;
  EXPECT_NE(out.find("violation 3 of 8: one_leader_per_epoch at 62.956842548s, epoch 33"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("n2 became leader of epoch 33"), std::string::npos);
  // The winning election itself, in words, with the epoch.
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(became leader process=n2 epoch=33 token=\d+)")))
      << out;
  // Messages by type name, timers by name.
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(delivered to=n\d from=n\d type=\w+)")));
  EXPECT_TRUE(std::regex_search(out, std::regex(R"(timer fired process=n\d timer=[a-z_.]+ )")));

  // That violation's section (more follow it, at the same and later times).
  const std::vector<int64_t> times = record_times(two_leaders_section(out));
  ASSERT_GT(times.size(), 20u);
  const int64_t violation_ns = kViolationMs * 1'000'000;
  size_t before = 0;
  size_t after = 0;
  for (const int64_t time : times) {
    // Every record lies within 500ms (the default window) of the violation's time.
    EXPECT_GE(time, violation_ns - 501'000'000);
    EXPECT_LE(time, violation_ns + 501'000'000);
    if (time < violation_ns - 1'000'000) ++before;
    if (time > violation_ns + 1'000'000) ++after;
  }
  EXPECT_GT(before, 5u);
  EXPECT_GT(after, 5u);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  // The marker sits between the two.
  EXPECT_NE(out.find("violation: one_leader_per_epoch ----"), std::string::npos);
}

TEST_F(CliReplay, AmnesiaSeedNamesFaultsInForceAndEveryHostsClock) {
  const CommandResult replay = run_electsim("replay " + amnesia() + " --seed 23", dir_);
  ASSERT_EQ(replay.exit_code, 1) << replay.err;
  const std::string two_leaders = two_leaders_section(replay.out);
  const std::vector<std::string> faults = section(two_leaders, "faults in force:");
  ASSERT_FALSE(faults.empty()) << replay.out;
  for (const std::string& fault : faults) {
    // "#12 (clock_drift n3 ...) clock_drift on n3, since 61.2s": index, label, kind, start.
    EXPECT_TRUE(std::regex_search(
        fault, std::regex(R"(^  #\d+ \(.+\) [a-z_]+.*, since \d+\.\d{9}s$)")))
        << fault;
  }
  const std::vector<std::string> clocks =
      section(two_leaders, "host clocks (local time; offset from true time; drift):");
  ASSERT_EQ(clocks.size(), 6u) << replay.out;  // five members and the resource's host
  for (size_t host = 0; host < 5; ++host) {
    // The scenario skews clocks by up to 1s: each line reads a local time near 62.957s.
    EXPECT_TRUE(std::regex_search(
        clocks[host], std::regex("^  n" + std::to_string(host + 1) +
                                 R"(  6[1-4]\.\d{9}s  [-+]\d+\.\d{6}ms  -?\d+ppm)")))
        << clocks[host];
  }
}

TEST_F(CliReplay, NarrowerWindowKeepsFewerRecordsAllWithinIt) {
  const CommandResult wide = run_electsim("replay " + amnesia() + " --seed 23", dir_);
  const CommandResult narrow =
      run_electsim("replay " + amnesia() + " --seed 23 --window 50ms", dir_);
  ASSERT_EQ(narrow.exit_code, 1) << narrow.err;
  const auto first = [](const std::string& out) {
    return record_times(two_leaders_section(out));
  };
  const std::vector<int64_t> times = first(narrow.out);
  ASSERT_FALSE(times.empty());
  EXPECT_LT(times.size(), first(wide.out).size());
  for (const int64_t time : times) {
    EXPECT_LE(std::abs(time - kViolationMs * 1'000'000), 51'000'000) << time;
  }
  EXPECT_NE(narrow.out.find("(window 50ms)"), std::string::npos);
}

TEST_F(CliReplay, PassingSeedSaysSoAndExitsZero) {
  const CommandResult replay =
      run_electsim("replay " + source_path("scenarios/library/raft-leader-crash.yaml") +
                       " --seed 1",
                   dir_);
  EXPECT_EQ(replay.exit_code, 0) << replay.err;
  EXPECT_NE(replay.out.find("passed: seed 1 has no violation"), std::string::npos) << replay.out;
  EXPECT_EQ(replay.out.find("violation 1"), std::string::npos);
}

TEST_F(CliReplay, TraceIsTheSameFileRunWrites) {
  const auto replay_trace = dir_ / "replay.jsonl";
  const auto run_trace = dir_ / "run.jsonl";
  const CommandResult replay = run_electsim(
      "replay " + amnesia() + " --seed 23 --trace " + replay_trace.string(), dir_);
  ASSERT_EQ(replay.exit_code, 1) << replay.err;
  const CommandResult run =
      run_electsim("run " + amnesia() + " --seed 23 --trace " + run_trace.string(), dir_);
  ASSERT_EQ(run.exit_code, 1) << run.err;
  const std::string text = read_text(replay_trace);
  EXPECT_TRUE(text.starts_with("{\"kind\":\"header\""));
  EXPECT_NE(text.find("\"kind\":\"violation\",\"check\":\"one_leader_per_epoch\""),
            std::string::npos);
  EXPECT_EQ(text, read_text(run_trace));
}

TEST_F(CliReplay, BadWindowIsACommandLineError) {
  for (const std::string window : {"5", "-1s", "0", "2h", "fast"}) {
    const CommandResult replay =
        run_electsim("replay " + amnesia() + " --seed 23 --window " + window, dir_);
    EXPECT_EQ(replay.exit_code, 64) << window;
    EXPECT_TRUE(replay.err.starts_with("electsim: --window '" + window + "'")) << replay.err;
    EXPECT_EQ(std::count(replay.err.begin(), replay.err.end(), '\n'), 1) << replay.err;
    EXPECT_TRUE(replay.out.empty());
  }
}

TEST_F(CliReplay, BadSeedIsACommandLineError) {
  const CommandResult replay = run_electsim("replay " + amnesia() + " --seed -3", dir_);
  EXPECT_EQ(replay.exit_code, 64);
  EXPECT_NE(replay.err.find("--seed"), std::string::npos) << replay.err;
}

}  // namespace
}  // namespace electsim::testing
