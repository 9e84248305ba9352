// `electsim sweep --baseline OLD.json` through the binary (issue 14, acceptance 3, at a size
// the fast suite affords; GateFullSize runs it at 2,000 seeds as the slow ctest gate_full_size):
// the correct Raft passes against itself and against other seeds of itself, the test-only Raft
// that keeps its election timer running when it votes is flagged, and every refusal is one line
// with the contract's exit code.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/algorithms/gate_raft_keeps_timer_on_vote.h"
#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using Json = nlohmann::json;

const std::string kBroken =
    std::string("--set algorithm.name=") + kRaftKeepsTimerOnVoteName + " --allow-baseline-mismatch";

CommandResult run_with_test_algorithms(const std::string& arguments,
                                       const std::filesystem::path& dir) {
  return run_binary(ELECTSIM_TEST_ALGORITHMS_BINARY, arguments, dir);
}

// The sweep JSON's closing keys hold the gate's `regression` object.
Json regression_of(const std::filesystem::path& json_path) {
  return Json::parse(read_text(json_path)).at("regression");
}

// One baseline for the tests of this file: the correct Raft on raft-leader-crash.
class GateCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(temp_dir("gate-cli"));
    const CommandResult made = run_electsim(
        "sweep raft-leader-crash --seeds 1..300 --jobs 2 --quiet --json " +
            (*dir_ / "base.json").string(),
        *dir_);
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string baseline() { return (*dir_ / "base.json").string(); }
  static std::filesystem::path path(const std::string& name) { return *dir_ / name; }
  static std::filesystem::path* dir_;
};

std::filesystem::path* GateCli::dir_ = nullptr;

TEST_F(GateCli, TheCorrectRaftAgainstItselfPassesPairedWithNoChange) {
  const auto json = path("self.json");
  const CommandResult result = run_electsim(
      "sweep raft-leader-crash --seeds 1..300 --jobs 2 --baseline " + baseline() +
          " --json " + json.string(),
      *dir_);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("compared    paired on 300 common seeds; tolerance 10%"),
            std::string::npos) << result.out;
  EXPECT_NE(result.out.find("regression gate: pass against " + baseline()), std::string::npos);
  const Json regression = regression_of(json);
  EXPECT_EQ(regression.at("verdict"), "pass");
  EXPECT_TRUE(regression.at("paired").get<bool>());
  ASSERT_EQ(regression.at("figures").size(), 4u);
  for (const Json& figure : regression.at("figures")) {
    EXPECT_EQ(figure.at("change"), 0.0) << figure;  // the same seeds ran the same runs
    EXPECT_FALSE(figure.at("regression").get<bool>()) << figure;
  }
}

TEST_F(GateCli, OtherSeedsOfTheCorrectRaftPassUnpaired) {
  const auto json = path("other-seeds.json");
  const CommandResult result = run_electsim(
      "sweep raft-leader-crash --seeds 301..600 --jobs 2 --quiet --baseline " + baseline() +
          " --json " + json.string(),
      *dir_);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("regression gate: pass"), std::string::npos) << result.out;
  const Json regression = regression_of(json);
  EXPECT_FALSE(regression.at("paired").get<bool>());
  EXPECT_EQ(regression.at("seeds_baseline"), 300);
  EXPECT_EQ(regression.at("figures").at(0).at("rank_test").at("test"), "mann_whitney");
}

// At 300 seeds the broken Raft's extra elections (about 6% more per fault) are significant but
// within 10%; a 2% tolerance flags them, with exit 2 and the figure named. (At 2,000 seeds its
// recovery p99 fails the default 10% too: GateFullSize.)
TEST_F(GateCli, TheRaftThatKeepsItsTimerOnAVoteIsFlagged) {
  const auto json = path("broken.json");
  const auto junit = path("broken.xml");
  const CommandResult result = run_with_test_algorithms(
      "sweep raft-leader-crash --seeds 1..300 --jobs 2 " + kBroken + " --baseline " +
          baseline() + " --tolerance 2% --json " + json.string() + " --junit " + junit.string(),
      *dir_);
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.out.find("regression gate: REGRESSION against " + baseline() +
                            ": elections per fault +"),
            std::string::npos) << result.out;
  const Json regression = regression_of(json);
  EXPECT_EQ(regression.at("verdict"), "regression");
  const Json& elections = regression.at("figures").at(2);
  EXPECT_EQ(elections.at("figure"), "elections_per_fault");
  EXPECT_TRUE(elections.at("regression").get<bool>());
  EXPECT_GT(elections.at("change_low").get<double>(), 0.02) << elections;
  // Every seed passed its checks: only the gate failed the sweep.
  EXPECT_EQ(Json::parse(read_text(json)).at("verdict"), "pass");
  const std::string xml = read_text(junit);
  EXPECT_NE(xml.find("name=\"regression gate\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("<failure type=\"regression\" message=\"regression gate: REGRESSION"),
            std::string::npos) << xml;
  // One case for the scenario x algorithm (every seed passed), one for the gate.
  EXPECT_NE(xml.find("tests=\"2\" failures=\"1\""), std::string::npos) << xml;
}

