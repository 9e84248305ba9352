// VR through the binary (issue 10, acceptances 1 and 5): it runs the library's scenarios with
// `--algorithm vr` and recovers within their bounds, the nemesis included, with no stale write
// accepted; `electsim list` shows its parameters and check profile, and Bully's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "nlohmann/json.hpp"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using ::testing::HasSubstr;

TEST(VrLibrary, LeaderCrashRecoversWithinTheBoundOnEverySeed) {
  const auto dir = temp_dir("vr-leader-crash");
  const CommandResult result = run_electsim(
      "sweep " + source_path("scenarios/library/raft-leader-crash.yaml") +
          " --seeds 1..100 --quiet --algorithm vr --json -",
      dir);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  const auto sweep = nlohmann::json::parse(result.out);
  EXPECT_EQ(sweep["passed"], 100);
  // Two recoveries per seed: the crash of the view-0 primary and the isolation of the next.
  EXPECT_EQ(sweep["runs"][0]["recovery_ns"].size(), 2u);
  EXPECT_LT(sweep["recovery_ns"]["max"].get<int64_t>(), 3'000'000'000);
}

TEST(VrLibrary, NemesisPassesWithNoStaleWriteAccepted) {
  const auto dir = temp_dir("vr-nemesis");
  const CommandResult result = run_electsim(
      "sweep " + source_path("scenarios/library/nemesis.yaml") +
          " --seeds 1..100 --algorithm vr",
      dir);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_THAT(result.out, HasSubstr("passed 100, failed 0"));
  EXPECT_THAT(result.out, HasSubstr("damage: 0 stale writes accepted"));
}

TEST(VrLibrary, FencingScenariosPassWithFencingOn) {
  const auto dir = temp_dir("vr-fencing");
  for (const char* name : {"fencing-partitioned-leader", "fencing-paused-leader"}) {
    const CommandResult result = run_electsim(
        "sweep " + source_path(std::string("scenarios/library/") + name + ".yaml") +
            " --seeds 1..20 --quiet --algorithm vr",
        dir);
    EXPECT_EQ(result.exit_code, 0) << name << "\n" << result.out << result.err;
  }
}

TEST(VrBullyList, ListShowsBothAlgorithmsWithParametersAndProfiles) {
  const auto dir = temp_dir("vr-bully-list");
  const auto list = nlohmann::json::parse(run_electsim("list --json", dir).out);
  nlohmann::json vr;
  nlohmann::json bully;
  for (const auto& algorithm : list["algorithms"]) {
    if (algorithm["name"] == "vr") vr = algorithm;
    if (algorithm["name"] == "bully") bully = algorithm;
  }
  ASSERT_FALSE(vr.is_null());
  ASSERT_FALSE(bully.is_null());
  EXPECT_EQ(vr["check_profile"]["progress"], "group_majority");
  EXPECT_EQ(vr["check_profile"]["exclusivity"], "until_superseded");
  EXPECT_EQ(vr["check_profile"]["reports_support"], true);  // its DoViewChanges
  EXPECT_EQ(bully["check_profile"]["progress"], "none");
  EXPECT_EQ(bully["check_profile"]["exclusivity"], "strict");
  EXPECT_THAT(vr.dump(), HasSubstr("view_change_timeout"));
  EXPECT_THAT(bully.dump(), HasSubstr("answer_timeout"));
  EXPECT_THAT(list["planned_algorithms"].dump(), ::testing::Not(HasSubstr("\"vr\"")));
}

}  // namespace
}  // namespace electsim::testing
