// `electsim compare` (issue 13): several algorithms (or several values of one parameter) run on
// the same seeds, so that each seed gives each of them the same fault schedule, and the figures
// of each side by side. A variant keeps a few numbers per seed, never the runs, so 1,000 seeds of
// nine algorithms take a few megabytes.
//
// The statistics, each from its reference:
// - recovery percentiles are nearest-rank over every recovered window of every seed, as a sweep
//   reports them (reports/recovery_distribution.h); their 95% intervals are bootstrap percentile
//   intervals that resample whole seeds with replacement (Efron & Tibshirani, "An Introduction
//   to the Bootstrap", 1993, ch. 13), drawn from electsim's own generator with a fixed seed. The
//   maximum gets no interval: a resample's maximum is the sample's own with probability
//   1 - (1 - 1/n)^n (about 63%) and never above it, so the interval would say nothing about how
//   much longer the slowest recovery could be.
// - each pair of variants is compared seed by seed with the Wilcoxon signed-rank test
//   (reports/paired_comparison.h) on one figure per seed: the mean of the seed's recovered
//   windows, or "unrecovered" (ranked slower than any recovery) when a window of the seed never
//   recovered. The mean, as the regression gate's per-seed value, so that a seed with two faults
//   weighs as much as a seed with one; seeds where a variant has no window (no fault disrupted
//   it) or was not judged (internal error, budget) are left out of that pair.
// - the pairs are many tests at once, so their p-values are adjusted by Holm's step-down method
//   (S. Holm, "A simple sequentially rejective multiple test procedure", Scandinavian Journal of
//   Statistics 6:65-70, 1979; R's p.adjust(method = "holm")), which keeps the chance of any false
//   "significant" among all pairs at most kSignificanceLevel, whatever the dependence between
//   the tests.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/paired_comparison.h"
#include "reports/recovery_distribution.h"
#include "reports/run_result.h"
#include "sim/time.h"

namespace electsim::reports {

inline constexpr double kSignificanceLevel = 0.05;  // family-wise, over all pairs (Holm)
inline constexpr double kIntervalConfidence = 0.95;
inline constexpr uint32_t kBootstrapResamples = 1000;
inline constexpr uint64_t kCompareBootstrapSeed = 13;  // issue 13; fixed, so intervals are too

// What one run adds to a comparison.
struct CompareSeed {
  uint64_t seed = 0;
  Verdict verdict = Verdict::kPass;
  std::vector<sim::Duration> recovery;  // the recovered windows, in time order
  uint64_t unrecovered = 0;
  sim::Duration leaderless;  // since the first fault (LeadershipFigures)
  uint64_t leader_changes = 0;
  sim::checks::TransitionReasonCounts reasons;
  uint64_t overlaps = 0;         // listed and dropped
  sim::Duration overlap_length;  // of the listed ones (the first kMaxOverlaps)
  std::optional<uint64_t> stale_writes;       // nullopt: the run had no resource
  std::optional<uint64_t> election_messages;  // nullopt: the family has no count
};
CompareSeed compare_seed_of(const RunResult& run);

// A failing seed as the comparison reports it.
struct CompareFailure {
  uint64_t seed = 0;
  Verdict verdict = Verdict::kPass;
  std::string what;       // failure_text(run)
  std::string reproduce;  // the run's reproduce command
};

// One row of the comparison: an algorithm, or one value of a varied parameter.
class CompareVariant {
 public:
  static constexpr size_t kMaxFailures = 20;  // failures listed per variant; all are counted

  CompareVariant(std::string label, std::string algorithm);

  // Runs arrive in seed order.
  void add(const RunResult& run);

  const std::string& label() const { return label_; }
  const std::string& algorithm() const { return algorithm_; }
  // The resolved parameters (from the first run) and a reproduce command of that run.
  const std::vector<RunParam>& params() const { return params_; }
  const std::vector<CompareSeed>& seeds() const { return seeds_; }
  const std::vector<CompareFailure>& failures() const { return failures_; }
  uint64_t safety_failures() const { return safety_failures_; }
  uint64_t liveness_failures() const { return liveness_failures_; }
  uint64_t internal_errors() const { return internal_errors_; }
  uint64_t budget_exceeded() const { return budget_exceeded_; }
  std::optional<uint64_t> first_safety_seed() const { return first_safety_seed_; }
  std::optional<uint64_t> first_liveness_seed() const { return first_liveness_seed_; }
  // The seed to show as this variant's worst run: its first failing seed, else the seed with
  // the longest recovered window (the first of equals), else its first seed.
  uint64_t worst_seed() const;
  Verdict verdict() const;  // as a sweep's, over this variant's runs

