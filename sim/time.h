// Simulated time: integer nanoseconds in strong types (STYLE.md 4). Never double.
//
// There are two kinds of instant, and two types for them: `Instant` is true time (the
// simulator's, what the checks judge in) and `LocalInstant` is what one host's clock shows (see
// clock.h; what algorithms read and what a lease deadline is written in). They neither convert
// nor compare implicitly: only a host's LocalClock turns one into the other, so a lease deadline
// on a node's clock can never be compared with true time by mistake.
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "sim/check.h"

namespace electsim::sim {

// Overflow-checked helpers: a simulated time that overflows 292 years is a bug in our code.
// They are constexpr so that a constant that overflows fails to compile.
constexpr int64_t checked_add(int64_t a, int64_t b) {
  int64_t result = 0;
  SIM_CHECK(!__builtin_add_overflow(a, b, &result), "time arithmetic overflow");
  return result;
}
constexpr int64_t checked_sub(int64_t a, int64_t b) {
  int64_t result = 0;
  SIM_CHECK(!__builtin_sub_overflow(a, b, &result), "time arithmetic overflow");
  return result;
}
constexpr int64_t checked_mul(int64_t a, int64_t b) {
  int64_t result = 0;
  SIM_CHECK(!__builtin_mul_overflow(a, b, &result), "time arithmetic overflow");
  return result;
}

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration nanoseconds(int64_t n) { return Duration(n); }
  static constexpr Duration microseconds(int64_t n) { return Duration(checked_mul(n, 1'000)); }
  static constexpr Duration milliseconds(int64_t n) { return Duration(checked_mul(n, 1'000'000)); }
  static constexpr Duration seconds(int64_t n) { return Duration(checked_mul(n, 1'000'000'000)); }
  static constexpr Duration zero() { return Duration(0); }
  static constexpr Duration max() { return Duration(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t ns() const { return ns_; }
  // Whole milliseconds, truncated; for display only.
  constexpr double ms_for_display() const { return static_cast<double>(ns_) / 1e6; }

  friend Duration operator+(Duration a, Duration b) { return Duration(checked_add(a.ns_, b.ns_)); }
  friend Duration operator-(Duration a, Duration b) { return Duration(checked_sub(a.ns_, b.ns_)); }
  friend Duration operator*(Duration a, int64_t k) { return Duration(checked_mul(a.ns_, k)); }
  friend Duration operator/(Duration a, int64_t k) {
    SIM_CHECK(k != 0, "duration divided by zero");
    return Duration(a.ns_ / k);
  }
  Duration& operator+=(Duration other) { return *this = *this + other; }
  Duration& operator-=(Duration other) { return *this = *this - other; }
  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

class Instant {
 public:
  constexpr Instant() = default;
  static constexpr Instant from_ns(int64_t ns) { return Instant(ns); }
  static constexpr Instant zero() { return Instant(0); }
  static constexpr Instant max() { return Instant(std::numeric_limits<int64_t>::max()); }
  constexpr int64_t ns() const { return ns_; }

  friend Instant operator+(Instant t, Duration d) { return Instant(checked_add(t.ns_, d.ns())); }
  friend Instant operator-(Instant t, Duration d) { return Instant(checked_sub(t.ns_, d.ns())); }
  friend Duration operator-(Instant a, Instant b) {
    return Duration::nanoseconds(checked_sub(a.ns_, b.ns_));
  }
  Instant& operator+=(Duration d) { return *this = *this + d; }
  constexpr auto operator<=>(const Instant&) const = default;

 private:
  constexpr explicit Instant(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

// A time on one host's local clock. The same arithmetic as Instant, but a different type: no
// conversion to or from Instant and no comparison with one (tests/sim_time_test.cc checks that
// with requires-expressions).
class LocalInstant {
 public:
  constexpr LocalInstant() = default;
  static constexpr LocalInstant from_ns(int64_t ns) { return LocalInstant(ns); }
  static constexpr LocalInstant zero() { return LocalInstant(0); }
  constexpr int64_t ns() const { return ns_; }

  friend LocalInstant operator+(LocalInstant t, Duration d) {
    return LocalInstant(checked_add(t.ns_, d.ns()));
  }
  friend LocalInstant operator-(LocalInstant t, Duration d) {
    return LocalInstant(checked_sub(t.ns_, d.ns()));
  }
  friend Duration operator-(LocalInstant a, LocalInstant b) {
    return Duration::nanoseconds(checked_sub(a.ns_, b.ns_));
  }
  LocalInstant& operator+=(Duration d) { return *this = *this + d; }
  constexpr auto operator<=>(const LocalInstant&) const = default;

 private:
  constexpr explicit LocalInstant(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

// Parses "150ms", "2.5s", "300us", "10ns", "1m", "1h", "0" (a bare zero only). Decimal fractions
// are exact: "2.5s" is 2'500'000'000 ns, and a fraction finer than a nanosecond is an error.
// Negative durations are accepted only when `allow_negative` (clock jumps backwards).
absl::StatusOr<Duration> parse_duration(std::string_view text, bool allow_negative = false);

// Prints an exact form that parse_duration reads back: the largest of s, ms, us in which the
// value needs at most 3 decimals, else ns. 150ms, 2.5s, 300us, 1.234567ms is "1234.567us", zero
// is "0s"; tests/sim_time_test.cc pins the forms.
std::string format_duration(Duration d);
inline std::string format_instant(Instant t) { return format_duration(t - Instant::zero()); }
// For sentences people read (violation details, fault effects): a whole number of milliseconds
// as format_duration writes it; anything else rounded to the millisecond from 1s up ("25.393s")
// and to the microsecond below ("700.906ms"), so that a time drawn to the nanosecond does not
// print as "25393333.801us". Not exact: machine-readable output keeps the nanoseconds.
std::string format_duration_readable(Duration d);
inline std::string format_instant_readable(Instant t) {
  return format_duration_readable(t - Instant::zero());
}

// A closed range of durations, written "150ms..300ms" (a single value means lo == hi).
struct DurationRange {
  Duration lo;
  Duration hi;
  friend bool operator==(const DurationRange&, const DurationRange&) = default;
};
absl::StatusOr<DurationRange> parse_duration_range(std::string_view text);
std::string format_duration_range(const DurationRange& range);

}  // namespace electsim::sim
