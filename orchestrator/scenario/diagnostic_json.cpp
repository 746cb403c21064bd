#include <orchestrator/scenario/diagnostic_json.h>

#include <regex>

namespace cyrange::scenario {

nlohmann::ordered_json diagnostic_json(const Diagnostic& d) {
  const bool ends = d.end_line > 0 && (d.end_line > d.line || d.end_column > d.column);
  nlohmann::ordered_json out = {{"file", d.file},
                                {"line", d.line},
                                {"column", d.column},
                                {"end_line", ends ? d.end_line : d.line},
                                {"end_column", ends ? d.end_column : d.column + 1},
                                {"severity", severity_name(d.severity)},
                                {"message", d.what()},
                                {"fix", d.fix},
                                {"notes", nlohmann::ordered_json::array()}};
  for (const auto& note : d.notes) {
    nlohmann::ordered_json n = diagnostic_json(note);
    n.erase("notes");
    n.erase("fix");
    out["notes"].push_back(std::move(n));
  }
  return out;
}

nlohmann::ordered_json diagnostics_json(const std::vector<Diagnostic>& diagnostics) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const auto& d : diagnostics) list.push_back(diagnostic_json(d));
  return {{"diagnostics", std::move(list)},
          {"errors", count(diagnostics, Severity::error)},
          {"warnings", count(diagnostics, Severity::warning)}};
}

Diagnostic failure_diagnostic(const std::string& file, const std::string& message) {
  static const std::regex shape(R"(^(.*):(\d+):(\d+): error: ([^\n]*))");
  std::smatch m;
  Diagnostic d;
  d.file = file;
  d.line = d.column = 1;
  d.message = message;
  if (!std::regex_search(message, m, shape)) return d;
  d.file = m[1];
  d.line = std::stoi(m[2]);
  d.column = std::stoi(m[3]);
  d.message = m[4];
  if (const auto split = d.message.find("; "); split != std::string::npos)
    d.fix = d.message.substr(split + 2);
  return d;
}

}  // namespace cyrange::scenario
