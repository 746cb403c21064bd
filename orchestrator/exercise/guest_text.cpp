#include <orchestrator/exercise/guest_text.h>

#include <regex>

#include <fmt/format.h>

namespace cyrange::exercise {
namespace {

// Length of the UTF-8 character starting at text[i], or 0 when the bytes there are not one.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t n = 0;
  if (lead >= 0xC2 && lead <= 0xDF)
    n = 2;
  else if (lead >= 0xE0 && lead <= 0xEF)
    n = 3;
  else if (lead >= 0xF0 && lead <= 0xF4)
    n = 4;
  if (n == 0 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  // U+0080..U+009F are control characters too (0xC2 0x9B is a terminal's CSI).
  if (lead == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) return 0;
  return n;
}

}  // namespace

Expected<std::optional<std::string>> search_guest_text(std::string_view text,
                                                       const std::string& pattern) {
  const std::string_view read = text.substr(0, kMaxMatchedText);
  try {
    const std::regex compiled(pattern);
    std::match_results<std::string_view::const_iterator> match;
    // Where the text is cut, it does not end: `$` must not match there.
    const auto flags = read.size() < text.size() ? std::regex_constants::match_not_eol
                                                 : std::regex_constants::match_default;
    if (!std::regex_search(read.begin(), read.end(), match, compiled, flags))
      return std::optional<std::string>();
    return std::optional<std::string>(match.str());
  } catch (const std::regex_error& e) {
    return make_error(ErrorCode::invalid_argument,
                      "The pattern '" + printable_excerpt(pattern) +
                          "' is not a valid regular expression (" + e.what() + ").",
                      "パターン '" + printable_excerpt(pattern) + "' は正規表現として不正です。");
  }
}

std::string printable_excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::string piece;
    std::size_t used = 1;
    if (byte >= 0x20 && byte < 0x7F) {
      piece.assign(1, text[i]);
    } else if (const std::size_t n = byte >= 0x80 ? utf8_length(text, i) : 0; n > 0) {
      piece.assign(text.substr(i, n));
      used = n;
    } else {
      piece = fmt::format("\\x{:02x}", byte);
    }
    if (out.size() + piece.size() > max_bytes) return out + "…";
    out += piece;
    i += used;
  }
  return out;
}

}  // namespace cyrange::exercise
