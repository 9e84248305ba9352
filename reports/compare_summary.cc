#include "reports/compare_summary.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "reports/sweep_summary.h"
#include "sim/check.h"
#include "sim/prng.h"

namespace electsim::reports {
namespace {

bool judged(Verdict verdict) {
  return verdict != Verdict::kInternalError && verdict != Verdict::kBudgetExceeded;
}

void add_reasons(sim::checks::TransitionReasonCounts& total,
                 const sim::checks::TransitionReasonCounts& more) {
  for (size_t i = 0; i < total.by_reason.size(); ++i) total.by_reason[i] += more.by_reason[i];
  total.unresolved += more.unresolved;
}

// The nearest-rank quantile of sorted values, as recovery_distribution.h's percentiles.
sim::Duration nearest_rank(const std::vector<sim::Duration>& sorted, double share) {
  SIM_CHECK(!sorted.empty(), "a quantile of nothing");
  const auto rank = static_cast<size_t>(std::ceil(share * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

// The bootstrap intervals of p50, p90 and p99: each resample draws as many seeds as there are,
// with replacement, and pools their recovered windows.
struct PercentileIntervals {
  DurationInterval p50;
  DurationInterval p90;
  DurationInterval p99;
};
std::optional<PercentileIntervals> bootstrap_intervals(const std::vector<CompareSeed>& seeds) {
  std::vector<const CompareSeed*> judged_seeds;
  for (const CompareSeed& seed : seeds) {
    if (judged(seed.verdict)) judged_seeds.push_back(&seed);
  }
  if (judged_seeds.empty()) return std::nullopt;
  sim::Rng rng(kCompareBootstrapSeed);
  std::vector<sim::Duration> p50s, p90s, p99s, pooled;
  for (uint32_t resample = 0; resample < kBootstrapResamples; ++resample) {
    pooled.clear();
    for (size_t i = 0; i < judged_seeds.size(); ++i) {
      const CompareSeed& seed = *judged_seeds[rng.below(judged_seeds.size())];
      pooled.insert(pooled.end(), seed.recovery.begin(), seed.recovery.end());
    }
    if (pooled.empty()) continue;
    const Percentiles figures = percentiles(pooled);
    p50s.push_back(figures.p50);
    p90s.push_back(figures.p90);
    p99s.push_back(figures.p99);
  }
  // Fewer than half the resamples with a window: too few to say anything.
  if (p50s.size() * 2 < kBootstrapResamples) return std::nullopt;
  const double tail = (1 - kIntervalConfidence) / 2;
  auto interval = [tail](std::vector<sim::Duration>& values) {
    std::sort(values.begin(), values.end());
    return DurationInterval{nearest_rank(values, tail), nearest_rank(values, 1 - tail)};
  };
  return PercentileIntervals{interval(p50s), interval(p90s), interval(p99s)};
}

void add_leadership_figures(const CompareSeed& seed, VariantSummary& summary,
                            uint64_t& counted_messages, uint64_t& counted_elections) {
  summary.leaderless_total += seed.leaderless;
  summary.leader_changes += seed.leader_changes;
  add_reasons(summary.reasons, seed.reasons);
  summary.overlaps += seed.overlaps;
  summary.overlap_length += seed.overlap_length;
  if (seed.stale_writes) {
    summary.stale_writes = summary.stale_writes.value_or(0) + *seed.stale_writes;
  }
  if (seed.election_messages) {
    counted_messages += *seed.election_messages;
    counted_elections += seed.leader_changes;
  }
}

// The median of sorted values (the mean of the middle two for an even count; infinities kept).
double median_of_sorted(const std::vector<double>& sorted) {
  const size_t middle = sorted.size() / 2;
  if (sorted.size() % 2 == 1) return sorted[middle];
  const double low = sorted[middle - 1];
  const double high = sorted[middle];
  if (std::isinf(low) || std::isinf(high)) return std::isinf(low) ? low : high;
  return (low + high) / 2;
}

// Differences second - first with +-infinity (a recovery against none) replaced by a finite
// value beyond every finite one, so that the signed-rank test ranks them largest, tied.
std::vector<double> rankable(const std::vector<double>& differences) {
  double largest = 0;
  for (double d : differences) {
    if (std::isfinite(d)) largest = std::max(largest, std::abs(d));
  }
  const double beyond = largest + 1;
  std::vector<double> out;
  out.reserve(differences.size());
  for (double d : differences) out.push_back(std::isfinite(d) ? d : std::copysign(beyond, d));
  return out;
}

PairComparison compare_pair(const std::vector<CompareVariant>& variants, size_t first,
                            size_t second) {
  PairComparison pair;
  pair.first = first;
  pair.second = second;
  const auto& a = variants[first].seeds();
  const auto& b = variants[second].seeds();
  SIM_CHECK_EQ(a.size(), b.size(), "compared variants ran the same seeds");
  std::vector<double> differences;
  for (size_t i = 0; i < a.size(); ++i) {
    SIM_CHECK_EQ(a[i].seed, b[i].seed, "compared variants ran the same seeds in order");
    const auto x = paired_recovery_value(a[i]);
    const auto y = paired_recovery_value(b[i]);
    if (!x || !y) continue;
    // Both unrecovered is a tie, not infinity minus infinity.
    differences.push_back(std::isinf(*x) && std::isinf(*y) ? 0.0 : *y - *x);
  }
  pair.seeds = differences.size();
  if (differences.empty()) return pair;
  pair.test = wilcoxon_signed_rank(rankable(differences));
  std::sort(differences.begin(), differences.end());
  pair.median_difference_ns = median_of_sorted(differences);
  return pair;
}

}  // namespace

CompareSeed compare_seed_of(const RunResult& run) {
  CompareSeed seed;
  seed.seed = run.seed;
  seed.verdict = run.verdict;
  seed.recovery = run.checks.recovery;
  seed.unrecovered = run.checks.unrecovered;
  if (run.leadership) seed.leaderless = run.leadership->leaderless_since_first_fault;
  seed.leader_changes = run.checks.leader_changes;
  seed.reasons = run.checks.transition_reasons;
  seed.overlaps = run.checks.overlaps.size() + run.checks.overlaps_dropped;
  for (const auto& overlap : run.checks.overlaps) seed.overlap_length += overlap.duration;
  if (run.checks.writes) seed.stale_writes = run.checks.writes->stale_writes_accepted;
  seed.election_messages = run.election_messages_sent;
  return seed;
}

CompareVariant::CompareVariant(std::string label, std::string algorithm)
    : label_(std::move(label)), algorithm_(std::move(algorithm)) {}

void CompareVariant::add(const RunResult& run) {
  SIM_CHECK(seeds_.empty() || run.seed > seeds_.back().seed, "runs arrive in seed order");
  if (seeds_.empty()) params_ = run.params;
  seeds_.push_back(compare_seed_of(run));
  switch (run.verdict) {
    case Verdict::kPass: return;
    case Verdict::kSafetyViolation:
      ++safety_failures_;
      if (!first_safety_seed_) first_safety_seed_ = run.seed;
      break;
    case Verdict::kLivenessViolation:
      ++liveness_failures_;
      if (!first_liveness_seed_) first_liveness_seed_ = run.seed;
      break;
    case Verdict::kInternalError: ++internal_errors_; break;
    case Verdict::kBudgetExceeded: ++budget_exceeded_; break;
  }
  if (failures_.size() < kMaxFailures) {
    failures_.push_back(CompareFailure{run.seed, run.verdict, failure_text(run), run.reproduce});
  }
}

uint64_t CompareVariant::worst_seed() const {
  SIM_CHECK(!seeds_.empty(), "a variant with no runs has no worst run");
  if (!failures_.empty()) return failures_.front().seed;
  const CompareSeed* worst = &seeds_.front();
  sim::Duration longest = sim::Duration::zero();
  for (const CompareSeed& seed : seeds_) {
    for (sim::Duration window : seed.recovery) {
      if (window > longest) {
        longest = window;
        worst = &seed;
      }
    }
  }
  return worst->seed;
}

Verdict CompareVariant::verdict() const {
  if (internal_errors_ > 0) return Verdict::kInternalError;
  if (safety_failures_ > 0) return Verdict::kSafetyViolation;
  if (liveness_failures_ > 0) return Verdict::kLivenessViolation;
  if (budget_exceeded_ > 0) return Verdict::kBudgetExceeded;
  return Verdict::kPass;
}

VariantSummary summarize_variant(const CompareVariant& variant) {
  VariantSummary summary;
  summary.label = variant.label();
  summary.algorithm = variant.algorithm();
  summary.runs = variant.seeds().size();
  RecoveryDistribution distribution;
  uint64_t counted_messages = 0;
  uint64_t counted_elections = 0;
  for (const CompareSeed& seed : variant.seeds()) {
    for (sim::Duration window : seed.recovery) distribution.add(window);
    distribution.add_unrecovered(seed.unrecovered);
    add_leadership_figures(seed, summary, counted_messages, counted_elections);
  }
  summary.recovery = distribution.percentiles();
  if (const auto intervals = bootstrap_intervals(variant.seeds())) {
    summary.p50_interval = intervals->p50;
    summary.p90_interval = intervals->p90;
    summary.p99_interval = intervals->p99;
  }
  if (summary.runs > 0) {
    summary.leaderless_per_run = sim::Duration::nanoseconds(
        summary.leaderless_total.ns() / static_cast<int64_t>(summary.runs));
  }
  if (counted_elections > 0) {
    summary.messages_per_election =
        static_cast<double>(counted_messages) / static_cast<double>(counted_elections);
  }
  summary.safety_failures = variant.safety_failures();
  summary.first_safety_seed = variant.first_safety_seed();
  summary.liveness_failures = variant.liveness_failures();
  summary.first_liveness_seed = variant.first_liveness_seed();
  summary.internal_errors = variant.internal_errors();
  summary.budget_exceeded = variant.budget_exceeded();
  return summary;
}

std::optional<double> paired_recovery_value(const CompareSeed& seed) {
  if (!judged(seed.verdict)) return std::nullopt;
  if (seed.unrecovered > 0) return std::numeric_limits<double>::infinity();
  if (seed.recovery.empty()) return std::nullopt;
  double total = 0;
  for (sim::Duration window : seed.recovery) total += static_cast<double>(window.ns());
  return total / static_cast<double>(seed.recovery.size());
}

std::optional<size_t> faster_variant(const PairComparison& pair) {
  if (!pair.significant) return std::nullopt;
  const double count = static_cast<double>(pair.test.count);
  const double null_mean = count * (count + 1) / 4;
  if (pair.test.statistic == null_mean) return std::nullopt;
  return pair.test.statistic > null_mean ? pair.first : pair.second;
}

std::vector<double> holm_adjust(const std::vector<double>& p_values) {
  const size_t m = p_values.size();
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return p_values[x] < p_values[y]; });
  std::vector<double> adjusted(m);
  double running = 0;
  for (size_t k = 0; k < m; ++k) {
    const double scaled = static_cast<double>(m - k) * p_values[order[k]];
    running = std::max(running, std::min(1.0, scaled));
    adjusted[order[k]] = running;
  }
  return adjusted;
}

std::vector<PairComparison> compare_pairs(const std::vector<CompareVariant>& variants) {
  std::vector<PairComparison> pairs;
  for (size_t i = 0; i < variants.size(); ++i) {
    for (size_t j = i + 1; j < variants.size(); ++j) {
      pairs.push_back(compare_pair(variants, i, j));
    }
  }
  std::vector<double> p_values;
  p_values.reserve(pairs.size());
  for (const PairComparison& pair : pairs) p_values.push_back(pair.test.p_two_sided);
  const std::vector<double> adjusted = holm_adjust(p_values);
  for (size_t k = 0; k < pairs.size(); ++k) {
    pairs[k].p_holm = adjusted[k];
    pairs[k].significant = pairs[k].seeds > 0 && adjusted[k] <= kSignificanceLevel;
  }
  return pairs;
}

Verdict compare_verdict(const std::vector<CompareVariant>& variants) {
  bool safety = false, liveness = false, budget = false;
  for (const CompareVariant& variant : variants) {
    switch (variant.verdict()) {
      case Verdict::kInternalError: return Verdict::kInternalError;
      case Verdict::kSafetyViolation: safety = true; break;
      case Verdict::kLivenessViolation: liveness = true; break;
      case Verdict::kBudgetExceeded: budget = true; break;
      case Verdict::kPass: break;
    }
  }
  if (safety) return Verdict::kSafetyViolation;
  if (liveness) return Verdict::kLivenessViolation;
  if (budget) return Verdict::kBudgetExceeded;
  return Verdict::kPass;
}

}  // namespace electsim::reports
