// Multi-Paxos through the real binary: the library scenarios with `--algorithm multipaxos`, its
// entry in `electsim list`, its ballots as epochs, the lease, and the broken variant of
// tests/algorithms/multipaxos_promises_lower_ballots.cc caught by an existing check.
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

// Quoted for the shell. Built by appending: gcc 12 reports a false -Wrestrict on
// "'" + std::string + "'".
std::string library(const std::string& file) {
  std::string quoted = "'";
  quoted += source_path("scenarios/library/" + file);
  quoted += "'";
  return quoted;
}

nlohmann::json sweep_json(const std::string& binary, const std::string& arguments,
                          const std::filesystem::path& dir, int expected_exit) {
  const auto json = dir / "sweep.json";
  const auto result =
      run_binary(binary, arguments + " --quiet --json '" + json.string() + "'", dir);
  EXPECT_EQ(result.exit_code, expected_exit) << arguments << "\n" << result.out << result.err;
  return nlohmann::json::parse(read_text(json));
}

// DESIGN.md's contract: every library scenario runs with any algorithm; a leader crash and an
// isolated leader are recovered from within the scenario's 3 s bound, with the fencing resource
// accepting no stale write.
TEST(MultiPaxosCluster, RecoversFromTheLeaderCrashScenarioWithinItsBound) {
  const auto dir = temp_dir("multipaxos-leader-crash");
  const auto sweep = sweep_json(ELECTSIM_BINARY,
                                "sweep " + library("raft-leader-crash.yaml") +
                                    " --algorithm multipaxos --seeds 1..40",
                                dir, 0);
  EXPECT_EQ(sweep["passed"], 40);
  for (const auto& run : sweep["runs"]) {
    EXPECT_EQ(run["algorithm"], "multipaxos");
    EXPECT_GE(run["leader_changes"].get<int>(), 3) << "the crash and the isolation both fired";
    EXPECT_EQ(run["stale_writes_accepted"], 0);
  }
}

// The nemesis of scenarios/library/nemesis.yaml (crashes, pauses, partitions of every shape,
// link faults, clock faults) without and with the lease: no safety violation, recovery within
// the bound once the faults heal.
TEST(MultiPaxosCluster, PassesTheNemesisWithoutTheLease) {
  const auto dir = temp_dir("multipaxos-nemesis");
  const auto sweep = sweep_json(ELECTSIM_BINARY,
                                "sweep " + library("nemesis.yaml") +
                                    " --algorithm multipaxos --seeds 1..60",
                                dir, 0);
  EXPECT_EQ(sweep["passed"], 60);
}

// With the lease, follows_a_claimed_leader (issue 14) finds followers that adopt a ballot whose
// proposer never claims it (it waits for a majority's Accept before it reports Elected, and
// some never get one). An open finding, not yet explained: this test pins that it is the only
// check that fires, so that anything else is seen at once.
TEST(MultiPaxosCluster, WithTheLeaseOnlyFollowsAClaimedLeaderFires) {
  const auto dir = temp_dir("multipaxos-nemesis-lease");
  const auto sweep = sweep_json(ELECTSIM_BINARY,
                                "sweep " + library("nemesis.yaml") +
                                    " --algorithm multipaxos --seeds 1..60"
                                    " --set algorithm.params.lease=2s",
                                dir, 1);
  int found = 0;
  for (const auto& run : sweep["runs"]) {
    EXPECT_EQ(run["stale_writes_accepted"], 0);
    for (const auto& violation : run["violations"]) {
      EXPECT_EQ(violation["check"], "follows_a_claimed_leader") << violation.dump();
      ++found;
    }
  }
  EXPECT_GT(found, 0);
}

