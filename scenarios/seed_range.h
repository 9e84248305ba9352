// A range of seeds, both ends inclusive (first <= last): 0..2^64-1 is a valid range of 2^64
// seeds, so code that counts them works with offsets from `first`, never with last - first + 1.
// A sweep runs a slice of a range: all of it, or one shard's every N-th seed.
#pragma once

#include <cstdint>
#include <optional>

namespace electsim::scenarios {

struct SeedRange {
  uint64_t first = 0;
  uint64_t last = 0;
};

// The seeds first, first + stride, first + 2 * stride, ... up to last (first <= last,
// stride >= 1). Offsets count seeds of the slice from 0, as SeedRange's do.
struct SeedSlice {
  uint64_t first = 0;
  uint64_t last = 0;
  uint64_t stride = 1;

  uint64_t last_offset() const { return (last - first) / stride; }
  uint64_t seed_at(uint64_t offset) const { return first + offset * stride; }
  uint64_t final_seed() const { return seed_at(last_offset()); }
  // The slice's seeds after `seed` (one of them), or nullopt if `seed` is the last.
  std::optional<SeedSlice> after(uint64_t seed) const {
    if (seed >= final_seed()) return std::nullopt;
    return SeedSlice{seed + stride, last, stride};
  }
};

inline SeedSlice whole(SeedRange range) { return SeedSlice{range.first, range.last, 1}; }

// `--shard K/N`: the K-th (1-based) of N disjoint slices of a range.
struct Shard {
  uint64_t index = 1;
  uint64_t count = 1;
};

// Shard K of N holds every N-th seed starting at the range's K-th: seeds first + K - 1,
// first + K - 1 + N, ... Every N-th rather than contiguous blocks, so that the slow seeds (which
// come in runs where a scenario's parameters change little from seed to seed) spread over all
// shards, and all shards finish together. Nullopt if the shard holds no seed (a range of fewer
// than K seeds).
inline std::optional<SeedSlice> shard_slice(SeedRange range, Shard shard) {
  const uint64_t skip = shard.index - 1;
  if (range.last - range.first < skip) return std::nullopt;
  return SeedSlice{range.first + skip, range.last, shard.count};
}

}  // namespace electsim::scenarios
