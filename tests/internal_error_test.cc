// Internal failures are results (issue 7, acceptance 5): a failed SIM_CHECK throws
// InternalCheckFailure naming the file relative to the repository; run_scenario turns it into a
// run with verdict internal_error, its message, true time and reproduce command; a sweep over 100
// seeds of the test-only check tripper (tests/algorithms/) reports exactly the seeds it trips on
// as internal_error and every other seed with its normal verdict, in-process and through the
// binary.
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "scenarios/sweep.h"
#include "sim/check.h"
#include "tests/algorithms/check_tripper.h"
#include "tests/cli_test_support.h"

namespace electsim {
namespace {

namespace fs = std::filesystem;

TEST(InternalCheck, AFailedCheckThrowsWithTheFileRelativeToTheRepository) {
  try {
    const int three = 3;
    SIM_CHECK_EQ(three, 4, "three is not four");
    FAIL() << "SIM_CHECK_EQ did not throw";
  } catch (const sim::InternalCheckFailure& failure) {
    EXPECT_EQ(failure.file(), "tests/internal_error_test.cc");
    EXPECT_GT(failure.line(), 0);
    EXPECT_EQ(failure.condition(), "three == 4");
    EXPECT_EQ(failure.values(), "3 vs 4");
    EXPECT_EQ(std::string(failure.what()),
              absl::StrCat("tests/internal_error_test.cc:", failure.line(),
                           ": check 'three == 4' failed (3 vs 4): three is not four"));
  }
  // A check in a header of the kernel, compiled into another library, is named the same way.
  try {
    sim::checked_add(std::numeric_limits<int64_t>::max(), 1);
    FAIL() << "an overflow passed";
  } catch (const sim::InternalCheckFailure& failure) {
    EXPECT_EQ(failure.file(), "sim/time.h");
    EXPECT_TRUE(absl::StartsWith(failure.what(), "sim/time.h:")) << failure.what();
  }
}

// Three Raft nodes on a clean network for 1 s, without clock skew, so n1's trip timer fires at
// true time kTripAfter.
fs::path tripper_scenario(const fs::path& dir) {
  const fs::path path = dir / "tripper.yaml";
  std::ofstream(path) << "version: 1\nname: tripper\ncluster: {nodes: 3}\n"
                      << "algorithm: {name: " << testing::kCheckTripperName << "}\n"
                      << "duration: 1s\nseeds: 1..100\n";
  return path;
}

scenarios::Scenario load_tripper(const fs::path& dir) {
  testing::register_check_tripper();
  auto scenario = scenarios::load_scenario_file(tripper_scenario(dir).string(), {});
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return *scenario;
}

std::set<uint64_t> tripping_seeds(uint64_t first, uint64_t last) {
  std::set<uint64_t> seeds;
  for (uint64_t seed = first; seed <= last; ++seed) {
    if (testing::trips_on_seed(seed)) seeds.insert(seed);
  }
  return seeds;
}

// However the build spelled __FILE__ (ccache's "../", an absolute path where the prefix map did
// not apply, or already relative), the failure names the file as the repository does.
TEST(InternalCheck, FileNamesAreRelativeToTheRepositoryWhateverTheBuildPassed) {
  auto file_of = [](const char* file) {
    return sim::InternalCheckFailure(file, 1, "x", "", "m").file();
  };
  EXPECT_EQ(file_of("../sim/world.cc"), "sim/world.cc");
  EXPECT_EQ(file_of("../../tests/algorithms/check_tripper.cc"), "tests/algorithms/check_tripper.cc");
  EXPECT_EQ(file_of("./algorithms/raft/raft.cc"), "algorithms/raft/raft.cc");
  EXPECT_EQ(file_of("/tmp/ci-clone/tests/algorithms/check_tripper.cc"),
            "tests/algorithms/check_tripper.cc");
  EXPECT_EQ(file_of("/home/u/electsim/algorithms/raft/raft.cc"), "algorithms/raft/raft.cc");
  EXPECT_EQ(file_of("sim/time.h"), "sim/time.h");
  EXPECT_EQ(sim::InternalCheckFailure("../sim/time.h", 7, "a < b", "3 vs 4", "m").what(),
            std::string("sim/time.h:7: check 'a < b' failed (3 vs 4): m"));
}

TEST(InternalCheck, TheTestPredicateTripsOnSomeSeedsButNotAll) {
  const size_t tripping = tripping_seeds(1, 100).size();
  EXPECT_GE(tripping, 4u);
  EXPECT_LE(tripping, 30u);
}

TEST(InternalCheck, ARunThatFailsACheckIsAnInternalErrorResult) {
  const auto scenario = load_tripper(testing::temp_dir("internal-run"));
  const uint64_t seed = *tripping_seeds(1, 100).begin();
  auto run = scenarios::run_scenario(scenario, seed, {});
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->verdict, reports::Verdict::kInternalError);
  EXPECT_TRUE(absl::StartsWith(run->error, "tests/algorithms/check_tripper.cc:")) << run->error;
  EXPECT_TRUE(absl::StrContains(run->error, "check 'draw_ != 0u' failed (0 vs 0)")) << run->error;
  EXPECT_TRUE(absl::StrContains(run->error, testing::kTripMessage)) << run->error;
  EXPECT_EQ(run->error_time, sim::Instant::zero() + testing::kTripAfter);
  EXPECT_TRUE(absl::StrContains(run->reproduce, absl::StrCat("--seed ", seed))) << run->reproduce;
  EXPECT_EQ(reports::verdict_exit_code(run->verdict), 70);
}

TEST(InternalCheck, ASweepReportsExactlyTheTrippingSeedsAndGoesOn) {
  const auto scenario = load_tripper(testing::temp_dir("internal-sweep"));
  const std::set<uint64_t> expected = tripping_seeds(1, 100);
  const auto runs = scenarios::collect_sweep(scenario, {1, 100}, 2);
  ASSERT_EQ(runs.size(), 100u);
  std::set<uint64_t> internal;
  for (const reports::RunResult& run : runs) {
    if (run.verdict == reports::Verdict::kInternalError) {
      internal.insert(run.seed);
      EXPECT_TRUE(absl::StrContains(run.error, testing::kTripMessage)) << run.seed;
      EXPECT_TRUE(absl::StrContains(run.reproduce, absl::StrCat("--seed ", run.seed)));
    } else {
      EXPECT_EQ(run.verdict, reports::Verdict::kPass) << "seed " << run.seed;
    }
  }
  EXPECT_EQ(internal, expected);
}

TEST(InternalCheck, TheBinaryReportsTheTrippingSeedsAndExits70) {
  const fs::path dir = testing::temp_dir("internal-binary");
  const fs::path scenario = tripper_scenario(dir);
  const fs::path json = dir / "sweep.json";
  const std::string binary = ELECTSIM_TEST_ALGORITHMS_BINARY;
  const std::string command = absl::StrCat(binary, " sweep ", scenario.string(),
                                           " --seeds 1..100 --jobs 2 --json ", json.string(),
                                           " >", (dir / "out").string(), " 2>",
                                           (dir / "err").string());
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 70) << testing::read_text(dir / "err");
  const std::set<uint64_t> expected = tripping_seeds(1, 100);

