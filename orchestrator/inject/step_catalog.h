#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cyrange::inject {

// The step types cyranged carries out inside a team's guests, with the parameters each
// requires and the ATT&CK technique it reports when a step names none. Header-only so that
// the scenario validator warns about unknown types and missing parameters without linking
// the engine; the *_steps.cpp files take their lists from here (step_type() in step_kit.h).

/// One step type as scenarios name it.
struct StepTypeSpec {
  std::string type;
  std::string technique;              ///< default ATT&CK ID ("" for none)
  std::vector<std::string> required;  ///< keys of `params:` the step cannot run without
};

/// Every step type the inject executor runs, in the order the designer guide lists them.
inline const std::vector<StepTypeSpec>& step_catalog() {
  static const std::vector<StepTypeSpec> specs = {
      {"send_mail", "T1566.001", {"from", "to", "subject"}},
      {"scatter_mail", "T1566.001", {"from", "to", "subject"}},
      {"mail_exchange", "T1566.001", {"from", "to", "subject", "attachment"}},
      {"watering_hole", "T1189", {"cidrs", "script_url"}},
      {"open_attachment", "T1204.002", {"file", "user"}},
      {"beacon", "T1071.001", {"url", "interval_seconds"}},
      {"run_commands", "T1059", {"commands"}},
      {"smb_copy", "T1021.002", {"source", "share"}},
      {"stage_files", "T1560.001", {"source_dir", "archive"}},
      {"upload", "T1048.003", {"destination", "archive"}},
      {"dns_query", "T1071.004", {"domain"}},
      {"encrypt_decoys", "T1486", {"folder"}},
      {"trainee_notice", "", {}},
  };
  return specs;
}

/// The step type called `type`, or nullptr.
inline const StepTypeSpec* find_step_type(std::string_view type) {
  for (const auto& spec : step_catalog())
    if (spec.type == type) return &spec;
  return nullptr;
}

}  // namespace cyrange::inject
