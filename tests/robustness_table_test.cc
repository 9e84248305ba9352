// docs/ROBUSTNESS.md is the output of scripts/robustness-table: every hostile input of issue 7
// with the exit code it must give. This runs the script against the binary this build made and
// checks every case (its exit code is the expected one, never 70 or 124, its peak memory within
// the 200 MB, and the files it must not destroy intact), and that the page equals the
// script's output, so the page cannot go stale.
//
// The script takes about 15 s when every case behaves (three sweeps are interrupted after 2 s,
// and two scenario files of 15 and 50 MB are written), and much longer while cases still hang
// (each is killed after 20 s), so it runs as the `slow` ctest robustness_table
// (ELECTSIM_ROBUSTNESS=1) and is skipped in the fast suite.
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

// The cells of a Markdown table row; `\|` inside a cell is not a separator.
std::vector<std::string> row_cells(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (size_t i = 1; i < row.size(); ++i) {
    if (row[i] == '|' && row[i - 1] != '\\') {
      const auto first = cell.find_first_not_of(' ');
      const auto last = cell.find_last_not_of(' ');
      cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  return cells;
}

// The case rows, by case name.
std::map<std::string, std::vector<std::string>> case_rows(const std::string& page) {
  std::map<std::string, std::vector<std::string>> rows;
  std::istringstream in(page);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| ", 0) != 0 || line.rfind("| case ", 0) == 0) continue;
    const auto cells = row_cells(line);
    if (cells.size() == 7) rows[cells[0]] = cells;
  }
  return rows;
}

bool skipped(const std::vector<std::string>& row) { return row[3].rfind("skipped", 0) == 0; }

TEST(RobustnessTable, EveryCaseGivesItsExitCodeAndThePageIsCurrent) {
  const char* enabled = std::getenv("ELECTSIM_ROBUSTNESS");
  if (enabled == nullptr || std::string(enabled) != "1") {
    GTEST_SKIP() << "runs as the slow ctest robustness_table (ELECTSIM_ROBUSTNESS=1)";
  }
  const auto dir = temp_dir("robustness-table");
  const std::string command = "cd '" + std::string(ELECTSIM_SOURCE_DIR) +
                              "' && scripts/robustness-table '" + ELECTSIM_BINARY + "' >'" +
                              (dir / "table.md").string() + "' 2>'" + (dir / "err").string() + "'";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_text(dir / "err");
  const std::string output = read_text(dir / "table.md");
  const auto rows = case_rows(output);
  ASSERT_GE(rows.size(), 30u) << output;
  for (const auto& [name, row] : rows) {
    if (skipped(row)) continue;
    EXPECT_EQ(row[3], row[2]) << name << ": " << row[1] << "\n  stderr: " << row[4];
    EXPECT_NE(row[3], "70") << name;
    EXPECT_EQ(row[5].find("**"), std::string::npos) << name << ": peak memory " << row[5];
    EXPECT_EQ(row[6].find("**"), std::string::npos) << name << ": " << row[6];
  }
  // The page may differ only in cases skipped here for want of root.
  const std::string page = read_text(source_path("docs/ROBUSTNESS.md"));
  const auto page_rows = case_rows(page);
  EXPECT_EQ(page_rows.size(), rows.size());
  for (const auto& [name, row] : rows) {
    if (skipped(row)) continue;
    const auto found = page_rows.find(name);
    ASSERT_NE(found, page_rows.end()) << "docs/ROBUSTNESS.md lacks the case " << name;
    EXPECT_EQ(found->second, row) << "docs/ROBUSTNESS.md is stale: scripts/robustness-table > "
                                     "docs/ROBUSTNESS.md";
  }
  EXPECT_EQ(page.substr(0, page.find("| case ")), output.substr(0, output.find("| case ")));
}

}  // namespace
}  // namespace electsim::testing
