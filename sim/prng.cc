#include "sim/prng.h"

#include <cmath>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace electsim::sim {

Rng::Rng(uint64_t seed) {
  SplitMix64 mixer{seed};
  for (uint64_t& word : s_) word = mixer.next();
}

Rng Rng::from_state(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
  Rng rng;
  rng.s_[0] = s0;
  rng.s_[1] = s1;
  rng.s_[2] = s2;
  rng.s_[3] = s3;
  return rng;
}

Rng Rng::stream(uint64_t seed, uint64_t id) {
  // BUILD-NOTES.md §7: splitmix64(master_seed ^ splitmix64(stream_id)).
  SplitMix64 id_mixer{id};
  SplitMix64 seed_mixer{seed ^ id_mixer.next()};
  return Rng(seed_mixer.next());
}

bool Rng::chance(const Ratio& ratio) {
  if (ratio.num == 0) return false;
  if (ratio.num >= ratio.den) return true;
  return below(ratio.den) < ratio.num;
}

double portable_log(double x) {
  SIM_CHECK(x > 0, "portable_log needs a positive argument");
  int exponent = 0;
  double mantissa = std::frexp(x, &exponent);  // x = mantissa * 2^exponent, mantissa in [0.5, 1)
  if (mantissa < 0.7071067811865476) {
    mantissa *= 2;
    exponent -= 1;
  }
  // log(m) = 2 atanh(s) with s = (m-1)/(m+1), |s| < 0.172: the series converges fast.
  const double s = (mantissa - 1) / (mantissa + 1);
  const double s2 = s * s;
  double term = s;
  double sum = 0;
  for (int k = 1; k < 40; k += 2) {
    sum += term / k;
    term *= s2;
  }
  constexpr double kLn2 = 0.6931471805599453;
  return 2 * sum + exponent * kLn2;
}

int64_t Rng::normal_ns(Duration mean, Duration stddev) {
  double u = 0;
  double v = 0;
  double s = 0;
  do {  // Marsaglia polar method; the loop ends with probability pi/4 per round.
    u = 2 * unit_double() - 1;
    v = 2 * unit_double() - 1;
    s = u * u + v * v;
  } while (s >= 1 || s == 0);
  const double standard = u * std::sqrt(-2 * portable_log(s) / s);  // sqrt is exactly rounded
  const double value = static_cast<double>(mean.ns()) + standard * static_cast<double>(stddev.ns());
  return static_cast<int64_t>(std::llround(value));
}

Duration Rng::normal_clamped(Duration mean, Duration stddev, Duration min) {
  return std::max(Duration::nanoseconds(normal_ns(mean, stddev)), min);
}

Duration Rng::normal_redrawn(Duration mean, Duration stddev, Duration min) {
  for (int attempt = 0; attempt < kMaxRedraws; ++attempt) {
    const int64_t ns = normal_ns(mean, stddev);
    if (ns >= min.ns()) return Duration::nanoseconds(ns);
  }
  return min;
}

Duration Rng::exponential(Duration mean) {
  const double u = 1.0 - unit_double();  // in (0, 1]
  const double value = -portable_log(u) * static_cast<double>(mean.ns());
  return Duration::nanoseconds(static_cast<int64_t>(std::llround(value)));
}

absl::StatusOr<Ratio> parse_ratio(std::string_view text) {
  auto error = [&]() {
    return absl::InvalidArgumentError(absl::StrCat(
        "expected a probability such as 0.01, 1% or 1/100 between 0 and 1, got '",
        std::string(text), "'"));
  };
  if (text.empty()) return error();
  Ratio ratio;
  if (const size_t slash = text.find('/'); slash != std::string_view::npos) {
    if (!absl::SimpleAtoi(absl::string_view(text.data(), slash), &ratio.num) ||
        !absl::SimpleAtoi(absl::string_view(text.data() + slash + 1, text.size() - slash - 1),
                          &ratio.den) ||
        ratio.den == 0)
      return error();
  } else {
    std::string_view digits = text;
    uint64_t extra_den = 1;
    if (digits.back() == '%') {
      digits.remove_suffix(1);
      extra_den = 100;
    }
    const size_t dot = digits.find('.');
    std::string_view whole = digits.substr(0, dot);
    std::string_view fraction = dot == std::string_view::npos ? "" : digits.substr(dot + 1);
    if (whole.empty() && fraction.empty()) return error();
    if (whole.size() + fraction.size() > 15) return error();
    ratio.num = 0;
    ratio.den = extra_den;
    for (char c : whole) {
      if (c < '0' || c > '9') return error();
      ratio.num = ratio.num * 10 + static_cast<uint64_t>(c - '0');
    }
    for (char c : fraction) {
      if (c < '0' || c > '9') return error();
      ratio.num = ratio.num * 10 + static_cast<uint64_t>(c - '0');
      ratio.den *= 10;
    }
  }
  if (ratio.num > ratio.den) return error();
  return ratio;
}

std::string format_ratio(const Ratio& ratio) {
  if (ratio.num == 0) return "0";
  if (ratio.num == ratio.den) return "1";
  return absl::StrCat(ratio.num, "/", ratio.den);
}

}  // namespace electsim::sim
