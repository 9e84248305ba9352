// scripts/ci-sweep (issue 12, "CI output"): the example CI step sweeps each scenario x algorithm
// with --json and --junit, one line per sweep, and exits as the worst sweep did; --shard names
// the files after the shard and sweeps only it; an error code passes through ahead of a
// violation; bad usage exits 64.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

namespace fs = std::filesystem;

CommandResult ci_sweep(const std::string& arguments, const fs::path& dir,
                       const std::string& binary = ELECTSIM_BINARY) {
  return run_shell("ELECTSIM=" + binary + " scripts/ci-sweep " + arguments, dir);
}

TEST(CiLibCiSweep, SweepsEachScenarioWithJsonAndJunitAndExitsAsTheWorst) {
  const fs::path dir = temp_dir("ci-sweep-two");
  const auto result = ci_sweep("--out " + (dir / "out").string() +
                                   " raft-leader-crash nemesis-amnesia -- --seeds 20..25",
                               dir);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;  // seed 23 violates safety
  EXPECT_NE(result.out.find("ci-sweep: raft-leader-crash: exit 0: verdict pass: 6 seeds"),
            std::string::npos) << result.out;
  EXPECT_NE(result.out.find("ci-sweep: nemesis-amnesia: exit 1: verdict safety_violation"),
            std::string::npos) << result.out;
  for (const char* name : {"raft-leader-crash", "nemesis-amnesia"}) {
    EXPECT_TRUE(fs::exists(dir / "out" / (std::string(name) + ".json"))) << name;
  }
  const std::string junit = read_text(dir / "out" / "junit" / "nemesis-amnesia.xml");
  EXPECT_NE(junit.find("message=\"1 of 6 seeds failed (seed 23); first: leader_completeness"),
            std::string::npos) << junit;
  EXPECT_NE(read_text(dir / "out" / "junit" / "raft-leader-crash.xml").find("failures=\"0\""),
            std::string::npos);
}

TEST(CiLibCiSweep, AShardSweepsOnlyItsSeedsIntoFilesNamedAfterIt) {
  const fs::path dir = temp_dir("ci-sweep-shard");
  const auto result = ci_sweep("--out " + (dir / "out").string() +
                                   " --shard 2/3 raft-leader-crash -- --seeds 1..9", dir);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string json = read_text(dir / "out" / "raft-leader-crash-shard-2-of-3.json");
  EXPECT_NE(json.find("\"shard\": \"2/3\""), std::string::npos) << json.substr(0, 400);
  EXPECT_TRUE(fs::exists(dir / "out" / "junit" / "raft-leader-crash-shard-2-of-3.xml"));
  EXPECT_NE(result.out.find("verdict pass: 3 seeds"), std::string::npos) << result.out;
}

TEST(CiLibCiSweep, AnErrorCodePassesThroughAheadOfAViolation) {
  const fs::path dir = temp_dir("ci-sweep-error");
  // Two algorithms: raft passes; the test algorithm trips an internal check at seed 7 (70).
  const auto result = ci_sweep("--out " + (dir / "out").string() +
                                   " --algorithm raft --algorithm test-check-tripper"
                                   " raft-leader-crash nemesis-amnesia -- --seeds 5..8",
                               dir, ELECTSIM_TEST_ALGORITHMS_BINARY);
  EXPECT_EQ(result.exit_code, 70) << result.out << result.err;
  EXPECT_NE(result.out.find("ci-sweep: raft-leader-crash-raft: exit 0"), std::string::npos);
  EXPECT_NE(result.out.find("ci-sweep: raft-leader-crash-test-check-tripper: exit 70"),
            std::string::npos) << result.out;
  EXPECT_TRUE(fs::exists(dir / "out" / "junit" / "nemesis-amnesia-test-check-tripper.xml"));
  // A scenario that does not load is its own error (65), reported and passed through.
  const auto missing = ci_sweep("--out " + (dir / "out2").string() + " no-such-scenario", dir);
  EXPECT_EQ(missing.exit_code, 65) << missing.err;
  EXPECT_NE(missing.out.find("ci-sweep: no-such-scenario: exit 65: no verdict"),
            std::string::npos);
}

TEST(CiLibCiSweep, BadUsageExits64) {
  const fs::path dir = temp_dir("ci-sweep-usage");
  EXPECT_EQ(ci_sweep("", dir).exit_code, 64);
  EXPECT_EQ(ci_sweep("--bogus raft-leader-crash", dir).exit_code, 64);
  EXPECT_EQ(ci_sweep("raft-leader-crash -- --json x.json", dir).exit_code, 64);
  EXPECT_EQ(ci_sweep("--out", dir).exit_code, 64);
  const auto help = ci_sweep("--help", dir);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("Usage: scripts/ci-sweep"), std::string::npos);
}

}  // namespace
}  // namespace electsim::testing
