// The leadership timeline picture of one run (reports/svg_timeline.h; issue 13, acceptance 2),
// drawn from real runs of the built-in scenarios: valid XML, a lane per process, a fault band
// per fault that fired, down and paused periods, accepted and refused writes, violation marks;
// for many groups, a bounded number of lanes and the leaderless-groups curve; and the caps that
// keep a long run's picture bounded.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "reports/svg_timeline.h"
#include "scenarios/run_page.h"
#include "scenarios/runner.h"
#include "scenarios/scenario.h"
#include "sim/trace_records.h"
#include "tests/cli_test_support.h"
#include "tests/svg_xml_support.h"

namespace electsim {
namespace {

using reports::TimelineRecorder;
using testing::parse_xml;
using testing::source_path;
using testing::XmlDocument;

struct RecordedRun {
  scenarios::Scenario scenario;
  reports::RunResult result;
  std::unique_ptr<scenarios::RunPageRecorder> recorder;
  XmlDocument svg;
};

RecordedRun record_run(const scenarios::Scenario& scenario, uint64_t seed) {
  RecordedRun run{scenario, {}, std::make_unique<scenarios::RunPageRecorder>(scenario), {}};
  scenarios::RunOptions options;
  options.watcher = run.recorder.get();
  auto result = scenarios::run_scenario(run.scenario, seed, options);
  EXPECT_TRUE(result.ok()) << result.status();
  if (result.ok()) run.result = *std::move(result);
  const std::string svg = scenarios::run_timeline_svg(run.result, *run.recorder);
  run.svg = parse_xml(svg);
  EXPECT_TRUE(run.svg.well_formed) << run.svg.error;
  return run;
}

RecordedRun record_library_run(const std::string& name, uint64_t seed,
                               std::vector<std::string> overrides = {}) {
  scenarios::LoadOptions options;
  options.overrides = std::move(overrides);
  auto scenario = scenarios::load_scenario_file(
      source_path("scenarios/library/" + name + ".yaml"), options);
  EXPECT_TRUE(scenario.ok()) << scenario.status();
  return record_run(*scenario, seed);
}

size_t fired_faults(const reports::RunResult& result) {
  size_t fired = 0;
  for (const reports::FaultRecord& fault : result.faults) fired += fault.skipped ? 0 : 1;
  return fired;
}

TEST(SvgTimeline, LeaderCrashHasALanePerProcessAFaultBandAndTheDownPeriod) {
  const RecordedRun run = record_library_run("raft-leader-crash", 1);
  const XmlDocument& xml = run.svg;
  // Every process has a lane (five members and the fenced resource), named as reports name them.
  const auto lanes = xml.with("data-lane");
  ASSERT_EQ(lanes.size(), run.scenario.layout.processes());
  EXPECT_EQ(lanes[0]->attributes.at("data-lane"), "n1");
  EXPECT_EQ(lanes[4]->attributes.at("data-lane"), "n5");
  // The crash fired (its restart too: the scenario's two faults), and each has its band.
  ASSERT_GT(fired_faults(run.result), 0u);
  EXPECT_EQ(xml.with("data-fault").size(), fired_faults(run.result));
  EXPECT_TRUE(xml.has_text("crash leader"));
  // The crashed leader's host is down for a while, and leaders of several epochs are coloured
  // apart.
  EXPECT_GE(xml.with("data-state", "down").size(), 1u);
  const auto leaders = xml.with("data-state", "leader");
  ASSERT_GE(leaders.size(), 2u);
  std::set<std::string> epochs, colours;
  for (const auto* leader : leaders) {
    epochs.insert(leader->attributes.at("data-epoch"));
    colours.insert(leader->attributes.at("fill"));
  }
  EXPECT_EQ(colours.size(), epochs.size());
  EXPECT_GE(epochs.size(), 2u);
  EXPECT_GE(xml.with("data-state", "follower").size(), 4u);
  EXPECT_GT(xml.with("data-write", "accepted").size(), 0u);
  // The time axis in seconds of true time, and the legend.
  EXPECT_EQ(xml.with("data-label", "time").size(), 1u);
  EXPECT_TRUE(xml.has_text("true time (seconds)"));
  EXPECT_TRUE(xml.has_text("0s"));
  EXPECT_EQ(xml.with("data-legend", "timeline").size(), 1u);
  EXPECT_EQ(run.result.verdict, reports::Verdict::kPass);
  EXPECT_TRUE(xml.with("data-violation").empty());
}

TEST(SvgTimeline, BullySplitMarksItsViolationOnBothLeadersLanes) {
  const RecordedRun run = record_library_run("bully-split", 1);
  ASSERT_EQ(run.result.verdict, reports::Verdict::kSafetyViolation);
  const auto marks = run.svg.with("data-violation");
  ASSERT_EQ(marks.size(), run.result.checks.violations.size());
  EXPECT_EQ(marks[0]->attributes.at("data-violation"), "exclusive_leadership");
  // One diamond per process the violation names (n5 and n3), under the violation's group.
  EXPECT_EQ(run.svg.count("polygon"), run.result.checks.violations[0].nodes.size());
  EXPECT_EQ(run.svg.count("polygon"), 2u);
  EXPECT_TRUE(run.svg.has_text("exclusive_leadership at 5.33s"));
}

TEST(SvgTimeline, PausedLeaderAndRefusedWritesAreDrawn) {
  const RecordedRun run = record_library_run("fencing-paused-leader", 1);
  ASSERT_GE(run.result.checks.writes->refused, 1u);
  EXPECT_EQ(run.svg.with("data-write", "refused").size(), run.result.checks.writes->refused);
  EXPECT_EQ(run.svg.with("data-write", "accepted").size(), run.result.checks.writes->accepted);
  EXPECT_EQ(run.svg.with("data-state", "paused").size(), 1u);
  EXPECT_EQ(run.svg.with("data-fault").size(), fired_faults(run.result));
}

// The recorder only watches: the run it watched is the run without it, record for record.
TEST(SvgTimeline, RecordingThePictureChangesNothingInTheRun) {
  auto scenario = scenarios::load_scenario_file(
      source_path("scenarios/library/nemesis.yaml"), {});
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  const RecordedRun watched = record_run(*scenario, 3);
  const auto plain = scenarios::run_scenario(*scenario, 3, {});
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_EQ(watched.result.fingerprint, plain->fingerprint);
  EXPECT_EQ(watched.result.events, plain->events);
  EXPECT_GE(watched.svg.with("data-fault").size(), 10u);
}

// 100 groups of 3 on 9 hosts; h1 crashes at 2s and comes back at 3s.
constexpr char kManyGroups[] = R"(version: 1
name: many-groups
cluster: {hosts: 9, groups: {count: 100, members: 3, placement: spread}}
algorithm: {name: raft, params: {election_timeout: 150ms..300ms}}
duration: 5s
faults:
  - {at: 2s, crash: [h1], restart_after: 1s}
checks: {recovery_within: 2s}
)";

TEST(SvgTimeline, ManyGroupsGetBoundedLanesAndTheLeaderlessCurve) {
  auto scenario = scenarios::load_scenario_text(kManyGroups, "many-groups.yaml", {});
  ASSERT_TRUE(scenario.ok()) << scenario.status();
  const RecordedRun run = record_run(*scenario, 1);
  const auto lanes = run.svg.with("data-lane");
  EXPECT_LE(lanes.size(), TimelineRecorder::kMaxLanes);
  EXPECT_EQ(lanes.size(), 3 * TimelineRecorder::kMaxLaneGroups);
  EXPECT_EQ(lanes[0]->attributes.at("data-lane"), "g1.n1");
  EXPECT_EQ(run.svg.with("data-leaderless", "100").size(), 1u);
  EXPECT_TRUE(run.svg.has_text("Lanes: the members of the first 8 of 100 groups"));
  // The curve: every group leads by 1.5s; the crash of h1 leaves the groups it led leaderless
  // (only the 34 groups with a member on h1 can be among them, about a third of those led from
  // it), and all have leaders again by the end.
  const reports::TimelineData& data = run.recorder->timeline();
  const auto slice_of = [&](int64_t ms) {
    return static_cast<size_t>(sim::Duration::milliseconds(ms).ns() / data.leaderless_slice.ns());
  };
  EXPECT_EQ(data.leaderless_max[0], 100u);
  EXPECT_EQ(data.leaderless_max[slice_of(1500)], 0u);
  const auto after_crash = std::max_element(data.leaderless_max.begin() + slice_of(2000),
                                            data.leaderless_max.begin() + slice_of(3000));
  EXPECT_GE(*after_crash, 5u);
  EXPECT_LE(*after_crash, 34u);
  EXPECT_EQ(data.leaderless_max[slice_of(4900)], 0u);
}

// Fed by hand: far more leaderships and writes than the caps, as a long run would make.
TEST(SvgTimeline, CapsKeepALongRunsPictureBoundedAndSaySo) {
  const sim::Layout layout = sim::Layout::single_group(3);
  TimelineRecorder recorder(layout, sim::Duration::seconds(100));
  sim::Trace trace;
  trace.add_observer(&recorder, TimelineRecorder::kinds());
  const size_t leaderships = TimelineRecorder::kMaxIntervals + 500;
  for (size_t i = 0; i < leaderships; ++i) {
    const auto at = sim::Instant::from_ns(static_cast<int64_t>(i) * 1'000'000);
    trace.record(at, sim::LeaderElected{.process = 0, .group = 0, .epoch = i + 1,
                                        .token = i + 1, .lease_until_ns = std::nullopt});
    trace.record(at, sim::ResourceWritten{.writer = 0, .resource = 1, .group = 0,
                                          .token = i + 1, .accepted = true, .epoch = i + 1});
    trace.record(at + sim::Duration::microseconds(500),
                 sim::LeaderSteppedDown{.process = 0, .group = 0,
                                        .reason = sim::StepDownReason::kQuorumLost,
                                        .epoch = i + 1});
  }
  trace.end(sim::Instant::from_ns(static_cast<int64_t>(leaderships) * 1'000'000));
  const reports::TimelineData& data = recorder.data();
  EXPECT_EQ(data.intervals.size(), TimelineRecorder::kMaxIntervals);
  EXPECT_EQ(data.intervals_omitted, 500u);
  EXPECT_EQ(data.writes.size(), TimelineRecorder::kMaxWritesOfEachOutcome);
  EXPECT_EQ(data.accepted_writes_omitted, leaderships - TimelineRecorder::kMaxWritesOfEachOutcome);
  const XmlDocument xml = parse_xml(reports::leadership_timeline_svg(data, "capped"));
  ASSERT_TRUE(xml.well_formed) << xml.error;
  EXPECT_TRUE(xml.has_text("500 intervals not drawn (over the cap)."));
  EXPECT_EQ(xml.with("data-note", "omitted").size(), 2u);
}

}  // namespace
}  // namespace electsim
