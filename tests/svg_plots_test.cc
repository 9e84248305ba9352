// Recovery-time CDFs (reports/svg_plots.h; issue 13, acceptance 2): valid XML, one <path> per
// line and nothing else drawn as a path, labelled axes, a log time axis only where the range
// needs it, and lines whose unrecovered windows keep them below 1.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "reports/svg_plots.h"
#include "tests/svg_xml_support.h"

namespace electsim::reports {
namespace {

using ::testing::HasSubstr;
using testing::parse_xml;
using testing::XmlDocument;

sim::Duration ms(int64_t n) { return sim::Duration::milliseconds(n); }

CdfSeries series(std::string label, std::vector<sim::Duration> values, uint64_t unrecovered = 0) {
  return CdfSeries{std::move(label), std::move(values), unrecovered};
}

XmlDocument parsed(const std::string& svg) {
  XmlDocument xml = parse_xml(svg);
  EXPECT_TRUE(xml.well_formed) << xml.error << "\n" << svg;
  return xml;
}

// The last vertical position a path reaches: its last "V" command's value.
double last_v(const std::string& d) {
  const size_t v = d.rfind('V');
  return std::stod(d.substr(v + 1));
}

TEST(SvgCdf, OnePathPerLineInOrderWithLabelledAxes) {
  const std::vector<CdfSeries> lines = {
      series("raft", {ms(150), ms(210), ms(180), ms(300)}),
      series("raft+prevote", {ms(160), ms(200), ms(250)}),
      series("bully", {ms(120), ms(130)})};
  const XmlDocument xml = parsed(recovery_cdf_svg(lines, "Recovery after a leader crash"));
  EXPECT_EQ(xml.count("path"), 3u);
  const auto paths = xml.with("data-series");
  ASSERT_EQ(paths.size(), 3u);
  EXPECT_EQ(paths[0]->attributes.at("data-series"), "raft");
  EXPECT_EQ(paths[1]->attributes.at("data-series"), "raft+prevote");
  EXPECT_EQ(paths[2]->attributes.at("data-series"), "bully");
  // Every line has its own colour.
  EXPECT_NE(paths[0]->attributes.at("stroke"), paths[1]->attributes.at("stroke"));
  EXPECT_NE(paths[1]->attributes.at("stroke"), paths[2]->attributes.at("stroke"));
  EXPECT_EQ(xml.with("data-label", "x").size(), 1u);
  EXPECT_EQ(xml.with("data-label", "y").size(), 1u);
  EXPECT_TRUE(xml.has_text("recovery time"));
  EXPECT_TRUE(xml.has_text("fraction of windows recovered"));
  EXPECT_TRUE(xml.has_text("Recovery after a leader crash"));
  // 120ms..300ms is a ratio of 2.5: a linear axis, with millisecond tick labels.
  EXPECT_EQ(xml.with("data-scale", "linear").size(), 2u);
  EXPECT_TRUE(xml.has_text("100ms"));
  EXPECT_TRUE(xml.has_text("raft: 4 windows, median 180ms"));
}

TEST(SvgCdf, LogTimeAxisWhenTheRangeSpansMoreThanTwentyFold) {
  const std::vector<CdfSeries> lines = {series("fast", {ms(12), ms(20)}),
                                        series("slow", {ms(300), ms(2000)})};
  const XmlDocument xml = parsed(recovery_cdf_svg(lines, "wide"));
  const auto x_axis = xml.with("data-axis", "x");
  ASSERT_EQ(x_axis.size(), 1u);
  EXPECT_EQ(x_axis[0]->attributes.at("data-scale"), "log");
  EXPECT_TRUE(xml.has_text("recovery time (log scale)"));
  EXPECT_TRUE(xml.has_text("100ms"));
  EXPECT_TRUE(xml.has_text("1s"));
  // Exactly 20-fold stays linear.
  const XmlDocument edge = parsed(recovery_cdf_svg(
      std::vector<CdfSeries>{series("a", {ms(10), ms(200)})}, "edge"));
  EXPECT_EQ(edge.with("data-axis", "x")[0]->attributes.at("data-scale"), "linear");
}

TEST(SvgCdf, UnrecoveredWindowsKeepTheLineBelowOne) {
  // Two lines with the same recovered times; the second has as many windows that never
  // recovered, so it ends halfway up.
  const std::vector<CdfSeries> lines = {series("all", {ms(100), ms(200)}),
                                        series("half", {ms(100), ms(200)}, 2)};
  const XmlDocument xml = parsed(recovery_cdf_svg(lines, "unrecovered"));
  const auto paths = xml.with("data-series");
  ASSERT_EQ(paths.size(), 2u);
  const double top_all = last_v(paths[0]->attributes.at("d"));
  const double top_half = last_v(paths[1]->attributes.at("d"));
  // y grows downwards: the plot's 1 is above (smaller than) its 0.5.
  EXPECT_LT(top_all, top_half);
  const auto start = [](const std::string& d) {
    return std::stod(d.substr(d.find(' ') + 1, d.find('H') - d.find(' ') - 1));
  };
  const double bottom = start(paths[0]->attributes.at("d"));
  EXPECT_NEAR(top_half, (bottom + top_all) / 2, 0.02);
  EXPECT_TRUE(xml.has_text("half: 4 windows, median 100ms, 2 never recovered (the line stops "
                           "at 0.5)"));
}

TEST(SvgCdf, EmptyLinesAndHostileLabelsStillMakeValidXml) {
  const std::vector<CdfSeries> lines = {series("<script>&\"'", {}),
                                        series("none recovered", {}, 3),
                                        series("bad\x01utf8\xff", {ms(5)})};
  const std::string svg = recovery_cdf_svg(lines, "labels & <tags>");
  const XmlDocument xml = parsed(svg);
  EXPECT_EQ(xml.count("path"), 3u);
  EXPECT_THAT(svg, ::testing::Not(HasSubstr("<script>")));
  EXPECT_TRUE(xml.has_text("&lt;script&gt;&amp;&quot;&#39;: no disruption windows"));
  EXPECT_TRUE(xml.has_text("none recovered: 3 windows, 3 never recovered (the line stops at 0)"));
}

TEST(SvgCdf, ALineOfManyValuesIsDrawnThroughABoundedNumberOfSteps) {
  std::vector<sim::Duration> values;
  for (int64_t i = 0; i < 50'000; ++i) values.push_back(sim::Duration::microseconds(100 + i));
  const std::vector<CdfSeries> lines = {series("many", values)};
  const XmlDocument xml = parsed(recovery_cdf_svg(lines, "many"));
  const std::string& d = xml.with("data-series")[0]->attributes.at("d");
  const auto verticals = static_cast<size_t>(std::count(d.begin(), d.end(), 'V'));
  EXPECT_EQ(verticals, CdfLayout::kMaxSteps);
  // The last step reaches the top, as a line of one value does.
  const XmlDocument one = parsed(
      recovery_cdf_svg(std::vector<CdfSeries>{series("one", {ms(1)})}, "one"));
  EXPECT_EQ(last_v(d), last_v(one.with("data-series")[0]->attributes.at("d")));
}

}  // namespace
}  // namespace electsim::reports
