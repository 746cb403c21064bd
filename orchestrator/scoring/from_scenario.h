#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/scenario/scenario.h>
#include <orchestrator/scoring/answer_check.h>
#include <orchestrator/scoring/rules.h>

namespace cyrange::scoring {

/// The id of the n-th (0-based) hint of an objective or part as the ledger names it:
/// "hint-1", or "<part>/hint-1" for a hint written under a part.
std::string hint_id(const std::string& part, std::size_t index);

/// The scoring rules of one team for a scenario's objectives. Answers that mention
/// ${vars.NAME} (text, regex, numeric centres) are resolved with the team's variables,
/// so two teams get different rules; `variable` answers stay symbolic and are judged
/// against the variables passed to ScoringEngine::submit(). Objectives scored only by a
/// range-state check become check_only parts. Errors name the objective and the file.
Expected<ScoringRules> rules_from_scenario(const scenario::Scenario& scenario,
                                           const TeamVariables& team_variables);

/// How a task, or one part of it, is answered.
enum class AnswerType {
  text,           ///< a text typed into the answer box
  number,         ///< a number typed into the answer box
  check_only,     ///< nothing to type: a range check or an expected command scores it
  report_rubric,  ///< graded by an instructor against rubric items, from the report
};

/// The question of one part of an objective, as a team reads it.
struct PartTexts {
  std::string id;
  Bilingual question;
  AnswerType answer_type = AnswerType::text;
};

/// One rubric item of a report objective, as a team reads it, and who grades it.
struct RubricText {
  std::string id;
  Bilingual text;
  int points = 0;
  /// self: a trainee of the team may grade it (ScoreHub::grade_rubric); review: graded
  /// after the run, which may end without it; instructor: during the exercise.
  scenario::Grader graded_by = scenario::Grader::instructor;
};

/// What a team may be shown of one objective, with its variables filled in. Never an
/// answer: those stay in the rules.
struct ObjectiveTexts {
  std::map<std::string, Bilingual> hints;  ///< by hint id ("hint-1", "<part>/hint-1")
  Bilingual solution;                      ///< empty when the scenario gives none
  std::vector<std::string> rubric;         ///< ids of the graded items
  Bilingual question;                      ///< the task as the team reads it
  AnswerType answer_type = AnswerType::text;
  std::vector<PartTexts> parts;          ///< in the order of the scenario
  std::vector<RubricText> rubric_items;  ///< report objectives: the graded items
  std::size_t position = 0;              ///< the objective's place in the scenario
};

/// The texts of every objective of a scenario for one team.
std::map<std::string, ObjectiveTexts> objective_texts(const scenario::Scenario& scenario,
                                                      const TeamVariables& team_variables);

/// Everything needed to score one exercise: per-team rules, variables and texts.
struct ExerciseScoring {
  std::string exercise_id;
  std::vector<std::string> teams;                  ///< in the order given
  std::map<std::string, ScoringRules> team_rules;  ///< team -> its rules
  std::map<std::string, TeamVariables> team_variables;
  std::map<std::string, std::map<std::string, ObjectiveTexts>> team_texts{};  ///< team -> objective
};

/// Draws each team's variables from `seed` (as the range and timeline do) and maps the
/// scenario's objectives for every team.
Expected<ExerciseScoring> exercise_scoring(const scenario::Scenario& scenario,
                                           const std::string& exercise_id,
                                           const std::vector<std::string>& teams,
                                           std::uint64_t seed);

}  // namespace cyrange::scoring
