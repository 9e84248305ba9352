// A small XML well-formedness checker for the tests of the pictures (no XML library is among the
// project's dependencies, and xmllint is not installed by scripts/setup): one root element, tags
// that nest and close, quoted attributes without '<' and without duplicates, only the five
// predefined entities and numeric character references, no character XML 1.0 forbids. It keeps
// every element with its attributes, its depth and its own text, for tests on the content.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace electsim::testing {

struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;  // values as written (entities not decoded)
  size_t depth = 0;
  std::string text;  // the text directly inside it, as written
};

struct XmlDocument {
  bool well_formed = false;
  std::string error;  // why not, with the byte offset
  std::vector<XmlElement> elements;  // in document order

  size_t count(std::string_view name) const {
    size_t n = 0;
    for (const XmlElement& element : elements) n += element.name == name ? 1 : 0;
    return n;
  }
  // Elements (of any name) that carry `attribute`, and, when `value` is given, with that value.
  std::vector<const XmlElement*> with(std::string_view attribute,
                                      std::string_view value = {}) const {
    std::vector<const XmlElement*> found;
    for (const XmlElement& element : elements) {
      const auto it = element.attributes.find(std::string(attribute));
      if (it != element.attributes.end() && (value.empty() || it->second == value)) {
        found.push_back(&element);
      }
    }
    return found;
  }
  bool has_text(std::string_view text) const {
    for (const XmlElement& element : elements) {
      if (element.text.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

class XmlChecker {
 public:
  explicit XmlChecker(std::string_view text) : text_(text) {}

  XmlDocument parse() {
    skip_space();
    if (text_.substr(at_, 5) == "<?xml") skip_past("?>");
    while (ok() && at_ < text_.size()) step();
    if (ok() && !stack_.empty()) fail("unclosed <" + document_.elements[stack_.back()].name + ">");
    if (ok() && roots_ != 1) fail("expected exactly one root element");
    document_.well_formed = ok();
    return document_;
  }

 private:
  bool ok() const { return document_.error.empty(); }
  void fail(const std::string& why) {
    if (ok()) document_.error = why + " at byte " + std::to_string(at_);
  }
  void skip_space() {
    while (at_ < text_.size() && is_space(text_[at_])) ++at_;
  }
  static bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
  static bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == ':' || c == '.';
  }
  void skip_past(std::string_view end) {
    const size_t found = text_.find(end, at_);
    if (found == std::string_view::npos) return fail("unterminated markup");
    at_ = found + end.size();
  }
  std::string name() {
    const size_t start = at_;
    while (at_ < text_.size() && is_name_char(text_[at_])) ++at_;
    if (at_ == start) fail("expected a name");
    return std::string(text_.substr(start, at_ - start));
  }

  // Character data: no '<' (the caller stops there), entities well-formed, allowed characters.
  void check_characters(std::string_view data) {
    for (size_t i = 0; i < data.size(); ++i) {
      const auto c = static_cast<unsigned char>(data[i]);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return fail("control character");
      if (c != '&') continue;
      const size_t semicolon = data.find(';', i);
      if (semicolon == std::string_view::npos) return fail("'&' without ';'");
      const std::string_view entity = data.substr(i + 1, semicolon - i - 1);
      const bool named = entity == "amp" || entity == "lt" || entity == "gt" ||
                         entity == "quot" || entity == "apos";
      const bool numeric = entity.size() > 1 && entity[0] == '#' &&
                           entity.find_first_not_of("0123456789", 1) == std::string_view::npos;
      const bool hex = entity.size() > 2 && entity.substr(0, 2) == "#x" &&
                       entity.find_first_not_of("0123456789abcdefABCDEF", 2) ==
                           std::string_view::npos;
      if (!named && !numeric && !hex) return fail("unknown entity &" + std::string(entity) + ";");
      i = semicolon;
    }
  }

  void step() {
    if (text_[at_] != '<') return text();
    if (text_.substr(at_, 4) == "<!--") return skip_past("-->");
    if (text_.substr(at_, 2) == "</") return end_tag();
    start_tag();
  }

  void text() {
    const size_t end = std::min(text_.find('<', at_), text_.size());
    const std::string_view data = text_.substr(at_, end - at_);
    check_characters(data);
    if (stack_.empty() && data.find_first_not_of(" \t\r\n") != std::string_view::npos) {
      fail("text outside the root element");
    } else if (!stack_.empty()) {
      document_.elements[stack_.back()].text += std::string(data);
    }
    at_ = end;
  }

  void end_tag() {
    at_ += 2;
    const std::string closed = name();
    skip_space();
    if (!ok() || at_ >= text_.size() || text_[at_] != '>') return fail("bad end tag");
    ++at_;
    if (stack_.empty() || document_.elements[stack_.back()].name != closed) {
      return fail("</" + closed + "> does not close the open element");
    }
    stack_.pop_back();
  }

  void attribute(XmlElement& element) {
    const std::string key = name();
    skip_space();
    if (!ok() || at_ >= text_.size() || text_[at_] != '=') return fail("expected '='");
    ++at_;
    skip_space();
    if (at_ >= text_.size() || (text_[at_] != '"' && text_[at_] != '\'')) {
      return fail("unquoted attribute value");
    }
    const char quote = text_[at_++];
    const size_t end = text_.find(quote, at_);
    if (end == std::string_view::npos) return fail("unterminated attribute value");
    const std::string_view value = text_.substr(at_, end - at_);
    if (value.find('<') != std::string_view::npos) return fail("'<' in an attribute value");
    check_characters(value);
    if (!element.attributes.emplace(key, std::string(value)).second) {
      return fail("duplicate attribute " + key);
    }
    at_ = end + 1;
  }

  void start_tag() {
    ++at_;
    XmlElement element;
    element.name = name();
    element.depth = stack_.size();
    if (stack_.empty() && ++roots_ > 1) return fail("a second root element");
    while (ok()) {
      const size_t before = at_;
      skip_space();
      if (at_ >= text_.size()) return fail("unterminated start tag");
      if (text_.substr(at_, 2) == "/>" || text_[at_] == '>') break;
      if (at_ == before) return fail("attributes must be separated by blanks");
      attribute(element);
    }
    if (!ok()) return;
    const bool empty = text_[at_] == '/';
    at_ += empty ? 2 : 1;
    document_.elements.push_back(std::move(element));
    if (!empty) stack_.push_back(document_.elements.size() - 1);
  }

  std::string_view text_;
  size_t at_ = 0;
  size_t roots_ = 0;
  std::vector<size_t> stack_;  // indices of the open elements
  XmlDocument document_;
};

inline XmlDocument parse_xml(std::string_view text) { return XmlChecker(text).parse(); }

// The first inline <svg>...</svg> of an HTML page (empty if none), to check it as XML.
inline std::string_view first_svg(std::string_view html, size_t from = 0) {
  const size_t start = html.find("<svg", from);
  const size_t end = html.find("</svg>", start == std::string_view::npos ? 0 : start);
  if (start == std::string_view::npos || end == std::string_view::npos) return {};
  return html.substr(start, end + 6 - start);
}

}  // namespace electsim::testing
