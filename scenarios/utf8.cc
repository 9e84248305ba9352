#include "scenarios/utf8.h"

#include "absl/strings/str_format.h"

namespace electsim::scenarios {
namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The length of the valid sequence starting at `at`, or 0 when it is not valid.
size_t sequence_length(std::string_view text, size_t at) {
  const auto byte = static_cast<unsigned char>(text[at]);
  if (byte < 0x80) return 1;
  size_t length = 0;
  uint32_t code_point = 0;
  if ((byte & 0xE0) == 0xC0) {
    length = 2;
    code_point = byte & 0x1Fu;
  } else if ((byte & 0xF0) == 0xE0) {
    length = 3;
    code_point = byte & 0x0Fu;
  } else if ((byte & 0xF8) == 0xF0) {
    length = 4;
    code_point = byte & 0x07u;
  } else {
    return 0;
  }
  if (at + length > text.size()) return 0;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[at + i]);
    if (!is_continuation(next)) return 0;
    code_point = (code_point << 6) | (next & 0x3Fu);
  }
  // The shortest form only, no UTF-16 surrogates, nothing past the last code point.
  static constexpr uint32_t kSmallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kSmallest[length]) return 0;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return 0;
  if (code_point > 0x10FFFF) return 0;
  return length;
}

}  // namespace

std::optional<size_t> first_invalid_utf8(std::string_view text) {
  size_t at = 0;
  while (at < text.size()) {
    const size_t length = sequence_length(text, at);
    if (length == 0) return at;
    at += length;
  }
  return std::nullopt;
}

std::string invalid_utf8_message(std::string_view text, size_t offset) {
  return absl::StrFormat("not valid UTF-8 (byte 0x%02x at offset %d)",
                         static_cast<unsigned char>(text[offset]), offset);
}

}  // namespace electsim::scenarios
