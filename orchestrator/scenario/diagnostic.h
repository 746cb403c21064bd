#pragma once

#include <string>
#include <vector>

namespace cyrange::scenario {

/// Where something was written: file, 1-based line and column of its first character
/// (0 when unknown) and the line and column just after its last one (0: not known).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  int end_line = 0;
  int end_column = 0;
};

/// How bad a finding is: errors make a scenario unusable, warnings do not; a note only
/// points at a related place (the first definition of a duplicate) and is never counted.
enum class Severity { error, warning, note };

/// "error", "warning" or "note".
const char* severity_name(Severity severity);

/// One finding about a scenario file.
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  Severity severity = Severity::error;
  std::string message;  ///< "what is wrong; how to fix it"
  std::string fix;      ///< "how to fix it" alone (the end of message); empty for notes
  int end_line = 0;     ///< where the offending value ends (0: not known)
  int end_column = 0;
  std::vector<Diagnostic> notes;  ///< related places, each of severity note

  /// "FILE:LINE:COL: error: what is wrong; how to fix it" (or "warning:"), followed by one
  /// "FILE:LINE:COL: note: ..." line per note.
  std::string format() const;
  /// The message without its fix.
  std::string what() const;
};

/// Builds a diagnostic at `loc`; `what` and `fix` are joined with "; ".
Diagnostic make_diagnostic(const SourceLocation& loc, Severity severity, const std::string& what,
                           const std::string& fix);

/// A note at `loc` saying `text` (e.g. "'lan' is first defined here").
Diagnostic make_note(const SourceLocation& loc, const std::string& text);

/// "English / 日本語": the order of the validator's bilingual messages.
std::string both(const std::string& en, const std::string& ja);

/// Number of diagnostics with the given severity (notes inside them are not counted).
int count(const std::vector<Diagnostic>& diagnostics, Severity severity);

}  // namespace cyrange::scenario
