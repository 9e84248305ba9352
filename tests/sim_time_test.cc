// Durations and instants (sim/time.h): exact integer parsing and printing, ranges, and
// overflow that aborts instead of wrapping.
#include "sim/time.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "tests/check_test_support.h"

#include "sim/prng.h"

namespace electsim::sim {
namespace {

int64_t parsed_ns(std::string_view text, bool allow_negative = false) {
  const auto result = parse_duration(text, allow_negative);
  EXPECT_TRUE(result.ok()) << text << ": " << result.status();
  return result.ok() ? result->ns() : INT64_MIN;
}

TEST(ParseDuration, ReadsEveryUnitExactly) {
  EXPECT_EQ(parsed_ns("150ms"), 150'000'000);
  EXPECT_EQ(parsed_ns("2.5s"), 2'500'000'000);
  EXPECT_EQ(parsed_ns("300us"), 300'000);
  EXPECT_EQ(parsed_ns("10ns"), 10);
  EXPECT_EQ(parsed_ns("1m"), 60'000'000'000);
  EXPECT_EQ(parsed_ns("1h"), 3'600'000'000'000);
  EXPECT_EQ(parsed_ns("0"), 0);
  EXPECT_EQ(parsed_ns(".5s"), 500'000'000);
  EXPECT_EQ(parsed_ns("0.001ms"), 1'000);
  EXPECT_EQ(parsed_ns("1.000000001s"), 1'000'000'001);
  EXPECT_EQ(parsed_ns("1.0ns"), 1);  // trailing zeros below a nanosecond are still exact
  EXPECT_EQ(parsed_ns("9223372036854775807ns"), std::numeric_limits<int64_t>::max());
}

TEST(ParseDuration, NegativeOnlyWhenAllowed) {
  EXPECT_FALSE(parse_duration("-5ms").ok());
  EXPECT_EQ(parsed_ns("-5ms", /*allow_negative=*/true), -5'000'000);
  EXPECT_EQ(parsed_ns("-2.5s", /*allow_negative=*/true), -2'500'000'000);
}

TEST(ParseDuration, RejectsMalformedInput) {
  for (const char* bad : {"5", "ms", "1.5ns", "", "-", "1.ms", "1.2.3s", "5 ms", "5msx", "5xs",
                          "five ms", "1e3ms", "5MS", "0x10ms", ".s"}) {
    const auto result = parse_duration(bad);
    EXPECT_FALSE(result.ok()) << "'" << bad << "' parsed as " << result->ns();
  }
}

TEST(ParseDuration, RejectsOverflowInsteadOfWrapping) {
  EXPECT_FALSE(parse_duration("9223372036854775808ns").ok());
  EXPECT_FALSE(parse_duration("3000000h").ok());             // 1.08e19 ns
  EXPECT_FALSE(parse_duration("9223372036.854775808s").ok());  // one past the maximum
  EXPECT_FALSE(parse_duration("99999999999999999999999s").ok());
}

TEST(ParseDuration, ErrorNamesTheInput) {
  const auto result = parse_duration("5");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(std::string(result.status().message()).find("'5'"), std::string::npos)
      << result.status();
}

TEST(FormatDuration, PrintsTheLargestExactUnit) {
  EXPECT_EQ(format_duration(Duration::milliseconds(150)), "150ms");
  EXPECT_EQ(format_duration(Duration::milliseconds(2500)), "2.5s");
  EXPECT_EQ(format_duration(Duration::microseconds(300)), "300us");
  EXPECT_EQ(format_duration(Duration::zero()), "0s");
  EXPECT_EQ(format_duration(Duration::nanoseconds(1)), "1ns");
  EXPECT_EQ(format_duration(Duration::nanoseconds(1'234'567)), "1234.567us");
  EXPECT_EQ(format_duration(Duration::nanoseconds(1'050'000'000)), "1.05s");
  EXPECT_EQ(format_duration(Duration::milliseconds(-5)), "-5ms");
  EXPECT_EQ(format_duration(Duration::seconds(3600)), "3600s");
  EXPECT_EQ(format_instant(Instant::zero() + Duration::microseconds(1500)), "1.5ms");
}

TEST(FormatDuration, ReadableFormRoundsWhatIsNotWholeMilliseconds) {
  // Whole milliseconds stay exact.
  EXPECT_EQ(format_duration_readable(Duration::milliseconds(75179)), "75.179s");
  EXPECT_EQ(format_duration_readable(Duration::milliseconds(-5)), "-5ms");
  EXPECT_EQ(format_duration_readable(Duration::zero()), "0s");
  // From 1s up, to the millisecond; below, to the microsecond.
  EXPECT_EQ(format_duration_readable(Duration::nanoseconds(25'393'333'801)), "25.393s");
  EXPECT_EQ(format_duration_readable(Duration::nanoseconds(25'393'500'000)), "25.394s");
  EXPECT_EQ(format_duration_readable(Duration::nanoseconds(-700'906'060)), "-700.906ms");
  EXPECT_EQ(format_duration_readable(Duration::nanoseconds(1'499)), "1us");
  EXPECT_EQ(format_duration_readable(Duration::nanoseconds(499)), "0s");
  EXPECT_EQ(format_duration_readable(Duration::nanoseconds(-499)), "0s");
  EXPECT_EQ(format_instant_readable(Instant::zero() + Duration::nanoseconds(20'687'221'695)),
            "20.687s");
}

TEST(FormatDuration, RoundTripsThroughParse) {
  Rng rng(20240601);
  for (int i = 0; i < 20'000; ++i) {
    // Values of every magnitude, many with trailing zeros, both signs.
    const int64_t magnitude = rng.uniform_int(0, 62);
    int64_t ns = static_cast<int64_t>(rng.below(uint64_t{1} << magnitude));
    if (rng.below(2) == 0) ns -= ns % 1'000;
    if (rng.below(2) == 0) ns = -ns;
    const Duration d = Duration::nanoseconds(ns);
    const std::string text = format_duration(d);
    const auto back = parse_duration(text, /*allow_negative=*/true);
    ASSERT_TRUE(back.ok()) << text;
    ASSERT_EQ(back->ns(), ns) << text;
  }
  // The extremes, including the one whose negation overflows.
  for (int64_t ns : {std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min() + 1}) {
    const auto back = parse_duration(format_duration(Duration::nanoseconds(ns)), true);
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back->ns(), ns);
  }
  EXPECT_EQ(format_duration(Duration::nanoseconds(std::numeric_limits<int64_t>::min())),
            "-9223372036854775.808us");
}

TEST(DurationRange, ParsesAndPrints) {
  const auto range = parse_duration_range("150ms..300ms");
  ASSERT_TRUE(range.ok()) << range.status();
  EXPECT_EQ(range->lo, Duration::milliseconds(150));
  EXPECT_EQ(range->hi, Duration::milliseconds(300));
  EXPECT_EQ(format_duration_range(*range), "150ms..300ms");

  const auto single = parse_duration_range("5ms");
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->lo, single->hi);
  EXPECT_EQ(format_duration_range(*single), "5ms");

  const auto equal = parse_duration_range("1s..1000ms");
  ASSERT_TRUE(equal.ok());
  EXPECT_EQ(equal->lo, equal->hi);
}

TEST(DurationRange, RejectsBadRanges) {
  const auto reversed = parse_duration_range("300ms..150ms");
  ASSERT_FALSE(reversed.ok());
  EXPECT_NE(std::string(reversed.status().message()).find("lo <= hi"), std::string::npos);
  for (const char* bad : {"150ms..", "..300ms", "150ms...300ms", "150..300ms", "-1ms..1ms", ".."})
    EXPECT_FALSE(parse_duration_range(bad).ok()) << bad;
}

TEST(TimeArithmetic, ExactAndOrdered) {
  const Instant t = Instant::zero() + Duration::milliseconds(150);
  EXPECT_EQ((t + Duration::microseconds(1)).ns(), 150'001'000);
  EXPECT_EQ((t - Instant::zero()).ns(), 150'000'000);
  EXPECT_EQ((Duration::seconds(3) / 4).ns(), 750'000'000);
  EXPECT_EQ((Duration::milliseconds(3) * 7).ns(), 21'000'000);
  EXPECT_LT(Instant::zero(), t);
  EXPECT_LT(Duration::nanoseconds(-1), Duration::zero());
}

using TimeCheckTest = ::testing::Test;

TEST_F(TimeCheckTest, OverflowFailsACheck) {
  EXPECT_CHECK_FAILS((void)(Instant::max() + Duration::nanoseconds(1)), "time arithmetic overflow");
  EXPECT_CHECK_FAILS((void)(Duration::max() * 2), "time arithmetic overflow");
  EXPECT_CHECK_FAILS((void)(Instant::zero() - Instant::max() - Duration::seconds(1)),
               "time arithmetic overflow");
  EXPECT_CHECK_FAILS((void)Duration::seconds(std::numeric_limits<int64_t>::max() / 10),
               "time arithmetic overflow");
  EXPECT_CHECK_FAILS((void)(Duration::seconds(1) / 0), "divided by zero");
}

// A constant that overflows would not compile; one that fits is usable at compile time.
static_assert(Duration::seconds(9'223'372'036).ns() == 9'223'372'036'000'000'000);

}  // namespace
}  // namespace electsim::sim
