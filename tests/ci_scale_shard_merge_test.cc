// Sharded sweeps and their merge (issue 12, acceptance 1, at a smaller size): the shards of a
// range are disjoint and cover it, `electsim merge` of their JSON files gives the unsharded
// sweep's JSON byte for byte (with failing seeds among them, so the summary's failure lists are
// rebuilt too) and exits as the sweep does, and every way shards can fail to make one sweep is
// refused in one line with exit 65.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

#include "scenarios/command_line.h"
#include "scenarios/seed_range.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

namespace fs = std::filesystem;

// A scenario with failing seeds among its first 40 (18 seeds of nemesis-amnesia, 2 to 37, violate
// safety), so the merged summary has failures to rebuild.
constexpr char kSweep[] = "sweep nemesis-amnesia --seeds 1..40 --quiet";

std::string shard_command(int index, int count, const fs::path& json) {
  return std::string(kSweep) + " --jobs 2 --shard " + std::to_string(index) + "/" +
         std::to_string(count) + " --json " + json.string();
}

size_t line_count(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(CiScaleShards, EveryNthSeedDisjointAndCoveringTheRange) {
  const scenarios::SeedRange range{5, 27};
  std::set<uint64_t> seen;
  for (uint64_t k = 1; k <= 4; ++k) {
    const auto slice = scenarios::shard_slice(range, {k, 4});
    ASSERT_TRUE(slice.has_value()) << k;
    EXPECT_EQ(slice->first, range.first + k - 1);
    for (uint64_t offset = 0; offset <= slice->last_offset(); ++offset) {
      EXPECT_TRUE(seen.insert(slice->seed_at(offset)).second) << "seed in two shards";
    }
  }
  EXPECT_EQ(seen.size(), 23u);
  EXPECT_EQ(*seen.begin(), 5u);
  EXPECT_EQ(*seen.rbegin(), 27u);
  // Fewer seeds than shards: the last shards hold none.
  EXPECT_FALSE(scenarios::shard_slice({1, 2}, {3, 4}).has_value());
}

TEST(CiScaleShards, MalformedShardFlagsExit64NamingTheFlag) {
  for (const char* bad : {"0/4", "5/4", "4", "a/b", "-1/4", "1/0", "2/"}) {
    const auto parsed = scenarios::parse_command_line(
        {"electsim", "sweep", "raft-leader-crash", "--shard", bad});
    const auto* finished = std::get_if<scenarios::FinishedCommand>(&parsed);
    ASSERT_NE(finished, nullptr) << bad;
    EXPECT_EQ(finished->exit_code, 64) << bad;
    const std::string prefix = absl::StrCat("electsim: --shard '", bad, "': ");
    EXPECT_EQ(finished->err.rfind(prefix, 0), 0u) << finished->err;
    EXPECT_EQ(line_count(finished->err), 1u) << finished->err;
  }
  const auto dir = temp_dir("ci-shard-flag");
  const auto result = run_electsim("sweep raft-leader-crash --shard 5/4", dir);
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_EQ(result.err, "electsim: --shard '5/4': K is above N: there is no shard 5 of 4\n");
}

TEST(CiScaleMerge, ThreeShardsMergeToTheUnshardedSweepsBytes) {
  const auto dir = temp_dir("ci-merge-bytes");
  const auto whole = run_electsim(std::string(kSweep) + " --json " + (dir / "all.json").string(),
                                  dir);
  ASSERT_EQ(whole.exit_code, 1) << whole.err;  // two seeds fail: the test has failures to merge
  for (int k = 1; k <= 3; ++k) {
    const auto shard = run_electsim(shard_command(k, 3, dir / absl::StrCat("s", k, ".json")), dir);
    ASSERT_LE(shard.exit_code, 1) << shard.err;
  }
  // Given in any order.
  const auto merged = run_electsim("merge " + (dir / "s3.json").string() + " " +
                                       (dir / "s1.json").string() + " " +
                                       (dir / "s2.json").string() + " --json " +
                                       (dir / "merged.json").string() + " --quiet",
                                   dir);
  EXPECT_EQ(merged.exit_code, 1) << merged.err;
  // 18 of the 40 fail since the checks on support and logs (docs/FAULTS.md, amnesia).
  EXPECT_EQ(merged.out, "verdict safety_violation: 40 seeds, 22 passed, 18 failed\n");
  const std::string expected = read_text(dir / "all.json");
  ASSERT_NE(expected.find("\"failing_seeds\": [\n    2,\n    4,\n"), std::string::npos);
  ASSERT_NE(expected.find("\n    33,\n    37\n  ]"), std::string::npos);
  EXPECT_TRUE(expected == read_text(dir / "merged.json")) << "merged JSON differs";
  // A shard's own file says which shard it is and holds only its seeds.
  const std::string shard2 = read_text(dir / "s2.json");
  EXPECT_NE(shard2.find("\"shard\": \"2/3\""), std::string::npos);
  EXPECT_NE(shard2.find("\"seeds\": 13,"), std::string::npos);
  EXPECT_NE(shard2.find("\"seed_first\": 2,"), std::string::npos);
}

class CiScaleMergeRefusal : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = temp_dir("ci-merge-refusal");
    for (int k = 1; k <= 2; ++k) {
      const auto shard = run_electsim(shard_command(k, 2, path(k)), dir_);
      ASSERT_LE(shard.exit_code, 1) << shard.err;
    }
  }
  fs::path path(int k) const { return dir_ / absl::StrCat("s", k, ".json"); }
  // Runs merge; expects exit 65, one line naming `file_named` and saying `what`, and no output.
  void expect_refused(const std::string& files, const std::string& file_named,
                      const std::string& what) {
    const auto result = run_electsim("merge " + files + " --json " + (dir_ / "out.json").string(),
                                     dir_);
    EXPECT_EQ(result.exit_code, 65) << result.err;
    EXPECT_EQ(line_count(result.err), 1u) << result.err;
    EXPECT_NE(result.err.find(file_named), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(what), std::string::npos) << result.err;
    EXPECT_FALSE(fs::exists(dir_ / "out.json"));
  }
  fs::path dir_;
};

