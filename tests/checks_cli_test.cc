// The check profiles through the real binary: `electsim list` shows process kinds and each
// algorithm's profile, and `checks.exclusive` tightens a profile but may not loosen it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using ::testing::HasSubstr;

std::string write_scenario(const std::filesystem::path& dir, const std::string& checks) {
  const auto path = dir / "scenario.yaml";
  std::ofstream(path) << "version: 1\n"
                         "name: exclusive\n"
                         "cluster: {nodes: 3}\n"
                         "algorithm:\n"
                         "  name: raft\n"
                         "  params: {check_quorum: true}\n"
                         "duration: 2s\n"
                         "checks:\n"
                      << checks;
  return path.string();
}

TEST(ChecksCli, ListShowsProcessKindsAndCheckProfiles) {
  const auto dir = temp_dir("checks-list");
  const CommandResult result = run_electsim("list", dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("PROCESS KINDS"));
  for (const char* kind : {"member", "service", "resource", "client"}) {
    EXPECT_THAT(result.out, HasSubstr(std::string("\n  ") + kind)) << kind;
  }
  EXPECT_THAT(result.out,
              HasSubstr("check profile: progress group_majority; exclusivity until_superseded "
                        "(with check_quorum: bounded, 2 x election_timeout.lo + the network's "
                        "maximum one-way delay; without it: until_superseded); token term"));
  EXPECT_THAT(result.out, HasSubstr("bounded_exclusivity"));
}

TEST(ChecksCli, ListJsonCarriesProfilesAndKinds) {
  const auto dir = temp_dir("checks-list-json");
  const CommandResult result = run_electsim("list --json", dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto json = nlohmann::json::parse(result.out);
  ASSERT_EQ(json["process_kinds"].size(), 4u);
  EXPECT_EQ(json["process_kinds"][0]["name"], "member");
  const auto& raft = json["algorithms"][0];
  EXPECT_EQ(raft["name"], "raft");
  EXPECT_EQ(raft["check_profile"]["progress"], "group_majority");
  EXPECT_EQ(raft["check_profile"]["exclusivity"], "until_superseded");
  EXPECT_THAT(raft["check_profile"]["token"].get<std::string>(), HasSubstr("term"));
}

TEST(ChecksCli, LooseningTheProfileIsAScenarioError) {
  const auto dir = temp_dir("checks-loosen");
  const std::string path = write_scenario(dir, "  exclusive: until_superseded\n");
  const CommandResult result = run_electsim("run " + path, dir);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_THAT(result.err, HasSubstr(path + ":9:14: "));
  EXPECT_THAT(result.err, HasSubstr("would loosen raft's exclusivity rule 'bounded'"));
}

TEST(ChecksCli, TighteningTheProfileRuns) {
  const auto dir = temp_dir("checks-tighten");
  const std::string path = write_scenario(dir, "  exclusive: strict\n");
  const CommandResult result = run_electsim("run " + path + " --print-scenario", dir);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("exclusive: strict"));
}

TEST(ChecksCli, AnUnknownRuleIsAScenarioError) {
  const auto dir = temp_dir("checks-unknown-rule");
  const std::string path = write_scenario(dir, "  exclusive: strikt\n");
  const CommandResult result = run_electsim("run " + path, dir);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_THAT(result.err, HasSubstr("expected until_superseded, bounded or strict"));
}

TEST(ChecksCli, LooseningThroughSetIsRefusedToo) {
  const auto dir = temp_dir("checks-loosen-set");
  const std::string path = write_scenario(dir, "  exclusive: bounded\n");
  const CommandResult result =
      run_electsim("run " + path + " --set checks.exclusive=until_superseded", dir);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.exit_code, 70);
  EXPECT_THAT(result.err, HasSubstr("would loosen"));
}

}  // namespace
}  // namespace electsim::testing
