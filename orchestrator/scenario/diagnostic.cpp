#include <orchestrator/scenario/diagnostic.h>

#include <algorithm>

namespace cyrange::scenario {

std::string Diagnostic::format() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
         (severity == Severity::error ? "error: " : "warning: ") + message;
}

Diagnostic make_diagnostic(const SourceLocation& loc, Severity severity, const std::string& what,
                           const std::string& fix) {
  return Diagnostic{loc.file, loc.line, loc.column, severity, what + "; " + fix};
}

int count(const std::vector<Diagnostic>& diagnostics, Severity severity) {
  return static_cast<int>(
      std::count_if(diagnostics.begin(), diagnostics.end(),
                    [&](const Diagnostic& d) { return d.severity == severity; }));
}

}  // namespace cyrange::scenario
