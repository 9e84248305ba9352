// UTF-8 validation for text that reaches JSON output or a reproduce command: a JSON writer
// refuses invalid UTF-8, so such text is refused where the user gave it, with its position.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace electsim::scenarios {

// The offset of the first byte that does not start or continue a valid UTF-8 sequence
// (overlong forms, surrogates and code points above U+10FFFF count as invalid), or nullopt.
std::optional<size_t> first_invalid_utf8(std::string_view text);

// "not valid UTF-8 (byte 0xff at offset 3)" for text that first_invalid_utf8 refused.
std::string invalid_utf8_message(std::string_view text, size_t offset);

}  // namespace electsim::scenarios
