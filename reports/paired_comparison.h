// Comparing two sweeps' figures seed by seed: the statistics behind `electsim sweep --baseline`
// (issue 14's regression gate) and, later, `electsim compare` (issue 13), kept in one place.
//
// A sweep is a sample of independent seeds. Where two sweeps ran the same seeds they ran the same
// fault schedules, so their figures are compared in pairs, seed against seed, which removes the
// variation between schedules from the comparison; otherwise as two independent samples.
//
// Two methods, each from its reference:
// - the Wilcoxon signed-rank test (paired) and the Wilcoxon-Mann-Whitney rank-sum test
//   (unpaired) on per-seed values, as R's stats::wilcox.test computes them: exact p-values below
//   50 values without ties, else the normal approximation with the tie correction and a
//   continuity correction (Hollander & Wolfe, "Nonparametric Statistical Methods", 1973, §3.1 and
//   §4.1);
// - a bootstrap percentile interval for the relative change of a sweep-wide figure (a quantile of
//   all recovery windows, a ratio of totals), resampling whole seeds with replacement: the same
//   seeds for both sweeps when paired, each sweep's own when not (Efron & Tibshirani, "An
//   Introduction to the Bootstrap", 1993, ch. 13; Davison & Hinkley 1997, eq. 5.18). Its draws
//   come from electsim's own generator with a fixed seed, so the same inputs give the same
//   interval on every build.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace electsim::reports {

// A rank test's outcome. `p_greater` is for "the second sample (or the differences) tends
// larger", `p_two_sided` for "they differ either way".
struct RankTest {
  double statistic = 0;  // V (signed-rank: the sum of positive ranks) or W (rank-sum of x)
  size_t count = 0;      // the values ranked (signed-rank: nonzero differences)
  bool exact = false;    // from the exact null distribution, else the normal approximation
  double p_greater = 1;
  double p_two_sided = 1;
};

// Signed-rank test of differences (now - baseline, one per seed): zeros are dropped, tied
// magnitudes share their average rank. With no nonzero difference both p-values are 1.
RankTest wilcoxon_signed_rank(std::span<const double> differences);
// Rank-sum test of `x` against `y`; `p_greater` is for x tending larger than y. The statistic is
// W = (sum of x's ranks) - n_x (n_x + 1) / 2, as R reports it.
RankTest mann_whitney(std::span<const double> x, std::span<const double> y);

// The probability that a standard normal variable is at most z.
double normal_cdf(double z);

// What one seed adds to a sweep-wide figure: values pooled over all seeds (for a quantile of
// them), and a numerator and a denominator summed over all seeds (for a ratio of totals).
struct SeedFigures {
  uint64_t seed = 0;
  std::vector<double> values;
  double numerator = 0;
  double denominator = 0;
};

// How a sweep-wide figure is made from its seeds.
struct Figure {
  enum class Kind { kQuantile, kRatioOfTotals };
  std::string name;  // "recovery p99", for tables
  Kind kind = Kind::kQuantile;
  // For kQuantile: the nearest-rank percentile, as reports/recovery_distribution.h computes it
  // (integer arithmetic, so no rounding decides a rank).
  uint32_t percent = 50;
};

// The figure over `seeds` (indices into `sample`, repeats allowed), or nullopt when it is not
// defined: no values for a quantile, a zero denominator for a ratio.
std::optional<double> figure_of(const Figure& figure, std::span<const SeedFigures> sample,
                                std::span<const uint32_t> seeds);
// The figure over every seed of `sample`.
std::optional<double> figure_of(const Figure& figure, std::span<const SeedFigures> sample);

// The per-seed value the rank tests use: the mean of the seed's values for a quantile figure,
// its numerator over its denominator for a ratio; nullopt when the seed has none.
std::optional<double> seed_value(const Figure& figure, const SeedFigures& seed);

struct ComparisonOptions {
  double confidence = 0.99;  // of the bootstrap interval
  uint32_t resamples = 1000;
  uint64_t rng_seed = 14;    // the bootstrap's draws; fixed, so that the outcome is too
  // Pair the sweeps when at least this share of the newer sweep's seeds are in the baseline
  // (then only the common seeds are compared); otherwise compare them unpaired.
  double min_paired_share = 0.5;
};

// Which seeds of the two samples are compared and how.
struct Pairing {
  bool paired = false;
  // Paired: the indices of the common seeds in each sample, position by position. Unpaired:
  // every index of each sample.
  std::vector<uint32_t> baseline;
  std::vector<uint32_t> now;
};
// Both samples in ascending seed order.
Pairing pair_by_seed(std::span<const SeedFigures> baseline, std::span<const SeedFigures> now,
                     double min_paired_share);

// The comparison of one figure between a baseline sweep and the sweep now.
struct FigureComparison {
  std::string figure;
  std::optional<double> baseline;
  std::optional<double> now;
  // now / baseline - 1; nullopt when either figure is undefined or the baseline's is zero.
  std::optional<double> change;
  // The bootstrap percentile interval of `change` at options.confidence; nullopt when too few
  // resamples gave a defined change (fewer than half).
  std::optional<double> change_low;
  std::optional<double> change_high;
  // The bootstrap's one-sided p-value for "not larger now": (1 + the resamples whose change is
  // at most zero) / (1 + the resamples), Davison & Hinkley 1997 eq. 4.11's Monte Carlo form;
  // below (1 - confidence) / 2 exactly when the interval lies above zero, give or take one
  // resample. nullopt with the interval.
  std::optional<double> p_not_larger;
  // A rank test on per-seed values (signed-rank when paired, rank-sum when not); p_greater reads
  // "now is larger". It asks another question than the interval (does the typical seed's value
  // move, rather than the sweep-wide figure), so a tail that grows can leave it unmoved.
  RankTest rank_test;
  bool paired = false;
  size_t seeds_baseline = 0;  // the seeds compared on each side
  size_t seeds_now = 0;
};

FigureComparison compare_figure(const Figure& figure, std::span<const SeedFigures> baseline,
                                std::span<const SeedFigures> now, const Pairing& pairing,
                                const ComparisonOptions& options);

// Whether a comparison of a figure where larger is worse shows a regression beyond `tolerance`
// (0.1 for 10%): the change is above the tolerance and the interval lies wholly above zero, so
// it is both large enough to matter and unlikely to be chance.
bool is_regression(const FigureComparison& comparison, double tolerance);

}  // namespace electsim::reports
