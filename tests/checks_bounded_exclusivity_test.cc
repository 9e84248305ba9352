// Acceptance 4 (the bounded-overlap half): a Raft whose CheckQuorum leader keeps leading after it
// lost its majority is caught by bounded_exclusivity on the nemesis scenario, while the correct
// Raft with CheckQuorum passes. The first failing seed of the broken Raft was found with
//   electsim_with_test_algorithms sweep scenarios/library/nemesis.yaml --seeds 1..1000
//       --algorithm raft-ignores-quorum-loss --set algorithm.params.check_quorum=true
// (seed 1); the 10,000-seed sweep of the correct Raft is the slow ctest check_quorum_sweep.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

using ::testing::HasSubstr;

std::string nemesis(const std::string& command, const std::string& algorithm,
                    const std::string& seeds) {
  return command + " " + source_path("scenarios/library/nemesis.yaml") + " " + seeds +
         " --algorithm " + algorithm + " --set algorithm.params.check_quorum=true";
}

CommandResult run_test_binary(const std::string& arguments, const std::filesystem::path& dir) {
  return run_binary(ELECTSIM_TEST_ALGORITHMS_BINARY, arguments, dir);
}

TEST(BoundedExclusivity, RaftIgnoringQuorumLossIsCaughtOnTheFirstNemesisSeed) {
  const auto dir = temp_dir("bounded-broken");
  const CommandResult result =
      run_test_binary(nemesis("run", "raft-ignores-quorum-loss", "--seed 1"), dir);
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.out, HasSubstr("bounded_exclusivity: n2 (epoch 69) went on believing it "
                                    "led for 9.014s after n1 (epoch 70) became leader"));
  EXPECT_THAT(result.out, HasSubstr("2 x election_timeout.lo + the network's maximum one-way"));
}

TEST(BoundedExclusivity, CorrectRaftWithCheckQuorumPassesTheSameSeeds) {
  const auto dir = temp_dir("bounded-correct");
  const CommandResult result = run_test_binary(nemesis("sweep", "raft", "--seeds 1..30"), dir);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_THAT(result.out, HasSubstr("passed 30, failed 0"));
}

// Acceptance 4, the no-quorum half: the leader and two more of five members crash for good. Raft's group_majority
// model judges nothing (no quorum is left); the same algorithm under the `none` model must have
// its two survivors elect between themselves, which Raft cannot, so it fails on liveness.
TEST(NoQuorumProfile, IsJudgedByItsOwnProgressRuleNotByAMajority) {
  const auto dir = temp_dir("no-quorum-profile");
  const auto path = dir / "survivors.yaml";
  std::ofstream(path) << "version: 1\n"
                         "name: two-survivors\n"
                         "cluster: {nodes: 5}\n"
                         "algorithm: {name: raft}\n"
                         "duration: 10s\n"
                         "faults:\n"
                         "  - {at: 2s, crash: leader}\n"
                         "  - {at: 2s, crash: n3}\n"
                         "  - {at: 2s, crash: n4}\n"
                         "checks: {recovery_within: 2s}\n";
  const CommandResult majority = run_test_binary("run " + path.string(), dir);
  EXPECT_EQ(majority.exit_code, 0) << majority.out;
  const CommandResult none =
      run_test_binary("run " + path.string() + " --algorithm raft-judged-without-quorum", dir);
  EXPECT_EQ(none.exit_code, 2) << none.out;
  EXPECT_THAT(none.out, HasSubstr("recovery: no stable leader for 2s after the crash of n4"));
}

// The slow half: 10,000 seeds of the correct Raft with CheckQuorum (ctest check_quorum_sweep).
TEST(BoundedExclusivitySweep, CorrectRaftWithCheckQuorumPasses10000Seeds) {
  if (std::getenv("ELECTSIM_CHECK_QUORUM_SWEEP") == nullptr) {
    GTEST_SKIP() << "runs as the slow ctest check_quorum_sweep (ELECTSIM_CHECK_QUORUM_SWEEP=1)";
  }
  const auto dir = temp_dir("bounded-sweep");
  const CommandResult result = run_test_binary(nemesis("sweep", "raft", "--seeds 1..10000"), dir);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_THAT(result.out, HasSubstr("passed 10000, failed 0"));
}

}  // namespace
}  // namespace electsim::testing
