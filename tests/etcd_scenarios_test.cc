// Issue 11, acceptance 2, for etcd-election: scenarios/library/lease-etcd-partition.yaml gives
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

TEST(EtcdScenarios, PartitionFencedNeverAcceptsAStaleWrite) {
  // Seeds 1..5: the partition starts at a different moment in each.
  for (int seed = 1; seed <= 5; ++seed) {
    const LeaseRun run = run_lease("etcd", "lease-etcd-partition", seed, "on");
    EXPECT_EQ(run.exit_code, 0) << "seed " << seed << "\n" << run.printed;
    EXPECT_EQ(run.json["stale_writes_accepted"], 0) << "seed " << seed;
    EXPECT_GE(run.json["leader_changes"].get<int>(), 2) << "a successor led, seed " << seed;
  }
}

TEST(EtcdScenarios, PartitionUnfencedOverlapsForUpToADeadlineCheckAndWritesStale) {
  const LeaseRun run = run_lease("etcd", "lease-etcd-partition", 1, "off");
  ASSERT_EQ(run.json["overlaps"].size(), 1u) << run.printed;
  EXPECT_LE(run.json["overlaps"][0]["duration_ns"].get<int64_t>(), 1'000'000'000)
      << "deadlineLoop looks once a second";
  EXPECT_EQ(run.exit_code, 1) << run.printed;
  EXPECT_EQ(run.checks.count("exclusive_leadership"), 1u) << run.printed;
  EXPECT_GT(run.json["stale_writes_accepted"].get<uint64_t>(), 0u) << run.printed;
}

}  // namespace
}  // namespace electsim::testing
