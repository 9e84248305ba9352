#include "reports/svg.h"

#include <charconv>
#include <cmath>

#include "sim/check.h"

namespace electsim::reports {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The Char production of XML 1.0 (5th edition, section 2.2): tab, newline, carriage return and
// everything from U+0020 on, except the surrogates and U+FFFE, U+FFFF.
bool allowed_in_xml(uint32_t code_point) {
  if (code_point < 0x20) return code_point == 0x9 || code_point == 0xA || code_point == 0xD;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return false;
  return code_point != 0xFFFE && code_point != 0xFFFF && code_point <= 0x10FFFF;
}

// The length of the well-formed UTF-8 sequence at `text[at]` and its code point, or 0 when the
// bytes there are not one (RFC 3629, section 4: no overlong forms, no surrogates).
size_t decode_utf8(std::string_view text, size_t at, uint32_t& code_point) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[at + i]); };
  const uint8_t lead = byte(0);
  size_t length = 0;
  uint32_t minimum = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, minimum = 0x80, code_point = lead & 0x1Fu;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, minimum = 0x800, code_point = lead & 0x0Fu;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, minimum = 0x10000, code_point = lead & 0x07u;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3Fu);
  }
  if (code_point < minimum || code_point > 0x10FFFF) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  return length;
}

std::string_view entity_for(char c) {
  switch (c) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    default: return {};
  }
}

}  // namespace

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t at = 0;
  while (at < text.size()) {
    uint32_t code_point = 0;
    const size_t length = decode_utf8(text, at, code_point);
    if (length == 0) {
      out += kReplacement;  // one replacement per bad byte, as WHATWG's decoder does at most
      ++at;
      continue;
    }
    if (!allowed_in_xml(code_point)) {
      out += kReplacement;
    } else if (const std::string_view entity = entity_for(text[at]); !entity.empty()) {
      out += entity;
    } else {
      out.append(text.substr(at, length));
    }
    at += length;
  }
  return out;
}

std::string svg_number(double value) {
  if (!std::isfinite(value)) return "0";
  char buffer[64];
  const auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 2);
  SIM_CHECK(error == std::errc(), "svg_number: a number does not fit 64 characters");
  std::string text(buffer, end);
  // "12.50" -> "12.5", "3.00" -> "3".
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  if (text == "-0") text = "0";
  return text;
}

SvgWriter::SvgWriter(double width, double height, std::string_view title) {
  SIM_CHECK(width > 0 && height > 0, "an SVG picture needs a positive size");
  const std::string view_box = "0 0 " + svg_number(width) + " " + svg_number(height);
  start_tag("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                    {"viewBox", view_box},
                    {"width", width},
                    {"height", height},
                    {"role", "img"},
                    {"font-family", "sans-serif"},
                    {"font-size", 12}});
  out_ += ">\n";
  open_.emplace_back("svg");
  text("title", {}, title);
}

void SvgWriter::append_attribute(std::string_view name, std::string_view value) {
  out_ += " ";
  out_ += name;
  out_ += "=\"";
  out_ += escape_xml(value);
  out_ += "\"";
}

void SvgWriter::append_attributes(SvgAttributes attributes) {
  for (const SvgAttribute& attribute : attributes) {
    append_attribute(attribute.name, attribute.value);
  }
}

void SvgWriter::start_tag(std::string_view name, SvgAttributes attributes) {
  out_ += "<";
  out_ += name;
  append_attributes(attributes);
}

void SvgWriter::open(std::string_view name, SvgAttributes attributes) {
  start_tag(name, attributes);
  out_ += ">\n";
  open_.emplace_back(name);
}

void SvgWriter::close() {
  SIM_CHECK(!open_.empty(), "SvgWriter::close without an open element");
  out_ += "</" + open_.back() + ">\n";
  open_.pop_back();
}

void SvgWriter::element(std::string_view name, SvgAttributes attributes) {
  start_tag(name, attributes);
  out_ += "/>\n";
}

void SvgWriter::text(std::string_view name, SvgAttributes attributes, std::string_view content) {
  start_tag(name, attributes);
  out_ += ">";
  out_ += escape_xml(content);
  out_ += "</";
  out_ += name;
  out_ += ">\n";
}

void SvgWriter::path(std::string_view d, SvgAttributes attributes) {
  out_ += "<path";
  append_attribute("d", d);
  append_attributes(attributes);
  out_ += "/>\n";
}

std::string SvgWriter::finish() {
  while (!open_.empty()) close();
  return std::move(out_);
}

}  // namespace electsim::reports
