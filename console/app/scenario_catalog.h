#pragma once

#include <string>
#include <vector>

#include <client-core/localized_text.h>
#include <orchestrator/common/expected.h>

namespace cyrange::console {

/// A hint as the console offers it: its id on the wire, its cost and text.
struct HintInfo {
  std::string id;  ///< "hint-1", or "<part>/hint-1"
  int penalty = 0;
  client::LocalizedText text;
};

/// A rubric item the instructor grades.
struct RubricInfo {
  std::string id;
  int points = 0;
  client::LocalizedText text;
};

/// One objective of the exercise's scenario, for column titles, hint and grading
/// dialogs and the after-action report.
struct ObjectiveInfo {
  std::string id;
  client::LocalizedText question;
  int max_points = 0;  ///< points, parts and rubric items together
  std::vector<HintInfo> hints;
  std::vector<RubricInfo> rubric;
  client::LocalizedText solution;
};

/// An attack step of the timeline with its ATT&CK technique.
struct AttackStepInfo {
  std::string id, type, technique, target;
};

/// What the console needs to know of a scenario; built from the scenario text that
/// GetExercise returns to instructors.
struct ScenarioCatalog {
  std::string id;
  client::LocalizedText title;
  std::vector<ObjectiveInfo> objectives;
  std::vector<AttackStepInfo> attack_steps;
  std::vector<std::string> techniques;  ///< ATT&CK ids the scenario lists

  /// The objective `id`, or nullptr.
  const ObjectiveInfo* objective(const std::string& id) const;
  /// Parses `yaml` (named `file` in messages).
  static Expected<ScenarioCatalog> parse(const std::string& yaml, const std::string& file);
};

/// The problems a scenario file has, as "FILE:LINE:COL: error: ...; fix" lines, errors
/// first; empty when it is valid. `errors` receives how many are errors.
std::vector<std::string> validate_scenario_text(const std::string& yaml, const std::string& file,
                                                int& errors);

}  // namespace cyrange::console
