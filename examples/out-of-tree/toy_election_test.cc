// The toy election under electsim's harness, through the GoogleTest adapter <electsim/gtest.h>:
// four nodes; at 2s the leader crashes and the other three are split for good. The majority
// version keeps one leader per epoch (no side has a majority, so none elects); the planted bug
// lets a node on each side lead the same next epoch, and the adapter reports it with the seed,
// the shrunk schedule and the command that replays it.
#include <electsim/gtest.h>
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "toy_election.h"

namespace {

constexpr char kSplitAfterCrash[] = R"(version: 1
name: toy-split
description: The leader of four nodes crashes at 2s and the rest are split in two for good.
cluster: {nodes: 4}
algorithm: {name: raft}
network:
  latency: {distribution: normal, mean: 5ms, stddev: 3ms, min: 1ms}
duration: 6s
faults:
  - {at: 2s, crash: leader}
  - {at: 2s, partition: {groups: [[n1, n2], [n3, n4]]}}
)";

TEST(ToyElection, WithMajorityVotesThereIsOneLeaderPerEpoch) {
  EXPECT_TRUE(electsim::Property(toy::toy_election_info(/*majority=*/true))
                  .scenario_yaml(kSplitAfterCrash)
                  .seeds(1, 20)
                  .checks({"one_leader_per_epoch", "epochs_never_go_backwards"})
                  .holds());
}

TEST(ToyElection, WithoutVotesTwoNodesLeadTheSameEpochAndTheAdapterSaysHowToReplayIt) {
  electsim::Property property(toy::toy_election_info(/*majority=*/false));
  property.scenario_yaml(kSplitAfterCrash).seeds(1, 20).checks({"one_leader_per_epoch"});
  const auto outcome = property.run();
  ASSERT_TRUE(outcome.status.ok()) << outcome.status;
  ASSERT_TRUE(outcome.failure.has_value()) << "the planted bug was not caught";
  EXPECT_EQ(outcome.failure->check, "one_leader_per_epoch");
  const std::string message = property.describe(outcome);
  std::cout << message;  // what a failing EXPECT_TRUE(property.holds()) would print
  const std::string replay = "replay: ELECTSIM_SEEDS=" + std::to_string(outcome.failure->seed) +
                             " ";
  EXPECT_NE(message.find(replay), std::string::npos) << message;
  EXPECT_NE(message.find("--gtest_filter=ToyElection.WithoutVotes"), std::string::npos);
  EXPECT_NE(message.find("--- the shrunk scenario ---"), std::string::npos) << message;
  EXPECT_NE(message.find("nemesis: null"), std::string::npos) << message;
  EXPECT_FALSE(property.holds());
}

}  // namespace
