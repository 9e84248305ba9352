// Crash incarnations (issue 8, section 9): a crash's scheduled restart revives only the crash
// that scheduled it. When a later, separate crash has stopped the node meanwhile (after
// something else restarted it early), the node is that crash's to restart, and the first
// crash's restart is recorded as skipped, with the reason, in its fault record.
//
// The times follow the example, in seconds: n2 is crashed at 10s with a restart after
// 10s; a restart fault brings it back at 12s; a second crash stops it at 15s for 30s.
#include <gtest/gtest.h>

#include <vector>

#include "faults/injector.h"
#include "tests/faults_test_support.h"

namespace electsim::faults {
namespace {

using namespace electsim::faults::testing;  // NOLINT: test vocabulary
using sim::NodeStatus;

constexpr int64_t kSecond = 1000;  // fault_at and run_to_ms count milliseconds
constexpr sim::NodeId kN2 = 1;

Fault crash_n2_at(int64_t at_s, int64_t restart_after_s, FaultKind kind = FaultKind::kCrash) {
  return fault_at(kind, at_s * kSecond, {node_target(kN2)}, restart_after_s * kSecond);
}
Fault restart_n2_at(int64_t at_s) {
  return fault_at(FaultKind::kRestart, at_s * kSecond, {node_target(kN2)});
}
std::vector<Instant> restart_times(const Cluster& cluster, sim::NodeId node) {
  std::vector<Instant> times;
  for (const TraceRecord& restart : cluster.recorder().of(RecordKind::kRestart, node)) {
    times.push_back(restart.time);
  }
  return times;
}

TEST(CrashIncarnation, FirstCrashRestartDoesNotReviveTheSecondCrash) {
  Cluster cluster(3);
  cluster.inject({crash_n2_at(10, 10), restart_n2_at(12), crash_n2_at(15, 30)});
  cluster.run_to_ms(30 * kSecond);
  // The first crash's restart was due at 20s; n2 belongs to the second crash until 45s.
  EXPECT_EQ(cluster.world().status(kN2), NodeStatus::kDown);
  cluster.run_to_ms(50 * kSecond);
  EXPECT_EQ(cluster.world().status(kN2), NodeStatus::kUp);
  EXPECT_EQ(restart_times(cluster, kN2),
            (std::vector<Instant>{at_ms(12 * kSecond), at_ms(45 * kSecond)}));

  ASSERT_EQ(cluster.fired().size(), 3u);
  const FiredFault& first = cluster.fired()[0];
  EXPECT_FALSE(first.skipped);  // the crash itself happened
  EXPECT_TRUE(first.restart_skipped);
  EXPECT_EQ(first.end, at_ms(20 * kSecond));
  EXPECT_EQ(first.effect, "crash n2, restart after 10s skipped: n2 crashed again at 15s");
  EXPECT_FALSE(cluster.fired()[2].restart_skipped);
  EXPECT_EQ(cluster.fired()[2].effect, "crash n2, restarted after 30s");
}

TEST(CrashIncarnation, AmnesiaRestartDoesNotReviveALaterDurableCrash) {
  Cluster cluster(3);
  cluster.inject({crash_n2_at(10, 10, FaultKind::kAmnesiaCrash), restart_n2_at(12),
                  crash_n2_at(15, 30)});
  cluster.run_to_ms(50 * kSecond);
  EXPECT_EQ(restart_times(cluster, kN2),
            (std::vector<Instant>{at_ms(12 * kSecond), at_ms(45 * kSecond)}));
  // No restart with nothing happened: n2 started three times and remembers all three.
  EXPECT_EQ(*cluster.world().durable_state(kN2), sim::DurableState{3});
  EXPECT_EQ(cluster.fired()[0].effect,
            "amnesia crash n2, restart with nothing after 10s skipped: n2 crashed again at 15s");
}

TEST(CrashIncarnation, RestartOfANodeRestartedEarlyIsRecordedAsSkipped) {
  Cluster cluster(3);
  cluster.inject({crash_n2_at(10, 10), restart_n2_at(12)});
  cluster.run_to_ms(30 * kSecond);
  EXPECT_EQ(cluster.world().status(kN2), NodeStatus::kUp);
  EXPECT_EQ(restart_times(cluster, kN2), std::vector<Instant>{at_ms(12 * kSecond)});
  EXPECT_TRUE(cluster.fired()[0].restart_skipped);
  EXPECT_EQ(cluster.fired()[0].effect, "crash n2, restart after 10s skipped: n2 is not down");
}

TEST(CrashIncarnation, ACrashOfANodeAlreadyDownLeavesTheFirstRestartInPlace) {
  Cluster cluster(3);
  cluster.inject({crash_n2_at(10, 10), crash_n2_at(15, 30)});
  cluster.run_to_ms(50 * kSecond);
  // The second crash found n2 down and did nothing, so the first crash still owns it.
  EXPECT_TRUE(cluster.fired()[1].skipped);
  EXPECT_EQ(restart_times(cluster, kN2), std::vector<Instant>{at_ms(20 * kSecond)});
  EXPECT_FALSE(cluster.fired()[0].restart_skipped);
  EXPECT_EQ(cluster.fired()[0].effect, "crash n2, restarted after 10s");
}

TEST(CrashIncarnation, OnlyTheSupersededNodeOfAMultiNodeCrashStaysDown) {
  Cluster cluster(3);
  constexpr sim::NodeId kN3 = 2;
  cluster.inject({fault_at(FaultKind::kCrash, 10 * kSecond, {node_target(kN2), node_target(kN3)},
                           10 * kSecond),
                  restart_n2_at(12), crash_n2_at(15, 30)});
  cluster.run_to_ms(30 * kSecond);
  EXPECT_EQ(cluster.world().status(kN2), NodeStatus::kDown);
  EXPECT_EQ(cluster.world().status(kN3), NodeStatus::kUp);
  EXPECT_EQ(restart_times(cluster, kN3), std::vector<Instant>{at_ms(20 * kSecond)});
  EXPECT_TRUE(cluster.fired()[0].restart_skipped);
  EXPECT_EQ(cluster.fired()[0].effect,
            "crash n2, n3, restarted n3 after 10s, restart of n2 skipped: n2 crashed again at 15s");
}

// The nemesis cannot supersede a crash this way (it draws no restarts of its own, and a crash
// of a node that is down is skipped), but it draws pauses and crashes that can supersede a
// pause: n2 paused at 10s for 20s, crashed at 15s and restarted at 20s, paused again at 22s for
// 18s. The first pause's resume at 30s must not end the second pause, due at 40s.
TEST(PauseIncarnation, FirstPauseResumeDoesNotEndALaterPause) {
  Cluster cluster(3);
  cluster.inject({fault_at(FaultKind::kPause, 10 * kSecond, {node_target(kN2)}, 20 * kSecond),
                  crash_n2_at(15, 5),
                  fault_at(FaultKind::kPause, 22 * kSecond, {node_target(kN2)}, 18 * kSecond)});
  cluster.run_to_ms(35 * kSecond);
  EXPECT_EQ(cluster.world().status(kN2), NodeStatus::kPaused);
  cluster.run_to_ms(45 * kSecond);
  EXPECT_EQ(cluster.world().status(kN2), NodeStatus::kUp);
  const auto resumes = cluster.recorder().of(RecordKind::kResume, kN2);
  ASSERT_EQ(resumes.size(), 1u);
  EXPECT_EQ(resumes[0].time, at_ms(40 * kSecond));
  EXPECT_EQ(cluster.fired()[0].effect, "pause n2, resume after 20s skipped: n2 paused again at 22s");
  EXPECT_EQ(cluster.fired()[2].effect, "pause n2 for 18s");
}

}  // namespace
}  // namespace electsim::faults