TEST_F(CiScaleMergeRefusal, AMissingShard) {
  expect_refused(path(1).string(), "shard 2/2", "is missing");
}

TEST_F(CiScaleMergeRefusal, AShardGivenTwiceOverlaps) {
  expect_refused(path(1).string() + " " + path(2).string() + " " + path(1).string(),
                 path(1).string(), "overlap");
}

TEST_F(CiScaleMergeRefusal, ShardsOfDifferentRangesOrParameters) {
  const auto other = dir_ / "other.json";
  ASSERT_LE(run_electsim("sweep nemesis-amnesia --seeds 1..41 --quiet --shard 2/2 --json " +
                             other.string(), dir_).exit_code, 1);
  expect_refused(path(1).string() + " " + other.string(), other.string(), "seeds 1..41");
  ASSERT_LE(run_electsim("sweep nemesis-amnesia --seeds 1..40 --quiet --shard 2/2 "
                         "--set duration=100s --json " + other.string(), dir_).exit_code, 1);
  expect_refused(path(1).string() + " " + other.string(), other.string(), "--set duration=100s");
}

TEST_F(CiScaleMergeRefusal, AnInterruptedShardMustBeResumedFirst) {
  const auto cut = dir_ / "cut.json";
  const auto result = run_shell("ELECTSIM_TEST_INTERRUPT_AFTER_SEEDS=3 " +
                                    std::string(ELECTSIM_BINARY) + " " +
                                    std::string(kSweep) + " --shard 2/2 --jobs 1 --json " +
                                    cut.string(),
                                dir_);
  ASSERT_EQ(result.exit_code, 130) << result.err;  // the hook fired
  expect_refused(path(1).string() + " " + cut.string(), cut.string(), "--resume");
}

TEST_F(CiScaleMergeRefusal, AFileThatIsNotASweepsJson) {
  const auto bad = dir_ / "bad.json";
  std::ofstream(bad) << "{\"hello\": 1}\n";
  expect_refused(path(1).string() + " " + bad.string(), bad.string() + ":", "not a sweep's JSON");
  const auto missing = dir_ / "missing.json";
  expect_refused(path(1).string() + " " + missing.string(), missing.string(), "cannot read");
}

}  // namespace
}  // namespace electsim::testing
