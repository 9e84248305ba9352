// electsim's own PRNG and distributions (sim/prng.h): golden outputs from the reference
// generators, independence of named streams, and statistical sanity of every distribution.
#include "sim/prng.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace electsim::sim {
namespace {

// Reference outputs of splitmix64 seeded with 1234567 and of xoshiro256** from state
// {1, 2, 3, 4}, as published with the reference C implementations (BUILD-NOTES.md §7).
TEST(PrngGolden, SplitMix64MatchesReference) {
  SplitMix64 mixer{1234567};
  EXPECT_EQ(mixer.next(), 6457827717110365317ULL);
  EXPECT_EQ(mixer.next(), 3203168211198807973ULL);
  EXPECT_EQ(mixer.next(), 9817491932198370423ULL);
}

TEST(PrngGolden, Xoshiro256StarStarMatchesReference) {
  Rng rng = Rng::from_state(1, 2, 3, 4);
  EXPECT_EQ(rng.next(), 11520ULL);
  EXPECT_EQ(rng.next(), 0ULL);
  EXPECT_EQ(rng.next(), 1509978240ULL);
  EXPECT_EQ(rng.next(), 1215971899390074240ULL);
}

TEST(PrngGolden, SeedingGoesThroughSplitMix64) {
  // Rng(seed) must take its four state words from splitmix64(seed), in order.
  SplitMix64 mixer{1234567};
  const uint64_t s0 = mixer.next();
  const uint64_t s1 = mixer.next();
  const uint64_t s2 = mixer.next();
  const uint64_t s3 = mixer.next();
  Rng seeded(1234567);
  Rng explicit_state = Rng::from_state(s0, s1, s2, s3);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(seeded.next(), explicit_state.next());
}

std::vector<uint64_t> first_draws(Rng rng, int count) {
  std::vector<uint64_t> draws;
  for (int i = 0; i < count; ++i) draws.push_back(rng.next());
  return draws;
}

TEST(PrngStreams, DrawingFromOneStreamDoesNotShiftAnother) {
  const std::vector<uint64_t> b_alone = first_draws(Rng::stream(42, "b"), 100);
  Rng a = Rng::stream(42, "a");
  Rng b = Rng::stream(42, "b");
  std::vector<uint64_t> b_interleaved;
  for (int i = 0; i < 100; ++i) {
    for (int j = 0; j < 1000; ++j) a.next();
    b_interleaved.push_back(b.next());
  }
  EXPECT_EQ(b_interleaved, b_alone);
}

TEST(PrngStreams, DifferentNamesIdsAndSeedsDiffer) {
  const auto a = first_draws(Rng::stream(42, "a"), 16);
  EXPECT_NE(a, first_draws(Rng::stream(42, "b"), 16));
  EXPECT_NE(a, first_draws(Rng::stream(43, "a"), 16));
  EXPECT_NE(first_draws(Rng::stream(42, uint64_t{1}), 16),
            first_draws(Rng::stream(42, uint64_t{2}), 16));
  EXPECT_NE(first_draws(Rng::stream(0, uint64_t{0}), 16), first_draws(Rng(0), 16));
  // A name is shorthand for its id.
  EXPECT_EQ(a, first_draws(Rng::stream(42, stream_id("a")), 16));
  // Neighbouring streams share no leading outputs.
  const auto s1 = first_draws(Rng::stream(7, uint64_t{100}), 64);
  const auto s2 = first_draws(Rng::stream(7, uint64_t{101}), 64);
  for (uint64_t x : s1)
    for (uint64_t y : s2) ASSERT_NE(x, y);
}

TEST(PrngStreams, StreamIdIsFnv1a) {
  // FNV-1a 64 test vectors (Fowler, Noll, Vo): "" and "a".
  EXPECT_EQ(stream_id(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(stream_id("a"), 0xaf63dc4c8601ec8cULL);
}

TEST(PrngBounded, BelowTenPassesChiSquare) {
  Rng rng(99);
  constexpr int kDraws = 100'000;
  std::vector<int> counts(10, 0);
  for (int i = 0; i < kDraws; ++i) {
    const uint64_t x = rng.below(10);
    ASSERT_LT(x, 10u);
    ++counts[x];
  }
  double chi_square = 0;
  const double expected = kDraws / 10.0;
  for (int c : counts) chi_square += (c - expected) * (c - expected) / expected;
  // The chi-square critical value for 9 degrees of freedom at p = 0.001 is 27.877.
  EXPECT_LT(chi_square, 27.877);
}

TEST(PrngBounded, LargeNonPowerOfTwoBoundStaysBelowAndIsUnbiased) {
  // About a quarter of raw draws fall in Lemire's rejection zone for this bound.
  const uint64_t bound = (uint64_t{1} << 63) + (uint64_t{1} << 62) + 12345;
  Rng rng(7);
  constexpr int kDraws = 100'000;
  int upper = 0;  // draws >= 2^63: expected fraction (bound - 2^63) / bound, about 1/3
  for (int i = 0; i < kDraws; ++i) {
    const uint64_t x = rng.below(bound);
    ASSERT_LT(x, bound);
    if (x >= (uint64_t{1} << 63)) ++upper;
  }
  const double p = static_cast<double>(bound - (uint64_t{1} << 63)) / static_cast<double>(bound);
  const double sigma = std::sqrt(kDraws * p * (1 - p));
  EXPECT_NEAR(upper, kDraws * p, 5 * sigma);
}

TEST(PrngBounded, UniformIntCoversInclusiveRange) {
  Rng rng(3);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 7'000; ++i) {
    const int64_t x = rng.uniform_int(-3, 3);
    ASSERT_GE(x, -3);
    ASSERT_LE(x, 3);
    ++counts[static_cast<size_t>(x + 3)];
  }
  for (int c : counts) EXPECT_GT(c, 800);
  EXPECT_EQ(rng.uniform_int(5, 5), 5);
  // The full range must not divide by zero or loop.
  (void)rng.uniform_int(INT64_MIN, INT64_MAX);
  const Duration d = rng.uniform(Duration::milliseconds(150), Duration::milliseconds(300));
  EXPECT_GE(d, Duration::milliseconds(150));
  EXPECT_LE(d, Duration::milliseconds(300));
}

TEST(PrngChance, FrequencyMatchesRatio) {
  Rng rng(11);
  constexpr int kDraws = 100'000;
  int hits = 0;
  for (int i = 0; i < kDraws; ++i) hits += rng.chance(Ratio{1, 100}) ? 1 : 0;
  const double sigma = std::sqrt(kDraws * 0.01 * 0.99);
  EXPECT_NEAR(hits, 1000, 5 * sigma);

  hits = 0;
  for (int i = 0; i < kDraws; ++i) hits += rng.chance(Ratio{1, 3}) ? 1 : 0;
  EXPECT_NEAR(hits, kDraws / 3.0, 5 * std::sqrt(kDraws * (1.0 / 3) * (2.0 / 3)));

  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(rng.chance(Ratio{0, 1}));
    ASSERT_TRUE(rng.chance(Ratio{1, 1}));
    ASSERT_TRUE(rng.chance(Ratio{7, 7}));
  }
}

Ratio parsed_ratio(std::string_view text) {
  const auto result = parse_ratio(text);
  EXPECT_TRUE(result.ok()) << text << ": " << result.status();
  return result.ok() ? *result : Ratio{12345, 12345};
}

TEST(ParseRatio, AcceptsDecimalPercentAndFraction) {
  EXPECT_EQ(parsed_ratio("0.01"), (Ratio{1, 100}));
  EXPECT_EQ(parsed_ratio("1%"), (Ratio{1, 100}));
  EXPECT_EQ(parsed_ratio("1/100"), (Ratio{1, 100}));
  EXPECT_EQ(parsed_ratio("0.5%"), (Ratio{1, 200}));
  EXPECT_EQ(parsed_ratio("100%"), (Ratio{1, 1}));
  EXPECT_EQ(parsed_ratio("1"), (Ratio{1, 1}));
  EXPECT_EQ(parsed_ratio(".25"), (Ratio{1, 4}));
  EXPECT_TRUE(parsed_ratio("0").is_zero());
  EXPECT_TRUE(parsed_ratio("0/5").is_zero());
  EXPECT_EQ(format_ratio(parsed_ratio("0.01")), "1/100");
  EXPECT_EQ(format_ratio(Ratio{0, 3}), "0");
  EXPECT_EQ(format_ratio(Ratio{4, 4}), "1");
}

TEST(ParseRatio, RejectsOutOfRangeAndMalformed) {
  for (const char* bad : {"2", "-1", "abc", "", "1/0", "3/2", "%", "101%", "1.2.3", "0.5.", "1/",
                          "/2", "0.1x", "-0.5", "1e-2"}) {
    const auto result = parse_ratio(bad);
    EXPECT_FALSE(result.ok()) << "'" << bad << "'";
  }
}

struct Moments {
  double mean = 0;
  double stddev = 0;
  int64_t minimum = INT64_MAX;
};

template <class Draw>
Moments moments_of(int count, Draw draw) {
  double sum = 0;
  double sum_squares = 0;
  Moments m;
  for (int i = 0; i < count; ++i) {
    const int64_t ns = draw().ns();
    m.minimum = std::min(m.minimum, ns);
    sum += static_cast<double>(ns);
    sum_squares += static_cast<double>(ns) * static_cast<double>(ns);
  }
  m.mean = sum / count;
  m.stddev = std::sqrt(sum_squares / count - m.mean * m.mean);
  return m;
}

TEST(PrngNormal, MeanAndStddevMatchSpec) {
  Rng rng(5);
  constexpr int kDraws = 100'000;
  const Duration mean = Duration::milliseconds(50);
  const Duration stddev = Duration::milliseconds(5);
  // The minimum is 10 standard deviations away, so clamping does not bias the moments.
  const Moments m = moments_of(kDraws, [&] { return rng.normal_clamped(mean, stddev, {}); });
  const double sigma = static_cast<double>(stddev.ns());
  EXPECT_NEAR(m.mean, static_cast<double>(mean.ns()), 4 * sigma / std::sqrt(kDraws));
  EXPECT_NEAR(m.stddev, sigma, 0.02 * sigma);
}

TEST(PrngNormal, NeverBelowMinimum) {
  Rng rng(6);
  const Duration mean = Duration::milliseconds(5);
  const Duration min = Duration::milliseconds(5);  // half of all draws are clamped
  int clamped = 0;
  for (int i = 0; i < 100'000; ++i) {
    const Duration d = rng.normal_clamped(mean, Duration::milliseconds(3), min);
    ASSERT_GE(d, min);
    if (d == min) ++clamped;
  }
  EXPECT_NEAR(clamped, 50'000, 5 * std::sqrt(100'000 * 0.25));
}