 private:
  std::string label_;
  std::string algorithm_;
  std::vector<RunParam> params_;
  std::vector<CompareSeed> seeds_;
  std::vector<CompareFailure> failures_;
  uint64_t safety_failures_ = 0;
  uint64_t liveness_failures_ = 0;
  uint64_t internal_errors_ = 0;
  uint64_t budget_exceeded_ = 0;
  std::optional<uint64_t> first_safety_seed_;
  std::optional<uint64_t> first_liveness_seed_;
};

// A 95% bootstrap interval of a duration figure.
struct DurationInterval {
  sim::Duration low;
  sim::Duration high;
};

// The summary row of a variant.
struct VariantSummary {
  std::string label;
  std::string algorithm;
  uint64_t runs = 0;
  Percentiles recovery;  // p50, p90, p99, max over the recovered windows; unrecovered counted
  std::optional<DurationInterval> p50_interval;  // nullopt without recovered windows
  std::optional<DurationInterval> p90_interval;
  std::optional<DurationInterval> p99_interval;
  sim::Duration leaderless_total;     // since each run's first fault, over all runs
  sim::Duration leaderless_per_run;   // the mean per run (truncated to the nanosecond)
  uint64_t leader_changes = 0;
  sim::checks::TransitionReasonCounts reasons;
  uint64_t overlaps = 0;
  sim::Duration overlap_length;
  std::optional<uint64_t> stale_writes;  // nullopt: no run had a resource
  // Election messages over elections (leader changes), as totals over the runs that count
  // them; nullopt when none does (the lease recipes elect through the service) or none elected.
  std::optional<double> messages_per_election;
  uint64_t safety_failures = 0;
  std::optional<uint64_t> first_safety_seed;
  uint64_t liveness_failures = 0;
  std::optional<uint64_t> first_liveness_seed;
  uint64_t internal_errors = 0;
  uint64_t budget_exceeded = 0;
};
VariantSummary summarize_variant(const CompareVariant& variant);

// The per-seed figure the pairwise test compares (see the top of this file): the mean recovery
// in nanoseconds, +infinity when a window never recovered, nullopt when the seed has no window
// or was not judged.
std::optional<double> paired_recovery_value(const CompareSeed& seed);

// One pair of variants compared on their common seeds.
struct PairComparison {
  size_t first = 0;   // variant indices, first < second
  size_t second = 0;
  size_t seeds = 0;   // seeds where both have a value
  RankTest test;      // on second - first
  // The median of (second - first) over those seeds, in nanoseconds; +-infinity when more than
  // half the differences are a recovery against no recovery; nullopt without seeds.
  std::optional<double> median_difference_ns;
  double p_holm = 1;  // the two-sided p-value adjusted by Holm's method over all pairs
  bool significant = false;  // p_holm <= kSignificanceLevel
};
// Every pair (i < j) in order: (0,1), (0,2), ..., (1,2), ...
std::vector<PairComparison> compare_pairs(const std::vector<CompareVariant>& variants);

// The faster side of a significant pair (its variant index), as the signed-rank statistic points:
// V, the sum of the ranks of the positive differences second - first, above its null mean
// n(n+1)/4 means the second tends slower. It decides even where the median difference is zero.
// nullopt when the pair is not significant or V sits at the null mean.
std::optional<size_t> faster_variant(const PairComparison& pair);

// Holm's adjusted p-values, position by position (R's p.adjust(p, "holm")).
std::vector<double> holm_adjust(const std::vector<double>& p_values);

// The comparison's verdict over every run of every variant, with the sweep's precedence
// (internal error, safety, liveness, budget, pass).
Verdict compare_verdict(const std::vector<CompareVariant>& variants);

}  // namespace electsim::reports
