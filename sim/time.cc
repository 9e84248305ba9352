#include "sim/time.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace electsim::sim {
namespace {

struct Unit {
  std::string_view suffix;
  int64_t ns;
};
// Longest suffixes first so that "ms" is not read as "m" followed by junk.
constexpr Unit kUnits[] = {{"ns", 1},
                           {"us", 1'000},
                           {"ms", 1'000'000},
                           {"s", 1'000'000'000},
                           {"m", 60'000'000'000},
                           {"h", 3'600'000'000'000}};

std::string quoted(std::string_view text) { return absl::StrCat("'", std::string(text), "'"); }

}  // namespace

absl::StatusOr<Duration> parse_duration(std::string_view text, bool allow_negative) {
  const std::string_view original = text;
  auto error = [&](std::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected a duration with a unit such as 150ms, 2.5s or 300us, got ", quoted(original),
        why.empty() ? "" : absl::StrCat(" (", std::string(why), ")")));
  };
  bool negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    negative = text.front() == '-';
    text.remove_prefix(1);
  }
  if (text == "0") return Duration::zero();
  const Unit* unit = nullptr;
  for (const Unit& candidate : kUnits) {
    if (text.size() > candidate.suffix.size() && text.ends_with(candidate.suffix)) {
      unit = &candidate;
      break;
    }
  }
  if (unit == nullptr) return error("missing or unknown unit; units are ns, us, ms, s, m, h");
  std::string_view number = text.substr(0, text.size() - unit->suffix.size());
  const size_t dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : number.substr(dot + 1);
  if (whole.empty() && fraction.empty()) return error("no digits");
  if (dot != std::string_view::npos && fraction.empty()) return error("no digits after '.'");
  int64_t total = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return error("not a number");
    if (__builtin_mul_overflow(total, 10, &total) || __builtin_add_overflow(total, c - '0', &total))
      return error("too large");
  }
  if (__builtin_mul_overflow(total, unit->ns, &total)) return error("too large");
  int64_t scale = unit->ns;
  for (char c : fraction) {
    if (c < '0' || c > '9') return error("not a number");
    if (scale % 10 != 0) {
      // Past the nanosecond digit only zeros keep the value exact ("1.0ns", "2.5000us").
      if (c != '0') return error("finer than a nanosecond");
      continue;
    }
    scale /= 10;
    if (__builtin_add_overflow(total, (c - '0') * scale, &total)) return error("too large");
  }
  if (negative && !allow_negative && total != 0) return error("must not be negative");
  return Duration::nanoseconds(negative ? -total : total);
}

std::string format_duration(Duration d) {
  // The magnitude as unsigned, so that the most negative duration does not overflow on negation.
  const bool negative = d.ns() < 0;
  const uint64_t ns = negative ? 0 - static_cast<uint64_t>(d.ns()) : static_cast<uint64_t>(d.ns());
  const std::string sign = negative ? "-" : "";
  if (ns == 0) return "0s";
  // Pick the largest unit in which the value has at most 3 decimals.
  struct PrintUnit {
    std::string_view suffix;
    uint64_t ns;
  };
  constexpr PrintUnit kPrintUnits[] = {{"s", 1'000'000'000}, {"ms", 1'000'000}, {"us", 1'000}};
  for (const PrintUnit& unit : kPrintUnits) {
    if (ns < unit.ns || ns % (unit.ns / 1000) != 0) continue;
    const uint64_t whole = ns / unit.ns;
    uint64_t rest = ns % unit.ns;
    if (rest == 0) return absl::StrCat(sign, whole, std::string(unit.suffix));
    std::string digits;
    uint64_t step = unit.ns / 10;
    while (rest != 0) {
      digits.push_back(static_cast<char>('0' + rest / step));
      rest %= step;
      step /= 10;
    }
    return absl::StrCat(sign, whole, ".", digits, std::string(unit.suffix));
  }
  return absl::StrCat(sign, ns, "ns");
}

std::string format_duration_readable(Duration d) {
  constexpr int64_t kMillisecond = 1'000'000;
  const int64_t ns = d.ns();
  if (ns % kMillisecond == 0) return format_duration(d);
  const bool negative = ns < 0;
  // The magnitude, rounded half up, in unsigned arithmetic so that INT64_MIN does not overflow.
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(ns) : static_cast<uint64_t>(ns);
  const uint64_t unit = magnitude >= 1'000'000'000 ? kMillisecond : 1'000;
  const uint64_t rounded = (magnitude / unit + (magnitude % unit >= unit / 2 ? 1 : 0)) * unit;
  const std::string text = format_duration(Duration::nanoseconds(static_cast<int64_t>(rounded)));
  return negative && rounded != 0 ? absl::StrCat("-", text) : text;
}

absl::StatusOr<DurationRange> parse_duration_range(std::string_view text) {
  const size_t dots = text.find("..");
  if (dots == std::string_view::npos) {
    auto single = parse_duration(text);
    if (!single.ok()) return single.status();
    return DurationRange{*single, *single};
  }
  auto lo = parse_duration(text.substr(0, dots));
  if (!lo.ok()) return lo.status();
  auto hi = parse_duration(text.substr(dots + 2));
  if (!hi.ok()) return hi.status();
  if (*lo > *hi) {
    return absl::InvalidArgumentError(absl::StrCat("expected a range lo..hi with lo <= hi, got ",
                                                   quoted(text)));
  }
  return DurationRange{*lo, *hi};
}

std::string format_duration_range(const DurationRange& range) {
  if (range.lo == range.hi) return format_duration(range.lo);
  return absl::StrCat(format_duration(range.lo), "..", format_duration(range.hi));
}

}  // namespace electsim::sim