// below_min: redraw (Howard's normal_discardneg): a Normal(5 ms, 3 ms) truncated at 0 has mean
// 5 + 3 phi(5/3) / Phi(5/3) = 5.312 ms and no draw at 0, where raising gives 4.8% of the draws at
// 0 and a mean of 5 Phi(5/3) + 3 phi(5/3) = 5.058 ms.
TEST(PrngNormal, RedrawnIsANormalTruncatedAtTheMinimum) {
  Rng redrawn(9);
  Rng clamped(9);
  constexpr int kDraws = 200'000;
  const Duration mean = Duration::milliseconds(5);
  const Duration stddev = Duration::milliseconds(3);
  int at_zero = 0;
  const Moments r = moments_of(kDraws, [&] {
    const Duration d = redrawn.normal_redrawn(mean, stddev, Duration::zero());
    at_zero += d == Duration::zero();
    return d;
  });
  const Moments c = moments_of(kDraws, [&] { return clamped.normal_clamped(mean, stddev, {}); });
  EXPECT_GE(r.minimum, 0);
  EXPECT_EQ(at_zero, 0);
  EXPECT_NEAR(r.mean, 5.312e6, 0.02e6);
  EXPECT_NEAR(c.mean, 5.058e6, 0.02e6);
}

TEST(PrngNormal, RedrawnGivesUpAtTheMinimumAfterTheLimit) {
  Rng rng(10);
  // Every draw is about 10^6 standard deviations below the minimum.
  const Duration d = rng.normal_redrawn(Duration::zero(), Duration::nanoseconds(1),
                                        Duration::milliseconds(1));
  EXPECT_EQ(d, Duration::milliseconds(1));
}

