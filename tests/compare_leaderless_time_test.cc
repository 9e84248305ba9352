// Time without a leader (sim/checks/leaderless_time.h), which compare reports per algorithm:
// measured from a hand-fed trace, where every leaderless stretch is known, and on a real run.
#include <gtest/gtest.h>

#include "sim/checks/checks.h"
#include "tests/checks_test_util.h"

namespace electsim::sim::checks::testing {
namespace {

TEST(CompareLeaderlessTime, SumsEveryStretchWithoutALeaderAndCountsFromTheFirstFault) {
  HandTrace trace(config_for(3));
  trace.at(100).leader(0, 1);                    // 0..100: the first election
  trace.at(1000).crash(0);                       // the first fault: nobody leads
  trace.at(1300).leader(1, 2);                   // 300 ms without a leader
  trace.at(2000).step_down(1);                   // another 100 ms
  trace.at(2100).leader(2, 3);
  trace.at(2500).leader(0, 4);                   // an overlap: someone always leads
  trace.at(2600).step_down(2);
  trace.at(2800).follows(0, 1, 5);               // the last leader follows another: 200 ms
  const CheckResults results = trace.end(3000);  // to the end of the run
  EXPECT_EQ(results.leaderless.total, Duration::milliseconds(100 + 300 + 100 + 200));
  EXPECT_EQ(results.leaderless.since_first_fault, Duration::milliseconds(300 + 100 + 200));
}

TEST(CompareLeaderlessTime, StretchAcrossTheFirstFaultCountsOnlyItsPartAfterIt) {
  HandTrace trace(config_for(3));
  trace.at(400).fault_start(0, FaultCode::kPartition);  // before anyone leads
  trace.at(1000).leader(0, 1);
  const CheckResults results = trace.end(2000);
  EXPECT_EQ(results.leaderless.total, Duration::milliseconds(1000));
  EXPECT_EQ(results.leaderless.since_first_fault, Duration::milliseconds(600));
}

TEST(CompareLeaderlessTime, WithoutFaultsNothingCountsSinceTheFirst) {
  HandTrace trace(config_for(3));
  trace.at(250).leader(1, 1);
  const CheckResults results = trace.end(1000);
  EXPECT_EQ(results.leaderless.total, Duration::milliseconds(250));
  EXPECT_EQ(results.leaderless.since_first_fault, Duration::zero());
}

}  // namespace
}  // namespace electsim::sim::checks::testing
