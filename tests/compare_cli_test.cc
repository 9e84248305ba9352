// `electsim compare` through the real binary (issue 13; docs/COMPARE.md): the tables, the CSV
// and JSON with the same figures, --algorithms all, --vary, the flag errors (64, naming the
// flag), the exit code of a comparison with a failing algorithm, and results that do not depend
// on --jobs. Few seeds each, to keep the suite fast.
#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "algorithms/registry.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using Json = nlohmann::json;

class CompareCli : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = temp_dir("compare-cli"); }
  std::filesystem::path dir_;
};

std::vector<std::string> labels_of(const Json& json) {
  std::vector<std::string> labels;
  for (const Json& variant : json["variants"]) labels.push_back(variant["label"]);
  return labels;
}

TEST_F(CompareCli, TwoAlgorithmsGiveTheTablesAndTheSameFiguresInJsonAndCsv) {
  const auto result =
      run_electsim("compare leader-crash-all --algorithms raft,bully --seeds 1..6 --jobs 2 "
                   "--json " + (dir_ / "c.json").string() + " --csv " + (dir_ / "c.csv").string(),
                   dir_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(absl::StrContains(result.out, "recovery in ms")) << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "leadership:")) << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "pairwise recovery")) << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "compare verdict: pass: 2 algorithms x seeds 1..6"))
      << result.out;
  const Json json = Json::parse(read_text(dir_ / "c.json"));
  EXPECT_EQ(labels_of(json), (std::vector<std::string>{"raft", "bully"}));
  EXPECT_EQ(json["verdict"], "pass");
  const Json& raft = json["variants"][0];
  EXPECT_EQ(raft["runs"], 6);
  EXPECT_EQ(raft["recovery_ns"]["windows"], 6);  // one leader crash per seed
  EXPECT_GT(raft["leaderless_ns"]["per_run"].get<int64_t>(), 0);
  EXPECT_EQ(raft["leader_changes_by_reason"]["crashed"], 6);
  EXPECT_TRUE(raft["messages_per_election"].is_number());
  EXPECT_EQ(raft["stale_writes_accepted"], 0);
  EXPECT_EQ(raft["params"]["election_timeout"], "150ms..300ms");
  ASSERT_EQ(json["pairwise"]["pairs"].size(), 1u);
  EXPECT_EQ(json["pairwise"]["pairs"][0]["seeds"], 6);
  // The CSV row of raft holds the JSON's p50.
  const std::vector<std::string> lines =
      absl::StrSplit(read_text(dir_ / "c.csv"), "\r\n", absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_TRUE(lines[0].starts_with("variant,algorithm,runs,recovery_windows,unrecovered,"));
  const std::string p50 = std::to_string(raft["recovery_ns"]["p50"].get<int64_t>());
  EXPECT_TRUE(lines[1].starts_with("raft,raft,6,6,0," + p50 + ",")) << lines[1];
}

TEST_F(CompareCli, AllAlgorithmsRunEveryBuiltInAlgorithmOnTheLibraryScenario) {
  const auto result = run_electsim(
      "compare leader-crash-all --algorithms all --seeds 1..2 --json - --quiet", dir_);
  ASSERT_EQ(result.exit_code, 0) << result.err << result.out;
  const Json json = Json::parse(result.out);
  std::vector<std::string> expected;
  for (const auto& info : algorithms::registry()) expected.push_back(info.name);
  EXPECT_EQ(labels_of(json), expected);
  // Every algorithm recovers within the scenario's bound on these seeds.
  for (const Json& variant : json["variants"]) {
    EXPECT_EQ(variant["liveness_failures"], 0) << variant["label"];
    EXPECT_EQ(variant["safety_failures"], 0) << variant["label"];
    EXPECT_GE(variant["recovery_ns"]["windows"].get<int>(), 2) << variant["label"];
  }
  // The lease recipes elect through the service: no count of election messages.
  EXPECT_TRUE(json["variants"][5]["messages_per_election"].is_null());
  EXPECT_EQ(json["pairwise"]["pairs"].size(), expected.size() * (expected.size() - 1) / 2);
}

