// The run page (`electsim run --html`) opens in headless Chromium without a console message,
// and the rendered DOM has the figures table, the timeline picture with its lanes and the
// violation mark, the violation table and the reproduce command (issue 13, acceptance 1); and
// the pieces of a comparison report (a recovery-time CDF, a run section) render together.
// Chromium missing is a failure that says to run scripts/setup, never a silent skip.
//
// Chromium's start-up dominates: 5 to 9 s of wall time (about 2 s of CPU) per page on the
// project's 2-core machine while other builds ran, so these run as the `slow` ctest
// html_chromium (ELECTSIM_HTML_CHROMIUM=1) and are skipped in the fast suite.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "reports/html_page.h"
#include "reports/svg_plots.h"
#include "scenarios/run_page.h"
#include "tests/cli_test_support.h"
#include "tests/html_chromium_support.h"

namespace electsim {
namespace {

using ::testing::HasSubstr;
using testing::run_electsim;
using testing::source_path;
using testing::temp_dir;

size_t occurrences(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

bool chromium_tests_enabled() {
  const char* enabled = std::getenv("ELECTSIM_HTML_CHROMIUM");
  return enabled != nullptr && std::string(enabled) == "1";
}

TEST(HtmlChromium, RunPageRendersWithoutConsoleErrors) {
  if (!chromium_tests_enabled()) {
    GTEST_SKIP() << "runs as the slow ctest html_chromium (ELECTSIM_HTML_CHROMIUM=1)";
  }
  const auto dir = temp_dir("html-chromium");
  const auto page = dir / "bully-split.html";
  const std::string scenario = source_path("scenarios/library/bully-split.yaml");
  const auto run = run_electsim("run " + scenario + " --seed 1 --html " + page.string(), dir);
  ASSERT_EQ(run.exit_code, 1) << run.err;

  const std::string dom = testing::clean_render_dom(page, dir);
  ASSERT_FALSE(dom.empty());
  // The DOM as Chromium built it: the page's sections, the tables, the picture with its five
  // lanes and the violation mark, and the reproduce command.
  EXPECT_THAT(dom, HasSubstr("<h1>electsim run: bully-split, seed 1 (bully)</h1>"));
  EXPECT_THAT(dom, HasSubstr("<p class=\"verdict fail\">safety_violation</p>"));
  EXPECT_GE(occurrences(dom, "<table>"), 4u);
  EXPECT_THAT(dom, HasSubstr("<td>exclusive_leadership</td>"));
  EXPECT_EQ(occurrences(dom, "<svg "), 1u);
  EXPECT_EQ(occurrences(dom, "data-lane=\""), 5u);
  EXPECT_EQ(occurrences(dom, "data-violation=\"exclusive_leadership\""), 1u);
  EXPECT_THAT(dom, HasSubstr("<code>" + std::string(ELECTSIM_BINARY) + " run " + scenario +
                             " --seed 1</code>"));
  EXPECT_THAT(dom, HasSubstr("violation 1 of 1: exclusive_leadership"));
}

// The pieces a comparison report is made of (issue 13: a CDF of recovery times, and the worst
// run of an algorithm as a section of its own) render together: two pictures, no console message.
TEST(HtmlChromium, ARunSectionAndARecoveryCdfRenderTogether) {
  if (!chromium_tests_enabled()) {
    GTEST_SKIP() << "runs as the slow ctest html_chromium (ELECTSIM_HTML_CHROMIUM=1)";
  }
  auto scenario = scenarios::load_scenario_file(
      source_path("scenarios/library/bully-split.yaml"), {});
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  const auto ms = [](int64_t n) { return sim::Duration::milliseconds(n); };
  const std::vector<reports::CdfSeries> lines = {{"raft", {ms(150), ms(180), ms(400)}, 0},
                                                 {"bully", {ms(40), ms(330)}, 1}};
  reports::HtmlPage page;
  page.title = "comparison pieces";
  page.build = reports::BuildInfo{"0.1.0", "test"};
  page.sections = {
      {"cdf", "Recovery times",
       reports::html_inline_svg(reports::recovery_cdf_svg(lines, "Recovery after a partition"))},
      scenarios::run_section(*scenario, 1, "bully: the worst run (seed 1)")};
  const auto dir = temp_dir("html-chromium-pieces");
  const auto path = dir / "pieces.html";
  { std::ofstream(path) << reports::render_html_page(page); }

  const std::string dom = testing::clean_render_dom(path, dir);
  ASSERT_FALSE(dom.empty());
  EXPECT_EQ(occurrences(dom, "<svg "), 2u);
  EXPECT_EQ(occurrences(dom, "data-series=\""), 2u);
  EXPECT_THAT(dom, HasSubstr("<section id=\"bully-the-worst-run-seed-1\">"));
  EXPECT_EQ(occurrences(dom, "data-violation=\"exclusive_leadership\""), 1u);
  EXPECT_THAT(dom, HasSubstr("bully: 3 windows, median 40ms, 1 never recovered"));
}

}  // namespace
}  // namespace electsim
