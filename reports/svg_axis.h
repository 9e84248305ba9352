// Axes for the pictures (reports/svg_plots.h, reports/svg_timeline.h): where a value goes on the
// page, linear or logarithmic, and round tick values with their labels.
#pragma once

#include <string>
#include <vector>

namespace electsim::reports {

struct AxisTick {
  double value = 0;
  std::string label;
};

// Maps [low, high] onto [pixel_low, pixel_high]; a log axis needs 0 < low < high.
class Axis {
 public:
  static Axis linear(double low, double high, double pixel_low, double pixel_high);
  static Axis logarithmic(double low, double high, double pixel_low, double pixel_high);

  // The pixel of `value`, clamped to the axis (a log axis puts values at or below `low`,
  // zero included, at its start).
  double pixel(double value) const;
  bool is_log() const { return log_; }
  double low() const { return low_; }
  double high() const { return high_; }

  // Tick values inside [low, high]: 1-2-5 steps, about `target` of them, on a linear axis; on a
  // log axis each power of ten, and 2 and 5 times it when the axis spans at most three decades.
  std::vector<double> tick_values(int target = 6) const;

 private:
  Axis(double low, double high, double pixel_low, double pixel_high, bool log);
  double low_, high_, pixel_low_, pixel_high_;
  bool log_;
};

// A duration in nanoseconds as a tick label: "250us", "12ms", "1.5s" (at most two decimals).
std::string duration_tick_label(double nanoseconds);

}  // namespace electsim::reports
