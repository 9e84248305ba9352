// A small SVG writer of our own (issue 13: "no plotting dependency"): elements with attributes,
// text, XML escaping and numbers printed the same way on every machine. What it writes is
// well-formed XML, so a picture can be written alone (an .svg file) or inline in an HTML page.
//
// Text and attribute values may come from users (scenario names, fault labels), so escape_xml()
// escapes the five XML special characters and replaces what XML 1.0 cannot carry (control
// characters, invalid UTF-8, U+FFFE and U+FFFF) with U+FFFD. Numbers go through svg_number():
// at most two decimals, by std::to_chars, which never consults the locale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace electsim::reports {

// `text` with & < > " ' escaped and every character XML 1.0 does not allow replaced by U+FFFD;
// the result is valid UTF-8 and safe in element text and in quoted attribute values, in XML and
// in HTML alike.
std::string escape_xml(std::string_view text);

// "12.5", "3", "-0.25": fixed to two decimals, trailing zeros dropped, never "-0"; NaN and
// infinities (which no picture should contain) print as "0".
std::string svg_number(double value);

// One attribute: a name (ours, never a user's) and a value, escaped when written.
struct SvgAttribute {
  SvgAttribute(std::string_view attribute_name, std::string_view text)
      : name(attribute_name), value(text) {}
  SvgAttribute(std::string_view attribute_name, const char* text)
      : name(attribute_name), value(text) {}
  SvgAttribute(std::string_view attribute_name, const std::string& text)
      : name(attribute_name), value(text) {}
  // Integers print exactly; floating-point numbers through svg_number().
  template <class Number>
    requires std::is_arithmetic_v<Number>
  SvgAttribute(std::string_view attribute_name, Number number) : name(attribute_name) {
    if constexpr (std::is_integral_v<Number>) {
      value = std::to_string(number);
    } else {
      value = svg_number(static_cast<double>(number));
    }
  }

  std::string_view name;
  std::string value;
};
using SvgAttributes = std::initializer_list<SvgAttribute>;

// Builds one <svg> document. Elements nest with open()/close(); leaf elements are element() and
// text(). finish() closes whatever is still open, so the document is always well-formed.
class SvgWriter {
 public:
  // The picture's size in user units; the viewBox is 0 0 width height, so it scales as a whole.
  SvgWriter(double width, double height, std::string_view title);

  void open(std::string_view name, SvgAttributes attributes = {});
  void close();
  // <name attributes/>.
  void element(std::string_view name, SvgAttributes attributes);
  // <name attributes>escaped text</name>.
  void text(std::string_view name, SvgAttributes attributes, std::string_view content);
  // <path d="d" attributes/>, `d` built by the caller from svg_number()s.
  void path(std::string_view d, SvgAttributes attributes);

  // The document, without an XML declaration, so it can be inlined in HTML as it is.
  std::string finish();

 private:
  void append_attribute(std::string_view name, std::string_view value);
  void append_attributes(SvgAttributes attributes);
  void start_tag(std::string_view name, SvgAttributes attributes);

  std::string out_;
  std::vector<std::string> open_;
};

}  // namespace electsim::reports
