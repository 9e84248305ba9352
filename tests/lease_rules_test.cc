// The lease recipes' rules one at a time, on a tiny world of one service and three candidates
// (tests/lease_test_support.h): one leader at a time, the others following it; a resignation
// hands over with its reason; client-go judges expiry from when it observed a change, so a clock
// offset, however large, changes nothing; the TTL lock's fencing counter grows.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "algorithms/k8s_lease/k8s_lease.h"
#include "algorithms/ttl_lock/ttl_lock.h"
#include "tests/lease_test_support.h"

namespace electsim::algorithms::service::testing {
namespace {

using k8s_lease::K8sLease;
using k8s_lease::K8sLeaseOptions;
using k8s_lease::LeaseRecord;
using ttl_lock::TtlLock;
using ttl_lock::TtlLockOptions;

std::vector<std::unique_ptr<sim::Algorithm>> k8s_candidates(int count) {
  std::vector<std::unique_ptr<sim::Algorithm>> candidates;
  for (int i = 0; i < count; ++i) {
    candidates.push_back(std::make_unique<K8sLease>(K8sLeaseOptions{}));
  }
  return candidates;
}

std::vector<std::unique_ptr<sim::Algorithm>> ttl_candidates(int count, bool token_counter) {
  std::vector<std::unique_ptr<sim::Algorithm>> candidates;
  TtlLockOptions options;
  options.token_counter = token_counter;
  for (int i = 0; i < count; ++i) candidates.push_back(std::make_unique<TtlLock>(options));
  return candidates;
}

int count_containing(const std::vector<std::string>& lines, const std::string& part) {
  return static_cast<int>(std::count_if(lines.begin(), lines.end(), [&](const std::string& line) {
    return line.find(part) != std::string::npos;
  }));
}

sim::ProcessId k8s_leader(Bus& bus) {
  for (sim::ProcessId p = 1; p <= 3; ++p) {
    if (static_cast<K8sLease&>(bus.algorithm(p)).leading()) return p;
  }
  return sim::kNoNode;
}

TEST(LeaseRules, K8sOneCandidateLeadsAndTheOthersFollowIt) {
  Bus bus(k8s_candidates(3));
  bus.run_for(sim::Duration::seconds(30));
  const sim::ProcessId leader = k8s_leader(bus);
  ASSERT_NE(leader, sim::kNoNode);
  EXPECT_EQ(count_containing(bus.reports, " leader "), 1) << ::testing::PrintToString(bus.reports);
  EXPECT_EQ(count_containing(bus.reports, "follows " + name(leader) + " 0"), 2);
  ASSERT_EQ(bus.supported.size(), 1u);
  EXPECT_EQ(bus.supported[0].candidate, leader);
  EXPECT_EQ(bus.supported[0].kind, sim::SupportKind::kLeaseGrant);
  // The leader renewed every retry period: the record's version grew with it.
  EXPECT_GT(bus.service().state_of(make_key(0, tags::kK8sLease, 0)).version, 10u);
}

TEST(LeaseRules, K8sAResignedLeaderWritesAnEmptyHolderAndAnotherTakesOver) {
  Bus bus(k8s_candidates(3));
  bus.run_for(sim::Duration::seconds(5));
  const sim::ProcessId leader = k8s_leader(bus);
  ASSERT_NE(leader, sim::kNoNode);
  static_cast<K8sLease&>(bus.algorithm(leader)).resign(bus.context(leader));
  bus.run_for(sim::Duration::milliseconds(10));
  EXPECT_EQ(bus.reports.back(), name(leader) + " stepped_down resigned");
  const LeaseRecord released =
      LeaseRecord::unpack(bus.service().state_of(make_key(0, tags::kK8sLease, 0)).value);
  EXPECT_FALSE(released.has_holder());
  EXPECT_EQ(released.transitions, 0u);
  // An empty holder needs no waiting: the next poll (at most 4.4 s) takes it.
  bus.run_for(sim::Duration::seconds(5));
  const sim::ProcessId successor = k8s_leader(bus);
  ASSERT_NE(successor, sim::kNoNode);
  EXPECT_NE(successor, leader);
  EXPECT_EQ(count_containing(bus.reports, name(successor) + " leader 1 1"), 1);
}

TEST(LeaseRules, K8sExpiryIsJudgedFromObservedTimeSoClockOffsetsChangeNothing) {
  // The challengers' clocks are an hour ahead of the leader's. Had they compared the record's
  // renewTime with their own clock, the lease would look an hour stale; client-go only measures
  // how long it has been since the record last changed, on one clock.
  Bus bus(k8s_candidates(3));
  bus.run_for(sim::Duration::seconds(5));
  const sim::ProcessId leader = k8s_leader(bus);
  ASSERT_NE(leader, sim::kNoNode);
  for (sim::ProcessId p = 1; p <= 3; ++p) {
    if (p != leader) bus.set_offset(p, sim::Duration::seconds(3600));
  }
  bus.run_for(sim::Duration::seconds(120));
  EXPECT_EQ(k8s_leader(bus), leader);
  EXPECT_EQ(count_containing(bus.reports, " leader "), 1);
  EXPECT_EQ(count_containing(bus.reports, "stepped_down"), 0);
}

TEST(LeaseRules, K8sACutOffLeaderStopsBeforeAChallengerAcquires) {
  Bus bus(k8s_candidates(3));
  bus.run_for(sim::Duration::seconds(5));
  const sim::ProcessId leader = k8s_leader(bus);
  ASSERT_NE(leader, sim::kNoNode);
  bus.set_connected(leader, false);
  const sim::Instant cut = bus.now();
  sim::Instant stopped;
  while (k8s_leader(bus) == leader) {
    bus.run_for(sim::Duration::milliseconds(100));
    stopped = bus.now();
  }
  // It stops within RetryPeriod + RenewDeadline of its last renewal, before anyone else leads.
  EXPECT_LE(stopped - cut, sim::Duration::seconds(12) + sim::Duration::milliseconds(100));
  EXPECT_EQ(bus.reports.back(), name(leader) + " stepped_down renew_deadline_exceeded");
  bus.run_for(sim::Duration::seconds(20));
  const sim::ProcessId successor = k8s_leader(bus);
  ASSERT_NE(successor, sim::kNoNode);
  EXPECT_NE(successor, leader);
}

TEST(LeaseRules, TtlLockResignReleasesTheLockAndTheCounterFencesTheNextHolder) {
  Bus bus(ttl_candidates(3, /*token_counter=*/true));
  bus.run_for(sim::Duration::seconds(2));
  sim::ProcessId holder = sim::kNoNode;
  for (sim::ProcessId p = 1; p <= 3; ++p) {
    if (static_cast<TtlLock&>(bus.algorithm(p)).leading()) holder = p;
  }
  ASSERT_NE(holder, sim::kNoNode);
  EXPECT_EQ(count_containing(bus.reports, name(holder) + " leader 1 1"), 1)
      << ::testing::PrintToString(bus.reports);
  static_cast<TtlLock&>(bus.algorithm(holder)).resign(bus.context(holder));
  bus.run_for(sim::Duration::seconds(2));
  EXPECT_EQ(count_containing(bus.reports, name(holder) + " stepped_down resigned"), 1);
  // Another client took the freed lock; its token is the counter's next value.
  int successors = 0;
  for (sim::ProcessId p = 1; p <= 3; ++p) {
    if (p != holder && static_cast<TtlLock&>(bus.algorithm(p)).leading()) {
      ++successors;
      const auto line = std::find_if(bus.reports.begin(), bus.reports.end(), [&](const auto& r) {
        return r.starts_with(name(p) + " leader ");
      });
      ASSERT_NE(line, bus.reports.end());
      EXPECT_TRUE(line->ends_with(" 2")) << *line;  // epoch (a revision), then token 2
    }
  }
  EXPECT_EQ(successors, 1);
}

TEST(LeaseRules, TtlLockHolderBelievesForTheTtlFromItsSendTime) {
  Bus bus(ttl_candidates(1, /*token_counter=*/false));
  bus.run_for(sim::Duration::milliseconds(100));
  ASSERT_TRUE(static_cast<TtlLock&>(bus.algorithm(1)).leading());
  bus.set_connected(1, false);
  // Sent at 0, renewed at 3.333 s and 6.666 s... the last renewal before the cut was sent at 0
  // (the cut is at 0.1 s): it believes until 10 s on its clock, then lets go.
  bus.run_until(sim::Instant::zero() + sim::Duration::milliseconds(9'990));
  EXPECT_TRUE(static_cast<TtlLock&>(bus.algorithm(1)).leading());
  bus.run_until(sim::Instant::zero() + sim::Duration::milliseconds(10'010));
  EXPECT_FALSE(static_cast<TtlLock&>(bus.algorithm(1)).leading());
  EXPECT_EQ(bus.reports.back(), "n1 stepped_down lease_expired");
}

}  // namespace
}  // namespace electsim::algorithms::service::testing
