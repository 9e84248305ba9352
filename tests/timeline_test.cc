#include "sim/checks/timeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

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

Violation violation_at(int64_t time_ms) {
  return Violation{"one_leader_per_epoch", CheckKind::kAlways, ms(time_ms), {0, 1}, 1, "two"};
}

// Feeds `count` leadership entries 1ms apart (epochs 1..count) and reports a violation to the
// timeline right before the entry at each index in `violations_before`, as a check attached
// ahead of the timeline would.
void feed(LeadershipTimeline& timeline, Trace& trace, int count,
          const std::vector<int>& violations_before) {
  for (int i = 0; i < count; ++i) {
    if (std::find(violations_before.begin(), violations_before.end(), i) !=
        violations_before.end()) {
      timeline.on_violation(violation_at(i));
    }
    trace.record(at(i, RecordKind::kBecameLeader, static_cast<NodeId>(i % 3),
                    static_cast<uint64_t>(i + 1)));
  }
}

std::vector<uint64_t> positions(const LeadershipTimeline& timeline) {
  std::vector<uint64_t> kept;
  for (const auto& entry : timeline.entries()) kept.push_back(entry.position);
  return kept;
}

TEST(LeadershipTimeline, KeepsTheEntriesAroundALateViolation) {
  Trace trace;
  LeadershipTimeline timeline(10);
  timeline.attach(trace);
  feed(timeline, trace, 200, {150});
  // The head (0..9), the six entries before the violation (144..149) and four from the one that
  // revealed it (150..153).
  const std::vector<uint64_t> expected{0,   1,   2,   3,   4,   5,   6,   7,   8,   9,
                                       144, 145, 146, 147, 148, 149, 150, 151, 152, 153};
  EXPECT_EQ(positions(timeline), expected);
  EXPECT_EQ(timeline.more(), 180u);
  EXPECT_EQ(timeline.seen(), 200u);
  const std::string text = timeline.to_text();
  EXPECT_NE(text.find("... 134 entries omitted ...\n144ms  n1 became leader of epoch 145\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("153ms  n1 became leader of epoch 154\n... and 46 more\n"),
            std::string::npos)
      << text;
}

TEST(LeadershipTimeline, AViolationInsideTheHeadNeedsNoWindow) {
  Trace trace;
  LeadershipTimeline timeline(10);
  timeline.attach(trace);
  feed(timeline, trace, 30, {3});
  // The head already shows what led up to it; the window only adds the entries after the head.
  const std::vector<uint64_t> expected{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(positions(timeline), expected);
  EXPECT_EQ(timeline.more(), 20u);
}

TEST(LeadershipTimeline, MemoryStaysBoundedWhateverTheViolations) {
  Trace trace;
  LeadershipTimeline timeline(10);
  timeline.attach(trace);
  std::vector<int> every_tenth;
  for (int i = 20; i < 5000; i += 10) every_tenth.push_back(i);
  feed(timeline, trace, 5000, every_tenth);
  const size_t window = LeadershipTimeline::kWindowBefore + LeadershipTimeline::kWindowAfter;
  const size_t bound = 10 + LeadershipTimeline::kMaxWindows * window;
  EXPECT_LE(timeline.entries().size(), bound);
  EXPECT_EQ(timeline.windows_dropped(), every_tenth.size() - LeadershipTimeline::kMaxWindows);
  EXPECT_EQ(timeline.entries().size() + timeline.more(), 5000u);
  // Kept in position order, without duplicates.
  const std::vector<uint64_t> kept = positions(timeline);
  EXPECT_TRUE(std::is_sorted(kept.begin(), kept.end()));
  EXPECT_EQ(std::adjacent_find(kept.begin(), kept.end()), kept.end());
}

TEST(LeadershipTimeline, AFullTimelineKeepsEverythingUpToItsCap) {
  Trace trace;
  LeadershipTimeline timeline(LeadershipTimeline::kFullLimit);
  timeline.attach(trace);
  feed(timeline, trace, 3000, {2500});
  EXPECT_EQ(timeline.entries().size(), 3000u);
  EXPECT_EQ(timeline.more(), 0u);
  EXPECT_EQ(timeline.to_text().find("omitted"), std::string::npos);
}

TEST(LeadershipTimeline, ShowsNetworkFaultsButNotProcessFaultsTwice) {
  Trace trace;
  LeadershipTimeline timeline;
  timeline.attach(trace);
  trace.record(at(10, RecordKind::kFaultStart, kNoNode, 2,
                  static_cast<uint64_t>(FaultCode::kPartition)));
  trace.record(at(11, RecordKind::kFaultStart, 0, 3, static_cast<uint64_t>(FaultCode::kCrash)));
  trace.record(at(11, RecordKind::kCrash, 0));
  trace.record(at(12, RecordKind::kPause, 1));
  trace.record(at(20, RecordKind::kFaultEnd, kNoNode, 2,
                  static_cast<uint64_t>(FaultCode::kPartition)));
  EXPECT_EQ(timeline.to_text(),
            "10ms  fault #2 (partition) started\n"
            "11ms  n1 crashed\n"
            "12ms  n2 paused\n"
            "20ms  fault #2 (partition) ended\n");
}

TEST(LeadershipTimeline, ASuiteReportsItsViolationsToTheTimeline) {
  CheckConfig config;
  config.nodes = 3;
  CheckSuite suite(config);
  Trace trace;
  suite.attach(trace);
  LeadershipTimeline timeline(2);
  timeline.attach(trace);
  suite.set_violation_observer(&timeline);
  for (int i = 0; i < 40; i += 2) {
    trace.record(at(i, RecordKind::kCrash, 2));
    trace.record(at(i + 1, RecordKind::kRestart, 2));
  }
  // n1 and n2 both claim epoch 7: one_leader_per_epoch fires on the second claim.
  trace.record(at(100, RecordKind::kBecameLeader, 0, 7, 7));
  trace.record(at(101, RecordKind::kBecameLeader, 1, 7, 7));
  trace.end(ms(200));
  ASSERT_FALSE(timeline.entries().empty());
  EXPECT_EQ(timeline.entries().back().time, ms(101));
  EXPECT_EQ(timeline.entries().back().node, 1u);
  EXPECT_EQ(timeline.windows_dropped(), 0u);
  EXPECT_EQ(timeline.entries().size(), 2 + LeadershipTimeline::kWindowBefore + 1);
}

}  // namespace
}  // namespace electsim::sim::checks
