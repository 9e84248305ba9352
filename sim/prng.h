// electsim's own pseudo-random numbers (STYLE.md 5). The generator and every distribution are
// implemented here so that a seed gives the same draws with any compiler and standard library;
// <random>'s distributions are implementation-defined (BUILD-NOTES.md §7).
//
// xoshiro256** (Blackman & Vigna) seeded through splitmix64. Named streams are derived from
// (seed, stream id) so that a draw in one stream never shifts another.
#pragma once

#include <bit>
#include <cstdint>
#include <string_view>

#include "absl/status/statusor.h"
#include "sim/time.h"

namespace electsim::sim {

struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

// An exact probability num/den, 0 <= num <= den. Parsed from "0.01", "1%", "1/100" or "0".
struct Ratio {
  uint64_t num = 0;
  uint64_t den = 1;
  bool is_zero() const { return num == 0; }
  friend bool operator==(const Ratio& a, const Ratio& b) {
    return static_cast<unsigned __int128>(a.num) * b.den ==
           static_cast<unsigned __int128>(b.num) * a.den;
  }
};
absl::StatusOr<Ratio> parse_ratio(std::string_view text);
std::string format_ratio(const Ratio& ratio);

// Stable 64-bit id of a stream name (FNV-1a), so streams can be named in code and scenarios.
constexpr uint64_t stream_id(std::string_view name) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

class Rng {
 public:
  // Seeds the four words of state from splitmix64(seed), as the reference implementation does.
  explicit Rng(uint64_t seed);
  // A raw state, for the golden test against the published reference outputs.
  static Rng from_state(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3);
  // The stream `id` of the run seeded with `seed`: independent of every other stream.
  static Rng stream(uint64_t seed, uint64_t id);
  static Rng stream(uint64_t seed, std::string_view name) { return stream(seed, stream_id(name)); }

  uint64_t next() {
    const uint64_t result = std::rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }

  // Unbiased integer in [0, bound), bound > 0 (Lemire 2019, multiply-shift with rejection).
  uint64_t below(uint64_t bound) {
    SIM_CHECK(bound > 0, "Rng::below needs a positive bound");
    unsigned __int128 product = static_cast<unsigned __int128>(next()) * bound;
    auto low = static_cast<uint64_t>(product);
    if (low < bound) [[unlikely]] {
      const uint64_t threshold = (0 - bound) % bound;
      while (low < threshold) {
        product = static_cast<unsigned __int128>(next()) * bound;
        low = static_cast<uint64_t>(product);
      }
    }
    return static_cast<uint64_t>(product >> 64);
  }
  // Unbiased integer in [lo, hi], inclusive.
  int64_t uniform_int(int64_t lo, int64_t hi) {
    SIM_CHECK(lo <= hi, "Rng::uniform_int needs lo <= hi");
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    if (span == UINT64_MAX) [[unlikely]] return static_cast<int64_t>(next());
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + below(span + 1));
  }
  // True with exactly probability ratio.num / ratio.den.
  bool chance(const Ratio& ratio);
  // A uniform duration in [lo, hi], inclusive, to the nanosecond.
  Duration uniform(Duration lo, Duration hi) {
    return Duration::nanoseconds(uniform_int(lo.ns(), hi.ns()));
  }
  // A double in [0, 1) with 53 random bits.
  double unit_double() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Normal(mean, stddev) with draws below `min` clamped to `min` (Marsaglia's polar method with
  // electsim's own logarithm, so the result does not depend on the platform's libm).
  Duration normal_clamped(Duration mean, Duration stddev, Duration min);
  // Normal(mean, stddev) truncated at `min`: a draw below it is drawn again (Howard's simulator's
  // normal_discardneg). At most kMaxRedraws draws are made; if every one is below `min` the
  // result is `min`, so a bad configuration cannot hang a run (the loader refuses a `min` more
  // than two standard deviations above the mean, where that chance is below 10^-10).
  static constexpr int kMaxRedraws = 1000;
  Duration normal_redrawn(Duration mean, Duration stddev, Duration min);
  // Exponential with the given mean, by inversion with electsim's own logarithm.
  Duration exponential(Duration mean);

 private:
  Rng() = default;
  // A Normal(mean, stddev) draw in nanoseconds, rounded, before any bound.
  int64_t normal_ns(Duration mean, Duration stddev);
  uint64_t s_[4] = {0, 0, 0, 0};
};

// Natural logarithm of x > 0 from IEEE basic operations only (+, -, *, /, frexp), so it rounds
// the same way everywhere; accurate to a few ulps, which is all the distributions need.
double portable_log(double x);

}  // namespace electsim::sim
