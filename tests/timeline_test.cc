#include "sim/checks/timeline.h"

#include <gtest/gtest.h>

#include "tests/checks_test_util.h"

namespace electsim::sim::checks {
namespace {

using testing::ms;

TraceRecord at(int64_t time_ms, RecordKind kind, NodeId node, uint64_t a = 0, uint64_t b = 0) {
  return TraceRecord{ms(time_ms), kind, node, kNoNode, a, b};
}

TEST(LeadershipTimeline, RecordsLeadershipCrashesAndRestartsInWords) {
  Trace trace;
  LeadershipTimeline timeline;
  timeline.attach(trace);
  trace.record(at(100, RecordKind::kBecameLeader, 0, 1, 1));
  trace.record(at(150, RecordKind::kFollows, 1, 1));  // not a timeline event
  trace.record(at(2000, RecordKind::kCrash, 0));
  trace.record(at(2000, RecordKind::kSteppedDown, 0,
                  static_cast<uint64_t>(StepDownReason::kCrashed), 1));
  trace.record(at(2500, RecordKind::kRestart, 0, 1));
  trace.record(at(2600, RecordKind::kRestart, 2, 0));
  ASSERT_EQ(timeline.entries().size(), 5u);
  EXPECT_EQ(timeline.more(), 0u);
  EXPECT_EQ(timeline.to_text(),
            "100ms  n1 became leader of epoch 1\n"
            "2s  n1 crashed\n"
            "2s  n1 stepped down (crashed)\n"
            "2.5s  n1 restarted with nothing (amnesia)\n"
            "2.6s  n3 restarted\n");
  EXPECT_EQ(timeline.entries()[2].reason, StepDownReason::kCrashed);
  EXPECT_EQ(timeline.entries()[2].epoch, 1u);
}

TEST(LeadershipTimeline, KeepsTheFirstEntriesAndCountsTheRest) {
  Trace trace;
  LeadershipTimeline timeline;
  timeline.attach(trace);
  for (int i = 0; i < 120; ++i) {
    trace.record(at(i, RecordKind::kBecameLeader, static_cast<NodeId>(i % 3),
                    static_cast<uint64_t>(i + 1)));
  }
  ASSERT_EQ(timeline.entries().size(), LeadershipTimeline::kDefaultLimit);
  EXPECT_EQ(timeline.entries().back().epoch, 50u);  // the first fifty, in order
  EXPECT_EQ(timeline.more(), 70u);
  EXPECT_NE(timeline.to_text().find("... and 70 more\n"), std::string::npos);
}

TEST(LeadershipTimeline, AttachesOnlyForTheKindsItNeeds) {
  const KindMask kinds = LeadershipTimeline::kinds();
  EXPECT_EQ(kinds & kMessageKinds, 0u);
  EXPECT_NE(kinds & mask_of(RecordKind::kBecameLeader), 0u);
  EXPECT_NE(kinds & mask_of(RecordKind::kRestart), 0u);
  EXPECT_EQ(kinds & mask_of(RecordKind::kFollows), 0u);
}

}  // namespace
}  // namespace electsim::sim::checks