TEST_F(CompareCli, AllLeavesOutAlgorithmsTheScenarioCannotRunAndSaysWhy) {
  const auto result = run_electsim(
      "compare raft-leader-crash --algorithms all --seeds 1..2 --json " +
          (dir_ / "all.json").string(),
      dir_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(absl::StrContains(result.err, "electsim: compare: left out zk-recipe: "))
      << result.err;
  const Json json = Json::parse(read_text(dir_ / "all.json"));
  EXPECT_EQ(labels_of(json),
            (std::vector<std::string>{"raft", "zab", "multipaxos", "vr", "bully"}));
}

TEST_F(CompareCli, VaryGivesARowPerValueOfOneParameter) {
  const auto result = run_electsim(
      "compare raft-fig16 --vary election_timeout=12ms..24ms,150ms..300ms --seeds 1..4 --json " +
          (dir_ / "v.json").string(),
      dir_);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(absl::StrContains(result.out, "election_timeout")) << result.out;
  const Json json = Json::parse(read_text(dir_ / "v.json"));
  EXPECT_EQ(json["varied"], "election_timeout");
  EXPECT_EQ(labels_of(json), (std::vector<std::string>{"12ms..24ms", "150ms..300ms"}));
  EXPECT_EQ(json["variants"][0]["params"]["election_timeout"], "12ms..24ms");
  // A ten times shorter timeout recovers faster on the same seeds.
  EXPECT_LT(json["variants"][0]["recovery_ns"]["p50"].get<int64_t>(),
            json["variants"][1]["recovery_ns"]["p50"].get<int64_t>());
}

TEST_F(CompareCli, BadVaryValueExits64NamingVary) {
  const auto result = run_electsim(
      "compare raft-leader-crash --vary election_timeout=abc,150ms..300ms --seeds 1..2", dir_);
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_TRUE(result.err.starts_with("electsim: --vary 'election_timeout=abc': parameter "
                                     "'election_timeout': expected a duration"))
      << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
  EXPECT_TRUE(result.out.empty());
}

TEST_F(CompareCli, FlagErrorsExit64AndNameTheFlag) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"--algorithms raft", "electsim: --algorithms 'raft': expected at least two algorithms"},
      {"--algorithms raft,raft", "electsim: --algorithms 'raft,raft': names raft twice"},
      {"--algorithms raft,all", "electsim: --algorithms 'raft,all': all stands alone"},
      {"--algorithms raft,nope", "electsim: --algorithms nope: unknown algorithm 'nope'"},
      {"--algorithms zab,zk-recipe", "electsim: --algorithms zk-recipe: algorithm 'zk-recipe' "
                                     "elects through the coordination service"},
      {"", "electsim: compare: expected --algorithms a,b,c (or all), or --vary"},
      {"--algorithms raft,zab --vary pre_vote=true,false", "electsim: --vary: compares values"},
      {"--vary pre_vote=true", "electsim: --vary 'pre_vote=true': expected at least two values"},
      {"--algorithm zab --algorithms raft,zab", "electsim: --algorithm: compare takes"},
  };
  for (const auto& [flags, message] : cases) {
    const auto result = run_electsim("compare raft-leader-crash --seeds 1..2 " + flags, dir_);
    EXPECT_EQ(result.exit_code, 64) << flags;
    EXPECT_TRUE(result.err.starts_with(message)) << flags << "\n" << result.err;
  }
}

TEST_F(CompareCli, FailingAlgorithmExitsLikeASweepAndStillPrintsTheTable) {
  // Bully splits under the partition (an overlap of two coordinators, a safety violation);
  // Raft does not.
  const auto result =
      run_electsim("compare bully-split --algorithms raft,bully --seeds 1..3 --jobs 1", dir_);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_TRUE(absl::StrContains(result.out, "3 (first seed 1)")) << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "bully seed 1: safety_violation: "
                                            "exclusive_leadership")) << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "reproduce: ")) << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "--algorithm bully")) << result.out;
  EXPECT_TRUE(absl::StrContains(result.out, "compare verdict: safety_violation")) << result.out;
}

TEST_F(CompareCli, ResultsDoNotDependOnJobs) {
  const auto one = run_electsim(
      "compare leader-crash-all --algorithms raft,zab,k8s-lease --seeds 1..5 --jobs 1 --json -",
      dir_);
  const auto two = run_electsim(
      "compare leader-crash-all --algorithms raft,zab,k8s-lease --seeds 1..5 --jobs 2 --json -",
      dir_);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.out, two.out);
}

}  // namespace
}  // namespace electsim::testing
