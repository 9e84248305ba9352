// Recovery-time CDFs (issue 13, "Pictures"): one line per algorithm or parameter value, the
// fraction of disruption windows recovered within each time. Windows a run ended in without
// recovering count in the denominator and never as a time, so such a line stops short of 1 and
// the legend says how many did not recover.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/time.h"

namespace electsim::reports {

struct CdfSeries {
  std::string label;                 // "raft", "election_timeout=150ms..300ms"
  std::vector<sim::Duration> values;  // recovery times, any order
  uint64_t unrecovered = 0;           // windows that never recovered
};

// The picture's layout, fixed so that pictures of one report line up.
struct CdfLayout {
  static constexpr double kWidth = 720;
  static constexpr double kPlotHeight = 300;
  // A line of more recovery times than this is drawn through this many of its ranks (evenly
  // spaced, the last one included), so a picture stays small whatever the number of seeds.
  static constexpr size_t kMaxSteps = 1000;
  // A time axis spanning more than this ratio (largest to smallest positive time) is
  // logarithmic, else linear.
  static constexpr double kLogRatio = 20;
};

// An SVG document: each series is exactly one <path data-series="LABEL">, in the order given;
// the axes are labelled (time on x, "fraction of windows recovered" on y) and a legend names
// every line with its count, median and unrecovered windows. Elements carry data-* attributes
// (data-axis, data-scale, data-legend) for tests and scripts.
std::string recovery_cdf_svg(std::span<const CdfSeries> series, std::string_view title);

}  // namespace electsim::reports
