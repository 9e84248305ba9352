#include "reports/svg_axis.h"

#include <algorithm>
#include <cmath>

#include "reports/svg.h"
#include "sim/check.h"

namespace electsim::reports {

Axis::Axis(double low, double high, double pixel_low, double pixel_high, bool log)
    : low_(low), high_(high), pixel_low_(pixel_low), pixel_high_(pixel_high), log_(log) {
  SIM_CHECK(std::isfinite(low) && std::isfinite(high), "an axis needs finite bounds");
  SIM_CHECK(!log || low > 0, "a log axis starts above zero");
}

Axis Axis::linear(double low, double high, double pixel_low, double pixel_high) {
  // An empty range (one value, or none) still gets a visible axis around it.
  if (!(high > low)) high = low + 1;
  return Axis(low, high, pixel_low, pixel_high, false);
}

Axis Axis::logarithmic(double low, double high, double pixel_low, double pixel_high) {
  if (!(high > low)) high = low * 10;
  return Axis(low, high, pixel_low, pixel_high, true);
}

double Axis::pixel(double value) const {
  double fraction = 0;
  if (log_) {
    fraction = value <= low_ ? 0 : std::log10(value / low_) / std::log10(high_ / low_);
  } else {
    fraction = (value - low_) / (high_ - low_);
  }
  fraction = std::clamp(fraction, 0.0, 1.0);
  return pixel_low_ + fraction * (pixel_high_ - pixel_low_);
}

std::vector<double> Axis::tick_values(int target) const {
  std::vector<double> ticks;
  if (log_) {
    const double first_decade = std::floor(std::log10(low_));
    const double last_decade = std::ceil(std::log10(high_));
    const bool fine = last_decade - first_decade <= 3;
    for (double decade = first_decade; decade <= last_decade; ++decade) {
      const double power = std::pow(10.0, decade);
      for (double multiple : {1.0, 2.0, 5.0}) {
        if (multiple != 1.0 && !fine) continue;
        const double value = power * multiple;
        if (value >= low_ * (1 - 1e-9) && value <= high_ * (1 + 1e-9)) ticks.push_back(value);
      }
    }
    return ticks;
  }
  // The 1-2-5 step nearest to range / target.
  const double rough = (high_ - low_) / std::max(1, target);
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  double step = power;
  for (double multiple : {1.0, 2.0, 5.0, 10.0}) {
    step = power * multiple;
    if (step >= rough) break;
  }
  // Bounded: at most (range / step) + 1 ticks, which is about `target`.
  // Each tick is a multiple of the step, computed afresh rather than summed, so no rounding
  // error builds up along the axis.
  const double first = std::ceil(low_ / step - 1e-9);
  for (double k = first; k * step <= high_ + step * 1e-9; ++k) {
    ticks.push_back(k == 0 ? 0 : k * step);
  }
  return ticks;
}

std::string duration_tick_label(double nanoseconds) {
  const double magnitude = std::abs(nanoseconds);
  if (magnitude == 0) return "0";
  if (magnitude >= 1e9) return svg_number(nanoseconds / 1e9) + "s";
  if (magnitude >= 1e6) return svg_number(nanoseconds / 1e6) + "ms";
  if (magnitude >= 1e3) return svg_number(nanoseconds / 1e3) + "us";
  return svg_number(nanoseconds) + "ns";
}

}  // namespace electsim::reports
