// scripts/detection-power (issue 12, acceptance 8): every planted bug of the test-only library
// against the nemesis profiles, one Markdown table kept in docs/DETECTION.md between
// <!-- detection-power --> markers.
//
// The fast tests: every bug the page lists is an algorithm that electsim_with_test_algorithms
// registers; every bug the page says can break a checked property is caught; every caught row's
// seed, run on its profile, fails the check the page names; and three bugs the page shows
// caught at seed 1 give exactly the page's rows again when the script sweeps them on one seed
// (seeds per second aside: it is wall-clock). The slow
// ctest detection_power (ELECTSIM_DETECTION_POWER=1) regenerates the whole table at the page's
// own seed count and checks the page equals it, seeds per second aside.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"
#include "tests/markdown_page_support.h"

namespace electsim::testing {
namespace {

// The generated block of the page, or of the script's output.
std::string between_markers(const std::string& page) {
  return testing::between_markers(page, "detection-power");
}

// Columns of the bug table (by name, without backquotes); seeds per second dropped.
constexpr size_t kBugColumns = 9;
constexpr size_t kFirstSeedColumn = 5;
std::map<std::string, std::vector<std::string>> bug_rows(const std::string& table) {
  std::map<std::string, std::vector<std::string>> rows;
  std::istringstream in(table);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    auto row = cells(line);
    if (row.size() != kBugColumns) continue;  // a control row
    row.pop_back();
    std::string name = row[0];
    std::erase(name, '`');
    rows[name] = row;
  }
  return rows;
}

// The lines of a table with the seeds-per-second column blanked.
std::string without_rates(const std::string& table) {
  return std::regex_replace(table, std::regex(R"(\| (\d+|-) \|\n)"), "| - |\n");
}

std::string page_table() { return between_markers(read_text(source_path("docs/DETECTION.md"))); }

std::string script(const std::string& flags) {
  return "scripts/detection-power --binary '" + std::string(ELECTSIM_TEST_ALGORITHMS_BINARY) +
         "' " + flags;
}

// `list` shows the released algorithms only, so each bug's name is tried as --algorithm on its
// profile: the binary resolves the scenario with it (--print-scenario), or exits 64 for an
// unknown name.
TEST(DetectionPower, EveryBugOnThePageIsARegisteredTestAlgorithm) {
  const auto dir = temp_dir("detection-power-names");
  const auto rows = bug_rows(page_table());
  ASSERT_GE(rows.size(), 12u) << "docs/DETECTION.md lacks its table";
  for (const auto& [name, row] : rows) {
    // The row's (first) profile: a lease recipe needs nemesis-lease's coordination service.
    const std::string profile = row[6].substr(1, row[6].find('`', 1) - 1);
    const auto resolved = run_binary(
        ELECTSIM_TEST_ALGORITHMS_BINARY,
        "run " + profile + " --algorithm " + name + " --print-scenario", dir);
    EXPECT_EQ(resolved.exit_code, 0) << name << ": " << resolved.err;
  }
  const auto unknown = run_binary(ELECTSIM_TEST_ALGORITHMS_BINARY,
                                  "run nemesis --algorithm no-such-bug --print-scenario", dir);
  EXPECT_EQ(unknown.exit_code, 64) << "the check above would pass for any name";
}

// Acceptance 8: every planted bug that can break a checked property is caught.
TEST(DetectionPower, EveryBugThatCanBreakACheckedPropertyIsCaught) {
  for (const auto& [name, row] : bug_rows(page_table())) {
    if (row[3].rfind("none checked", 0) == 0) continue;
    EXPECT_EQ(row[4], "yes") << name << " escaped: " << row[4];
  }
}

// Three bugs the page shows caught at seed 1, swept on one seed: the script gives the page's
// rows again (the fast stand-in for the slow ctest's full regeneration).
TEST(DetectionPower, BugsCaughtAtSeedOneGiveThePageRowAgain) {
  std::string quick;
  int picked = 0;
  for (const auto& [name, row] : bug_rows(page_table())) {
    if (picked < 3 && row[4] == "yes" && row[kFirstSeedColumn] == "1") {
      quick += (quick.empty() ? "" : ",") + name;
      ++picked;
    }
  }
  ASSERT_EQ(picked, 3) << "fewer than three bugs are caught at seed 1";
  const auto dir = temp_dir("detection-power-quick");
  const auto result = run_shell(script("--max-seeds 1 --only " + quick), dir);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto page = bug_rows(page_table());
  const auto ran = bug_rows(result.out);
  ASSERT_FALSE(ran.empty()) << result.out;
  for (const auto& [name, row] : ran) {
    ASSERT_TRUE(page.contains(name)) << name;
    EXPECT_EQ(row, page.at(name))
        << "docs/DETECTION.md is stale: scripts/detection-power --jobs 2 "
           "--write docs/DETECTION.md";
  }
}

// The profile column's `name` and `--set k=v` parts, as electsim run arguments.
std::string run_arguments(const std::string& profile_cell) {
  std::string arguments;
  const std::regex quoted("`([^`]+)`");
  for (auto it = std::sregex_iterator(profile_cell.begin(), profile_cell.end(), quoted);
       it != std::sregex_iterator(); ++it) {
    const std::string part = (*it)[1];
    arguments += " " + part;
  }
  return arguments;
}

// Every caught row replays: its first failing seed, run on its profile, is a safety violation
// whose first check is the one the page names. One run per bug, so the whole page is checked
// fast, wherever in the 2,000 seeds the bug was caught.
TEST(DetectionPower, EveryCaughtRowsSeedFailsTheCheckThePageNames) {
  const auto dir = temp_dir("detection-power-replay");
  int replayed = 0;
  for (const auto& [name, row] : bug_rows(page_table())) {
    if (row[4] != "yes") continue;
    const std::string command = "run" + run_arguments(row[6]) + " --algorithm " + name +
                                " --seed " + row[kFirstSeedColumn] + " --json -";
    const auto result = run_binary(ELECTSIM_TEST_ALGORITHMS_BINARY, command, dir);
    // 1: a safety violation; 2: a liveness one only (the page's check is then recovery).
    const bool liveness = row[7] == "`recovery`" || row[7] == "`stable_leader`";
    EXPECT_EQ(result.exit_code, liveness ? 2 : 1) << command << "\n" << result.err;
    const auto run = nlohmann::json::parse(result.out, nullptr, false);
    ASSERT_FALSE(run.is_discarded()) << command << "\n" << result.out;
    // The script's rule: the first safety check, else the first check.
    std::string first_always;
    for (const auto& violation : run["violations"]) {
      const std::string check = violation["check"];
      if (check != "recovery" && check != "stable_leader" && check != "sometimes") {
        first_always = check;
        break;
      }
    }
    if (first_always.empty() && !run["violations"].empty()) {
      first_always = run["violations"][0]["check"];
    }
    std::string expected = row[7];
    std::erase(expected, '`');
    EXPECT_EQ(first_always, expected) << command;
    ++replayed;
  }
  EXPECT_GE(replayed, 12);
}

TEST(DetectionPower, RefusesAnUnknownBugAndABadSeedCount) {
  const auto dir = temp_dir("detection-power-errors");
  const auto unknown = run_shell(script("--only no-such-bug"), dir);
  EXPECT_EQ(unknown.exit_code, 64);
  EXPECT_NE(unknown.err.find("unknown bug(s): no-such-bug"), std::string::npos) << unknown.err;
  EXPECT_EQ(run_shell(script("--max-seeds 0"), dir).exit_code, 64);
}

TEST(DetectionPower, ThePageEqualsTheScriptsOutputAtItsSeedCount) {
  const char* enabled = std::getenv("ELECTSIM_DETECTION_POWER");
  if (enabled == nullptr || std::string(enabled) != "1") {
    GTEST_SKIP() << "runs as the slow ctest detection_power (ELECTSIM_DETECTION_POWER=1)";
  }
  const std::string block = page_table();
  std::smatch seeds;
  ASSERT_TRUE(std::regex_search(block, seeds, std::regex(R"(Up to (\d+) seeds per bug)")));
  const auto dir = temp_dir("detection-power-full");
  const auto result = run_shell(script("--jobs 2 --max-seeds " + seeds[1].str()), dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(without_rates(block), without_rates(result.out))
      << "docs/DETECTION.md is stale: scripts/detection-power --jobs 2 --write docs/DETECTION.md";
}

}  // namespace
}  // namespace electsim::testing
