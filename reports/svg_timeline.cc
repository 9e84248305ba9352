#include "reports/svg_timeline.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "reports/svg.h"
#include "reports/svg_axis.h"
#include "reports/svg_palette.h"

namespace electsim::reports {
namespace {

constexpr double kWidth = 960;
constexpr double kLeft = 100;   // lane names
constexpr double kRight = 16;
constexpr double kTitleBand = 30;
constexpr double kFaultRow = 14;
constexpr size_t kFaultLabelRows = 3;
constexpr double kLaneHeight = 16;
constexpr double kLanePitch = 20;
constexpr double kAxisBand = 40;
constexpr double kLeaderlessHeight = 90;
constexpr double kLeaderlessBand = kLeaderlessHeight + 44;
constexpr double kLegendBand = 28;
constexpr double kNoteRow = 15;
// An estimate of a label's width (11px sans-serif), to keep fault labels from overlapping.
constexpr double kCharacterWidth = 6.6;
// The narrowest interval drawn, so that a short leadership still shows.
constexpr double kMinimumWidth = 0.75;

// Where everything goes, computed once from the data.
struct Geometry {
  Axis time = Axis::linear(0, 1, kLeft, kWidth - kRight);  // seconds of true time
  double lanes_top = 0;
  double lanes_bottom = 0;
  double leaderless_top = 0;  // 0 without the leaderless chart
  double legend_top = 0;
  double notes_top = 0;
  double height = 0;
  std::vector<int> fault_label_rows;  // by fault: the row of its label, -1 for none

