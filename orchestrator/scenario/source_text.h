#pragma once

#include <optional>
#include <string>
#include <variant>

#include <yaml-cpp/yaml.h>

namespace cyrange::scenario {

/// The first byte of a file that a scenario reader cannot take as text, and why.
struct TextProblem {
  int line = 0;    ///< 1-based
  int column = 0;  ///< 1-based, in characters (valid UTF-8 sequences before it count as one)
  std::string what;
  std::string fix;
};

/// Checks that `bytes` are UTF-8 text a YAML reader accepts: no invalid UTF-8 (with a
/// guess at the encoding the file really has: Shift_JIS, EUC-JP, UTF-16), no NUL and no
/// control character other than tab, line feed and carriage return. A UTF-8 byte order
/// mark at the start is fine (strip_bom() removes it). Messages are English / Japanese.
std::optional<TextProblem> check_text(const std::string& bytes);

/// Reads the YAML of `text` (already checked by check_text() and without a BOM): its root
/// node, or the problem that stops it, at the place yaml-cpp stopped (or, for values nested
/// too deep, where the nesting starts), the library's message followed by what it means in
/// plain words and how to fix it.
std::variant<YAML::Node, TextProblem> read_yaml(const std::string& text);

/// Checks `bytes` with check_text() and reads them with read_yaml() (BOM removed).
std::variant<YAML::Node, TextProblem> read_yaml_file(const std::string& bytes);

/// "FILE:LINE:COL: error: what; fix", the text of a problem that stops a file being read.
std::string format_problem(const std::string& file, const TextProblem& problem);

/// `bytes` without a leading UTF-8 byte order mark (EF BB BF), which editors do not count
/// as a column.
std::string strip_bom(const std::string& bytes);

}  // namespace cyrange::scenario
