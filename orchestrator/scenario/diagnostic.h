#pragma once

#include <string>
#include <vector>

namespace cyrange::scenario {

/// Where something was written: file and 1-based line and column (0 when unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

/// How bad a finding is: errors make a scenario unusable, warnings do not.
enum class Severity { error, warning };

/// One finding about a scenario file.
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  Severity severity = Severity::error;
  std::string message;  ///< "what is wrong; how to fix it"

  /// "FILE:LINE:COL: error: what is wrong; how to fix it" (or "warning:").
  std::string format() const;
};

/// Builds a diagnostic at `loc`; `what` and `fix` are joined with "; ".
Diagnostic make_diagnostic(const SourceLocation& loc, Severity severity, const std::string& what,
                           const std::string& fix);

/// Number of diagnostics with the given severity.
int count(const std::vector<Diagnostic>& diagnostics, Severity severity);

}  // namespace cyrange::scenario
