// The self-contained HTML page (reports/html_page.h): escaped titles and cells, a contents list
// that links every section, the version and parameters in the footer, a policy that forbids
// every fetch, and no URL anywhere, inline pictures included.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "reports/html_page.h"
#include "reports/svg.h"
#include "tests/svg_xml_support.h"

namespace electsim::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

HtmlPage sample_page() {
  HtmlPage page;
  page.title = "run <one> & \"two\"";
  page.build = BuildInfo{"0.1.0", "abc123def456"};
  page.parameters = {{"election_timeout", "150ms..300ms"}, {"<b>", "x&y"}};
  page.sections = {{"verdict", "Verdict", html_paragraph("safety_violation")},
                   {"Time line! (1)", "Timeline <svg>", "<p>body</p>"}};
  return page;
}

TEST(HtmlPage, EscapesTextAndLinksEverySection) {
  const std::string html = render_html_page(sample_page());
  EXPECT_THAT(html, ::testing::StartsWith("<!DOCTYPE html>\n<html lang=\"en\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<title>run &lt;one&gt; &amp; &quot;two&quot;</title>"));
  EXPECT_THAT(html, HasSubstr("<h1>run &lt;one&gt; &amp; &quot;two&quot;</h1>"));
  // Each section has an anchor made safe, and the contents list links it.
  EXPECT_THAT(html, HasSubstr("<section id=\"verdict\">"));
  EXPECT_THAT(html, HasSubstr("<section id=\"time-line-1\">"));
  EXPECT_THAT(html, HasSubstr("<a href=\"#time-line-1\">Timeline &lt;svg&gt;</a>"));
  EXPECT_THAT(html, HasSubstr("<h2>Timeline &lt;svg&gt;</h2>\n<p>body</p>"));
  // The footer: the version and commit, and the parameters escaped.
  EXPECT_THAT(html, HasSubstr("electsim 0.1.0 (commit abc123def456)"));
  EXPECT_THAT(html, HasSubstr("<dt>election_timeout</dt><dd>150ms..300ms</dd>"));
  EXPECT_THAT(html, HasSubstr("<dt>&lt;b&gt;</dt><dd>x&amp;y</dd>"));
  EXPECT_THAT(html, ::testing::EndsWith("</footer>\n</body>\n</html>\n"));
}

TEST(HtmlPage, IsSelfContainedAndForbidsEveryFetch) {
  HtmlPage page = sample_page();
  SvgWriter svg(10, 10, "picture");
  svg.element("rect", {{"width", 5}, {"height", 5}});
  page.sections.push_back({"picture", "Picture", html_inline_svg(svg.finish())});
  const std::string html = render_html_page(page);
  EXPECT_THAT(html, HasSubstr("<meta http-equiv=\"Content-Security-Policy\" "
                              "content=\"default-src 'none'; style-src 'unsafe-inline';"));
  EXPECT_THAT(html, HasSubstr("<style>"));
  EXPECT_THAT(html, HasSubstr("<svg viewBox=\"0 0 10 10\""));
  // No script, no external resource, no URL at all (the SVG namespace is dropped inline).
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  EXPECT_THAT(html, Not(HasSubstr("src=")));
  EXPECT_THAT(html, Not(HasSubstr("http:")));
  EXPECT_THAT(html, Not(HasSubstr("https:")));
  EXPECT_THAT(html, Not(HasSubstr("url(")));
  EXPECT_THAT(html, Not(HasSubstr("@import")));
  // The inline picture is still well-formed XML.
  EXPECT_TRUE(testing::parse_xml(testing::first_svg(html)).well_formed);
}

TEST(HtmlPage, TablesEscapeEveryCellAndPadShortRows) {
  const std::string table = html_table({"name", "value <x>"},
                                       {{"a&b", "<script>alert(1)</script>"}, {"only"}});
  EXPECT_EQ(table,
            "<table>\n<thead><tr><th>name</th><th>value &lt;x&gt;</th></tr></thead>\n<tbody>\n"
            "<tr><td>a&amp;b</td><td>&lt;script&gt;alert(1)&lt;/script&gt;</td></tr>\n"
            "<tr><td>only</td><td></td></tr>\n</tbody>\n</table>\n");
  EXPECT_EQ(html_code("run 'x' --seed 1"), "<code>run &#39;x&#39; --seed 1</code>");
  EXPECT_EQ(html_preformatted("a < b\n"), "<pre>a &lt; b\n</pre>\n");
  EXPECT_EQ(html_escape(std::string("bad\xff")), "bad\xEF\xBF\xBD");
}

TEST(HtmlPage, AnchorsAreLowerCaseLettersDigitsAndDashes) {
  EXPECT_EQ(html_anchor("raft seed 17"), "raft-seed-17");
  EXPECT_EQ(html_anchor("  Zab: worst run!  "), "zab-worst-run");
  EXPECT_EQ(html_anchor("\"><script>"), "script");
  EXPECT_EQ(html_anchor("???"), "section");
  EXPECT_TRUE(std::regex_match(html_anchor("k8s-lease (etcd) #3"), std::regex("[a-z0-9-]+")));
}

}  // namespace
}  // namespace electsim::reports
