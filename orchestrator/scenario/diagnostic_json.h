#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include <orchestrator/scenario/diagnostic.h>

namespace cyrange::scenario {

// Diagnostics as JSON for editors and tools (`cyrange scenario validate --json`). Lines and
// columns are 1-based and count characters; the end is exclusive (the column just after
// the offending value). The format is documented in docs/designer-guide.md.

/// One diagnostic: {"file", "line", "column", "end_line", "end_column", "severity",
/// "message", "fix", "notes": [{"file", "line", ..., "severity": "note", "message"}]}.
/// A diagnostic whose end is unknown spans one character.
nlohmann::ordered_json diagnostic_json(const Diagnostic& diagnostic);

/// Every diagnostic of a validation run with their counts: {"diagnostics": [...],
/// "errors": N, "warnings": N}.
nlohmann::ordered_json diagnostics_json(const std::vector<Diagnostic>& diagnostics);

/// The diagnostic that a failure to load `file` stands for: its message is
/// "FILE:LINE:COL: error: what; fix" (load_scenario()); another text is kept whole at 1:1.
Diagnostic failure_diagnostic(const std::string& file, const std::string& message);

}  // namespace cyrange::scenario
