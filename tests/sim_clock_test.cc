// Local clocks (sim/clock.h): exact conversions between true and local time under drift,
// offsets and jumps. A timer's true deadline must be the *first* true nanosecond at which the
// local clock shows the deadline, never one late and never one early.
#include "sim/clock.h"

#include <compare>
#include <concepts>
#include <cstdint>
#include <type_traits>

#include <gtest/gtest.h>

#include "tests/check_test_support.h"

#include "sim/prng.h"

namespace electsim::sim {
namespace {

Instant ns(int64_t n) { return Instant::from_ns(n); }
LocalInstant local(int64_t n) { return LocalInstant::from_ns(n); }

TEST(LocalClock, StartsAtTrueTime) {
  LocalClock clock;
  EXPECT_EQ(clock.local_at(ns(0)), local(0));
  EXPECT_EQ(clock.local_at(ns(123'456'789)), local(123'456'789));
  EXPECT_EQ(clock.true_when_local_reaches(local(500), ns(0)), ns(500));
  EXPECT_EQ(clock.offset_at(ns(77)), Duration::zero());
}

TEST(LocalClock, DriftByHand) {
  LocalClock fast;
  fast.set_drift_ppm(ns(0), 100);  // 1'000'100 local ns per 1'000'000 true ns
  EXPECT_EQ(fast.local_at(ns(1'000'000'000)), local(1'000'100'000));
  EXPECT_EQ(fast.local_at(ns(9'999)), local(9'999));   // 9'999 * 1.0001 = 9'999.9999, floored
  EXPECT_EQ(fast.local_at(ns(10'000)), local(10'001));
  // The fast clock never shows local 10'000: true 9'999 shows 9'999 and true 10'000 shows
  // 10'001, so both targets are first reached at true 10'000.
  EXPECT_EQ(fast.true_when_local_reaches(local(10'001), ns(0)), ns(10'000));
  EXPECT_EQ(fast.true_when_local_reaches(local(10'000), ns(0)), ns(10'000));
  EXPECT_EQ(fast.true_when_local_reaches(local(10'002), ns(0)), ns(10'001));

  LocalClock slow;
  slow.set_drift_ppm(ns(0), -1);  // 999'999 local ns per 1'000'000 true ns
  EXPECT_EQ(slow.local_at(ns(1)), local(0));  // 0.999999 floored
  EXPECT_EQ(slow.local_at(ns(2)), local(1));
  EXPECT_EQ(slow.local_at(ns(1'000'000)), local(999'999));
  EXPECT_EQ(slow.true_when_local_reaches(local(1), ns(0)), ns(2));  // ceil(1e6 / 999'999) = 2
  EXPECT_EQ(slow.true_when_local_reaches(local(999'999), ns(0)), ns(1'000'000));
}

TEST(LocalClock, ChangesKeepTheClockContinuousExceptJumps) {
  LocalClock clock;
  clock.set_drift_ppm(ns(0), 250'000);  // 1.25x
  EXPECT_EQ(clock.local_at(ns(40'000'000)), local(50'000'000));
  clock.set_drift_ppm(ns(40'000'000), -200'000);  // 0.8x from here on
  EXPECT_EQ(clock.local_at(ns(40'000'000)), local(50'000'000));
  EXPECT_EQ(clock.local_at(ns(50'000'000)), local(58'000'000));
  clock.jump(ns(50'000'000), Duration::milliseconds(-30));
  EXPECT_EQ(clock.local_at(ns(50'000'000)), local(28'000'000));
  clock.set_offset(ns(60'000'000), Duration::milliseconds(5));
  EXPECT_EQ(clock.local_at(ns(60'000'000)), local(65'000'000));
  EXPECT_EQ(clock.offset_at(ns(60'000'000)), Duration::milliseconds(5));
  EXPECT_EQ(clock.drift_ppm(), -200'000);  // an offset change keeps the rate
  EXPECT_EQ(clock.local_at(ns(70'000'000)), local(73'000'000));
}

// Checks the defining property of true_when_local_reaches at the clock's current segment.
void expect_first_instant(const LocalClock& clock, LocalInstant local_target, Instant not_before) {
  const Instant t = clock.true_when_local_reaches(local_target, not_before);
  ASSERT_GE(t, not_before);
  ASSERT_GE(clock.local_at(t), local_target)
      << "target " << local_target.ns() << " not_before " << not_before.ns();
  if (t > not_before) {
    ASSERT_LT(clock.local_at(t - Duration::nanoseconds(1)), local_target)
        << "target " << local_target.ns() << " answer " << t.ns() << " is not the first";
  }
}

void run_random_clock(uint64_t seed, int64_t max_abs_ppm) {
  Rng rng(seed);
  LocalClock clock;
  Instant now = Instant::zero();
  for (int change = 0; change < 300; ++change) {
    switch (rng.below(4)) {
      case 0:
        clock.set_drift_ppm(now, rng.uniform_int(-max_abs_ppm, max_abs_ppm));
        break;
      case 1:
        clock.set_offset(now, Duration::nanoseconds(rng.uniform_int(-5'000'000'000, 5'000'000'000)));
        break;
      default:  // forward and backward jumps, from a nanosecond to seconds
        clock.jump(now, Duration::nanoseconds(rng.uniform_int(-3'000'000'000, 3'000'000'000) >>
                                              rng.below(30)));
        break;
    }
    // Monotone within the segment, on a sorted sample of instants.
    LocalInstant previous_local = clock.local_at(now);
    Instant t = now;
    for (int i = 0; i < 20; ++i) {
      t += Duration::nanoseconds(static_cast<int64_t>(rng.below(uint64_t{1} << rng.below(34))));
      const LocalInstant local = clock.local_at(t);
      ASSERT_GE(local, previous_local);
      previous_local = local;
    }
    // Targets at, before and after the current local time, small and large distances.
    const LocalInstant local_now = clock.local_at(now);
    for (int i = 0; i < 50; ++i) {
      const int64_t distance =
          rng.uniform_int(-1000, 1000) << rng.below(30);  // up to about +-1e12 ns
      const Instant not_before = now + Duration::nanoseconds(static_cast<int64_t>(rng.below(1000)));
      expect_first_instant(clock, local_now + Duration::nanoseconds(distance), not_before);
      if (::testing::Test::HasFatalFailure()) return;
    }
    now += Duration::nanoseconds(static_cast<int64_t>(rng.below(uint64_t{1} << rng.below(36))));
  }
}

TEST(LocalClock, FirstInstantUnderExtremeDrift) { run_random_clock(1, 400'000); }
TEST(LocalClock, FirstInstantUnderRealisticDrift) { run_random_clock(2, 100); }
TEST(LocalClock, FirstInstantUnderTinyDrift) { run_random_clock(3, 3); }

TEST(LocalClock, BackwardJumpRepeatsLocalTimes) {
  LocalClock clock;
  clock.jump(ns(1'000), Duration::nanoseconds(-500));
  EXPECT_EQ(clock.local_at(ns(1'000)), local(500));
  // Local 700 was already shown before the jump, but the question is about true time from now on.
  EXPECT_EQ(clock.true_when_local_reaches(local(700), ns(1'000)), ns(1'200));
  EXPECT_EQ(clock.true_when_local_reaches(local(400), ns(1'000)), ns(1'000));
}

// Local and true instants are different types (sim/time.h): neither converts to the other, and
// they cannot be compared or subtracted, so a lease deadline on a host's clock is never judged
// against true time by mistake. Only a LocalClock converts.
template <class A, class B>
concept Comparable = requires(A a, B b) { a < b; a == b; a <=> b; };
template <class A, class B>
concept Subtractable = requires(A a, B b) { a - b; };
static_assert(!std::is_convertible_v<Instant, LocalInstant>);
static_assert(!std::is_convertible_v<LocalInstant, Instant>);
static_assert(!std::is_constructible_v<LocalInstant, Instant>);
static_assert(!Comparable<LocalInstant, Instant>);
static_assert(!Comparable<Instant, LocalInstant>);
static_assert(!Subtractable<LocalInstant, Instant>);
static_assert(!Subtractable<Instant, LocalInstant>);
static_assert(Comparable<LocalInstant, LocalInstant> && Comparable<Instant, Instant>);
static_assert(Subtractable<LocalInstant, LocalInstant> && Subtractable<Instant, Instant>);
static_assert(requires(LocalClock clock, Instant t) {
  { clock.local_at(t) } -> std::same_as<LocalInstant>;
  { clock.true_when_local_reaches(clock.local_at(t), t) } -> std::same_as<Instant>;
});

TEST(LocalClock, ConvertsBetweenTheTwoTimeTypes) {
  LocalClock clock;
  clock.set_offset(ns(0), Duration::milliseconds(5));
  EXPECT_EQ(clock.local_at(ns(1'000)), local(5'001'000));
  EXPECT_EQ(clock.true_when_local_reaches(local(5'002'000), ns(0)), ns(2'000));
}

using LocalClockCheckTest = ::testing::Test;

TEST_F(LocalClockCheckTest, DriftOutOfRangeFailsACheck) {
  LocalClock clock;
  EXPECT_CHECK_FAILS(clock.set_drift_ppm(ns(0), LocalClock::kMaxDriftPpm), "drift out of range");
  EXPECT_CHECK_FAILS(clock.set_drift_ppm(ns(0), -LocalClock::kMaxDriftPpm), "drift out of range");
}

TEST_F(LocalClockCheckTest, ReadingBeforeTheSegmentFailsACheck) {
  LocalClock clock;
  clock.set_drift_ppm(ns(100), 5);
  EXPECT_CHECK_FAILS((void)clock.local_at(ns(99)), "before its current segment");
}

}  // namespace
}  // namespace electsim::sim
