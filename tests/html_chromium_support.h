// Renders an HTML file in headless Chromium (Debian's `chromium` package, which scripts/setup
// installs) and returns the DOM after rendering and every console message the page logged, for
// the tests of the HTML reports (issue 13, acceptance 1). It works offline: the pages fetch
// nothing, and a fresh profile folder keeps runs from sharing state.
//
// With --enable-logging=stderr, Chromium writes each console message of the page as a line
// containing "CONSOLE" (":INFO:CONSOLE(LINE)] \"message\", source: URL (LINE)"), whatever its
// level; a page that needs no script should log none, so any such line is a failure (a refused
// fetch under the page's Content-Security-Policy is logged there too). Chromium's own
// complaints (no D-Bus in a container) go to the same stream but are not console lines.
#pragma once

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"

namespace electsim::testing {

struct ChromiumRender {
  bool installed = false;
  int exit_code = -1;
  std::string dom;                            // what --dump-dom printed
  std::vector<std::string> console_messages;  // the page's console lines
  std::string log;                            // everything Chromium wrote to stderr
};

inline constexpr char kChromiumMissing[] =
    "chromium is not installed: run scripts/setup, which installs Debian's chromium package "
    "(the HTML report tests render pages in headless Chromium)";

// Renders `page` (an absolute path); the profile and the captured output go in `dir`.
inline ChromiumRender render_in_chromium(const std::filesystem::path& page,
                                         const std::filesystem::path& dir) {
  ChromiumRender render;
  render.installed = std::system("command -v chromium >/dev/null 2>&1") == 0;
  if (!render.installed) return render;
  // `timeout` bounds a Chromium that hangs (it never should: nothing is fetched).
  const std::string arguments =
      "20 chromium --headless --disable-gpu --no-sandbox --no-first-run "
      "--user-data-dir='" + (dir / "chromium-profile").string() +
      "' --enable-logging=stderr --v=0 --dump-dom 'file://" + page.string() + "'";
  const CommandResult result = run_binary("timeout", arguments, dir);
  render.exit_code = result.exit_code;
  render.dom = result.out;
  render.log = result.err;
  std::istringstream lines(result.err);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(":CONSOLE") != std::string::npos) render.console_messages.push_back(line);
  }
  return render;
}

// Renders `page` and records a test failure unless Chromium is installed, exits 0 and the page
// logs nothing to its console: what every rendered report must satisfy. Returns the DOM, empty
// when the page could not be rendered.
inline std::string clean_render_dom(const std::filesystem::path& page,
                                    const std::filesystem::path& dir) {
  const ChromiumRender render = render_in_chromium(page, dir);
  if (!render.installed) {
    ADD_FAILURE() << kChromiumMissing;
    return "";
  }
  if (render.exit_code != 0) {
    ADD_FAILURE() << "chromium exited " << render.exit_code << ":\n" << render.log;
    return "";
  }
  EXPECT_TRUE(render.console_messages.empty())
      << "console messages:\n" << ::testing::PrintToString(render.console_messages);
  return render.dom;
}

}  // namespace electsim::testing
