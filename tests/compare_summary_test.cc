// The statistics of `electsim compare` (reports/compare_summary.h) on inputs whose answer is
// known: Holm's adjustment against R's p.adjust, the per-seed figure of the paired test (an
// unrecovered window ranks slowest), the pairwise test's direction, median and significance, and
// the bootstrap intervals (deterministic, around the estimate).
#include "reports/compare_summary.h"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

namespace electsim::reports {
namespace {

using sim::Duration;

RunResult run_with(uint64_t seed, std::vector<Duration> recovery, uint64_t unrecovered = 0,
                   Verdict verdict = Verdict::kPass) {
  RunResult run;
  run.seed = seed;
  run.verdict = verdict;
  run.checks.recovery = std::move(recovery);
  run.checks.unrecovered = unrecovered;
  run.reproduce = "electsim run s.yaml --seed " + std::to_string(seed);
  return run;
}

// A variant whose seed s (1..n) recovers in base + s milliseconds.
CompareVariant variant_of(const std::string& label, int64_t base_ms, uint64_t seeds) {
  CompareVariant variant(label, label);
  for (uint64_t seed = 1; seed <= seeds; ++seed) {
    variant.add(run_with(seed, {Duration::milliseconds(base_ms + static_cast<int64_t>(seed))}));
  }
  return variant;
}

// R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") gives 0.03 0.06 0.06 0.02: sorted, the
// p-values are multiplied by 4, 3, 2, 1 and made non-decreasing (Holm 1979's step-down).
TEST(CompareSummary, HolmAdjustmentMatchesRsPAdjust) {
  const std::vector<double> adjusted = holm_adjust({0.01, 0.04, 0.03, 0.005});
  ASSERT_EQ(adjusted.size(), 4u);
  EXPECT_DOUBLE_EQ(adjusted[0], 0.03);
  EXPECT_DOUBLE_EQ(adjusted[1], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[2], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[3], 0.02);
  // Capped at 1.
  EXPECT_DOUBLE_EQ(holm_adjust({0.6, 0.7})[1], 1.0);
}

TEST(CompareSummary, UnrecoveredSeedRanksSlowestAndEmptySeedHasNoValue) {
  const CompareSeed recovered = compare_seed_of(
      run_with(1, {Duration::milliseconds(100), Duration::milliseconds(300)}));
  EXPECT_DOUBLE_EQ(*paired_recovery_value(recovered), 200e6);  // the mean, in nanoseconds
  const CompareSeed unrecovered = compare_seed_of(run_with(2, {Duration::milliseconds(1)}, 1));
  EXPECT_EQ(*paired_recovery_value(unrecovered), std::numeric_limits<double>::infinity());
  EXPECT_FALSE(paired_recovery_value(compare_seed_of(run_with(3, {}))).has_value());
  const CompareSeed not_judged =
      compare_seed_of(run_with(4, {Duration::milliseconds(1)}, 0, Verdict::kInternalError));
  EXPECT_FALSE(paired_recovery_value(not_judged).has_value());
}

TEST(CompareSummary, PairwiseTestFindsTheSlowerVariantWithItsMedianDifference) {
  // b is 100 ms slower than a on every one of 30 seeds; c equals a.
  const std::vector<CompareVariant> variants{variant_of("a", 100, 30), variant_of("b", 200, 30),
                                             variant_of("c", 100, 30)};
  const std::vector<PairComparison> pairs = compare_pairs(variants);
  ASSERT_EQ(pairs.size(), 3u);  // (a,b), (a,c), (b,c)
  EXPECT_EQ(pairs[0].first, 0u);
  EXPECT_EQ(pairs[0].second, 1u);
  EXPECT_EQ(pairs[0].seeds, 30u);
  EXPECT_DOUBLE_EQ(*pairs[0].median_difference_ns, 100e6);
  EXPECT_TRUE(pairs[0].significant);
  EXPECT_LT(pairs[0].p_holm, 1e-4);
  EXPECT_EQ(faster_variant(pairs[0]), 0u);  // a
  EXPECT_EQ(faster_variant(pairs[2]), 2u);  // c, faster than b
  // Identical recoveries: every difference is zero, nothing to rank.
  EXPECT_DOUBLE_EQ(*pairs[1].median_difference_ns, 0);
  EXPECT_FALSE(pairs[1].significant);
  EXPECT_DOUBLE_EQ(pairs[1].p_holm, 1.0);
  EXPECT_FALSE(faster_variant(pairs[1]).has_value());
  EXPECT_DOUBLE_EQ(*pairs[2].median_difference_ns, -100e6);
  EXPECT_TRUE(pairs[2].significant);
  // Holm over three pairs: the smallest p-value is multiplied by 3.
  EXPECT_GE(pairs[0].p_holm, pairs[0].test.p_two_sided);
}

TEST(CompareSummary, UnrecoveredSeedsMakeTheOtherVariantFaster) {
  // b recovers nowhere (every window unrecovered): it is slower on every seed, whatever the
  // size of a's recoveries.
  CompareVariant a("a", "a");
  CompareVariant b("b", "b");
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    a.add(run_with(seed, {Duration::seconds(static_cast<int64_t>(seed))}));
    b.add(run_with(seed, {}, 1, Verdict::kLivenessViolation));
  }
  const std::vector<PairComparison> pairs = compare_pairs({a, b});
  ASSERT_EQ(pairs.size(), 1u);
  EXPECT_EQ(pairs[0].seeds, 12u);
  EXPECT_EQ(*pairs[0].median_difference_ns, std::numeric_limits<double>::infinity());
  EXPECT_TRUE(pairs[0].significant);
  // Twelve differences of one sign, tied in size (each a recovery against none): the normal
  // approximation with the tie correction gives z = 38.5 / sqrt(126.75), p = 6.3e-4.
  EXPECT_EQ(pairs[0].test.count, 12u);
  EXPECT_DOUBLE_EQ(pairs[0].test.statistic, 78);
  EXPECT_NEAR(pairs[0].test.p_two_sided, 6.3e-4, 0.2e-4);
  EXPECT_EQ(faster_variant(pairs[0]), 0u);
}

TEST(CompareSummary, VariantCountsFailuresWithTheirFirstSeeds) {
  CompareVariant variant("raft", "raft");
  variant.add(run_with(1, {Duration::milliseconds(5)}));
  variant.add(run_with(2, {Duration::milliseconds(9)}, 0, Verdict::kSafetyViolation));
  variant.add(run_with(3, {}, 1, Verdict::kLivenessViolation));
  variant.add(run_with(4, {Duration::milliseconds(7)}, 0, Verdict::kSafetyViolation));
  EXPECT_EQ(variant.safety_failures(), 2u);
  EXPECT_EQ(*variant.first_safety_seed(), 2u);
  EXPECT_EQ(variant.liveness_failures(), 1u);
  EXPECT_EQ(*variant.first_liveness_seed(), 3u);
  EXPECT_EQ(variant.verdict(), Verdict::kSafetyViolation);
  EXPECT_EQ(variant.worst_seed(), 2u);  // the first failing seed
  ASSERT_EQ(variant.failures().size(), 3u);
  EXPECT_EQ(variant.failures()[0].reproduce, "electsim run s.yaml --seed 2");
  EXPECT_EQ(compare_verdict({variant_of("a", 1, 3), variant}), Verdict::kSafetyViolation);
}

TEST(CompareSummary, WorstSeedOfAPassingVariantHasTheLongestRecovery) {
  EXPECT_EQ(variant_of("a", 100, 30).worst_seed(), 30u);
}

TEST(CompareSummary, BootstrapIntervalsSurroundTheEstimateAndRepeat) {
  const CompareVariant variant = variant_of("a", 100, 200);  // 101..300 ms
  const VariantSummary first = summarize_variant(variant);
  const VariantSummary second = summarize_variant(variant);
  EXPECT_EQ(first.runs, 200u);
  EXPECT_EQ(first.recovery.p50, Duration::milliseconds(200));
  EXPECT_EQ(first.recovery.max, Duration::milliseconds(300));
  ASSERT_TRUE(first.p50_interval && first.p90_interval && first.p99_interval);
  EXPECT_LE(first.p50_interval->low, first.recovery.p50);
  EXPECT_GE(first.p50_interval->high, first.recovery.p50);
  EXPECT_LT(first.p50_interval->low, first.p50_interval->high);
  // The p50 of 200 values 1 ms apart moves by a few ms over resamples, never by 50.
  EXPECT_GT(first.p50_interval->low, Duration::milliseconds(170));
  EXPECT_LT(first.p50_interval->high, Duration::milliseconds(230));
  EXPECT_LE(first.p99_interval->high, Duration::milliseconds(300));
  // The generator is electsim's own with a fixed seed: the same intervals every time.
  EXPECT_EQ(first.p50_interval->low, second.p50_interval->low);
  EXPECT_EQ(first.p99_interval->high, second.p99_interval->high);
}

TEST(CompareSummary, NoIntervalWithoutRecoveredWindows) {
  CompareVariant variant("a", "a");
  variant.add(run_with(1, {}));
  const VariantSummary summary = summarize_variant(variant);
  EXPECT_EQ(summary.recovery.count, 0u);
  EXPECT_FALSE(summary.p50_interval.has_value());
}

TEST(CompareSummary, MessagesPerElectionOnlyWhereTheFamilyCounts) {
  CompareVariant counted("raft", "raft");
  RunResult run = run_with(1, {Duration::milliseconds(5)});
  run.checks.leader_changes = 2;
  run.election_messages_sent = 30;
  counted.add(run);
  EXPECT_DOUBLE_EQ(*summarize_variant(counted).messages_per_election, 15.0);
  CompareVariant lease("zk-recipe", "zk-recipe");
  run.election_messages_sent.reset();
  lease.add(run);
  EXPECT_FALSE(summarize_variant(lease).messages_per_election.has_value());
}

}  // namespace
}  // namespace electsim::reports
