#include "reports/recovery_distribution.h"

#include <algorithm>
#include <bit>

#include "sim/check.h"

namespace electsim::reports {
namespace {

constexpr uint32_t kSubBuckets = 1u << RecoveryDistribution::kSubBucketBits;
// Values below kSubBuckets have a bucket each; every higher power of two has kSubBuckets.
constexpr uint32_t kBucketCount = kSubBuckets * (64 - RecoveryDistribution::kSubBucketBits + 1);

// Nearest rank: the smallest value with at least `percent`% of the values at or below it.
uint64_t nearest_rank(uint64_t percent, uint64_t count) {
  const unsigned __int128 scaled = static_cast<unsigned __int128>(percent) * count + 99;
  return std::max<uint64_t>(static_cast<uint64_t>(scaled / 100), 1);
}

Percentiles percentiles_of_sorted(const std::vector<sim::Duration>& values) {
  Percentiles result;
  result.count = values.size();
  if (values.empty()) return result;
  const uint64_t n = values.size();
  result.p50 = values[nearest_rank(50, n) - 1];
  result.p90 = values[nearest_rank(90, n) - 1];
  result.p99 = values[nearest_rank(99, n) - 1];
  result.max = values.back();
  return result;
}

}  // namespace

Percentiles percentiles(std::vector<sim::Duration> values) {
  std::sort(values.begin(), values.end());
  return percentiles_of_sorted(values);
}

uint32_t RecoveryDistribution::bucket_of(int64_t ns) {
  const auto value = static_cast<uint64_t>(std::max<int64_t>(ns, 0));
  if (value < kSubBuckets) return static_cast<uint32_t>(value);
  const int top_bit = std::bit_width(value) - 1;  // >= kSubBucketBits
  const int shift = top_bit - kSubBucketBits;
  const auto sub = static_cast<uint32_t>((value >> shift) & (kSubBuckets - 1));
  return static_cast<uint32_t>(shift + 1) * kSubBuckets + sub;
}

int64_t RecoveryDistribution::middle_of(uint32_t bucket) {
  if (bucket < kSubBuckets) return bucket;
  const uint32_t shift = bucket / kSubBuckets - 1;
  const uint64_t lower = static_cast<uint64_t>(kSubBuckets + bucket % kSubBuckets) << shift;
  const uint64_t width = uint64_t{1} << shift;
  return static_cast<int64_t>(lower + width / 2);
}

void RecoveryDistribution::add(sim::Duration value) {
  SIM_CHECK_GE(value, sim::Duration::zero(), "a recovery time is never negative");
  ++count_;
  max_ = std::max(max_, value);
  if (!buckets_.empty()) {
    ++buckets_[bucket_of(value.ns())];
    return;
  }
  exact_.push_back(value);
  if (exact_.size() > kExactLimit) switch_to_histogram();
}

void RecoveryDistribution::switch_to_histogram() {
  buckets_.assign(kBucketCount, 0);
  for (sim::Duration value : exact_) ++buckets_[bucket_of(value.ns())];
  std::vector<sim::Duration>().swap(exact_);  // gives the memory back
}

sim::Duration RecoveryDistribution::histogram_rank(uint64_t rank) const {
  uint64_t seen = 0;
  for (uint32_t bucket = 0; bucket < buckets_.size(); ++bucket) {
    seen += buckets_[bucket];
    if (seen >= rank) {
      return std::min(sim::Duration::nanoseconds(middle_of(bucket)), max_);
    }
  }
  return max_;
}

Percentiles RecoveryDistribution::percentiles() {
  if (buckets_.empty()) {
    std::sort(exact_.begin(), exact_.end());
    Percentiles result = percentiles_of_sorted(exact_);
    result.unrecovered = unrecovered_;
    return result;
  }
  Percentiles result;
  result.count = count_;
  result.unrecovered = unrecovered_;
  result.approximate = true;
  result.p50 = histogram_rank(nearest_rank(50, count_));
  result.p90 = histogram_rank(nearest_rank(90, count_));
  result.p99 = histogram_rank(nearest_rank(99, count_));
  result.max = max_;
  return result;
}

}  // namespace electsim::reports
