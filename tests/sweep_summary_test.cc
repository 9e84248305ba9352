// The sweep summary in flat memory (reports/sweep_summary.h, recovery_distribution.h): exact
// percentiles up to the bound, then a histogram within its stated relative error; failing seeds
// kept up to their bound with the full count; the verdict's precedence; the streamed JSON is one
// valid document with the summary after the runs.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "reports/json_report.h"
#include "reports/recovery_distribution.h"
#include "reports/sweep_summary.h"
#include "reports/sweep_text.h"

namespace electsim::reports {
namespace {

using sim::Duration;

TEST(RecoveryDistribution, EveryBucketsMiddleIsWithinTheRelativeError) {
  for (int64_t ns = 1; ns < (int64_t{1} << 62); ns = ns + ns / 2 + 7) {
    for (int64_t value : {ns, ns + 1, ns * 2 - 1}) {
      const int64_t middle = RecoveryDistribution::middle_of(RecoveryDistribution::bucket_of(value));
      const double error = std::abs(static_cast<double>(middle - value)) / static_cast<double>(value);
      EXPECT_LE(error, RecoveryDistribution::kRelativeError) << value << " -> " << middle;
    }
  }
}

TEST(RecoveryDistribution, ExactUpToTheBoundThenApproximateWithinTheError) {
  RecoveryDistribution distribution;
  std::vector<Duration> values;
  // A spread of recovery times from 1 ms to about 1 s, in no particular order.
  for (uint64_t i = 0; i < 1000; ++i) {
    values.push_back(Duration::nanoseconds(1'000'000 + static_cast<int64_t>((i * 7919) % 1000) *
                                                           997'000));
  }
  for (Duration value : values) distribution.add(value);
  Percentiles exact = distribution.percentiles();
  const Percentiles expected = percentiles(values);
  EXPECT_FALSE(exact.approximate);
  EXPECT_EQ(exact.p50, expected.p50);
  EXPECT_EQ(exact.p99, expected.p99);
  EXPECT_EQ(exact.max, expected.max);

  // Past the bound the same distribution (repeated) is kept as a histogram.
  while (distribution.count() <= RecoveryDistribution::kExactLimit) {
    for (Duration value : values) distribution.add(value);
  }
  EXPECT_TRUE(distribution.approximate());
  const Percentiles approximate = distribution.percentiles();
  EXPECT_TRUE(approximate.approximate);
  EXPECT_EQ(approximate.count, distribution.count());
  EXPECT_EQ(approximate.max, expected.max);
  for (auto [got, want] : {std::pair{approximate.p50, expected.p50},
                           std::pair{approximate.p90, expected.p90},
                           std::pair{approximate.p99, expected.p99}}) {
    EXPECT_NEAR(static_cast<double>(got.ns()), static_cast<double>(want.ns()),
                static_cast<double>(want.ns()) * RecoveryDistribution::kRelativeError);
  }
}

RunResult run_of(uint64_t seed, Verdict verdict) {
  RunResult run;
  run.seed = seed;
  run.verdict = verdict;
  run.reproduce = "electsim run s.yaml --seed " + std::to_string(seed);
  if (verdict == Verdict::kInternalError) run.error = "x.cc:1: check 'a' failed: b";
  return run;
}

TEST(SweepSummary, KeepsTheFirstFailingSeedsAndCountsThemAll) {
  SweepSummary summary("s", "raft", {}, 1, 5000);
  for (uint64_t seed = 1; seed <= 3000; ++seed) {
    summary.add(run_of(seed, seed % 2 == 0 ? Verdict::kLivenessViolation : Verdict::kPass));
  }
  EXPECT_EQ(summary.seeds(), 3000u);
  EXPECT_EQ(summary.failed(), 1500u);
  EXPECT_EQ(summary.failing_seeds().size(), SweepSummary::kMaxFailingSeeds);
  EXPECT_EQ(summary.failing_seeds().front(), 2u);
  EXPECT_EQ(summary.failure_notes().size(), SweepSummary::kMaxFailureNotes);
  EXPECT_EQ(summary.seed_last(), 3000u);
}

TEST(SweepSummary, InternalErrorsOutrankViolationsWhichOutrankBudgets) {
  SweepSummary summary("s", "raft", {}, 1, 10);
  summary.add(run_of(1, Verdict::kBudgetExceeded));
  EXPECT_EQ(sweep_verdict(summary), Verdict::kBudgetExceeded);
  summary.add(run_of(2, Verdict::kLivenessViolation));
  EXPECT_EQ(sweep_verdict(summary), Verdict::kLivenessViolation);
  summary.add(run_of(3, Verdict::kSafetyViolation));
  EXPECT_EQ(sweep_verdict(summary), Verdict::kSafetyViolation);
  summary.add(run_of(4, Verdict::kInternalError));
  EXPECT_EQ(sweep_verdict(summary), Verdict::kInternalError);
  EXPECT_EQ(verdict_exit_code(sweep_verdict(summary)), 70);
}

TEST(SweepJson, OpeningRunsAndClosingMakeOneDocumentWithOneRunPerLine) {
  SweepSummary summary("s", "raft", {"--set duration=1s"}, 7, 9);
  std::string text = sweep_json_opening(summary);
  for (uint64_t seed = 7; seed <= 9; ++seed) {
    const RunResult run = run_of(seed, seed == 8 ? Verdict::kInternalError : Verdict::kPass);
    summary.add(run);
    text += sweep_json_run(run, seed == 7);
  }
  text += sweep_json_closing(summary, true);
  const auto json = nlohmann::json::parse(text);
  EXPECT_EQ(json["seeds"], 3);
  EXPECT_EQ(json["seed_first"], 7);
  EXPECT_EQ(json["seed_last"], 9);
  EXPECT_EQ(json["failing_seeds"], nlohmann::json::array({8}));
  EXPECT_EQ(json["internal_errors"], 1);
  EXPECT_EQ(json["failures"][0]["replay"], "electsim run s.yaml --seed 8");
  EXPECT_EQ(json["overrides"][0], "--set duration=1s");
  EXPECT_EQ(json["recovery_ns"]["approximate"], false);
  ASSERT_EQ(json["runs"].size(), 3u);
  EXPECT_EQ(json["runs"][1]["error"], "x.cc:1: check 'a' failed: b");
  // One run per line: every line holding a run's seed holds the whole run.
  size_t run_lines = 0;
  for (size_t at = 0, end; at < text.size(); at = end + 1) {
    end = text.find('\n', at);
    const std::string line = text.substr(at, end - at);
    if (line.find("\"fingerprint\"") == std::string::npos) continue;
    ++run_lines;
    const std::string object = line.back() == ',' ? line.substr(0, line.size() - 1) : line;
    EXPECT_TRUE(nlohmann::json::accept(object)) << line;
  }
  EXPECT_EQ(run_lines, 3u);
}

TEST(SweepJson, AnInterruptedSweepWithNoFinishedSeedIsStillADocument) {
  SweepSummary summary("s", "raft", {}, 0, UINT64_MAX);
  summary.mark_interrupted();
  const auto json = nlohmann::json::parse(sweep_json_opening(summary) +
                                          sweep_json_closing(summary, false));
  EXPECT_EQ(json["seeds"], 0);
  EXPECT_TRUE(json["seed_last"].is_null());
  EXPECT_EQ(json["interrupted"], true);
  EXPECT_EQ(json["requested_seed_last"].get<uint64_t>(), UINT64_MAX);
  EXPECT_TRUE(json["runs"].empty());
  const std::string text = sweep_to_text(summary, {});
  EXPECT_NE(text.find("interrupted before any seed finished"), std::string::npos) << text;
}

}  // namespace
}  // namespace electsim::reports
