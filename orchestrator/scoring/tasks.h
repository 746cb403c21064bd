#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <orchestrator/scoring/engine.h>
#include <orchestrator/scoring/from_scenario.h>
#include <orchestrator/scoring/rules.h>
#include <orchestrator/scoring/scoreboard.h>

namespace cyrange::scoring {

/// One hint of a task as its team sees it: the text only once taken.
struct TaskHint {
  std::string id;  ///< "hint-1", or "<part>/hint-1"
  int penalty = 0;
  bool taken = false;
  std::optional<Bilingual> text;
};

/// One part of a task with the team's progress on it.
struct TaskPart {
  std::string id;
  Bilingual question;
  AnswerType answer_type = AnswerType::text;
  int points = 0;
  bool solved = false;
  int wrong_attempts = 0;  ///< wrong answers to this part
  std::optional<int>
      attempts_left;  ///< attempts_left(): its own limit or the task's; none: unlimited
};

/// One rubric item of a report task (with who grades it), and whether it was graded as met.
struct TaskRubricItem {
  RubricText item;
  bool met = false;
};

/// An objective as a team works on it: texts with its variables filled in, progress,
/// and what it was given (hints taken, a revealed solution). Never an answer.
struct Task {
  std::string objective;
  Bilingual question;
  AnswerType answer_type = AnswerType::text;
  int points_available = 0;
  int points = 0;  ///< net points earned so far
  std::vector<TaskPart> parts;
  int wrong_attempts = 0;
  std::optional<int> attempts_left;  ///< none: wrong answers are not limited
  ObjectiveStatus status = ObjectiveStatus::open;
  std::vector<TaskHint> hints;
  bool solution_revealed = false;
  std::optional<Bilingual> solution;  ///< only once revealed
  std::vector<TaskRubricItem> rubric;
};

/// The tasks of one team in the order of the scenario, from its rules, texts and standing.
std::vector<Task> team_tasks(const ScoringRules& rules,
                             const std::map<std::string, ObjectiveTexts>& texts,
                             const TeamStanding& standing);

}  // namespace cyrange::scoring