// The ballot is the epoch and the token, encoded round << 16 | (member index + 1): the low 16
// bits of every leader's epoch name the leader.
TEST(MultiPaxosCluster, EveryLeadersEpochIsItsBallot) {
  const auto dir = temp_dir("multipaxos-ballots");
  const auto trace = dir / "trace.jsonl";
  const auto result = run_electsim("run " + library("raft-leader-crash.yaml") +
                                       " --algorithm multipaxos --seed 3 --trace '" +
                                       trace.string() + "'",
                                   dir);
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::string text = read_text(trace);
  int leaders = 0;
  size_t at = 0;
  for (size_t end; (end = text.find('\n', at)) != std::string::npos; at = end + 1) {
    const auto record = nlohmann::json::parse(text.substr(at, end - at));
    if (record.value("kind", "") != "became_leader") continue;
    ++leaders;
    const uint64_t epoch = record["epoch"];
    const std::string process = record["process"];  // "n3"
    EXPECT_EQ(epoch & 0xffff, std::stoul(process.substr(1))) << record.dump();
    EXPECT_EQ(record["token"], record["epoch"]);
  }
  EXPECT_GE(leaders, 3);
}

// `electsim list` shows the algorithm, its typed parameters with their defaults, and its check
// profile, with the ballot's encoding in the token's description.
TEST(MultiPaxosCluster, ListShowsItsParametersAndProfile) {
  const auto dir = temp_dir("multipaxos-list");
  const auto result = run_electsim("list --json", dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto list = nlohmann::json::parse(result.out);
  const nlohmann::json* found = nullptr;
  for (const auto& algorithm : list["algorithms"]) {
    if (algorithm["name"] == "multipaxos") found = &algorithm;
  }
  ASSERT_NE(found, nullptr) << result.out;
  std::map<std::string, std::string> defaults;
  for (const auto& param : (*found)["params"]) defaults[param["name"]] = param["default"];
  EXPECT_EQ(defaults["failure_detector_timeout"], "150ms..300ms");
  EXPECT_EQ(defaults["lease"], "0");
  EXPECT_TRUE(defaults.contains("heartbeat_interval"));
  EXPECT_TRUE(defaults.contains("lease_drift_allowance"));
  const auto& profile = (*found)["check_profile"];
  EXPECT_EQ(profile["progress"], "group_majority");
  EXPECT_EQ(profile["exclusivity"], "until_superseded");
  EXPECT_NE(profile["token"].get<std::string>().find("round << 16"), std::string::npos);
}

// A lease shorter than two heartbeats cannot be renewed in time: a parameter error (exit 64
// from --set), naming the parameters.
TEST(MultiPaxosCluster, ALeaseTooShortToRenewIsRefused) {
  const auto dir = temp_dir("multipaxos-short-lease");
  const auto result = run_electsim("run " + library("raft-leader-crash.yaml") +
                                       " --algorithm multipaxos --set algorithm.params.lease=100ms",
                                   dir);
  EXPECT_EQ(result.exit_code, 64) << result.out << result.err;
  EXPECT_NE(result.err.find("'lease'"), std::string::npos) << result.err;
}

// Issue 10, acceptance 4: an acceptor that promises a lower ballot after a higher one
// (multipaxos-promises-lower-ballots) is caught by an existing check within 1,000 nemesis seeds.
// Its followers adopt the lower ballot and follow its leader after following a higher one, which
// epochs_never_go_backwards reports (518 of seeds 1..1000 fail so; the first is seed 2). The
// correct algorithm passes the same seeds.
TEST(MultiPaxosCluster, AnAcceptorPromisingALowerBallotIsCaughtWithinTheFirstSeeds) {
  const auto dir = temp_dir("multipaxos-broken");
  const std::string seeds = " --seeds 1..5";
  const auto broken = sweep_json(ELECTSIM_TEST_ALGORITHMS_BINARY,
                                 "sweep " + library("nemesis.yaml") +
                                     " --algorithm multipaxos-promises-lower-ballots" + seeds,
                                 dir, 1);
  ASSERT_GE(broken["safety_failures"].get<int>(), 1);
  bool caught = false;
  for (const auto& run : broken["runs"]) {
    for (const auto& violation : run["violations"]) {
      caught = caught || violation["check"] == "epochs_never_go_backwards";
    }
  }
  EXPECT_TRUE(caught) << broken["failures"].dump();
  const auto correct = sweep_json(ELECTSIM_TEST_ALGORITHMS_BINARY,
                                  "sweep " + library("nemesis.yaml") + " --algorithm multipaxos" +
                                      seeds,
                                  dir, 0);
  EXPECT_EQ(correct["passed"], 5);
}

}  // namespace
}  // namespace electsim::testing
