// The leadership transitions and their reasons (issue 11, acceptance 1), on traces fed by hand:
// each change of a group's leader names who led before and why that leadership ended, the
// reason its holder reported when it stepped down (startup for the first leader). A leader
// elected while the previous one still believed gets its reason when that one steps down.
#include <gtest/gtest.h>

#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using testing::HandTrace;

CheckConfig three_nodes() {
  CheckConfig config;
  config.nodes = 3;
  return config;
}

uint64_t count_of(const CheckResults& results, StepDownReason reason) {
  return results.transition_reasons.by_reason[static_cast<size_t>(reason)];
}

TEST(LeaseTransitions, TheFirstLeaderIsStartupAndEachHandOverCarriesThePreviousLeadersReason) {
  HandTrace trace(three_nodes());
  trace.at(100).leader(0, 1);
  trace.at(5000).step_down(0, StepDownReason::kCrashed);
  trace.at(6000).leader(1, 2);
  trace.at(9000).step_down(1, StepDownReason::kRenewDeadlineExceeded);
  trace.at(9500).leader(2, 3);
  const CheckResults results = trace.end(10'000);
  ASSERT_EQ(results.transitions.size(), 3u);
  const LeaderTransition& first = results.transitions[0];
  EXPECT_EQ(first.from, kNoNode);
  EXPECT_EQ(first.to, 0u);
  EXPECT_EQ(first.reason, StepDownReason::kStartup);
  EXPECT_FALSE(first.previous_ended.has_value());
  const LeaderTransition& second = results.transitions[1];
  EXPECT_EQ(second.from, 0u);
  EXPECT_EQ(second.to, 1u);
  EXPECT_EQ(second.epoch, 2u);
  EXPECT_EQ(second.reason, StepDownReason::kCrashed);
  EXPECT_EQ(second.previous_ended, testing::ms(5000));
  EXPECT_EQ(results.transitions[2].reason, StepDownReason::kRenewDeadlineExceeded);
  EXPECT_EQ(count_of(results, StepDownReason::kStartup), 1u);
  EXPECT_EQ(count_of(results, StepDownReason::kCrashed), 1u);
  EXPECT_EQ(count_of(results, StepDownReason::kRenewDeadlineExceeded), 1u);
  EXPECT_EQ(results.transition_reasons.unresolved, 0u);
}

TEST(LeaseTransitions, AnOverlapGetsItsReasonWhenTheOldLeaderStepsDown) {
  HandTrace trace(three_nodes());
  trace.at(100).leader(0, 1);
  trace.at(4000).leader(1, 2);  // n1 still believes: a lease overlap
  trace.at(4300).step_down(0, StepDownReason::kSessionExpired);
  const CheckResults results = trace.end(10'000);
  ASSERT_EQ(results.transitions.size(), 2u);
  EXPECT_EQ(results.transitions[1].from, 0u);
  EXPECT_EQ(results.transitions[1].reason, StepDownReason::kSessionExpired);
  EXPECT_EQ(results.transitions[1].previous_ended, testing::ms(4300))
      << "after the new leader's election: the overlap shows in the times";
  EXPECT_EQ(count_of(results, StepDownReason::kSessionExpired), 1u);
}

TEST(LeaseTransitions, AnOldLeaderThatNeverStepsDownLeavesItsTransitionUnresolved) {
  HandTrace trace(three_nodes());
  trace.at(100).leader(0, 1);
  trace.at(4000).leader(1, 2);
  const CheckResults results = trace.end(10'000);
  ASSERT_EQ(results.transitions.size(), 2u);
  EXPECT_FALSE(results.transitions[1].reason.has_value());
  EXPECT_FALSE(results.transitions[1].previous_ended.has_value());
  EXPECT_EQ(results.transition_reasons.unresolved, 1u);
}

TEST(LeaseTransitions, ALeaderThatTakesItsLeaseBackIsATransitionToItself) {
  HandTrace trace(three_nodes());
  trace.at(100).leader(0, 1);
  trace.at(3000).step_down(0, StepDownReason::kLeaseExpired);
  trace.at(3200).leader(0, 2);
  const CheckResults results = trace.end(10'000);
  ASSERT_EQ(results.transitions.size(), 2u);
  EXPECT_EQ(results.transitions[1].from, 0u);
  EXPECT_EQ(results.transitions[1].to, 0u);
  EXPECT_EQ(results.transitions[1].reason, StepDownReason::kLeaseExpired);
}

TEST(LeaseTransitions, TheListIsBoundedAndTheCountsCoverEveryTransition) {
  HandTrace trace(three_nodes());
  const uint64_t total = kMaxReportedTransitions + 5;
  for (uint64_t i = 0; i < total; ++i) {
    trace.at(static_cast<int64_t>(10 * i)).leader(0, i + 1);
    trace.at(static_cast<int64_t>(10 * i + 5)).step_down(0, StepDownReason::kResigned);
  }
  const CheckResults results = trace.end(static_cast<int64_t>(10 * total));
  EXPECT_EQ(results.transitions.size(), kMaxReportedTransitions);
  EXPECT_EQ(results.transitions_omitted, 5u);
  EXPECT_EQ(count_of(results, StepDownReason::kResigned), total - 1);
  EXPECT_EQ(count_of(results, StepDownReason::kStartup), 1u);
}

}  // namespace
}  // namespace electsim::sim::checks
