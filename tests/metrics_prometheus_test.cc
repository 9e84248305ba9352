// reports/prometheus.h on hand-made results: the exposition format's details (escaping, exact
// seconds, cumulative buckets), what each scope exports, and that nothing unmeasured is exported.
#include <memory>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "reports/prometheus.h"
#include "sim/layout.h"

namespace electsim::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kLabels = "scenario=\"crash\",algorithm=\"raft\"";

RunResult a_run(uint64_t seed) {
  RunResult run;
  run.scenario = "crash";
  run.algorithm = "raft";
  run.seed = seed;
  run.checks.layout = std::make_shared<const sim::Layout>(sim::Layout::single_group(3));
  run.checks.transition_reasons.by_reason[static_cast<size_t>(sim::StepDownReason::kStartup)] = 1;
  run.checks.transition_reasons.by_reason[static_cast<size_t>(sim::StepDownReason::kCrashed)] = 2;
  run.checks.recovery = {sim::Duration::milliseconds(20), sim::Duration::milliseconds(300),
                         sim::Duration::seconds(16)};
  sim::checks::LeadershipFigures figures;
  figures.leaderless = sim::Duration::milliseconds(1'500);
  figures.overlap = sim::Duration::nanoseconds(1);
  figures.leading_at_end = {1};
  figures.layout = run.checks.layout;
  run.leadership = figures;
  return run;
}

std::string one_run_text(const RunResult& run) {
  PrometheusWriter writer(MetricsScope::kOneRun);
  writer.add_run(run);
  return writer.text();
}

TEST(MetricsPrometheus, LabelValuesEscapeBackslashQuoteAndLineFeed) {
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  RunResult run = a_run(1);
  run.scenario = "odd \"name\"\n";
  EXPECT_THAT(one_run_text(run), HasSubstr("scenario=\"odd \\\"name\\\"\\n\""));
}

TEST(MetricsPrometheus, SecondsAreExactDecimals) {
  EXPECT_EQ(seconds_text(0), "0");
  EXPECT_EQ(seconds_text(1), "0.000000001");
  EXPECT_EQ(seconds_text(1'500'000'000), "1.5");
  EXPECT_EQ(seconds_text(300'000'000'000), "300");
}

TEST(MetricsPrometheus, OneRunExportsItsEndStateAndTotals) {
  const std::string text = one_run_text(a_run(7));
  EXPECT_THAT(text, HasSubstr("# TYPE electsim_is_leader gauge\n"));
  EXPECT_THAT(text, HasSubstr(std::string("electsim_is_leader{") + kLabels +
                              ",group=\"g1\",process=\"n1\"} 0\n"));
  EXPECT_THAT(text, HasSubstr(std::string("electsim_is_leader{") + kLabels +
                              ",group=\"g1\",process=\"n2\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(",seed=\"7\","));
  EXPECT_THAT(text, HasSubstr(std::string("electsim_leader_changes_total{") + kLabels +
                              ",reason=\"crashed\"} 2\n"));
  // Reasons that did not occur are there too, at zero.
  EXPECT_THAT(text, HasSubstr(std::string("electsim_leader_changes_total{") + kLabels +
                              ",reason=\"lease_expired\"} 0\n"));
  EXPECT_THAT(text, HasSubstr(std::string("electsim_leaderless_seconds_total{") + kLabels +
                              "} 1.5\n"));
  EXPECT_THAT(text, HasSubstr(std::string("electsim_overlap_seconds_total{") + kLabels +
                              "} 0.000000001\n"));
  EXPECT_THAT(text, Not(HasSubstr("electsim_runs_total")));
  EXPECT_EQ(text.back(), '\n');
}

TEST(MetricsPrometheus, RecoveryBucketsAreCumulative) {
  const std::string text = one_run_text(a_run(1));
  const std::string bucket = std::string("electsim_recovery_seconds_bucket{") + kLabels;
  EXPECT_THAT(text, HasSubstr(bucket + ",le=\"0.01\"} 0\n"));
  EXPECT_THAT(text, HasSubstr(bucket + ",le=\"0.025\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(bucket + ",le=\"0.25\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(bucket + ",le=\"0.5\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(bucket + ",le=\"10\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(bucket + ",le=\"25\"} 3\n"));
  EXPECT_THAT(text, HasSubstr(bucket + ",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr(std::string("electsim_recovery_seconds_sum{") + kLabels +
                              "} 16.32\n"));
  EXPECT_THAT(text, HasSubstr(std::string("electsim_recovery_seconds_count{") + kLabels +
                              "} 3\n"));
}

TEST(MetricsPrometheus, NothingUnmeasuredIsExported) {
  RunResult run = a_run(1);  // no fenced resource: no writes measured
  std::string text = one_run_text(run);
  EXPECT_THAT(text, HasSubstr("# TYPE electsim_stale_writes_accepted_total counter\n"));
  EXPECT_THAT(text, Not(HasSubstr("electsim_stale_writes_accepted_total{")));
  EXPECT_THAT(text, Not(HasSubstr("electsim_alerts_fired_total{")));  // no rules
  run.checks.writes = sim::checks::WriteFigures{};
  run.checks.writes->stale_writes_accepted = 4;
  EXPECT_THAT(one_run_text(run), HasSubstr("electsim_stale_writes_accepted_total{" +
                                           std::string(kLabels) + "} 4\n"));
  // One run of a sweep without leadership figures (a file from an older electsim) leaves the
  // sweep's leaderless total unexported rather than short.
  PrometheusWriter sweep(MetricsScope::kManyRuns);
  sweep.add_run(a_run(1));
  RunResult old = a_run(2);
  old.leadership.reset();
  sweep.add_run(old);
  EXPECT_THAT(sweep.text(), Not(HasSubstr("electsim_leaderless_seconds_total{")));
}

TEST(MetricsPrometheus, ManyRunsSumPerScenarioAndAlgorithmWhateverTheOrder) {
  RunResult zab = a_run(3);
  zab.algorithm = "zab";
  zab.verdict = Verdict::kSafetyViolation;
  zab.alert_rules.leaderless_longer_than = sim::Duration::seconds(5);
  zab.leadership->leaderless_fired = 2;
  PrometheusWriter forward(MetricsScope::kManyRuns);
  PrometheusWriter backward(MetricsScope::kManyRuns);
  for (const RunResult& run : {a_run(1), a_run(2), zab}) forward.add_run(run);
  for (const RunResult& run : {zab, a_run(2), a_run(1)}) backward.add_run(run);
  const std::string text = forward.text();
  EXPECT_EQ(text, backward.text());
  EXPECT_THAT(text, HasSubstr(std::string("electsim_runs_total{") + kLabels +
                              ",verdict=\"pass\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("electsim_runs_total{scenario=\"crash\",algorithm=\"zab\","
                              "verdict=\"safety_violation\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(std::string("electsim_leaderless_seconds_total{") + kLabels +
                              "} 3\n"));
  EXPECT_THAT(text, HasSubstr("electsim_alerts_fired_total{scenario=\"crash\",algorithm=\"zab\","
                              "rule=\"leaderless_longer_than\"} 2\n"));
  // Who led at the end means nothing over many runs.
  EXPECT_THAT(text, Not(HasSubstr("electsim_is_leader")));
  // Each family's HELP and TYPE once, however many label sets.
  size_t types = 0;
  for (size_t at = text.find("# TYPE electsim_leader_changes_total"); at != std::string::npos;
       at = text.find("# TYPE electsim_leader_changes_total", at + 1)) {
    ++types;
  }
  EXPECT_EQ(types, 1u);
}

TEST(MetricsPrometheus, VariantsOfOneAlgorithmStayApart) {
  PrometheusWriter writer(MetricsScope::kManyRuns);
  writer.add_run(a_run(1), "election_timeout=12ms..24ms");
  writer.add_run(a_run(1), "election_timeout=150ms..300ms");
  const std::string text = writer.text();
  EXPECT_THAT(text, HasSubstr(std::string("electsim_runs_total{") + kLabels +
                              ",variant=\"election_timeout=12ms..24ms\",verdict=\"pass\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(std::string("electsim_runs_total{") + kLabels +
                              ",variant=\"election_timeout=150ms..300ms\",verdict=\"pass\"} 1\n"));
}

}  // namespace
}  // namespace electsim::reports
