// Stop and resume (issue 12, acceptance 2): a sweep interrupted by SIGINT (raised by the test
// hook ELECTSIM_TEST_INTERRUPT_AFTER_SEEDS, so the moment is deterministic) writes what it
// finished, marked interrupted, and exits 130; `--resume` with the same --json file runs only the
// seeds left and ends with exactly the JSON of an uninterrupted sweep, for a plain sweep and for
// a shard. A file of another sweep is refused; a missing one starts the sweep.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

namespace fs = std::filesystem;

constexpr char kSweep[] = "sweep nemesis-amnesia --seeds 1..40 --jobs 2";

CommandResult interrupted_after(int seeds, const std::string& arguments, const fs::path& dir) {
  return run_shell("ELECTSIM_TEST_INTERRUPT_AFTER_SEEDS=" + std::to_string(seeds) + " '" +
                       std::string(ELECTSIM_BINARY) + "' " + arguments,
                   dir);
}

size_t runs_in(const std::string& json) {
  size_t count = 0;
  for (size_t at = json.find("\n    {\""); at != std::string::npos;
       at = json.find("\n    {\"", at + 1)) {
    ++count;
  }
  return count;
}

void expect_resume_gives_the_uninterrupted_json(const std::string& sweep, const fs::path& dir) {
  const auto whole_path = dir / "whole.json";
  const auto cut_path = dir / "cut.json";
  ASSERT_LE(run_electsim(sweep + " --quiet --json " + whole_path.string(), dir).exit_code, 1);
  const auto cut = interrupted_after(5, sweep + " --json " + cut_path.string(), dir);
  ASSERT_EQ(cut.exit_code, 130) << cut.out << cut.err;  // the hook's SIGINT arrived
  const std::string partial = read_text(cut_path);
  EXPECT_NE(partial.find("\"interrupted\": true"), std::string::npos);
  // Seeds already running when the signal came finish too (two workers): at least 5, not all.
  EXPECT_GE(runs_in(partial), 5u);
  EXPECT_LT(runs_in(partial), runs_in(read_text(whole_path)));
  const auto resumed = run_electsim(sweep + " --quiet --resume --json " + cut_path.string(), dir);
  EXPECT_LE(resumed.exit_code, 1) << resumed.err;
  EXPECT_TRUE(read_text(whole_path) == read_text(cut_path)) << "resumed JSON differs";
}

TEST(CiScaleResume, InterruptedThenResumedEqualsUninterrupted) {
  expect_resume_gives_the_uninterrupted_json(kSweep, temp_dir("ci-resume"));
}

TEST(CiScaleResume, AShardResumesToItsUninterruptedJson) {
  expect_resume_gives_the_uninterrupted_json(std::string(kSweep) + " --shard 2/3",
                                             temp_dir("ci-resume-shard"));
}

TEST(CiScaleResume, ResumingAFinishedSweepRunsNothingAndKeepsItsBytes) {
  const auto dir = temp_dir("ci-resume-finished");
  const auto json = dir / "done.json";
  ASSERT_LE(run_electsim(std::string(kSweep) + " --quiet --json " + json.string(), dir).exit_code,
            1);
  const std::string before = read_text(json);
  // The hook would interrupt after the first seed run here: none runs, so it never fires.
  const auto again = interrupted_after(1, std::string(kSweep) + " --resume --json " +
                                              json.string(), dir);
  EXPECT_EQ(again.exit_code, 1) << again.err;  // the sweep's own verdict: seeds 23 and 37 fail
  EXPECT_TRUE(before == read_text(json));
}

TEST(CiScaleResume, AMissingFileStartsTheSweep) {
  const auto dir = temp_dir("ci-resume-missing");
  const auto json = dir / "new.json";
  const auto result = run_electsim("sweep raft-leader-crash --seeds 1..6 --quiet --resume --json " +
                                       json.string(), dir);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(runs_in(read_text(json)), 6u);
}

TEST(CiScaleResume, AnotherSweepsFileIsRefusedAndKept) {
  const auto dir = temp_dir("ci-resume-other");
  const auto json = dir / "other.json";
  ASSERT_EQ(run_electsim("sweep raft-leader-crash --seeds 1..6 --quiet --json " + json.string(),
                         dir).exit_code, 0);
  const std::string before = read_text(json);
  const auto result = run_electsim("sweep raft-leader-crash --seeds 1..7 --quiet --resume --json " +
                                       json.string(), dir);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_EQ(result.err.rfind("electsim: " + json.string() + ":1: --resume: this file is a sweep "
                             "of raft-leader-crash (raft) seeds 1..6, not of raft-leader-crash "
                             "(raft) seeds 1..7", 0), 0u) << result.err;
  EXPECT_TRUE(before == read_text(json));
}

TEST(CiScaleResume, ResumeNeedsAJsonFile) {
  const auto dir = temp_dir("ci-resume-flags");
  const auto result = run_electsim("sweep raft-leader-crash --resume", dir);
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_EQ(result.err,
            "electsim: --resume: needs --json FILE, the file of the sweep to continue\n");
}

}  // namespace
}  // namespace electsim::testing
