// Runs count the messages that elect (issue 14's messages per election): each family marks its
// electing message types, the run JSON carries `election_messages`, and runs of the lease
// recipes, whose service protocol cannot tell a campaign from a keep-alive, carry no such key.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "tests/cli_test_support.h"

namespace electsim::testing {
namespace {

nlohmann::json run_json(const std::string& arguments, const std::string& name) {
  const auto dir = temp_dir("election-messages-" + name);
  const auto json_path = dir / "run.json";
  const CommandResult result =
      run_electsim(arguments + " --seed 1 --json " + json_path.string(), dir);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  return nlohmann::json::parse(read_text(json_path));
}

TEST(GateElectionMessages, RaftCountsVotesNotHeartbeats) {
  const auto json = run_json("run raft-leader-crash", "raft");
  ASSERT_TRUE(json.contains("election_messages")) << json.dump();
  const auto election = json["election_messages"].get<uint64_t>();
  const auto sent = json["messages_sent"].get<uint64_t>();
  // At least one election (two votes asked and answered) happened, and heartbeats are most of
  // what was sent.
  EXPECT_GE(election, 4u);
  EXPECT_LT(election * 10, sent) << "election " << election << " of " << sent;
}

TEST(GateElectionMessages, ALeaseRecipeCarriesNoCount) {
  const auto json = run_json("run lease-etcd-partition", "etcd");
  EXPECT_FALSE(json.contains("election_messages")) << json["election_messages"];
  EXPECT_GT(json["messages_sent"].get<uint64_t>(), 0u);
}

}  // namespace
}  // namespace electsim::testing