TEST(PrngExponential, MeanMatchesSpec) {
  Rng rng(8);
  constexpr int kDraws = 100'000;
  const Duration mean = Duration::milliseconds(10);
  const Moments m = moments_of(kDraws, [&] { return rng.exponential(mean); });
  const double mu = static_cast<double>(mean.ns());
  EXPECT_GE(m.minimum, 0);
  EXPECT_NEAR(m.mean, mu, 4 * mu / std::sqrt(kDraws));  // an exponential's stddev is its mean
  EXPECT_NEAR(m.stddev, mu, 0.03 * mu);
}

TEST(PortableLog, MatchesLibmOnAGrid) {
  auto check = [](double x) {
    const double expected = std::log(x);
    const double actual = portable_log(x);
    ASSERT_LE(std::fabs(actual - expected), 1e-14 * std::fabs(expected))
        << "x=" << x << " expected " << expected << " got " << actual;
  };
  for (int exponent = -60; exponent <= 60; ++exponent)
    for (int i = 0; i < 1000; ++i) check(std::ldexp(1.0 + i / 1000.0, exponent));
  for (double x : {1.0, 1.0 + 1e-12, 1.0 - 1e-12, 0.7071067811865476, 1.4142135623730951, 1e-300,
                   1e300, 2.2250738585072014e-308, 1.7976931348623157e308, 0x1.0p-53})
    check(x);
}

}  // namespace
}  // namespace electsim::sim
