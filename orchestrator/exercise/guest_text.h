#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <orchestrator/common/expected.h>

namespace cyrange::exercise {

/// The most of a guest's text (a check's output, a typed line) that a scenario's pattern
/// reads. libstdc++'s std::regex recurses once per character of a match attempt (about 300
/// bytes of stack each): a trainee who is root in their guest could otherwise print 30 KB of
/// spaces after a checked name and overflow cyranged's stack. A check prints far less.
inline constexpr std::size_t kMaxMatchedText = 16 * 1024;

/// Searches the first kMaxMatchedText bytes of `text` for the ECMAScript `pattern` (`$` does
/// not match where a longer text was cut): the matched text, nothing when it does not match,
/// an error when `pattern` is not valid.
Expected<std::optional<std::string>> search_guest_text(std::string_view text,
                                                       const std::string& pattern);

/// `text` made safe to quote in a message, a ledger reason or a log line: control bytes and
/// bytes that are not UTF-8 written as \xNN, at most `max_bytes` bytes of it (cut between
/// characters, then "…").
std::string printable_excerpt(std::string_view text, std::size_t max_bytes = 120);

}  // namespace cyrange::exercise
