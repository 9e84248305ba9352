// scripts/outcome-table (issue 10, acceptance 3): every literature partial-partition scenario
// against every algorithm `electsim list` shows, one Markdown table, kept in docs/FAULTS.md
// between <!-- outcome-table --> markers.
//
// The fast test runs the script over one seed and checks the table's shape (one row per listed
// algorithm, one column per scenario file), the outcomes that do not depend on the seed count,
// and that the page's table has the same rows and columns. The slow ctest outcome_table
// (ELECTSIM_OUTCOME_TABLE=1) regenerates the table at the page's own seed count and checks the
// page equals it, the way tests/robustness_table_test.cc keeps docs/ROBUSTNESS.md current.
#include <cstdlib>
#include <algorithm>
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
  return testing::between_markers(page, "outcome-table");
}

// Rows of the table by algorithm name (without backquotes), header excluded.
std::map<std::string, std::vector<std::string>> rows_by_algorithm(const std::string& table) {
  std::map<std::string, std::vector<std::string>> rows;
  std::istringstream in(table);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| `", 0) != 0) continue;
    auto row = cells(line);
    std::string name = row[0];
    name.erase(std::remove(name.begin(), name.end(), '`'), name.end());
    rows[name] = row;
  }
  return rows;
}

std::vector<std::string> listed_algorithms(const std::filesystem::path& dir) {
  const auto listed = run_electsim("list --json", dir);
  const nlohmann::json list = nlohmann::json::parse(listed.out);
  std::vector<std::string> names;
  for (const auto& algorithm : list["algorithms"]) names.push_back(algorithm["name"]);
  EXPECT_NE(std::find(names.begin(), names.end(), "raft"), names.end()) << listed.out;
  return names;
}

size_t partial_scenarios() {
  size_t count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(source_path("scenarios/library"))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("partial-", 0) == 0 && name.ends_with(".yaml")) ++count;
  }
  return count;
}

TEST(MultiPaxosOutcomeTable, OneSeedGivesEveryListedAlgorithmAndEveryScenario) {
  const auto dir = temp_dir("outcome-table");
  const auto result = run_shell(
      "scripts/outcome-table --seeds 1..1 --binary '" + std::string(ELECTSIM_BINARY) + "'", dir);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const auto rows = rows_by_algorithm(result.out);
  const auto names = listed_algorithms(dir);
  ASSERT_EQ(rows.size(), names.size()) << result.out;
  for (const auto& name : names) {
    ASSERT_TRUE(rows.contains(name)) << name << "\n" << result.out;
    EXPECT_EQ(rows.at(name).size(), partial_scenarios() + 1) << name;
  }
  // Seed-independent outcomes: Howard & Abraham's first example livelocks the Raft it was
  // written for (the scenario as written), and Multi-Paxos' two ends of the chain depose each
  // other for as long as the cut lasts.
  const std::string header = result.out.substr(result.out.find("| algorithm"));
  const auto columns = cells(header.substr(0, header.find('\n')));
  const auto column = [&](const std::string& scenario) {
    return std::find(columns.begin(), columns.end(), "`" + scenario + "`") - columns.begin();
  };
  EXPECT_NE(rows.at("raft")[column("howard-abraham-1")].find("livelock"), std::string::npos);
  EXPECT_NE(rows.at("multipaxos")[column("omnipaxos-chained")].find("livelock"),
            std::string::npos);
  EXPECT_NE(rows.at("multipaxos")[column("omnipaxos-constrained-election")].find("recovered"),
            std::string::npos);
}

// The page's table has a row for every algorithm the binary lists and a column per scenario,
// so an algorithm merged without regenerating the table fails here, fast.
TEST(MultiPaxosOutcomeTable, ThePageHasARowPerListedAlgorithmAndAColumnPerScenario) {
  const auto dir = temp_dir("outcome-table-page");
  const std::string block = between_markers(read_text(source_path("docs/FAULTS.md")));
  ASSERT_FALSE(block.empty()) << "docs/FAULTS.md lacks <!-- outcome-table --> markers";
  const auto rows = rows_by_algorithm(block);
  for (const auto& name : listed_algorithms(dir)) {
    ASSERT_TRUE(rows.contains(name))
        << "docs/FAULTS.md's outcome table lacks " << name
        << ": regenerate it with scripts/outcome-table --write docs/FAULTS.md";
    EXPECT_EQ(rows.at(name).size(), partial_scenarios() + 1) << name;
  }
}

TEST(MultiPaxosOutcomeTable, ThePageEqualsTheScriptsOutputAtItsSeedCount) {
  const char* enabled = std::getenv("ELECTSIM_OUTCOME_TABLE");
  if (enabled == nullptr || std::string(enabled) != "1") {
    GTEST_SKIP() << "runs as the slow ctest outcome_table (ELECTSIM_OUTCOME_TABLE=1)";
  }
  const std::string block = between_markers(read_text(source_path("docs/FAULTS.md")));
  std::smatch seeds;
  ASSERT_TRUE(std::regex_search(block, seeds, std::regex(R"(Seeds (\d+\.\.\d+) per cell)")));
  const auto dir = temp_dir("outcome-table-full");
  const auto result = run_shell("scripts/outcome-table --seeds " + seeds[1].str() +
                                    " --binary '" + std::string(ELECTSIM_BINARY) + "'",
                                dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(block, result.out)
      << "docs/FAULTS.md is stale: scripts/outcome-table --write docs/FAULTS.md";
}

}  // namespace
}  // namespace electsim::testing
