// Issue 11, acceptance 2, for zk-recipe: scenarios/library/lease-zk-session-expiry.yaml gives
// the outcome its header states, for fencing on and off, through the real binary and its JSON
// report (the user's view).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/lease_run_support.h"

namespace electsim::testing {
namespace {

using Json = nlohmann::json;

TEST(ZkScenarios, SessionExpiryFencedReportsThePausedLeadersOverlapAndRefusesItsWrite) {
  const LeaseRun run = run_lease("zk", "lease-zk-session-expiry", 1, "on");
  EXPECT_EQ(run.exit_code, 0) << run.printed;
  // The partition makes no overlap (SUSPENDED comes first); the pause makes exactly one.
  ASSERT_EQ(run.json["overlaps"].size(), 1u) << run.printed;
  const int64_t pause_start = 30'000'000'000;
  EXPECT_GT(run.json["overlaps"][0]["start_ns"].get<int64_t>(), pause_start);
  EXPECT_EQ(run.json["stale_writes_accepted"], 0) << run.printed;
  EXPECT_GT(run.json["writes"]["refused"].get<uint64_t>(), 0u) << run.printed;
  EXPECT_EQ(run.json["leader_changes"].get<int>(), 3) << "the first election and two hand-overs";
  EXPECT_TRUE(run.checks.empty()) << run.printed;
}

TEST(ZkScenarios, SessionExpiryUnfencedIsASplitBrainWithAStaleWrite) {
  const LeaseRun run = run_lease("zk", "lease-zk-session-expiry", 1, "off");
  EXPECT_EQ(run.exit_code, 1) << run.printed;
  EXPECT_EQ(run.checks.count("exclusive_leadership"), 1u) << run.printed;
  EXPECT_EQ(run.checks.count("no_stale_write_accepted"), 1u) << run.printed;
  EXPECT_GT(run.json["stale_writes_accepted"].get<uint64_t>(), 0u) << run.printed;
}

}  // namespace
}  // namespace electsim::testing
