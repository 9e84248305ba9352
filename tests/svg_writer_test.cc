// The SVG writer (reports/svg.h): escaping of text that comes from users, numbers printed the
// same way everywhere, and documents that are well-formed XML whatever is put in them. Also the
// test's own XML checker (tests/svg_xml_support.h), which must refuse what is not XML, or the
// picture tests that rely on it would prove nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "reports/svg.h"
#include "reports/svg_axis.h"
#include "tests/svg_xml_support.h"

namespace electsim::reports {
namespace {

using testing::parse_xml;

TEST(SvgEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(escape_xml(R"(a<b>&"c"'d')"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(escape_xml("plain text"), "plain text");
}

TEST(SvgEscape, ReplacesWhatXmlCannotCarry) {
  const std::string replacement = "\xEF\xBF\xBD";
  // Control characters other than tab, newline and carriage return.
  EXPECT_EQ(escape_xml(std::string("a\x01" "b\x1f" "c", 5)),
            "a" + replacement + "b" + replacement + "c");
  EXPECT_EQ(escape_xml(std::string("a\0b", 3)), "a" + replacement + "b");
  EXPECT_EQ(escape_xml("tab\tnewline\n"), "tab\tnewline\n");
  // Invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong '/', a surrogate.
  EXPECT_EQ(escape_xml("x\x80y"), "x" + replacement + "y");
  EXPECT_EQ(escape_xml("x\xE2\x82"), "x" + replacement + replacement);
  EXPECT_EQ(escape_xml("\xC0\xAF"), replacement + replacement);
  EXPECT_EQ(escape_xml("\xED\xA0\x80"), replacement + replacement + replacement);
  // U+FFFE is UTF-8 but not an XML character.
  EXPECT_EQ(escape_xml("\xEF\xBF\xBE"), replacement);
  // Valid multi-byte characters pass unchanged: e-acute, the euro sign, an emoji.
  EXPECT_EQ(escape_xml("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
            "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST(SvgNumber, FixedTwoDecimalsWithoutTrailingZeros) {
  EXPECT_EQ(svg_number(12.5), "12.5");
  EXPECT_EQ(svg_number(3.0), "3");
  EXPECT_EQ(svg_number(-0.25), "-0.25");
  EXPECT_EQ(svg_number(1.0 / 3.0), "0.33");
  EXPECT_EQ(svg_number(123456.789), "123456.79");
  EXPECT_EQ(svg_number(-0.001), "0");  // rounds to -0.00, printed without the sign
  EXPECT_EQ(svg_number(std::numeric_limits<double>::quiet_NaN()), "0");
  EXPECT_EQ(svg_number(std::numeric_limits<double>::infinity()), "0");
}

TEST(SvgWriter, WritesAWellFormedDocumentWithAViewBox) {
  SvgWriter svg(200, 100.5, "a <title> & more");
  svg.open("g", {{"data-name", "group \"one\""}});
  svg.element("rect", {{"x", 1.256}, {"y", 2}, {"width", uint64_t{30}}, {"height", 4}});
  svg.text("text", {{"x", 0}}, "label <b>&amp;</b> \x01");
  svg.path("M0 0H10", {{"stroke", "#000000"}});
  // finish() closes the open <g> and the <svg>.
  const std::string document = svg.finish();

  const testing::XmlDocument xml = parse_xml(document);
  ASSERT_TRUE(xml.well_formed) << xml.error << "\n" << document;
  ASSERT_FALSE(xml.elements.empty());
  const testing::XmlElement& root = xml.elements.front();
  EXPECT_EQ(root.name, "svg");
  EXPECT_EQ(root.attributes.at("viewBox"), "0 0 200 100.5");
  EXPECT_EQ(root.attributes.at("xmlns"), "http://www.w3.org/2000/svg");
  EXPECT_EQ(xml.count("title"), 1u);
  EXPECT_TRUE(xml.has_text("a &lt;title&gt; &amp; more"));
  EXPECT_EQ(xml.with("data-name", "group &quot;one&quot;").size(), 1u);
  EXPECT_EQ(xml.with("x", "1.26").size(), 1u);
  EXPECT_EQ(xml.with("width", "30").size(), 1u);
  EXPECT_EQ(xml.with("d", "M0 0H10").size(), 1u);
  EXPECT_TRUE(xml.has_text("label &lt;b&gt;&amp;amp;&lt;/b&gt; \xEF\xBF\xBD"));
}

TEST(SvgXmlChecker, RefusesWhatIsNotXml) {
  EXPECT_TRUE(parse_xml("<a x=\"1\"><b/>text &amp; &#38; &#x26;</a>").well_formed);
  EXPECT_FALSE(parse_xml("<a><b></a></b>").well_formed);
  EXPECT_FALSE(parse_xml("<a>").well_formed);
  EXPECT_FALSE(parse_xml("<a/><b/>").well_formed);
  EXPECT_FALSE(parse_xml("<a x=1/>").well_formed);
  EXPECT_FALSE(parse_xml("<a x=\"1\" x=\"2\"/>").well_formed);
  EXPECT_FALSE(parse_xml("<a x=\"<\"/>").well_formed);
  EXPECT_FALSE(parse_xml("<a>AT&T</a>").well_formed);
  EXPECT_FALSE(parse_xml("<a>&nbsp;</a>").well_formed);
  EXPECT_FALSE(parse_xml(std::string("<a>\x01</a>")).well_formed);
  EXPECT_FALSE(parse_xml("<a></a>trailing").well_formed);
}

TEST(SvgAxis, TicksAreRoundValuesInsideTheAxis) {
  const Axis linear = Axis::linear(0, 15, 0, 150);
  EXPECT_EQ(linear.tick_values(6), (std::vector<double>{0, 5, 10, 15}));
  EXPECT_EQ(linear.tick_values(10), (std::vector<double>{0, 2, 4, 6, 8, 10, 12, 14}));
  EXPECT_DOUBLE_EQ(linear.pixel(7.5), 75);
  EXPECT_DOUBLE_EQ(linear.pixel(-1), 0);  // clamped
  // Two decades: powers of ten with their 2 and 5 multiples.
  const Axis log = Axis::logarithmic(3, 300, 0, 100);
  EXPECT_EQ(log.tick_values(), (std::vector<double>{5, 10, 20, 50, 100, 200}));
  EXPECT_DOUBLE_EQ(log.pixel(30), 50);
  EXPECT_DOUBLE_EQ(log.pixel(0), 0);  // zero sits at the start of a log axis
  EXPECT_EQ(duration_tick_label(1.5e9), "1.5s");
  EXPECT_EQ(duration_tick_label(12e6), "12ms");
  EXPECT_EQ(duration_tick_label(250e3), "250us");
  EXPECT_EQ(duration_tick_label(0), "0");
}

}  // namespace
}  // namespace electsim::reports
