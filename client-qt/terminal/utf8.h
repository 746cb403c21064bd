#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cyrange::terminal {

/// Code points of a UTF-8 string; each malformed sequence becomes U+FFFD.
std::vector<std::uint32_t> decode_utf8(std::string_view utf8);

/// Appends the UTF-8 encoding of `code_point` (U+FFFD when it is not a scalar value).
void append_utf8(std::string& out, std::uint32_t code_point);

}  // namespace cyrange::terminal
