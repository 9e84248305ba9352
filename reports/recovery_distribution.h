// The recovery times of a sweep, in memory that does not grow with the number of seeds: exact
// values up to kExactLimit of them, then a log-bucketed histogram whose percentiles are within
// kRelativeError of the true ones (the maximum and the count stay exact).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/time.h"

namespace electsim::reports {

struct Percentiles {
  sim::Duration p50;
  sim::Duration p90;
  sim::Duration p99;
  sim::Duration max;
  uint64_t count = 0;        // recovered windows, which the percentiles are over
  uint64_t unrecovered = 0;  // windows the runs ended in without recovering: in no percentile
  bool approximate = false;  // from the histogram: each percentile within kRelativeError
};

// Nearest-rank percentiles of `values` (sorted or not); all zero when empty.
Percentiles percentiles(std::vector<sim::Duration> values);

class RecoveryDistribution {
 public:
  // 4 Mi values (32 MB) are kept exactly; beyond that, the histogram (58 KB).
  static constexpr uint64_t kExactLimit = uint64_t{1} << 22;
  // Buckets split each power of two into 2^kSubBucketBits equal parts, so a bucket is at most
  // 1/128 of its lower bound wide; a percentile is reported as its bucket's middle.
  static constexpr int kSubBucketBits = 7;
  static constexpr double kRelativeError = 1.0 / (2 << kSubBucketBits);  // 1/256, 0.39%

  void add(sim::Duration value);
  // Windows that never recovered (CheckResults::unrecovered): counted, never a recovery time, so
  // a livelocked run cannot stretch the percentiles with a leader the end of the run cut off.
  void add_unrecovered(uint64_t windows) { unrecovered_ += windows; }
  uint64_t count() const { return count_; }
  uint64_t unrecovered() const { return unrecovered_; }
  bool approximate() const { return !buckets_.empty(); }
  // Sorts the exact values in place (hence not const).
  Percentiles percentiles();

  // For tests: the histogram's bucket of a value and that bucket's reported value.
  static uint32_t bucket_of(int64_t ns);
  static int64_t middle_of(uint32_t bucket);

 private:
  void switch_to_histogram();
  sim::Duration histogram_rank(uint64_t rank) const;

  std::vector<sim::Duration> exact_;
  std::vector<uint64_t> buckets_;  // empty while exact
  uint64_t count_ = 0;
  uint64_t unrecovered_ = 0;
  sim::Duration max_;
};

}  // namespace electsim::reports
