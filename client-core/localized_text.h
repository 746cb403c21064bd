#pragma once

#include <string>

namespace cyrange::client {

/// The languages cyrange's users read.
enum class Language { ja, en };

/// A text a person reads, in both languages; a client shows the one its user chose.
struct LocalizedText {
  std::string ja;
  std::string en;

  /// The text in `language`, or the other one when that side is missing.
  const std::string& in(Language language) const {
    const std::string& wanted = language == Language::ja ? ja : en;
    return wanted.empty() ? (language == Language::ja ? en : ja) : wanted;
  }
  /// True when neither language has text.
  bool empty() const { return ja.empty() && en.empty(); }
  bool operator==(const LocalizedText&) const = default;
};

}  // namespace cyrange::client
