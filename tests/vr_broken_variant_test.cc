// VR's broken variants (tests/algorithms/vr_starts_view_alone.h) through the real binary, each
// caught by the check named on the first nemesis seed, where the correct VR passes:
// - issue 10, acceptance 4: a new primary that starts its view on its own DoViewChange, without
//   the f+1 of Liskov & Cowling 2012, 4.2 step 3, starts views with logs that lack a committed op
//   (leader_completeness; leader_had_a_quorum sees the missing f+1 too, earlier);
// - issue 14, acceptance 1, VR's support rule: a new primary that counts its own DoViewChange
//   twice starts views with f DoViewChange messages from distinct replicas (leader_had_a_quorum,
//   at the moment the view starts).
#include <set>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/algorithms/vr_starts_view_alone.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

// One seed of nemesis.yaml (fencing on) run by `algorithm`; the sweep's JSON.
Json nemesis_seed_1(const std::string& binary, const std::string& algorithm, int expected_exit) {
  const auto dir = temp_dir("vr-variant-" + algorithm);
  const auto json_path = dir / "sweep.json";
  const CommandResult result = run_binary(
      binary,
      "sweep " + source_path("scenarios/library/nemesis.yaml") + " --algorithm " + algorithm +
          " --seeds 1..1 --quiet --json " + json_path.string(),
      dir);
  EXPECT_EQ(result.exit_code, expected_exit) << result.out << result.err;
  return Json::parse(read_text(json_path));
}

std::set<std::string> checks_of(const Json& run) {
  std::set<std::string> names;
  for (const Json& violation : run["violations"]) names.insert(violation["check"]);
  return names;
}

// The check of the run's earliest violation.
std::string first_check(const Json& run) {
  const Json* first = nullptr;
  for (const Json& violation : run["violations"]) {
    if (first == nullptr || violation["time_ns"] < (*first)["time_ns"]) first = &violation;
  }
  return first == nullptr ? "" : (*first)["check"].get<std::string>();
}

TEST(VrBrokenVariant, CorrectViewChangePassesTheFirstNemesisSeed) {
  const Json sweep = nemesis_seed_1(ELECTSIM_BINARY, "vr", 0);
  EXPECT_EQ(sweep["passed"].get<int>(), 1);
  EXPECT_GT(sweep["runs"][0]["leader_changes"].get<int>(), 5);  // the faults did change views
}

TEST(VrBrokenVariant, StartingAViewWithoutFPlusOneDoViewChangeIsCaughtByLeaderCompleteness_4_2) {
  const Json sweep = nemesis_seed_1(ELECTSIM_TEST_ALGORITHMS_BINARY, kVrStartsViewAloneName, 1);
  ASSERT_EQ(sweep["failing_seeds"].size(), 1u);
  EXPECT_EQ(sweep["failing_seeds"][0].get<int>(), 1);
  const Json& run = sweep["runs"][0];
  EXPECT_EQ(checks_of(run),
            (std::set<std::string>{"leader_completeness", "leader_had_a_quorum"}));
  for (const Json& violation : run["violations"]) {
    if (violation["check"] != "leader_completeness") continue;
    EXPECT_THAT(violation["detail"].get<std::string>(), HasSubstr("cannot hold the entry at"));
    break;
  }
}

TEST(VrBrokenVariant, CountingItsOwnDoViewChangeTwiceIsCaughtByLeaderHadAQuorum_4_2_Step3) {
  const Json sweep =
      nemesis_seed_1(ELECTSIM_TEST_ALGORITHMS_BINARY, kVrCountsOwnDoViewChangeTwiceName, 1);
  ASSERT_EQ(sweep["failing_seeds"].size(), 1u);
  EXPECT_EQ(sweep["failing_seeds"][0].get<int>(), 1);
  const Json& run = sweep["runs"][0];
  EXPECT_EQ(first_check(run), "leader_had_a_quorum");
  for (const Json& violation : run["violations"]) {
    if (violation["check"] != "leader_had_a_quorum") continue;
    EXPECT_THAT(violation["detail"].get<std::string>(),
                HasSubstr("2 of 5 members, short of the majority of 3"));
    break;
  }
}

}  // namespace
}  // namespace electsim::testing