TEST_F(GateCli, AGenerousToleranceLetsTheSameChangePass) {
  const CommandResult result = run_with_test_algorithms(
      "sweep raft-leader-crash --seeds 1..300 --jobs 2 --quiet " + kBroken + " --baseline " +
          baseline() + " --tolerance 50%",
      *dir_);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("regression gate: pass against " + baseline() + " (tolerance 50%)"),
            std::string::npos) << result.out;
}

TEST_F(GateCli, AnotherAlgorithmIsRefusedUnlessAllowed) {
  const CommandResult result = run_with_test_algorithms(
      "sweep raft-leader-crash --seeds 1..3 --set algorithm.name=" +
          std::string(kRaftKeepsTimerOnVoteName) + " --baseline " + baseline(),
      *dir_);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_EQ(result.err, "electsim: --baseline " + baseline() +
                            ": a sweep of raft-leader-crash (raft), not of raft-leader-crash (" +
                            kRaftKeepsTimerOnVoteName +
                            "); give --allow-baseline-mismatch to compare them anyway\n");
  EXPECT_EQ(result.out, "");  // refused before any seed ran
}

TEST_F(GateCli, AnotherScenarioIsRefused) {
  const CommandResult result =
      run_electsim("sweep nemesis --seeds 1..3 --baseline " + baseline(), *dir_);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_NE(result.err.find("a sweep of raft-leader-crash (raft), not of nemesis (raft)"),
            std::string::npos) << result.err;
}

TEST_F(GateCli, ABaselineThatIsNotASweepIsBadInputAndAMissingOneUnreadable) {
  const auto not_sweep = path("not-a-sweep.json");
  std::ofstream(not_sweep) << "{\"seed\": 1}\n";
  CommandResult result =
      run_electsim("sweep raft-leader-crash --seeds 1..3 --baseline " + not_sweep.string(), *dir_);
  EXPECT_EQ(result.exit_code, 65);
  EXPECT_EQ(result.err.rfind("electsim: --baseline " + not_sweep.string() + ":", 0), 0u)
      << result.err;
  EXPECT_NE(result.err.find("not a sweep's JSON"), std::string::npos) << result.err;
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;

  const auto missing = path("missing.json");
  result = run_electsim("sweep raft-leader-crash --seeds 1..3 --baseline " + missing.string(),
                        *dir_);
  EXPECT_EQ(result.exit_code, 74);
  EXPECT_EQ(result.err, "electsim: --baseline " + missing.string() +
                            ": cannot read: No such file or directory\n");
}

TEST_F(GateCli, BadGateFlagsAreUsageErrors) {
  CommandResult result = run_electsim(
      "sweep raft-leader-crash --seeds 1..3 --baseline " + baseline() + " --tolerance 10", *dir_);
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_EQ(result.err, "electsim: --tolerance '10': expected a percentage from 0% to 1000%, "
                        "such as 10%\n");
  result = run_electsim("sweep raft-leader-crash --seeds 1..3 --tolerance 5%", *dir_);
  EXPECT_EQ(result.exit_code, 64);
  EXPECT_EQ(result.err, "electsim: --tolerance: only with --baseline FILE\n");
  result = run_electsim("sweep raft-leader-crash --seeds 1..3 --allow-baseline-mismatch", *dir_);
  EXPECT_EQ(result.exit_code, 64);
}

// Issue 14's acceptance 3 at full size: 2,000 seeds of raft-leader-crash. The broken Raft is
// flagged at the default tolerance against the correct one; the correct one passes against
// itself and against seeds 2001..4000.
TEST(GateFullSize, FlagsTheBrokenRaftAndNotTheCorrectOneAt2000Seeds) {
  const char* enabled = std::getenv("ELECTSIM_GATE_FULL");
  if (enabled == nullptr || std::string(enabled) != "1") {
    GTEST_SKIP() << "runs as the slow ctest gate_full_size (ELECTSIM_GATE_FULL=1)";
  }
  const auto dir = temp_dir("gate-full");
  const std::string base = (dir / "base.json").string();
  ASSERT_EQ(run_electsim("sweep raft-leader-crash --seeds 1..2000 --jobs 2 --quiet --json " + base,
                         dir).exit_code, 0);
  const CommandResult self = run_electsim(
      "sweep raft-leader-crash --seeds 1..2000 --jobs 2 --quiet --baseline " + base, dir);
  EXPECT_EQ(self.exit_code, 0) << self.out;
  const CommandResult other = run_electsim(
      "sweep raft-leader-crash --seeds 2001..4000 --jobs 2 --quiet --baseline " + base, dir);
  EXPECT_EQ(other.exit_code, 0) << other.out;
  const CommandResult broken = run_with_test_algorithms(
      "sweep raft-leader-crash --seeds 1..2000 --jobs 2 " + kBroken + " --baseline " + base, dir);
  EXPECT_EQ(broken.exit_code, 2) << broken.out;
  EXPECT_NE(broken.out.find("regression gate: REGRESSION"), std::string::npos) << broken.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace electsim::testing
