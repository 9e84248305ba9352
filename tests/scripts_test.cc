// Every script in scripts/ that README.md tells people to run, run reduced against the binary
// this build made (never rebuilding, never recursing into the suite), with its output checked.
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"
#include "tests/markdown_page_support.h"

namespace electsim::testing {
namespace {

std::string binary() { return ELECTSIM_BINARY; }

std::vector<std::string> table_rows(const std::string& text) {
  std::vector<std::string> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| ", 0) == 0 && line.find("---") == std::string::npos) rows.push_back(line);
  }
  return rows;
}

// The table of a reduced Figure 16: a header and ten lines, each with a count of 20 seeds
// (19/20 for 150-150 is allowed) and a number or ">bound" in each of our columns.
TEST(ScriptsFig16, QuickRunPrintsTheTenLinesWithNumbers) {
  const auto dir = temp_dir("fig16-quick");
  const auto result = run_shell("ELECTSIM='" + binary() + "' scripts/fig16 --quick", dir);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto rows = table_rows(result.out);
  ASSERT_EQ(rows.size(), 11u) << result.out;
  EXPECT_EQ(cells(rows[0])[0], "timeout (ms)");
  const std::regex count(R"((\d+/)?20)");
  const std::regex number(R"(>?\d+(\.\d)?)");
  for (size_t i = 1; i < rows.size(); ++i) {
    const auto row = cells(rows[i]);
    ASSERT_EQ(row.size(), 10u) << rows[i];
    EXPECT_TRUE(std::regex_match(row[1], count)) << rows[i];
    for (size_t column = 2; column <= 4; ++column) {
      EXPECT_TRUE(std::regex_match(row[column], number)) << rows[i];
    }
  }
  EXPECT_EQ(result.out.find("runs in the JSON"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Acceptance (counts only): pass."), std::string::npos) << result.out;
}

// A stand-in for electsim that writes the sweep JSON as the contract allows it to change:
// summary keys before and after the runs, each run's keys in another order, and a nested
// "seed" and "recovery_ns" that are not the run's own. It writes `runs` runs, whatever the range.
std::filesystem::path write_fake_electsim(const std::filesystem::path& dir, int runs) {
  const auto path = dir / "fake-electsim";
  std::ofstream script(path);
  script << "#!/usr/bin/env bash\n"
            "while [ $# -gt 0 ]; do\n"
            "  case \"$1\" in --json) json=$2; shift 2 ;; *) shift ;; esac\n"
            "done\n"
            "{\n"
            "  echo '{'\n"
            "  echo '  \"verdict\": \"pass\", \"recovery_ns\": {\"p50\": 1},'\n"
            "  echo '  \"runs\": ['\n"
            "  for seed in $(seq 1 " << runs << "); do\n"
            "    printf '    {\"recovery_ns\":[5000000,%d],\"params\":{\"seed\":\"99\","
            "\"recovery_ns\":\"[1]\"},\"detail\":\"a \\\\\"seed\\\\\":7 } [\",\"verdict\":\"pass\","
            "\"seed\":%d}%s\\n' $((seed * 1000000)) \"$seed\" \"$([ \"$seed\" = " << runs
         << " ] || echo ,)\"\n"
            "  done\n"
            "  echo '  ],'\n"
            "  echo '  \"passed\": 1, \"seeds\": 3'\n"
            "  echo '}'\n"
            "} >\"$json\"\n"
            "echo 'verdict pass'\n";
  script.close();
  std::filesystem::permissions(path, std::filesystem::perms::owner_all);
  return path;
}

TEST(ScriptsFig16, ParsesRunsInAnyKeyOrderWithSummaryLinesAround) {
  const auto dir = temp_dir("fig16-fake");
  const auto fake = write_fake_electsim(dir, 3);
  const auto result = run_shell("FIG16_SEEDS=3 ELECTSIM='" + fake.string() + "' scripts/fig16", dir);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto rows = table_rows(result.out);
  ASSERT_EQ(rows.size(), 11u) << result.out;
  // Recoveries of 1, 2 and 3 ms (the last entry of each run's own list): median 2.0, max 3.0.
  const auto row = cells(rows[1]);
  EXPECT_EQ(row[1], "3");
  EXPECT_EQ(row[2], "2.0");
  EXPECT_EQ(row[4], "3.0");
}

TEST(ScriptsFig16, MissingRunsFailTheAcceptance) {
  const auto dir = temp_dir("fig16-missing");
  const auto fake = write_fake_electsim(dir, 2);
  const auto result = run_shell("FIG16_SEEDS=3 ELECTSIM='" + fake.string() + "' scripts/fig16", dir);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("2 runs in the JSON, 3 seeds asked"), std::string::npos) << result.out;
}

TEST(ScriptsFig16, RefusesABadSeedCount) {
  const auto dir = temp_dir("fig16-bad-seeds");
  const auto result = run_shell("FIG16_SEEDS=abc ELECTSIM='" + binary() + "' scripts/fig16", dir);
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_NE(result.err.find("FIG16_SEEDS"), std::string::npos) << result.err;
}

// The demo without its setup step: a run of seed 1, a 200-seed sweep, and how to put electsim
// on PATH so that the printed reproduce commands work when pasted.
TEST(ScriptsDemo, RunsTheDefaultScenarioAndTheSweepAndSaysHowToPutElectsimOnPath) {
  const auto dir = temp_dir("demo");
  const auto result =
      run_shell("ELECTSIM_SKIP_SETUP=1 ELECTSIM='" + binary() + "' scripts/demo", dir);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("seeds 1..200"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("passed 200, failed 0"), std::string::npos) << result.out;
  const std::string bin_dir = std::filesystem::path(binary()).parent_path().string();
  EXPECT_NE(result.out.find("export PATH=\"" + bin_dir + ":$PATH\""), std::string::npos)
      << result.out;
}

// scripts/test lists the fast suite (ctest -N) instead of running it from inside itself.
TEST(ScriptsTest, ListsTheFastSuiteWithoutTheSlowTests) {
  const auto dir = temp_dir("test-list");
  const std::string build_dir = std::filesystem::path(binary()).parent_path().string();
  const auto result = run_shell(
      "ELECTSIM_SKIP_SETUP=1 BUILD_DIR='" + build_dir + "' scripts/test --list", dir);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("ScriptsTest.ListsTheFastSuiteWithoutTheSlowTests"),
            std::string::npos);
  EXPECT_NE(result.out.find("bench_smoke"), std::string::npos);
  EXPECT_NE(result.out.find("Total Tests:"), std::string::npos);
  const auto bad = run_shell("ELECTSIM_SKIP_SETUP=1 scripts/test --frobnicate", dir);
  EXPECT_EQ(bad.exit_code, 64);
}

// scripts/setup --check installs and builds nothing; it tells a configured build from a
// missing one.
TEST(ScriptsSetup, CheckReportsPackagesAndTheBuildFolderWithoutBuilding) {
  const auto dir = temp_dir("setup-check");
  const std::string build_dir = std::filesystem::path(binary()).parent_path().string();
  const auto configured = run_shell("BUILD_DIR='" + build_dir + "' scripts/setup --check", dir);
  EXPECT_EQ(configured.exit_code, 0) << configured.out << configured.err;
  EXPECT_NE(configured.out.find("packages installed"), std::string::npos) << configured.out;
  EXPECT_NE(configured.out.find(build_dir + " is configured"), std::string::npos);
  const auto missing_dir = dir / "no-build";
  const auto missing =
      run_shell("BUILD_DIR='" + missing_dir.string() + "' scripts/setup --check", dir);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("is not configured"), std::string::npos) << missing.out;
  EXPECT_FALSE(std::filesystem::exists(missing_dir)) << "--check must not configure";
}

// The literature table over two seeds: six scenarios, four variants, and the outcome that does
// not depend on the seed count (Howard & Abraham 1 livelocks plain Raft, PreVote keeps the leader).
TEST(ScriptsLiteratureTable, TwoSeedsGiveTheSixScenariosAndTheLivelock) {
  const auto dir = temp_dir("literature-table");
  const auto result = run_shell(
      "scripts/literature-table --seeds 1..2 --binary '" + binary() + "'", dir);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto rows = table_rows(result.out);
  ASSERT_EQ(rows.size(), 7u) << result.out;
  for (const auto& row : rows) EXPECT_EQ(cells(row).size(), 5u) << row;
  const auto howard = cells(rows[1]);
  EXPECT_EQ(howard[0], "`partial-howard-abraham-1.yaml`");
  EXPECT_NE(howard[1].find("livelock"), std::string::npos) << rows[1];
  EXPECT_NE(howard[2].find("leader kept"), std::string::npos) << rows[1];
}

}  // namespace
}  // namespace electsim::testing
