// Bully's liveness rule, the `none` progress model of sim/checks/recovery_check.h: every side (a
// connected component of the up members over two-way links) has its highest id as leader,
// followed by the rest of the side. Five members; n5 has the highest id.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/checks/checks.h"
#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using testing::HandTrace;
using testing::violations_of;

CheckConfig bully_like() {
  CheckConfig config;
  config.nodes = 5;
  config.profile.progress = ProgressModel::kNone;
  config.recovery_within = Duration::seconds(1);
  return config;
}

// Cuts every link between {n1, n2, n3} and {n4, n5}, both ways.
void split(HandTrace& trace, bool cut) {
  for (NodeId a : {0u, 1u, 2u}) {
    for (NodeId b : {3u, 4u}) trace.link(a, b, !cut).link(b, a, !cut);
  }
}

TEST(BullyRecoveryRule, EachSideLedByItsHighestIdHasRecovered) {
  HandTrace trace(bully_like());
  trace.at(10).leader(4, 1);
  for (NodeId n = 0; n < 4; ++n) trace.follows(n, 4, 1);
  trace.at(5000);
  split(trace, true);
  trace.at(5400).leader(2, 2).follows(0, 2, 2).follows(1, 2, 2);
  const CheckResults results = trace.end(9000);
  EXPECT_TRUE(violations_of(results, "recovery").empty());
  ASSERT_EQ(results.recovery.size(), 1u);  // the split, recovered when n3 led its side
  EXPECT_EQ(results.recovery[0], Duration::milliseconds(400));
}

TEST(BullyRecoveryRule, ASideLedByALowerIdHasNotRecovered) {
  HandTrace trace(bully_like());
  trace.at(10).leader(4, 1);
  for (NodeId n = 0; n < 4; ++n) trace.follows(n, 4, 1);
  trace.at(5000);
  split(trace, true);
  trace.at(5400).leader(1, 2).follows(0, 1, 2).follows(2, 1, 2);  // n2 leads n3: not the highest
  const auto found = violations_of(trace.end(9000), "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, ::testing::HasSubstr("no stable leader for 1s"));
}

TEST(BullyRecoveryRule, WithoutAPartitionTheHighestLiveIdMustLeadEveryone) {
  HandTrace trace(bully_like());
  trace.at(10).leader(3, 1);  // n4 leads although n5 is up
  for (NodeId n : {0u, 1u, 2u, 4u}) trace.follows(n, 3, 1);
  EXPECT_EQ(violations_of(trace.end(3000), "recovery").size(), 1u);
  HandTrace crashed(bully_like());
  crashed.at(0).crash(4);  // n5 is down: n4 is the highest live id
  crashed.at(10).leader(3, 1);
  for (NodeId n : {0u, 1u, 2u}) crashed.follows(n, 3, 1);
  EXPECT_TRUE(violations_of(crashed.end(3000), "recovery").empty());
}

}  // namespace
}  // namespace electsim::sim::checks