  const auto document = nlohmann::json::parse(testing::read_text(json));
  ASSERT_EQ(document["runs"].size(), 100u);
  std::set<uint64_t> internal;
  for (const auto& run : document["runs"]) {
    const uint64_t seed = run["seed"].get<uint64_t>();
    if (run["verdict"] == "internal_error") {
      internal.insert(seed);
      EXPECT_TRUE(absl::StrContains(run["error"].get<std::string>(), testing::kTripMessage));
      EXPECT_EQ(run["error_time_ns"].get<int64_t>(), testing::kTripAfter.ns());
      EXPECT_TRUE(absl::StrContains(run["replay"].get<std::string>(),
                                    absl::StrCat("--seed ", seed)));
    } else {
      EXPECT_EQ(run["verdict"], "pass") << seed;
    }
  }
  EXPECT_EQ(internal, expected);
  EXPECT_EQ(document["internal_errors"].get<uint64_t>(), expected.size());
  EXPECT_EQ(document["verdict"], "internal_error");

  // The text lists the first failing seeds with their messages and reproduce commands.
  const std::string out = testing::read_text(dir / "out");
  const uint64_t first = *expected.begin();
  EXPECT_TRUE(absl::StrContains(out, absl::StrCat("  seed ", first, " internal_error - tests/")))
      << out;
  EXPECT_TRUE(absl::StrContains(out, absl::StrCat(" --seed ", first, "\n"))) << out;
  EXPECT_TRUE(absl::StrContains(out, "(true time 0.250000000s)")) << out;
}

TEST(InternalCheck, TheRunCommandPrintsTheInternalErrorAndExits70) {
  const fs::path dir = testing::temp_dir("internal-run-binary");
  const fs::path scenario = tripper_scenario(dir);
  const uint64_t seed = *tripping_seeds(1, 100).begin();
  const std::string command =
      absl::StrCat(ELECTSIM_TEST_ALGORITHMS_BINARY, " run ", scenario.string(), " --seed ", seed,
                   " >", (dir / "out").string(), " 2>", (dir / "err").string());
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 70);
  const std::string out = testing::read_text(dir / "out");
  EXPECT_TRUE(absl::StrContains(out, "internal_error at true time 0.250000000s")) << out;
  EXPECT_TRUE(absl::StrContains(out, testing::kTripMessage)) << out;
  EXPECT_TRUE(absl::StrContains(out, absl::StrCat("--seed ", seed, "\n"))) << out;
}

}  // namespace
}  // namespace electsim
