// One self-contained HTML page (issue 13, "One self-contained HTML report"): inline CSS, inline
// SVG, no script, no font, stylesheet or image fetched from anywhere. A Content-Security-Policy
// meta element forbids every fetch, so even a mistake cannot make the page reach the network.
// It is a page an engineer sends to a colleague: readable in any browser without electsim.
//
// Everything that comes from a user (scenario names, fault labels, parameter values) is escaped
// with html_escape(); section bodies are HTML that their builders made from escaped pieces.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/run_result.h"

namespace electsim::reports {

// & < > " ' escaped; characters XML 1.0 cannot carry and invalid UTF-8 replaced by U+FFFD (the
// same rules as the SVG writer's escape_xml, so text is safe in element content and in quoted
// attributes).
std::string html_escape(std::string_view text);

struct HtmlSection {
  std::string id;         // the anchor ("timeline"); made safe when rendered
  std::string title;      // plain text, escaped when rendered
  std::string body_html;  // already HTML
};

struct HtmlPage {
  std::string title;  // plain text
  std::vector<HtmlSection> sections;
  BuildInfo build;
  // The resolved parameters (name, value as text), shown in the footer beside the version.
  std::vector<std::pair<std::string, std::string>> parameters;
};

// The whole document: <!DOCTYPE html>, a contents list linking each section, the sections in
// order, and a footer with the electsim version and the parameters.
std::string render_html_page(const HtmlPage& page);

// A <table>: a header row, then the rows, every cell escaped. Rows shorter than the header are
// padded with empty cells.
std::string html_table(const std::vector<std::string>& header,
                       const std::vector<std::vector<std::string>>& rows);

// <pre> with escaped text (the events around a violation, as `electsim replay` prints them).
std::string html_preformatted(std::string_view text);
// <code> with escaped text (a reproduce command).
std::string html_code(std::string_view text);
// <p> with escaped text.
std::string html_paragraph(std::string_view text);

// An SVG document (reports/svg.h) made ready to sit inline in the page: the HTML parser gives
// <svg> its namespace by itself, so the xmlns attribute (the only URL in a picture) is dropped,
// and the page holds no URL at all.
std::string html_inline_svg(std::string_view svg);

// "a-z0-9-" only, from `text` (lower-cased, every other run of characters a single "-"), so
// that any heading gives a valid, readable anchor; "section" when nothing is left.
std::string html_anchor(std::string_view text);

}  // namespace electsim::reports
