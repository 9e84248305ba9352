// `electsim compare --html FILE` (issue 13, acceptance 1): the page has the summary and
// pairwise tables, one CDF line (one <path>) per algorithm, the leadership timeline of each
// algorithm's worst run, each failure with its reproduce command, the resolved parameters and
// the version, and fetches nothing from anywhere. (HtmlChromium.ComparePage* renders it in
// headless Chromium, as the slow ctest html_chromium.)
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

size_t occurrences(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

TEST(CompareHtml, PageHasTheTablesACdfLineAndATimelinePerAlgorithmAndTheParameters) {
  const auto dir = temp_dir("compare-html");
  const auto page_path = dir / "compare.html";
  const auto result = run_electsim("compare leader-crash-all --algorithms raft,bully,zk-recipe "
                                   "--seeds 1..3 --jobs 2 --quiet --html " + page_path.string(),
                                   dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string page = read_text(page_path);
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>"));
  // The summary tables (recovery, leadership), the pairwise table, with their header cells.
  EXPECT_THAT(page, HasSubstr("<th>p50</th>"));
  EXPECT_THAT(page, HasSubstr("<th>leaderless/run</th>"));
  EXPECT_THAT(page, HasSubstr("<th>p (Holm)</th>"));
  EXPECT_THAT(page, HasSubstr("<td>zk-recipe</td>"));
  // One CDF line (a <path> with data-series) per algorithm, in the order given.
  EXPECT_EQ(occurrences(page, " data-series=\""), 3u);
  const size_t raft = page.find(" data-series=\"raft\"");
  const size_t bully = page.find(" data-series=\"bully\"");
  const size_t zk = page.find(" data-series=\"zk-recipe\"");
  ASSERT_NE(raft, std::string::npos);
  ASSERT_NE(zk, std::string::npos);
  EXPECT_LT(raft, bully);
  EXPECT_LT(bully, zk);
  // The worst run of each algorithm, with its timeline (a lane per process) and its reproduce
  // command.
  for (const std::string name : {"raft", "bully", "zk-recipe"}) {
    EXPECT_THAT(page, HasSubstr("id=\"worst-" + name + "\"")) << name;
    EXPECT_THAT(page, HasSubstr("Worst run of " + name + ": seed ")) << name;
  }
  EXPECT_EQ(occurrences(page, "data-lane=\"g1.n1\""), 3u);
  EXPECT_EQ(occurrences(page, " run leader-crash-all --seed "), 3u);
  EXPECT_THAT(page, HasSubstr("--algorithm zk-recipe</code>"));
  // The resolved parameters of each, and the version.
  EXPECT_THAT(page, HasSubstr("<td>election_timeout</td><td>150ms..300ms</td>"));
  EXPECT_THAT(page, HasSubstr("<td>session_timeout</td><td>2s</td>"));
  EXPECT_THAT(page, HasSubstr("Written by electsim "));
  // Self-contained: no script, and nothing fetched.
  EXPECT_THAT(page, Not(HasSubstr("<script")));
  EXPECT_THAT(page, Not(HasSubstr("://")));
}

TEST(CompareHtml, EachFailureIsListedWithItsReproduceCommand) {
  const auto dir = temp_dir("compare-html-failures");
  const auto page_path = dir / "split.html";
  const auto result = run_electsim("compare bully-split --algorithms raft,bully --seeds 1..2 "
                                   "--jobs 1 --quiet --html " + page_path.string(),
                                   dir);
  ASSERT_EQ(result.exit_code, 1) << result.err;
  const std::string page = read_text(page_path);
  EXPECT_THAT(page, HasSubstr("bully seed 1: safety_violation: exclusive_leadership"));
  EXPECT_THAT(page, HasSubstr("bully seed 2: safety_violation: exclusive_leadership"));
  EXPECT_THAT(page, HasSubstr(" run bully-split --seed 2 --algorithm bully</code>"));
  // Bully's worst run is its first failing seed, shown with the violation on its timeline.
  EXPECT_THAT(page, HasSubstr("Worst run of bully: seed 1 (its first failing seed)"));
  EXPECT_THAT(page, HasSubstr("data-violation=\"exclusive_leadership\""));
}

}  // namespace
}  // namespace electsim::testing
