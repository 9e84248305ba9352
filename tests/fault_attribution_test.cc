// A violation blames the fault that caused it by name, not the last link that fault cut: the
// recovery check keeps a fault's start as the event to blame for the link and clock changes
// recorded at the same instant.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sim/checks/checks.h"
#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::HandTrace;
using testing::violations_of;

CheckConfig five_nodes(std::vector<std::string> labels) {
  CheckConfig config;
  config.nodes = 5;
  config.recovery_within = Duration::milliseconds(1000);
  config.fault_labels = std::move(labels);
  return config;
}

// n1 leads epoch 1 and everyone follows; at 2s fault #0 isolates it and nobody takes over.
std::vector<Violation> isolate_the_leader(HandTrace& trace) {
  trace.at(100).leader(0, 1).at(110);
  for (NodeId node = 1; node < 5; ++node) trace.follows(node, 0, 1);
  trace.at(2000).fault_start(0, FaultCode::kPartition).isolate(0, 5);
  return violations_of(trace.end(5000), "recovery");
}

TEST(FaultAttribution, ARecoveryViolationNamesThePartitionByItsLabel) {
  HandTrace trace(five_nodes({"partition isolate leader"}));
  const auto found = isolate_the_leader(trace);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("partition isolate leader (fault #0) starting at 2s"));
  EXPECT_THAT(found[0].detail, Not(HasSubstr("cutting link")));
}

TEST(FaultAttribution, WithoutLabelsTheFaultIsNamedByNumberAndKind) {
  HandTrace trace(five_nodes({}));
  const auto found = isolate_the_leader(trace);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("fault #0 (partition) starting at 2s"));
  EXPECT_THAT(found[0].detail, Not(HasSubstr("cutting link")));
}

TEST(FaultAttribution, AFaultStartingIsBlamedOverOneEndingAtTheSameInstant) {
  // Fault #0 cut n2 off and ends at 2s, the instant fault #1 isolates the leader.
  HandTrace trace(five_nodes({"partition isolate n2", "partition isolate leader"}));
  trace.at(100).leader(0, 1).at(110);
  for (NodeId node = 1; node < 5; ++node) trace.follows(node, 0, 1);
  trace.at(1000).fault_start(0, FaultCode::kPartition).link(1, 4, false);
  trace.at(2000).fault_start(1, FaultCode::kPartition).isolate(0, 5);
  trace.link(1, 4, true).fault_end(0, FaultCode::kPartition);
  const auto found = violations_of(trace.end(5000), "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("partition isolate leader (fault #1) starting at 2s"));
}

TEST(FaultAttribution, ALinkCutWithNoFaultAroundItIsStillNamed) {
  // Links cut directly (a test, a future tool) have no fault to blame: the link itself is named.
  HandTrace trace(five_nodes({}));
  trace.at(100).leader(0, 1).at(110);
  for (NodeId node = 1; node < 5; ++node) trace.follows(node, 0, 1);
  trace.at(2000).isolate(0, 5);
  const auto found = violations_of(trace.end(5000), "recovery");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0].detail, HasSubstr("cutting link"));
}

}  // namespace
}  // namespace electsim::sim::checks
