#include "reports/paired_comparison.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/check.h"
#include "sim/prng.h"

namespace electsim::reports {
namespace {

// R's wilcox.test uses the exact null distribution below 50 values without ties.
constexpr size_t kExactLimit = 50;

// Ranks 1..n of `values`, tied values sharing their average rank; `tie_term` gets the sum of
// t^3 - t over the groups of t tied values (the variance's tie correction).
std::vector<double> average_ranks(std::span<const double> values, double& tie_term) {
  std::vector<uint32_t> order(values.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return values[a] < values[b]; });
  std::vector<double> ranks(values.size());
  tie_term = 0;
  for (size_t first = 0; first < order.size();) {
    size_t last = first;
    while (last + 1 < order.size() && values[order[last + 1]] == values[order[first]]) ++last;
    // Positions first..last (0-based) hold ranks first+1..last+1; their mean is the shared one.
    const double shared = (static_cast<double>(first + last) + 2) / 2;
    for (size_t i = first; i <= last; ++i) ranks[order[i]] = shared;
    const auto tied = static_cast<double>(last - first + 1);
    tie_term += tied * tied * tied - tied;
    first = last + 1;
  }
  return ranks;
}

// The normal approximation with R's continuity correction: p-values of `statistic` against a
// null mean and standard deviation.
void normal_p_values(double statistic, double mean, double sigma, RankTest& test) {
  if (sigma <= 0) return;  // every value tied: no evidence either way, both p stay 1
  const double centred = statistic - mean;
  const double sign = centred > 0 ? 1.0 : (centred < 0 ? -1.0 : 0.0);
  // normal_cdf(-z) rather than 1 - normal_cdf(z), which would round a far tail to zero.
  test.p_greater = normal_cdf(-(centred - 0.5) / sigma);
  const double z = (centred - sign * 0.5) / sigma;
  test.p_two_sided = std::min(1.0, 2 * std::min(normal_cdf(z), normal_cdf(-z)));
}

// The exact p-values from the null distribution's counts (counts[s]: the ways to reach the
// statistic s), R's psignrank / pwilcox convention for the two-sided value.
void exact_p_values(const std::vector<double>& counts, double statistic, RankTest& test) {
  const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
  const auto at = static_cast<size_t>(statistic);
  double at_or_above = 0;
  for (size_t s = at; s < counts.size(); ++s) at_or_above += counts[s];
  double at_or_below = 0;
  for (size_t s = 0; s <= at && s < counts.size(); ++s) at_or_below += counts[s];
  test.p_greater = at_or_above / total;
  const double mean = static_cast<double>(counts.size() - 1) / 2;  // the distribution is symmetric
  const double one_side = statistic > mean ? at_or_above : at_or_below;
  test.p_two_sided = std::min(1.0, 2 * one_side / total);
}

// Counts of the signed-rank statistic's values for n untied ranks: each subset of 1..n is
// equally likely to be the positive ones.
std::vector<double> signed_rank_counts(size_t n) {
  std::vector<double> counts(n * (n + 1) / 2 + 1, 0.0);
  counts[0] = 1;
  for (size_t rank = 1; rank <= n; ++rank) {
    for (size_t s = counts.size() - 1; s >= rank; --s) counts[s] += counts[s - rank];
  }
  return counts;
}

// Counts of the rank-sum statistic W for n_x and n_y untied values: each choice of x's ranks
// among 1..n_x+n_y is equally likely. ways[j][s]: j of the ranks so far chosen, summing to s.
std::vector<double> rank_sum_counts(size_t n_x, size_t n_y) {
  const size_t n = n_x + n_y;
  const size_t max_sum = n_x * n - n_x * (n_x - 1) / 2;
  std::vector<std::vector<double>> ways(n_x + 1, std::vector<double>(max_sum + 1, 0.0));
  ways[0][0] = 1;
  for (size_t rank = 1; rank <= n; ++rank) {
    for (size_t j = std::min(rank, n_x); j >= 1; --j) {
      for (size_t s = max_sum; s >= rank; --s) ways[j][s] += ways[j - 1][s - rank];
    }
  }
  const size_t offset = n_x * (n_x + 1) / 2;  // W = rank sum - offset
  return std::vector<double>(ways[n_x].begin() + static_cast<std::ptrdiff_t>(offset),
                             ways[n_x].end());
}

// Nearest rank (1-based) of `percent` among `count` values, as reports/recovery_distribution.cc.
size_t nearest_rank(uint32_t percent, size_t count) {
  const size_t scaled = (static_cast<size_t>(percent) * count + 99) / 100;
  return std::max<size_t>(scaled, 1);
}

std::optional<double> quantile_of(uint32_t percent, std::span<const SeedFigures> sample,
                                  std::span<const uint32_t> seeds) {
  std::vector<double> pooled;
  for (uint32_t index : seeds) {
    const auto& values = sample[index].values;
    pooled.insert(pooled.end(), values.begin(), values.end());
  }
  if (pooled.empty()) return std::nullopt;
  const auto nth = pooled.begin() + static_cast<std::ptrdiff_t>(
                                        nearest_rank(percent, pooled.size()) - 1);
  std::nth_element(pooled.begin(), nth, pooled.end());
  return *nth;
}

std::optional<double> ratio_of(std::span<const SeedFigures> sample,
                               std::span<const uint32_t> seeds) {
  double numerator = 0;
  double denominator = 0;
  for (uint32_t index : seeds) {
    numerator += sample[index].numerator;
    denominator += sample[index].denominator;
  }
  if (denominator == 0) return std::nullopt;
  return numerator / denominator;
}

std::optional<double> relative_change(std::optional<double> baseline, std::optional<double> now) {
  if (!baseline || !now || *baseline == 0) return std::nullopt;
  return *now / *baseline - 1;
}

std::vector<uint32_t> all_indices(size_t count) {
  std::vector<uint32_t> indices(count);
  std::iota(indices.begin(), indices.end(), 0u);
  return indices;
}

// The rank test on per-seed values of the seeds compared.
RankTest rank_test_of(const Figure& figure, std::span<const SeedFigures> baseline,
                      std::span<const SeedFigures> now, const Pairing& pairing) {
  if (pairing.paired) {
    std::vector<double> differences;
    for (size_t i = 0; i < pairing.baseline.size(); ++i) {
      const auto before = seed_value(figure, baseline[pairing.baseline[i]]);
      const auto after = seed_value(figure, now[pairing.now[i]]);
      if (before && after) differences.push_back(*after - *before);
    }
    return wilcoxon_signed_rank(differences);
  }
  std::vector<double> before;
  std::vector<double> after;
  for (uint32_t index : pairing.baseline) {
    if (auto value = seed_value(figure, baseline[index])) before.push_back(*value);
  }
  for (uint32_t index : pairing.now) {
    if (auto value = seed_value(figure, now[index])) after.push_back(*value);
  }
  return mann_whitney(after, before);
}

// Draws one bootstrap resample of the compared seeds into `picks_baseline` and `picks_now`:
// paired, the same positions on both sides; unpaired, each side on its own.
void resample(const Pairing& pairing, sim::Rng& rng, std::vector<uint32_t>& picks_baseline,
              std::vector<uint32_t>& picks_now) {
  if (pairing.paired) {
    for (size_t i = 0; i < pairing.baseline.size(); ++i) {
      const uint64_t position = rng.below(pairing.baseline.size());
      picks_baseline[i] = pairing.baseline[position];
      picks_now[i] = pairing.now[position];
    }
    return;
  }
  for (uint32_t& pick : picks_baseline) pick = pairing.baseline[rng.below(pairing.baseline.size())];
  for (uint32_t& pick : picks_now) pick = pairing.now[rng.below(pairing.now.size())];
}

// The percentile interval of the relative change over the bootstrap resamples.
void bootstrap_interval(const Figure& figure, std::span<const SeedFigures> baseline,
                        std::span<const SeedFigures> now, const Pairing& pairing,
                        const ComparisonOptions& options, FigureComparison& result) {
  if (pairing.baseline.empty() || pairing.now.empty() || options.resamples == 0) return;
  sim::Rng rng(options.rng_seed);
  std::vector<uint32_t> picks_baseline(pairing.baseline.size());
  std::vector<uint32_t> picks_now(pairing.now.size());
  std::vector<double> changes;
  changes.reserve(options.resamples);
  for (uint32_t r = 0; r < options.resamples; ++r) {
    resample(pairing, rng, picks_baseline, picks_now);
    const auto change = relative_change(figure_of(figure, baseline, picks_baseline),
                                        figure_of(figure, now, picks_now));
    if (change) changes.push_back(*change);
  }
  if (changes.size() * 2 < options.resamples) return;
  const auto not_larger = std::count_if(changes.begin(), changes.end(),
                                        [](double change) { return change <= 0; });
  result.p_not_larger = static_cast<double>(1 + not_larger) /
                        static_cast<double>(1 + changes.size());
  std::sort(changes.begin(), changes.end());
  // As many resamples left out below the interval as above it: (1 - confidence) / 2 of them.
  // The small epsilon keeps 0.005 * 1000 at 5 despite the binary fraction's rounding.
  const double tail_share = (1 - options.confidence) / 2;
  const auto tail = static_cast<size_t>(
      std::floor(tail_share * static_cast<double>(changes.size()) + 1e-9));
  SIM_CHECK_LT(2 * tail, changes.size(), "the interval keeps at least one resample");
  result.change_low = changes[tail];
  result.change_high = changes[changes.size() - 1 - tail];
}

}  // namespace

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

