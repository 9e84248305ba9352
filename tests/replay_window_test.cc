// What `electsim replay` keeps (scenarios/replay_window.h): the records within the window on
// each side of a violation and no more, bounded memory whatever the run's length, and the faults
// in force at the violation's time.
#include "scenarios/replay_window.h"

#include <gtest/gtest.h>

#include "sim/trace_records.h"

namespace electsim::scenarios {
namespace {

using sim::Duration;
using sim::Instant;

Instant at_ms(int64_t ms) { return Instant::zero() + Duration::milliseconds(ms); }

sim::TraceRecord timer_at(int64_t ms) {
  return sim::pack_record(at_ms(ms), sim::TimerFired{.process = 0, .timer = 1});
}

sim::checks::Violation violation_at(int64_t ms) {
  sim::checks::Violation violation;
  violation.check = "one_leader_per_epoch";
  violation.kind = sim::checks::CheckKind::kAlways;
  violation.time = at_ms(ms);
  return violation;
}

// One record per millisecond for `ms` milliseconds from `from`.
void feed(ReplayWindow& window, int64_t from, int64_t ms) {
  for (int64_t t = from; t < from + ms; ++t) window.on_record(timer_at(t));
}

TEST(ReplayWindow, KeepsTheWindowBeforeAndAfterAViolation) {
  ReplayWindow window(Duration::milliseconds(100));
  feed(window, 0, 1000);  // 0..999ms
  window.on_violation(violation_at(999));
  feed(window, 1000, 1000);
  ASSERT_EQ(window.violations().size(), 1u);
  const ReplayedViolation& replayed = window.violations()[0];
  // Before: 899..999ms (101 records); after: 1000..1099ms (100 records).
  ASSERT_EQ(replayed.before.size(), 101u);
  EXPECT_EQ(replayed.before.front().time, at_ms(899));
  ASSERT_EQ(replayed.after.size(), 100u);
  EXPECT_EQ(replayed.after.back().time, at_ms(1099));
  EXPECT_FALSE(replayed.before_truncated);
}

TEST(ReplayWindow, CapsEachSideWhateverTheRecordRate) {
  ReplayWindow window(Duration::seconds(3600));
  // Ten records per true millisecond for 1s: far more than the cap in the window.
  for (int64_t t = 0; t < 1000; ++t) {
    for (int copy = 0; copy < 10; ++copy) window.on_record(timer_at(t));
  }
  window.on_violation(violation_at(999));
  for (int64_t t = 1000; t < 2000; ++t) window.on_record(timer_at(t));
  const ReplayedViolation& replayed = window.violations()[0];
  EXPECT_EQ(replayed.before.size(), ReplayWindow::kMaxRecordsPerSide);
  EXPECT_TRUE(replayed.before_truncated);
  EXPECT_EQ(replayed.after.size(), 1000u);  // under the cap: all kept
}

TEST(ReplayWindow, KeepsAtMostTheFirstViolationsAndCountsTheRest) {
  ReplayWindow window(Duration::milliseconds(10));
  for (size_t i = 0; i < ReplayWindow::kMaxViolations + 3; ++i) {
    window.on_record(timer_at(static_cast<int64_t>(i)));
    window.on_violation(violation_at(static_cast<int64_t>(i)));
  }
  EXPECT_EQ(window.violations().size(), ReplayWindow::kMaxViolations);
  EXPECT_EQ(window.violations_omitted(), 3u);
}

TEST(ReplayWindow, FaultsInForceAreThoseStartedAndNotEnded) {
  ReplayWindow window(Duration::milliseconds(10));
  window.on_record(sim::pack_record(at_ms(10), sim::FaultStarted{.host = 1, .fault_index = 0,
                                                                 .fault = 0}));
  window.on_record(sim::pack_record(at_ms(20), sim::FaultStarted{.host = 2, .fault_index = 1,
                                                                 .fault = 4}));
  window.on_record(sim::pack_record(at_ms(30), sim::FaultEnded{.host = 1, .fault_index = 0,
                                                               .fault = 0}));
  window.on_record(sim::pack_record(at_ms(40), sim::FaultStarted{.host = 0, .fault_index = 2,
                                                                 .fault = 3}));
  window.on_violation(violation_at(35));
  const std::vector<FaultInForce>& faults = window.violations()[0].faults;
  ASSERT_EQ(faults.size(), 1u);
  EXPECT_EQ(faults[0].index, 1u);
  EXPECT_EQ(faults[0].kind_code, 4u);
  EXPECT_EQ(faults[0].host, 2u);
  EXPECT_EQ(faults[0].started, at_ms(20));
}

}  // namespace
}  // namespace electsim::scenarios
