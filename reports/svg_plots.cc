#include "reports/svg_plots.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "reports/recovery_distribution.h"
#include "reports/svg.h"
#include "reports/svg_axis.h"
#include "reports/svg_palette.h"

namespace electsim::reports {
namespace {

constexpr double kLeft = 64;
constexpr double kRight = 24;
constexpr double kTop = 36;
constexpr double kAxisBand = 48;    // below the plot: tick labels and the axis title
constexpr double kLegendRow = 18;

struct PlotFrame {
  double left = kLeft;
  double right = CdfLayout::kWidth - kRight;
  double top = kTop;
  double bottom = kTop + CdfLayout::kPlotHeight;
};

// The smallest positive and the largest time over every series (nanoseconds), or (1, 1).
std::pair<double, double> time_range(std::span<const CdfSeries> series) {
  double smallest = 0;
  double largest = 0;
  for (const CdfSeries& line : series) {
    for (const sim::Duration value : line.values) {
      const auto ns = static_cast<double>(value.ns());
      if (ns > 0 && (smallest == 0 || ns < smallest)) smallest = ns;
      largest = std::max(largest, ns);
    }
  }
  if (largest <= 0) return {1, 1};
  return {smallest, largest};
}

Axis time_axis(std::span<const CdfSeries> series, const PlotFrame& frame) {
  const auto [smallest, largest] = time_range(series);
  if (largest / smallest > CdfLayout::kLogRatio) {
    return Axis::logarithmic(smallest, largest, frame.left, frame.right);
  }
  return Axis::linear(0, largest, frame.left, frame.right);
}

// The staircase of one empirical CDF: up by 1/total at each recovery time, then flat to the
// right edge at the fraction recovered (below 1 when some windows never recovered).
std::string cdf_path(const CdfSeries& line, const Axis& x, const Axis& y) {
  std::vector<sim::Duration> sorted = line.values;
  std::sort(sorted.begin(), sorted.end());
  const uint64_t total = sorted.size() + line.unrecovered;
  std::string d = absl::StrCat("M", svg_number(x.pixel(x.low())), " ", svg_number(y.pixel(0)));
  const size_t steps = std::min(sorted.size(), CdfLayout::kMaxSteps);
  for (size_t step = 1; step <= steps; ++step) {
    // The rank this step stands for: every rank when there are few, else evenly spaced ranks
    // ending at the last.
    const size_t rank = sorted.size() <= CdfLayout::kMaxSteps
                            ? step
                            : (step * sorted.size() + steps - 1) / steps;
    const double fraction = static_cast<double>(rank) / static_cast<double>(total);
    absl::StrAppend(&d, "H", svg_number(x.pixel(static_cast<double>(sorted[rank - 1].ns()))),
                    "V", svg_number(y.pixel(fraction)));
  }
  absl::StrAppend(&d, "H", svg_number(x.pixel(x.high())));
  return d;
}

void draw_grid_and_axes(SvgWriter& svg, const Axis& x, const Axis& y, const PlotFrame& frame) {
  svg.open("g", {{"data-axis", "x"}, {"data-scale", x.is_log() ? "log" : "linear"}});
  for (const double value : x.tick_values()) {
    const double at = x.pixel(value);
    svg.element("line", {{"x1", at}, {"y1", frame.top}, {"x2", at}, {"y2", frame.bottom},
                         {"stroke", kGridColour}});
    svg.text("text", {{"x", at}, {"y", frame.bottom + 16}, {"text-anchor", "middle"}},
             duration_tick_label(value));
  }
  svg.element("line", {{"x1", frame.left}, {"y1", frame.bottom}, {"x2", frame.right},
                       {"y2", frame.bottom}, {"stroke", kAxisColour}});
  svg.text("text", {{"x", (frame.left + frame.right) / 2}, {"y", frame.bottom + 38},
                    {"text-anchor", "middle"}, {"data-label", "x"}},
           x.is_log() ? "recovery time (log scale)" : "recovery time");
  svg.close();
  svg.open("g", {{"data-axis", "y"}, {"data-scale", "linear"}});
  for (const double value : {0.0, 0.25, 0.5, 0.75, 1.0}) {
    const double at = y.pixel(value);
    svg.element("line", {{"x1", frame.left}, {"y1", at}, {"x2", frame.right}, {"y2", at},
                         {"stroke", kGridColour}});
    svg.text("text", {{"x", frame.left - 6}, {"y", at + 4}, {"text-anchor", "end"}},
             svg_number(value));
  }
  svg.element("line", {{"x1", frame.left}, {"y1", frame.top}, {"x2", frame.left},
                       {"y2", frame.bottom}, {"stroke", kAxisColour}});
  const double middle = (frame.top + frame.bottom) / 2;
  svg.text("text", {{"x", 16}, {"y", middle}, {"text-anchor", "middle"}, {"data-label", "y"},
                    {"transform", absl::StrCat("rotate(-90 16 ", svg_number(middle), ")")}},
           "fraction of windows recovered");
  svg.close();
}

// "raft: 1000 windows, median 312ms, 12 never recovered (the line stops at 0.99)".
std::string legend_text(const CdfSeries& line) {
  const uint64_t total = line.values.size() + line.unrecovered;
  if (total == 0) return absl::StrCat(line.label, ": no disruption windows");
  std::string text = absl::StrCat(line.label, ": ", total, " windows");
  if (!line.values.empty()) {
    absl::StrAppend(&text, ", median ",
                    duration_tick_label(static_cast<double>(percentiles(line.values).p50.ns())));
  }
  if (line.unrecovered > 0) {
    const double reached = static_cast<double>(line.values.size()) / static_cast<double>(total);
    absl::StrAppend(&text, ", ", line.unrecovered, " never recovered (the line stops at ",
                    svg_number(reached), ")");
  }
  return text;
}

void draw_legend(SvgWriter& svg, std::span<const CdfSeries> series, double top) {
  svg.open("g", {{"data-legend", "cdf"}});
  for (size_t i = 0; i < series.size(); ++i) {
    const double y = top + kLegendRow * static_cast<double>(i);
    svg.element("line", {{"x1", kLeft}, {"y1", y - 4}, {"x2", kLeft + 28}, {"y2", y - 4},
                         {"stroke", series_colour(i)}, {"stroke-width", 2.5},
                         {"stroke-dasharray", series_dashes(i)}});
    svg.text("text", {{"x", kLeft + 36}, {"y", y}}, legend_text(series[i]));
  }
  svg.close();
}

}  // namespace

std::string recovery_cdf_svg(std::span<const CdfSeries> series, std::string_view title) {
  const PlotFrame frame;
  const double legend_top = frame.bottom + kAxisBand + 14;
  const double height = legend_top + kLegendRow * static_cast<double>(series.size()) + 4;
  SvgWriter svg(CdfLayout::kWidth, height, title);
  svg.text("text", {{"x", kLeft}, {"y", 20}, {"font-size", 14}, {"font-weight", "bold"}}, title);
  const Axis x = time_axis(series, frame);
  const Axis y = Axis::linear(0, 1, frame.bottom, frame.top);
  draw_grid_and_axes(svg, x, y, frame);
  svg.open("g", {{"data-lines", "cdf"}, {"fill", "none"}, {"stroke-width", 2}});
  for (size_t i = 0; i < series.size(); ++i) {
    svg.path(cdf_path(series[i], x, y), {{"data-series", series[i].label},
                                         {"stroke", series_colour(i)},
                                         {"stroke-dasharray", series_dashes(i)}});
  }
  svg.close();
  draw_legend(svg, series, legend_top);
  return svg.finish();
}

}  // namespace electsim::reports
