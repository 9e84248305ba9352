#include "reports/html_page.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "reports/svg.h"

namespace electsim::reports {
namespace {

// The page's only style: system fonts, readable widths, tables that scroll sideways rather
// than overflow, and pictures that shrink with the window (their viewBox keeps the drawing).
constexpr char kStyle[] = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 0 1.5em 2em; color: #1a1a1a; line-height: 1.4; }
h1 { font-size: 1.6em; margin: 1em 0 0.4em; }
h2 { font-size: 1.25em; margin: 1.6em 0 0.5em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
nav ol { margin: 0.3em 0; padding-left: 1.4em; columns: 2; }
table { border-collapse: collapse; margin: 0.5em 0; display: block; overflow-x: auto; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
pre { background: #f7f7f7; border: 1px solid #ddd; padding: 0.6em; overflow-x: auto;
      font-size: 0.85em; max-height: 32em; }
code { background: #f2f2f2; padding: 0.1em 0.3em; word-break: break-all; }
svg { max-width: 100%; height: auto; display: block; margin: 0.5em 0; }
.verdict { font-weight: bold; font-size: 1.2em; }
.verdict.pass { color: #006e4f; }
.verdict.fail { color: #b00000; }
footer { margin-top: 3em; border-top: 1px solid #ccc; font-size: 0.85em; color: #555; }
footer dl { display: grid; grid-template-columns: max-content auto; gap: 0 1em; }
footer dd { margin: 0; }
)css";

// No fetch of any kind (scripts, styles, fonts, images, frames, connections); the inline style
// element and style attributes are allowed, and nothing else is needed.
constexpr char kContentSecurityPolicy[] =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'";

std::string contents(const std::vector<HtmlSection>& sections) {
  std::string html = "<nav><ol>\n";
  for (const HtmlSection& section : sections) {
    absl::StrAppend(&html, "<li><a href=\"#", html_anchor(section.id), "\">",
                    html_escape(section.title), "</a></li>\n");
  }
  return html + "</ol></nav>\n";
}

std::string footer(const HtmlPage& page) {
  std::string html = absl::StrCat("<footer>\n<p>Written by electsim ",
                                  html_escape(page.build.version), " (commit ",
                                  html_escape(page.build.commit), ").</p>\n");
  if (!page.parameters.empty()) {
    html += "<dl>\n";
    for (const auto& [name, value] : page.parameters) {
      absl::StrAppend(&html, "<dt>", html_escape(name), "</dt><dd>", html_escape(value),
                      "</dd>\n");
    }
    html += "</dl>\n";
  }
  return html + "</footer>\n";
}

}  // namespace

std::string html_escape(std::string_view text) { return escape_xml(text); }

std::string html_inline_svg(std::string_view svg) {
  constexpr std::string_view kNamespace = " xmlns=\"http://www.w3.org/2000/svg\"";
  std::string html(svg);
  if (const size_t at = html.find(kNamespace); at != std::string::npos && at < html.find('>')) {
    html.erase(at, kNamespace.size());
  }
  return html;
}

std::string html_anchor(std::string_view text) {
  std::string anchor;
  for (const char c : text) {
    const bool letter = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    const bool capital = c >= 'A' && c <= 'Z';
    if (letter || capital) {
      anchor += capital ? static_cast<char>(c - 'A' + 'a') : c;
    } else if (!anchor.empty() && anchor.back() != '-') {
      anchor += '-';
    }
  }
  while (!anchor.empty() && anchor.back() == '-') anchor.pop_back();
  return anchor.empty() ? "section" : anchor;
}

std::string render_html_page(const HtmlPage& page) {
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"",
      kContentSecurityPolicy,
      "\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
      html_escape(page.title), "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n<h1>",
      html_escape(page.title), "</h1>\n");
  html += contents(page.sections);
  for (const HtmlSection& section : page.sections) {
    absl::StrAppend(&html, "<section id=\"", html_anchor(section.id), "\">\n<h2>",
                    html_escape(section.title), "</h2>\n", section.body_html, "\n</section>\n");
  }
  html += footer(page);
  return html + "</body>\n</html>\n";
}

std::string html_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows) {
  std::string html = "<table>\n<thead><tr>";
  for (const std::string& cell : header) absl::StrAppend(&html, "<th>", html_escape(cell), "</th>");
  html += "</tr></thead>\n<tbody>\n";
  for (const std::vector<std::string>& row : rows) {
    html += "<tr>";
    const size_t cells = std::max(row.size(), header.size());
    for (size_t i = 0; i < cells; ++i) {
      absl::StrAppend(&html, "<td>", i < row.size() ? html_escape(row[i]) : "", "</td>");
    }
    html += "</tr>\n";
  }
  return html + "</tbody>\n</table>\n";
}

std::string html_preformatted(std::string_view text) {
  return absl::StrCat("<pre>", html_escape(text), "</pre>\n");
}

std::string html_code(std::string_view text) {
  return absl::StrCat("<code>", html_escape(text), "</code>");
}

std::string html_paragraph(std::string_view text) {
  return absl::StrCat("<p>", html_escape(text), "</p>\n");
}

}  // namespace electsim::reports
