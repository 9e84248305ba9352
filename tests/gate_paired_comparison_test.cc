// The statistics of the regression gate and of compare (reports/paired_comparison.h): the rank
// tests against the reference values of their textbook examples, the bootstrap interval on
// inputs whose answer is known.
#include "reports/paired_comparison.h"

#include <vector>

#include <gtest/gtest.h>

#include "sim/prng.h"

namespace electsim::reports {
namespace {

// Hollander & Wolfe (1973), Example 3.1: Hamilton depression scale factor IV before (x) and
// after (y) a tranquilizer, nine patients; R's stats::wilcox.test documents the same data. The
// exact one-sided p-value of V = 40 is 10/512: ten of the 2^9 sign patterns reach it.
TEST(GatePairedComparison, SignedRankMatchesHollanderWolfeExample) {
  const std::vector<double> x{1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
  const std::vector<double> y{0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
  std::vector<double> differences;
  for (size_t i = 0; i < x.size(); ++i) differences.push_back(x[i] - y[i]);
  const RankTest test = wilcoxon_signed_rank(differences);
  EXPECT_TRUE(test.exact);
  EXPECT_EQ(test.count, 9u);
  EXPECT_DOUBLE_EQ(test.statistic, 40);
  EXPECT_DOUBLE_EQ(test.p_greater, 10.0 / 512);
  EXPECT_DOUBLE_EQ(test.p_two_sided, 20.0 / 512);
}

// The same example in R's documentation of wilcox.test, rank-sum form (Hollander & Wolfe p. 69:
// permeability of membranes at term (x) and at 12-26 weeks (y)): W = 35, p = 0.1272 one-sided,
// which is 382 of the 3003 ways to choose x's ranks.
TEST(GatePairedComparison, RankSumMatchesHollanderWolfeExample) {
  const std::vector<double> x{0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46};
  const std::vector<double> y{1.15, 0.88, 0.90, 0.74, 1.21};
  const RankTest test = mann_whitney(x, y);
  EXPECT_TRUE(test.exact);
  EXPECT_DOUBLE_EQ(test.statistic, 35);
  EXPECT_NEAR(test.p_greater, 382.0 / 3003, 1e-12);
  EXPECT_NEAR(test.p_two_sided, 764.0 / 3003, 1e-12);
  const RankTest reversed = mann_whitney(y, x);
  EXPECT_DOUBLE_EQ(reversed.statistic, 15);
  // Seen from y the same evidence: W_y = n_x n_y - W_x, the same two-sided p.
  EXPECT_NEAR(reversed.p_two_sided, test.p_two_sided, 1e-12);
  EXPECT_GT(reversed.p_greater, 0.5);
}

// With ties or zeros R uses the normal approximation with the tie correction and a continuity
// correction of 1/2. Reference values from R's formulas evaluated independently:
// V = 47.5 over 10 nonzero differences (ties 1,1,-1 / 2,2,2,-2), p = 0.0224311.
TEST(GatePairedComparison, SignedRankNormalApproximationWithTiesAndZeros) {
  const std::vector<double> differences{1, 1, 2, 2, 2, 3, -1, 4, 5, -2, 0};
  const RankTest test = wilcoxon_signed_rank(differences);
  EXPECT_FALSE(test.exact);
  EXPECT_EQ(test.count, 10u);
  EXPECT_DOUBLE_EQ(test.statistic, 47.5);
  EXPECT_NEAR(test.p_greater, 0.022431135576457373, 1e-12);
  EXPECT_NEAR(test.p_two_sided, 0.044862271152914746, 1e-12);
}

TEST(GatePairedComparison, RankSumNormalApproximationWithTies) {
  const std::vector<double> x{3, 4, 4, 5, 6, 6, 7};
  const std::vector<double> y{1, 2, 2, 3, 4, 5};
  const RankTest test = mann_whitney(x, y);
  EXPECT_FALSE(test.exact);
  EXPECT_DOUBLE_EQ(test.statistic, 36);
  EXPECT_NEAR(test.p_greater, 0.018104450669929606, 1e-12);
  EXPECT_NEAR(test.p_two_sided, 0.03620890133985921, 1e-12);
}

TEST(GatePairedComparison, NoEvidenceGivesPOne) {
  EXPECT_DOUBLE_EQ(wilcoxon_signed_rank(std::vector<double>{0, 0, 0}).p_greater, 1);
  EXPECT_DOUBLE_EQ(mann_whitney(std::vector<double>{}, std::vector<double>{1}).p_greater, 1);
  // Every value tied: the variance is zero and nothing can be concluded.
  const std::vector<double> same(60, 2.0);
  EXPECT_DOUBLE_EQ(mann_whitney(same, same).p_two_sided, 1);
}

// A sample of `count` seeds from `first`, each with two recovery-like values drawn from the seed.
std::vector<SeedFigures> sample(uint64_t first, size_t count, double scale, uint64_t stream) {
  std::vector<SeedFigures> seeds;
  for (size_t i = 0; i < count; ++i) {
    sim::Rng rng = sim::Rng::stream(first + i, stream);
    SeedFigures seed;
    seed.seed = first + i;
    for (int window = 0; window < 2; ++window) {
      seed.values.push_back(scale * static_cast<double>(100 + rng.below(200)));
    }
    seed.numerator = static_cast<double>(rng.below(5));
    seed.denominator = 2;
    seeds.push_back(std::move(seed));
  }
  return seeds;
}

const Figure kP99{"recovery p99", Figure::Kind::kQuantile, 99};
const Figure kRatio{"elections per fault", Figure::Kind::kRatioOfTotals, 0};

TEST(GatePairedComparison, NearestRankQuantileAndRatioOfTotals) {
  std::vector<SeedFigures> seeds(2);
  seeds[0].values = {5, 1, 3};
  seeds[1].values = {2, 4};
  seeds[0].numerator = 3;
  seeds[0].denominator = 2;
  seeds[1].numerator = 1;
  seeds[1].denominator = 2;
  EXPECT_EQ(figure_of({"p50", Figure::Kind::kQuantile, 50}, seeds), 3.0);  // rank 3 of 5
  EXPECT_EQ(figure_of({"p99", Figure::Kind::kQuantile, 99}, seeds), 5.0);
  EXPECT_EQ(figure_of(kRatio, seeds), 1.0);  // (3 + 1) / (2 + 2), not the mean of 1.5 and 0.5
  const std::vector<uint32_t> twice_first{0, 0};
  EXPECT_EQ(figure_of(kRatio, seeds, twice_first), 1.5);
  EXPECT_EQ(figure_of(kRatio, std::vector<SeedFigures>(1)), std::nullopt);
}

TEST(GatePairedComparison, PairsOnCommonSeedsOrNotAtAll) {
  const auto baseline = sample(1, 100, 1, 7);
  const Pairing same = pair_by_seed(baseline, sample(1, 100, 1, 8), 0.5);
  EXPECT_TRUE(same.paired);
  EXPECT_EQ(same.now.size(), 100u);
  const Pairing subset = pair_by_seed(baseline, sample(51, 100, 1, 8), 0.5);
  EXPECT_TRUE(subset.paired);  // seeds 51..100 are common: half of the 100 now
  EXPECT_EQ(subset.baseline.front(), 50u);
  EXPECT_EQ(subset.now.size(), 50u);
  const Pairing disjoint = pair_by_seed(baseline, sample(101, 80, 1, 8), 0.5);
  EXPECT_FALSE(disjoint.paired);
  EXPECT_EQ(disjoint.baseline.size(), 100u);
  EXPECT_EQ(disjoint.now.size(), 80u);
}

// Every value 1.5 times its seed's in the baseline: every resample's p99 grows by exactly 50%,
// so the interval is the point, and the gate fails at 10% but not at 60%.
TEST(GatePairedComparison, PairedScaledSampleGivesItsExactChange) {
  const auto baseline = sample(1, 200, 1, 7);
  const auto now = sample(1, 200, 1.5, 7);
  const Pairing pairing = pair_by_seed(baseline, now, 0.5);
  const FigureComparison result = compare_figure(kP99, baseline, now, pairing, {});
  ASSERT_TRUE(result.change && result.change_low && result.change_high);
  EXPECT_NEAR(*result.change, 0.5, 1e-12);
  EXPECT_NEAR(*result.change_low, 0.5, 1e-12);
  EXPECT_NEAR(*result.change_high, 0.5, 1e-12);
  EXPECT_LT(result.rank_test.p_greater, 1e-9);
  EXPECT_TRUE(is_regression(result, 0.10));
  EXPECT_FALSE(is_regression(result, 0.60));
}

// Two independent samples of the same distribution: the interval holds zero, no regression; the
// same inputs give the same interval (the bootstrap's generator has a fixed seed).
TEST(GatePairedComparison, SameDistributionUnpairedIsNoRegressionAndDeterministic) {
  const auto baseline = sample(1, 400, 1, 7);
  const auto now = sample(1001, 400, 1, 7);
  const Pairing pairing = pair_by_seed(baseline, now, 0.5);
  ASSERT_FALSE(pairing.paired);
  const FigureComparison first = compare_figure(kP99, baseline, now, pairing, {});
  ASSERT_TRUE(first.change_low && first.change_high);
  EXPECT_LE(*first.change_low, 0);
  EXPECT_GE(*first.change_high, 0);
  EXPECT_FALSE(is_regression(first, 0.0));
  const FigureComparison again = compare_figure(kP99, baseline, now, pairing, {});
  EXPECT_EQ(*again.change_low, *first.change_low);
  EXPECT_EQ(*again.change_high, *first.change_high);
  const FigureComparison ratio = compare_figure(kRatio, baseline, now, pairing, {});
  EXPECT_FALSE(is_regression(ratio, 0.0));
}

// A change that is large but not significant (few seeds, a noisy figure) is no regression.
TEST(GatePairedComparison, LargeButInsignificantChangeIsNoRegression) {
  FigureComparison comparison;
  comparison.change = 0.4;
  comparison.change_low = -0.1;
  comparison.change_high = 0.9;
  EXPECT_FALSE(is_regression(comparison, 0.1));
  comparison.change_low = 0.01;
  EXPECT_TRUE(is_regression(comparison, 0.1));
  comparison.change_low.reset();
  EXPECT_FALSE(is_regression(comparison, 0.1));
}

}  // namespace
}  // namespace electsim::reports
