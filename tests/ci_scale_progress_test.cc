// Progress of a sweep on standard error: a plain line per interval without a terminal (the
// interval forced to 0 by ELECTSIM_PROGRESS_INTERVAL_MS, so a line per seed), nothing with
// --quiet or before the default interval, one line redrawn in place on a terminal.
#include <cstdio>
#include <chrono>
#include <regex>
#include <vector>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"
#include "scenarios/progress.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using scenarios::progress_text;

TEST(CiScaleProgress, TheLineSaysDoneFailedRateAndTimeLeft) {
  EXPECT_EQ(progress_text(5, 20, 1, 0.5), "5/20 seeds (25%), 1 failed");
  EXPECT_EQ(progress_text(10, 20, 0, 2.0), "10/20 seeds (50%), 0 failed, 5 seeds/s, about 2s left");
  EXPECT_EQ(progress_text(100, 100000, 3, 10.0),
            "100/100000 seeds (0%), 3 failed, 10 seeds/s, about 2h46m left");
  EXPECT_EQ(progress_text(7, std::nullopt, 0, 1.0), "7 seeds, 0 failed, 7 seeds/s");
}

TEST(CiScaleProgress, WithoutATerminalALinePerIntervalOnStandardError) {
  const auto dir = temp_dir("ci-progress-lines");
  const std::string sweep =
      absl::StrCat("'", ELECTSIM_BINARY, "' sweep raft-leader-crash --seeds 1..4 --jobs 1");
  const auto result = run_shell("ELECTSIM_PROGRESS_INTERVAL_MS=0 " + sweep, dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::regex line(R"(electsim: progress (\d)/4 seeds \((\d+)%\), 0 failed\n)");
  std::vector<std::string> done;
  for (std::sregex_iterator it(result.err.begin(), result.err.end(), line), end; it != end; ++it) {
    done.push_back((*it)[1]);
  }
  EXPECT_EQ(done, (std::vector<std::string>{"1", "2", "3", "4"})) << result.err;
  EXPECT_EQ(result.out.find("progress"), std::string::npos);  // never on standard output
  const auto quiet = run_shell(absl::StrCat("ELECTSIM_PROGRESS_INTERVAL_MS=0 ", sweep, " --quiet"),
                               dir);
  EXPECT_EQ(quiet.err, "");
  // The default interval is seconds: a sweep this short shows none.
  const auto fast = run_shell(sweep, dir);
  EXPECT_EQ(fast.err.find("progress"), std::string::npos) << fast.err;
}

TEST(CiScaleProgress, OnATerminalOneLineIsRedrawnInPlace) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  scenarios::SweepProgress progress(scenarios::ProgressStyle::kTerminal, 10,
                                    std::chrono::milliseconds(0), out);
  progress.finish(10, 2);
  std::rewind(out);
  char buffer[512] = {};
  const size_t read = std::fread(buffer, 1, sizeof buffer - 1, out);
  std::fclose(out);
  const std::string text(buffer, read);
  // Nothing was shown yet, so finishing draws nothing either: no stray blank line.
  EXPECT_EQ(text, "");
  std::FILE* shown = std::tmpfile();
  scenarios::SweepProgress drawn(scenarios::ProgressStyle::kTerminal, 10,
                                 std::chrono::milliseconds(0), shown);
  drawn.update(5, 1);
  drawn.finish(10, 2);
  std::rewind(shown);
  const size_t got = std::fread(buffer, 1, sizeof buffer - 1, shown);
  std::fclose(shown);
  EXPECT_EQ(std::string(buffer, got),
            "\r[##########..........] 5/10 seeds (50%), 1 failed\033[K"
            "\r[####################] 10/10 seeds (100%), 2 failed\033[K\n");
}

}  // namespace
}  // namespace electsim::testing