  double x(sim::Instant at) const { return time.pixel(static_cast<double>(at.ns()) / 1e9); }
  double lane_y(uint32_t lane) const { return lanes_top + kLanePitch * lane; }
};

// The notes under the picture: what the caps left out, and which processes have lanes.
std::vector<std::string> notes(const TimelineData& data) {
  std::vector<std::string> lines;
  if (data.groups > 1) {
    lines.push_back(absl::StrCat("Lanes: the members of the first ", data.groups_with_lanes,
                                 " of ", data.groups, " groups, then services and the resource (",
                                 data.lanes.size(), " of ", data.processes, " processes)."));
  }
  auto omitted = [&](uint64_t count, std::string_view what) {
    if (count > 0) {
      lines.push_back(absl::StrCat(count, " ", std::string(what), " not drawn (over the cap)."));
    }
  };
  omitted(data.intervals_omitted, "intervals");
  omitted(data.accepted_writes_omitted, "accepted writes");
  omitted(data.refused_writes_omitted, "refused writes");
  omitted(data.faults_omitted, "faults");
  omitted(data.violations_omitted, "violations");
  return lines;
}

// Fault labels go in up to kFaultLabelRows rows above the lanes, each in the first row where
// it does not overlap the previous label; a label with no room is left to the band's tooltip.
std::vector<int> fault_label_rows(const TimelineData& data, const Geometry& g) {
  std::vector<double> row_end(kFaultLabelRows, -1);
  std::vector<int> rows;
  for (const FaultBand& fault : data.faults) {
    const double x = g.x(fault.start);
    const double width = kCharacterWidth * static_cast<double>(fault.label.size() + 4);
    int chosen = -1;
    for (size_t row = 0; row < kFaultLabelRows; ++row) {
      if (row_end[row] < x) {
        chosen = static_cast<int>(row);
        row_end[row] = x + width;
        break;
      }
    }
    rows.push_back(chosen);
  }
  return rows;
}

Geometry geometry(const TimelineData& data, size_t note_lines) {
  Geometry g;
  const double end_seconds = std::max(1e-9, static_cast<double>(data.end.ns()) / 1e9);
  g.time = Axis::linear(0, end_seconds, kLeft, kWidth - kRight);
  g.fault_label_rows = fault_label_rows(data, g);
  // As many label rows as the labels use (the first label always has the first row).
  const int rows_used =
      data.faults.empty()
          ? 0
          : 1 + *std::max_element(g.fault_label_rows.begin(), g.fault_label_rows.end());
  g.lanes_top = kTitleBand + kFaultRow * rows_used + 6;
  g.lanes_bottom = g.lanes_top + kLanePitch * static_cast<double>(data.lanes.size());
  double next = g.lanes_bottom + kAxisBand;
  if (!data.leaderless_max.empty()) {
    g.leaderless_top = next + 14;
    next += kLeaderlessBand;
  }
  g.legend_top = next + 4;
  g.notes_top = g.legend_top + kLegendBand;
  g.height = g.notes_top + kNoteRow * static_cast<double>(note_lines) + 8;
  return g;
}

void draw_lanes(SvgWriter& svg, const TimelineData& data, const Geometry& g) {
  svg.open("g", {{"data-lanes", data.lanes.size()}});
  for (uint32_t lane = 0; lane < data.lanes.size(); ++lane) {
    const TimelineLane& info = data.lanes[lane];
    const double y = g.lane_y(lane);
    svg.element("rect", {{"x", kLeft}, {"y", y}, {"width", kWidth - kRight - kLeft},
                         {"height", kLaneHeight}, {"fill", "#F4F4F4"},
                         {"data-lane", info.name}, {"data-kind", info.kind}});
    svg.text("text", {{"x", kLeft - 6}, {"y", y + 12}, {"text-anchor", "end"}}, info.name);
  }
  svg.close();
}

void draw_fault_bands(SvgWriter& svg, const TimelineData& data, const Geometry& g) {
  const std::vector<int>& rows = g.fault_label_rows;
  svg.open("g", {{"data-faults", data.faults.size()}});
  for (size_t i = 0; i < data.faults.size(); ++i) {
    const FaultBand& fault = data.faults[i];
    const double start = g.x(fault.start);
    const double end = g.x(fault.end.value_or(data.end));
    const std::string name = absl::StrCat("#", fault.index, " ", fault.label);
    svg.open("g", {{"data-fault", fault.index}});
    svg.text("title", {}, fault.end ? name : name + " (until the end of the run)");
    // A fault that healed shades the lanes while it was in force. One that never ends (a crash
    // without restart, a clock change kept) gets only a strip above the lanes to the end of the
    // run, so that several of them do not bury the lanes under their shading.
    const bool healed = fault.end.has_value();
    svg.element("rect", {{"x", start}, {"y", healed ? g.lanes_top - 2 : g.lanes_top - 5},
                         {"width", std::max(kMinimumWidth, end - start)},
                         {"height", healed ? g.lanes_bottom - g.lanes_top + 2 : 3},
                         {"fill", kFaultColour}, {"fill-opacity", healed ? 0.18 : 0.6}});
    svg.element("line", {{"x1", start}, {"y1", kTitleBand}, {"x2", start}, {"y2", g.lanes_bottom},
                         {"stroke", kFaultColour}, {"stroke-width", 1.5}});
    if (rows[i] >= 0) {
      svg.text("text", {{"x", start + 3}, {"y", kTitleBand + kFaultRow * (rows[i] + 1) - 3},
                        {"font-size", 11}},
               name);
    }
    svg.close();
  }
  svg.close();
}

void draw_interval(SvgWriter& svg, const LaneInterval& interval, const Geometry& g) {
  const double x = g.x(interval.start);
  const double width = std::max(kMinimumWidth, g.x(interval.end) - x);
  const double y = g.lane_y(interval.lane);
  const char* state = lane_state_name(interval.state);
  switch (interval.state) {
    case LaneState::kLeader:
      svg.element("rect", {{"x", x}, {"y", y + 1}, {"width", width}, {"height", kLaneHeight - 2},
                           {"fill", series_colour(interval.epoch)}, {"data-state", state},
                           {"data-epoch", interval.epoch}});
      if (width > 30) {
        svg.text("text", {{"x", x + 3}, {"y", y + 12}, {"font-size", 10}, {"fill", "#FFFFFF"}},
                 absl::StrCat("e", interval.epoch));
      }
      return;
    case LaneState::kFollower:
      svg.element("rect", {{"x", x}, {"y", y + 6}, {"width", width}, {"height", 4},
                           {"fill", series_colour(interval.epoch)}, {"fill-opacity", 0.5},
                           {"data-state", state}, {"data-epoch", interval.epoch}});
      return;
    case LaneState::kDown:
      svg.element("rect", {{"x", x}, {"y", y}, {"width", width}, {"height", kLaneHeight},
                           {"fill", kDownColour}, {"data-state", state}});
      return;
    case LaneState::kPaused:
      svg.element("rect", {{"x", x}, {"y", y}, {"width", width}, {"height", kLaneHeight},
                           {"fill", kPausedColour}, {"fill-opacity", 0.6},
                           {"stroke", kDownColour}, {"stroke-dasharray", "3 2"},
                           {"data-state", state}});
      return;
  }
}

void draw_intervals(SvgWriter& svg, const TimelineData& data, const Geometry& g) {
  svg.open("g", {{"data-intervals", data.intervals.size()}});
  // Leaders and followers first, so that down and paused periods show on top of them.
  for (const bool status : {false, true}) {
    for (const LaneInterval& interval : data.intervals) {
      const bool is_status =
          interval.state == LaneState::kDown || interval.state == LaneState::kPaused;
      if (is_status == status) draw_interval(svg, interval, g);
    }
  }
  svg.close();
}

void draw_writes(SvgWriter& svg, const TimelineData& data, const Geometry& g) {
  svg.open("g", {{"data-writes", data.writes.size()}, {"stroke-width", 1.2}});
  for (const WriteMark& write : data.writes) {
    const double x = g.x(write.time);
    const double y = g.lane_y(write.lane);
    // Accepted writes tick the lane's foot, refused ones its head.
    const double from = write.accepted ? y + kLaneHeight - 4 : y - 2;
    svg.element("line", {{"x1", x}, {"y1", from}, {"x2", x}, {"y2", from + 5},
                         {"stroke", write.accepted ? kAcceptedWriteColour : kRefusedWriteColour},
                         {"data-write", write.accepted ? "accepted" : "refused"}});
  }
  svg.close();
}

void draw_violations(SvgWriter& svg, const TimelineData& data, const Geometry& g) {
  for (const ViolationMark& violation : data.violations) {
    const double x = g.x(violation.time);
    svg.open("g", {{"data-violation", violation.check}, {"stroke", kViolationColour}});
    svg.text("title", {}, absl::StrCat(violation.check, " at ",
                                       duration_tick_label(static_cast<double>(
                                           violation.time.ns())),
                                       ": ", violation.detail));
    svg.element("line", {{"x1", x}, {"y1", g.lanes_top - 4}, {"x2", x}, {"y2", g.lanes_bottom},
                         {"stroke-width", 1.5}, {"stroke-dasharray", "4 2"}});
    for (const uint32_t lane : violation.lanes) {
      const double y = g.lane_y(lane) + kLaneHeight / 2;
      svg.element("polygon",
                  {{"points", absl::StrCat(svg_number(x), ",", svg_number(y - 6), " ",
                                           svg_number(x + 5), ",", svg_number(y), " ",
                                           svg_number(x), ",", svg_number(y + 6), " ",
                                           svg_number(x - 5), ",", svg_number(y))},
                   {"fill", kViolationColour}});
    }
    svg.close();
  }
}

void draw_time_axis(SvgWriter& svg, const Geometry& g) {
  svg.open("g", {{"data-axis", "time"}});
  const double y = g.lanes_bottom + 4;
  svg.element("line", {{"x1", kLeft}, {"y1", y}, {"x2", kWidth - kRight}, {"y2", y},
                       {"stroke", kAxisColour}});
  for (const double seconds : g.time.tick_values(10)) {
    const double x = g.time.pixel(seconds);
    svg.element("line", {{"x1", x}, {"y1", y}, {"x2", x}, {"y2", y + 4}, {"stroke", kAxisColour}});
    svg.text("text", {{"x", x}, {"y", y + 16}, {"text-anchor", "middle"}},
             svg_number(seconds) + "s");
  }
  svg.text("text", {{"x", (kLeft + kWidth - kRight) / 2}, {"y", y + 32},
                    {"text-anchor", "middle"}, {"data-label", "time"}},
           "true time (seconds)");
  svg.close();
}

// A step line of the most groups without a leader in each slice of time.
void draw_leaderless(SvgWriter& svg, const TimelineData& data, const Geometry& g) {
  if (data.leaderless_max.empty()) return;
  const double top = g.leaderless_top;
  const double bottom = top + kLeaderlessHeight;
  const Axis count = Axis::linear(0, std::max<uint32_t>(1, data.groups), bottom, top);
  svg.open("g", {{"data-leaderless", data.groups}});
  svg.text("text", {{"x", kLeft}, {"y", top - 4}},
           absl::StrCat("groups without a leader (of ", data.groups, "; the most in each ",
                        duration_tick_label(static_cast<double>(data.leaderless_slice.ns())),
                        ")"));
  svg.element("rect", {{"x", kLeft}, {"y", top}, {"width", kWidth - kRight - kLeft},
                       {"height", kLeaderlessHeight}, {"fill", "none"}, {"stroke", kGridColour}});
  for (const double value : count.tick_values(3)) {
    svg.text("text", {{"x", kLeft - 6}, {"y", count.pixel(value) + 4}, {"text-anchor", "end"}},
             svg_number(value));
  }
  std::string d;
  const int64_t slice = data.leaderless_slice.ns();
  for (size_t i = 0; i < data.leaderless_max.size(); ++i) {
    const sim::Instant start = sim::Instant::from_ns(slice * static_cast<int64_t>(i));
    if (start > data.end) break;
    const sim::Instant stop = std::min(data.end, start + data.leaderless_slice);
    const double y = count.pixel(data.leaderless_max[i]);
    absl::StrAppend(&d, i == 0 ? "M" : "L", svg_number(g.x(start)), " ", svg_number(y), "H",
                    svg_number(g.x(stop)));
  }
  svg.path(d, {{"fill", "none"}, {"stroke", kViolationColour}, {"stroke-width", 1.5}});
  svg.close();
}

void draw_legend(SvgWriter& svg, const Geometry& g) {
  struct Key {
    std::string_view label;
    std::string_view colour;
    double opacity;
  };
  const Key keys[] = {{"leader (colour: epoch)", series_colour(1), 1},
                      {"follower", series_colour(1), 0.5},
                      {"down", kDownColour, 1},
                      {"paused", kPausedColour, 0.6},
                      {"fault in force", kFaultColour, 0.35},
                      {"write accepted", kAcceptedWriteColour, 1},
                      {"write refused", kRefusedWriteColour, 1},
                      {"violation", kViolationColour, 1}};
  svg.open("g", {{"data-legend", "timeline"}, {"font-size", 11}});
  double x = kLeft;
  for (const Key& key : keys) {
    svg.element("rect", {{"x", x}, {"y", g.legend_top}, {"width", 14}, {"height", 10},
                         {"fill", key.colour}, {"fill-opacity", key.opacity}});
    svg.text("text", {{"x", x + 18}, {"y", g.legend_top + 9}}, key.label);
    x += 32 + kCharacterWidth * static_cast<double>(key.label.size());
  }
  svg.close();
}

}  // namespace

std::string leadership_timeline_svg(const TimelineData& data, std::string_view title) {
  const std::vector<std::string> note_lines = notes(data);
  const Geometry g = geometry(data, note_lines.size());
  SvgWriter svg(kWidth, g.height, title);
  svg.text("text", {{"x", kLeft}, {"y", 18}, {"font-size", 14}, {"font-weight", "bold"}}, title);
  draw_lanes(svg, data, g);
  draw_fault_bands(svg, data, g);
  draw_intervals(svg, data, g);
  draw_writes(svg, data, g);
  draw_violations(svg, data, g);
  draw_time_axis(svg, g);
  draw_leaderless(svg, data, g);
  draw_legend(svg, g);
  for (size_t i = 0; i < note_lines.size(); ++i) {
    svg.text("text", {{"x", kLeft}, {"y", g.notes_top + kNoteRow * static_cast<double>(i)},
                      {"font-size", 11}, {"data-note", "omitted"}},
             note_lines[i]);
  }
  return svg.finish();
}

}  // namespace electsim::reports
