// Issue 9, acceptance 3: each test-only broken variant is caught within 1,000 seeds, with the
// right check named, through the real binary (electsim_with_test_algorithms). Each sweep covers
// a few seeds only; every seed of them fails, so the first failing seed is <= 1,000 as asked,
// and the run stays fast.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/algorithms/fencing_variants.h"
#include "tests/algorithms/raft_reuses_token.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

constexpr uint64_t kMostSeedsToCatch = 1000;

CommandResult run_test_binary(const std::string& arguments, const std::filesystem::path& dir) {
  return run_binary(ELECTSIM_TEST_ALGORITHMS_BINARY, arguments, dir);
}

// The names of the checks that failed in a sweep's first failing run.
std::set<std::string> checks_of_first_failure(const Json& sweep) {
  std::set<std::string> names;
  for (const Json& run : sweep["runs"]) {
    if (run["verdict"] == "pass") continue;
    for (const Json& violation : run["violations"]) names.insert(violation["check"]);
    break;
  }
  return names;
}

// Sweeps `scenario` with `algorithm` and returns the sweep's JSON after checking the exit code.
Json sweep(const std::string& name, const std::string& scenario, const std::string& algorithm,
           const std::string& seeds, const std::string& extra = "") {
  const auto dir = temp_dir(name);
  const auto json_path = dir / "sweep.json";
  const CommandResult result =
      run_test_binary("sweep " + source_path(scenario) + " --seeds " + seeds + " --algorithm " +
                          algorithm + " " + extra + " --json " + json_path.string(),
                      dir);
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  return Json::parse(read_text(json_path));
}

TEST(FenceChecksVariants, RaftReusingTokensIsCaughtByTheTokenChecks) {
  const Json result = sweep("fence-reuses-token", "scenarios/library/raft-leader-crash.yaml",
                            kRaftReusesTokenName, "1..3");
  ASSERT_FALSE(result["failing_seeds"].empty());
  EXPECT_LE(result["failing_seeds"][0].get<uint64_t>(), kMostSeedsToCatch);
  const std::set<std::string> checks = checks_of_first_failure(result);
  EXPECT_TRUE(checks.count("unique_tokens") == 1) << result["failures"].dump();
  EXPECT_TRUE(checks.count("tokens_increase") == 1) << result["failures"].dump();
  // Correct Raft's tokens are its terms: no token check fires on the same seeds (its whole
  // verdict is other tests' business).
  const auto dir = temp_dir("fence-reuses-token-correct");
  const CommandResult correct = run_test_binary(
      "run " + source_path("scenarios/library/raft-leader-crash.yaml") + " --seed " +
          std::to_string(result["failing_seeds"][0].get<uint64_t>()),
      dir);
  EXPECT_THAT(correct.out, ::testing::Not(HasSubstr("unique_tokens")));
  EXPECT_THAT(correct.out, ::testing::Not(HasSubstr("tokens_increase")));
  EXPECT_THAT(correct.out, HasSubstr("tokens    "));
}

TEST(FenceChecksVariants, AnOffByOneResourceIsCaughtByResourceNeverGoesBack) {
  const Json result =
      sweep("fence-off-by-one", "scenarios/library/fencing-partitioned-leader.yaml",
            kRaftWithOffByOneResourceName, "1..3", "--set resource.fencing=on");
  ASSERT_FALSE(result["failing_seeds"].empty());
  EXPECT_LE(result["failing_seeds"][0].get<uint64_t>(), kMostSeedsToCatch);
  EXPECT_EQ(checks_of_first_failure(result).count("resource_never_goes_back"), 1u)
      << result["failures"].dump();
}

TEST(FenceChecksVariants, ALeaderWritingAfterSteppingDownIsCaughtByWritesOnlyWhileLeading) {
  // The leader isolated at 30s steps down on losing its quorum (check_quorum) and goes on
  // writing.
  const Json result = sweep("fence-writes-after", "scenarios/library/raft-leader-crash.yaml",
                            kRaftWritesAfterStepDownName, "1..3", "--set resource.fencing=on");
  ASSERT_FALSE(result["failing_seeds"].empty());
  EXPECT_LE(result["failing_seeds"][0].get<uint64_t>(), kMostSeedsToCatch);
  EXPECT_EQ(checks_of_first_failure(result).count("writes_only_while_leading"), 1u)
      << result["failures"].dump();
}

}  // namespace
}  // namespace electsim::testing
