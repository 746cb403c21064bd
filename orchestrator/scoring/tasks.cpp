#include <orchestrator/scoring/tasks.h>

#include <algorithm>

namespace cyrange::scoring {
namespace {

Task task_of(const std::string& id, const ObjectiveRules& rules, const ObjectiveTexts& texts,
             const ObjectiveProgress& progress) {
  const ObjectiveState& state = progress.state;
  Task task;
  task.objective = id;
  task.question = texts.question;
  task.answer_type = texts.answer_type;
  task.points_available = rules.total_points();
  task.points = state.points;
  task.status = progress.status;
  task.wrong_attempts = state.wrong_attempts;
  if (rules.max_wrong_answers > 0)
    task.attempts_left = std::max(0, rules.max_wrong_answers - state.wrong_attempts);
  for (const auto& part : texts.parts) {
    const PartRule* rule = rules.find_part(part.id);
    const auto wrong = state.part_wrong_attempts.find(part.id);
    std::optional<int> left;
    if (rule) left = attempts_left(rules, *rule, state);
    if (left) left = std::max(0, *left);
    task.parts.push_back(
        TaskPart{part.id, part.question, part.answer_type, rule != nullptr ? rule->points : 0,
                 state.parts_solved.contains(part.id),
                 wrong == state.part_wrong_attempts.end() ? 0 : wrong->second, left});
  }
  for (const auto& item : texts.rubric_items)
    task.rubric.push_back(TaskRubricItem{item, state.parts_solved.contains(item.id)});
  for (const auto& hint : rules.hints) {
    TaskHint shown{hint.id, hint.penalty, state.hints_taken.contains(hint.id), std::nullopt};
    if (shown.taken) {
      if (auto text = texts.hints.find(hint.id); text != texts.hints.end())
        shown.text = text->second;
    }
    task.hints.push_back(std::move(shown));
  }
  task.solution_revealed = state.solution_revealed;
  if (state.solution_revealed) task.solution = texts.solution;
  return task;
}

}  // namespace

std::vector<Task> team_tasks(const ScoringRules& rules,
                             const std::map<std::string, ObjectiveTexts>& texts,
                             const TeamStanding& standing) {
  std::vector<std::pair<std::size_t, Task>> ordered;
  for (const auto& [id, objective] : rules.objectives) {
    const auto text = texts.find(id);
    if (text == texts.end()) continue;  // an objective the scenario does not describe
    const auto found = standing.objectives.find(id);
    const ObjectiveProgress progress =
        found == standing.objectives.end() ? ObjectiveProgress{} : found->second;
    ordered.emplace_back(text->second.position, task_of(id, objective, text->second, progress));
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Task> out;
  out.reserve(ordered.size());
  for (auto& [position, task] : ordered) out.push_back(std::move(task));
  return out;
}

}  // namespace cyrange::scoring
