#include <orchestrator/scenario/diagnostic.h>

#include <algorithm>

namespace cyrange::scenario {

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

std::string Diagnostic::format() const {
  std::string out = file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                    severity_name(severity) + ": " + message;
  for (const auto& note : notes) out += "\n" + note.format();
  return out;
}

std::string Diagnostic::what() const {
  const std::string suffix = "; " + fix;
  if (!fix.empty() && message.size() >= suffix.size() &&
      message.compare(message.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return message.substr(0, message.size() - suffix.size());
  }
  return message;
}

Diagnostic make_diagnostic(const SourceLocation& loc, Severity severity, const std::string& what,
                           const std::string& fix) {
  Diagnostic d;
  d.file = loc.file;
  d.line = loc.line;
  d.column = loc.column;
  d.end_line = loc.end_line;
  d.end_column = loc.end_column;
  d.severity = severity;
  d.message = what + "; " + fix;
  d.fix = fix;
  return d;
}

Diagnostic make_note(const SourceLocation& loc, const std::string& text) {
  Diagnostic d = make_diagnostic(loc, Severity::note, text, "");
  d.message = text;
  return d;
}

std::string both(const std::string& en, const std::string& ja) { return en + " / " + ja; }

int count(const std::vector<Diagnostic>& diagnostics, Severity severity) {
  return static_cast<int>(
      std::count_if(diagnostics.begin(), diagnostics.end(),
                    [&](const Diagnostic& d) { return d.severity == severity; }));
}

}  // namespace cyrange::scenario