RankTest wilcoxon_signed_rank(std::span<const double> differences) {
  std::vector<double> magnitudes;
  std::vector<bool> positive;
  for (double difference : differences) {
    if (difference == 0) continue;
    magnitudes.push_back(std::fabs(difference));
    positive.push_back(difference > 0);
  }
  RankTest test;
  test.count = magnitudes.size();
  if (magnitudes.empty()) return test;
  double tie_term = 0;
  const std::vector<double> ranks = average_ranks(magnitudes, tie_term);
  for (size_t i = 0; i < ranks.size(); ++i) {
    if (positive[i]) test.statistic += ranks[i];
  }
  const auto n = static_cast<double>(test.count);
  const bool zeros = test.count < differences.size();
  test.exact = test.count < kExactLimit && tie_term == 0 && !zeros;
  if (test.exact) {
    exact_p_values(signed_rank_counts(test.count), test.statistic, test);
    return test;
  }
  const double sigma = std::sqrt(n * (n + 1) * (2 * n + 1) / 24 - tie_term / 48);
  normal_p_values(test.statistic, n * (n + 1) / 4, sigma, test);
  return test;
}

RankTest mann_whitney(std::span<const double> x, std::span<const double> y) {
  RankTest test;
  test.count = x.size() + y.size();
  if (x.empty() || y.empty()) return test;
  std::vector<double> both(x.begin(), x.end());
  both.insert(both.end(), y.begin(), y.end());
  double tie_term = 0;
  const std::vector<double> ranks = average_ranks(both, tie_term);
  const auto n_x = static_cast<double>(x.size());
  const auto n_y = static_cast<double>(y.size());
  const auto x_end = ranks.begin() + static_cast<std::ptrdiff_t>(x.size());
  const double x_rank_sum = std::accumulate(ranks.begin(), x_end, 0.0);
  test.statistic = x_rank_sum - n_x * (n_x + 1) / 2;
  test.exact = x.size() < kExactLimit && y.size() < kExactLimit && tie_term == 0;
  if (test.exact) {
    exact_p_values(rank_sum_counts(x.size(), y.size()), test.statistic, test);
    return test;
  }
  const double n = n_x + n_y;
  const double sigma = std::sqrt(n_x * n_y / 12 * ((n + 1) - tie_term / (n * (n - 1))));
  normal_p_values(test.statistic, n_x * n_y / 2, sigma, test);
  return test;
}

