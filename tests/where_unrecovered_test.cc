// Unrecovered windows (issue 8, item 9): a disruption window that the run ended in without a
// lasting leader is counted apart, as `unrecovered`, and is never a recovery time, so a livelocked
// run cannot stretch the percentiles with the last leader the end of the run cut off. Judged on
// hand-fed traces, then through the sweep summary, its text and JSON, and the run's text and JSON.
#include <cstdint>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/json_report.h"
#include "reports/sweep_summary.h"
#include "reports/sweep_text.h"
#include "reports/text_report.h"
#include "sim/checks/checks.h"
#include "tests/checks_test_util.h"

namespace electsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using sim::Duration;
using sim::NodeId;
using sim::checks::CheckConfig;
using sim::checks::CheckResults;
using sim::checks::testing::HandTrace;

CheckConfig recovery_config(int64_t bound_ms) {
  CheckConfig config;
  config.nodes = 3;
  config.recovery_within = Duration::milliseconds(bound_ms);
  return config;
}

// n1 leads epoch 1 with n2 and n3 following, then crashes at 2s; n2 and n3 take turns leading,
// each followed and deposed 150 ms later with nothing failing, and the `rounds`-th leader (at
// 2.1s + 200ms * (rounds - 1)) is followed and never deposed.
void livelock_after_crash(HandTrace& trace, int rounds) {
  trace.at(100).leader(0, 1).at(110).follows(1, 0, 1).follows(2, 0, 1);
  trace.at(2000).crash(0);
  for (int i = 0; i < rounds; ++i) {
    const NodeId leader = 1 + static_cast<NodeId>(i % 2);
    const NodeId follower = 3 - leader;
    const auto epoch = static_cast<uint64_t>(i + 2);
    const int64_t t = 2100 + 200 * i;
    trace.at(t).leader(leader, epoch).at(t + 10).follows(follower, leader, epoch);
    if (i + 1 < rounds) trace.at(t + 150).step_down(leader, sim::StepDownReason::kHigherEpochSeen);
  }
}

TEST(Unrecovered, ALivelockCutOffByTheEndIsNotARecoveryTime) {
  HandTrace trace(recovery_config(1000));
  livelock_after_crash(trace, 10);  // the last leader is followed from 3.91s
  const CheckResults results = trace.end(4200);
  // Before issue 8 this counted 1.91s: the last leader "lasted" 290 ms, until the run ended.
  EXPECT_THAT(results.recovery, IsEmpty());
  EXPECT_EQ(results.unrecovered, 1u);
  EXPECT_TRUE(results.liveness_violated());  // the livelock itself is still a violation
}

TEST(Unrecovered, ALeaderThatHeldForTheBoundAfterDeposedOnesRecovered) {
  HandTrace trace(recovery_config(1000));
  livelock_after_crash(trace, 10);
  const CheckResults results = trace.end(5000);  // the last leader held 1.09s >= the bound
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(1910)));
  EXPECT_EQ(results.unrecovered, 0u);
}

TEST(Unrecovered, AFirstLeaderJustBeforeTheEndRecovered) {
  // As in Figure 16: the first leader after the crash is the recovery, however soon the run ends.
  HandTrace trace(recovery_config(1000));
  trace.at(100).leader(0, 1).at(110).follows(1, 0, 1).follows(2, 0, 1);
  trace.at(2000).crash(0).at(2300).leader(1, 2).at(2310).follows(2, 1, 2);
  const CheckResults results = trace.end(2320);
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(310)));
  EXPECT_EQ(results.unrecovered, 0u);
}

TEST(Unrecovered, NoLeaderAtTheEndAfterAFaultIsUnrecovered) {
  HandTrace trace(recovery_config(1000));
  trace.at(100).leader(0, 1).at(110).follows(1, 0, 1).follows(2, 0, 1);
  trace.at(2000).crash(0).at(2300).leader(1, 2).at(2310).follows(2, 1, 2);
  trace.at(4000).crash(1).at(4500).restart(1);
  const CheckResults results = trace.end(4800);
  EXPECT_THAT(results.recovery, ElementsAre(Duration::milliseconds(310)));
  EXPECT_EQ(results.unrecovered, 1u);
}

TEST(Unrecovered, TheStartupElectionIsNeverCounted) {
  HandTrace trace(recovery_config(1000));
  const CheckResults results = trace.end(500);  // nobody led yet, and nothing failed
  EXPECT_THAT(results.recovery, IsEmpty());
  EXPECT_EQ(results.unrecovered, 0u);
}

reports::RunResult run_with(uint64_t seed, std::vector<Duration> recovery, uint64_t unrecovered) {
  reports::RunResult run;
  run.seed = seed;
  run.reproduce = "electsim run x.yaml --seed " + std::to_string(seed);
  run.checks.recovery = std::move(recovery);
  run.checks.unrecovered = unrecovered;
  return run;
}

TEST(Unrecovered, TheSweepCountsThemApartAndThePercentilesAreOverTheRecovered) {
  reports::SweepSummary summary("s", "raft", {}, 1, 3);
  summary.add(run_with(1, {Duration::milliseconds(100)}, 0));
  summary.add(run_with(2, {Duration::milliseconds(300)}, 2));
  summary.add(run_with(3, {}, 1));
  const reports::Percentiles p = summary.recovery();
  EXPECT_EQ(p.count, 2u);
  EXPECT_EQ(p.unrecovered, 3u);
  EXPECT_EQ(p.max, Duration::milliseconds(300));
  EXPECT_EQ(p.p50, Duration::milliseconds(100));

  const std::string text = reports::sweep_to_text(summary, {});
  EXPECT_THAT(text, HasSubstr("recovery over 2 windows: p50 100.0ms, p90 300.0ms, p99 300.0ms, "
                              "max 300.0ms; 3 windows never recovered\n"));
  const auto closing = nlohmann::json::parse(
      reports::sweep_json_opening(summary) + reports::sweep_json_closing(summary, false));
  EXPECT_EQ(closing["recovery_ns"]["count"], 2);
  EXPECT_EQ(closing["recovery_ns"]["unrecovered"], 3);
  EXPECT_EQ(closing["recovery_ns"]["max"], Duration::milliseconds(300).ns());
}

TEST(Unrecovered, ASweepWhereNothingRecoveredSaysSo) {
  reports::SweepSummary summary("s", "raft", {}, 1, 1);
  summary.add(run_with(1, {}, 1));
  EXPECT_THAT(reports::sweep_to_text(summary, {}),
              HasSubstr("recovery: no window recovered; 1 window never recovered\n"));
}

TEST(Unrecovered, TheRunSaysHowManyInItsTextAndJson) {
  const reports::RunResult run = run_with(4, {Duration::milliseconds(250)}, 1);
  EXPECT_THAT(reports::run_to_text(run, {}),
              HasSubstr("recovery  250.0ms; 1 window never recovered\n"));
  const auto json = reports::run_to_json(run);
  EXPECT_EQ(json["unrecovered"], 1);
  EXPECT_EQ(json["recovery_ns"].size(), 1u);
  const reports::RunResult clean = run_with(5, {}, 0);
  EXPECT_THAT(reports::run_to_text(clean, {}), HasSubstr("recovery  no disruption measured\n"));
  EXPECT_EQ(reports::run_to_json(clean)["unrecovered"], 0);
}

}  // namespace
}  // namespace electsim
