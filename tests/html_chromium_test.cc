// The run page (`electsim run --html`) opens in headless Chromium without a console message,
// and the rendered DOM has the figures table, the timeline picture with its lanes and the
// violation mark, the violation table and the reproduce command (issue 13, acceptance 1).
// Chromium missing is a failure that says to run scripts/setup, never a silent skip.
//
// Chromium's start-up dominates: about 6 s of wall time (2.5 s of CPU) for one page on the
// project's 2-core machine under load, so this runs as the `slow` ctest html_chromium
// (ELECTSIM_HTML_CHROMIUM=1) and is skipped in the fast suite.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

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

TEST(HtmlChromium, RunPageRendersWithoutConsoleErrors) {
  const char* enabled = std::getenv("ELECTSIM_HTML_CHROMIUM");
  if (enabled == nullptr || std::string(enabled) != "1") {
    GTEST_SKIP() << "runs as the slow ctest html_chromium (ELECTSIM_HTML_CHROMIUM=1)";
  }
  const auto dir = temp_dir("html-chromium");
  const auto page = dir / "bully-split.html";
  const std::string scenario = source_path("scenarios/library/bully-split.yaml");
  const auto run = run_electsim("run " + scenario + " --seed 1 --html " + page.string(), dir);
  ASSERT_EQ(run.exit_code, 1) << run.err;

  const testing::ChromiumRender render = testing::render_in_chromium(page, dir);
  ASSERT_TRUE(render.installed) << testing::kChromiumMissing;
  ASSERT_EQ(render.exit_code, 0) << render.log;
  EXPECT_TRUE(render.console_messages.empty())
      << "console messages:\n" << ::testing::PrintToString(render.console_messages);
  // The DOM as Chromium built it: the page's sections, the tables, the picture with its five
  // lanes and the violation mark, and the reproduce command.
  const std::string& dom = render.dom;
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

}  // namespace
}  // namespace electsim