std::optional<double> figure_of(const Figure& figure, std::span<const SeedFigures> sample,
                                std::span<const uint32_t> seeds) {
  if (figure.kind == Figure::Kind::kQuantile) return quantile_of(figure.percent, sample, seeds);
  return ratio_of(sample, seeds);
}

std::optional<double> figure_of(const Figure& figure, std::span<const SeedFigures> sample) {
  return figure_of(figure, sample, all_indices(sample.size()));
}

std::optional<double> seed_value(const Figure& figure, const SeedFigures& seed) {
  if (figure.kind == Figure::Kind::kRatioOfTotals) {
    if (seed.denominator == 0) return std::nullopt;
    return seed.numerator / seed.denominator;
  }
  if (seed.values.empty()) return std::nullopt;
  return std::accumulate(seed.values.begin(), seed.values.end(), 0.0) /
         static_cast<double>(seed.values.size());
}

Pairing pair_by_seed(std::span<const SeedFigures> baseline, std::span<const SeedFigures> now,
                     double min_paired_share) {
  Pairing pairing;
  size_t b = 0;
  for (size_t n = 0; n < now.size(); ++n) {
    SIM_CHECK(n == 0 || now[n - 1].seed < now[n].seed, "samples are in ascending seed order");
    while (b < baseline.size() && baseline[b].seed < now[n].seed) ++b;
    if (b < baseline.size() && baseline[b].seed == now[n].seed) {
      pairing.baseline.push_back(static_cast<uint32_t>(b));
      pairing.now.push_back(static_cast<uint32_t>(n));
    }
  }
  const double share = now.empty() ? 0.0
                                   : static_cast<double>(pairing.now.size()) /
                                         static_cast<double>(now.size());
  pairing.paired = !pairing.now.empty() && share >= min_paired_share;
  if (!pairing.paired) {
    pairing.baseline = all_indices(baseline.size());
    pairing.now = all_indices(now.size());
  }
  return pairing;
}

FigureComparison compare_figure(const Figure& figure, std::span<const SeedFigures> baseline,
                                std::span<const SeedFigures> now, const Pairing& pairing,
                                const ComparisonOptions& options) {
  FigureComparison result;
  result.figure = figure.name;
  result.paired = pairing.paired;
  result.seeds_baseline = pairing.baseline.size();
  result.seeds_now = pairing.now.size();
  result.baseline = figure_of(figure, baseline, pairing.baseline);
  result.now = figure_of(figure, now, pairing.now);
  result.change = relative_change(result.baseline, result.now);
  result.rank_test = rank_test_of(figure, baseline, now, pairing);
  bootstrap_interval(figure, baseline, now, pairing, options, result);
  return result;
}

bool is_regression(const FigureComparison& comparison, double tolerance) {
  return comparison.change && *comparison.change > tolerance && comparison.change_low &&
         *comparison.change_low > 0;
}

}  // namespace electsim::reports
