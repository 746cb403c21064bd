#include <orchestrator/scoring/from_scenario.h>

#include <orchestrator/scenario/variables.h>

namespace cyrange::scoring {
namespace {

namespace sc = scenario;

std::string where(const sc::SourceLocation& loc) {
  return loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

Error problem(const sc::Objective& objective, const std::string& what) {
  return make_error(ErrorCode::invalid_argument, "Objective '" + objective.id + "' at " +
                                                     where(objective.loc) + " " + what +
                                                     "; fix the scenario and load it again.");
}

// `text` escaped for an ECMAScript pattern, so that it matches itself literally.
std::string regex_literal(const std::string& text) {
  static const std::string special = R"(\^$.|?*+()[]{})";
  std::string out;
  for (char c : text) {
    if (special.find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

Expected<AnswerRule> answer_rule(const sc::Objective& objective, const TeamVariables& vars) {
  const sc::Answer& answer = objective.answer;
  switch (answer.kind) {
    case sc::AnswerKind::exact:
      return AnswerRule::exact(sc::substitute(answer.value, vars));
    case sc::AnswerKind::normalized:
      return AnswerRule::normalized(sc::substitute(answer.value, vars));
    case sc::AnswerKind::regex: {
      // A team's value stands in the pattern for itself: "file(1).txt" matches only itself.
      TeamVariables literal;
      for (const auto& [name, value] : vars) literal[name] = regex_literal(value);
      auto rule = AnswerRule::regex(sc::substitute(answer.value, literal));
      if (!rule) return problem(objective, "has an unusable pattern: " + rule.error().message);
      return rule;
    }
    case sc::AnswerKind::any_of: {
      std::vector<std::string> accepted;
      for (const auto& value : answer.values) accepted.push_back(sc::substitute(value, vars));
      auto rule = AnswerRule::any_of(std::move(accepted));
      if (!rule) return problem(objective, "lists no usable answer: " + rule.error().message);
      return rule;
    }
    case sc::AnswerKind::numeric_range: {
      double min = answer.min;
      double max = answer.max;
      if (!answer.center.empty()) {
        const std::string center = sc::substitute(answer.center, vars);
        auto number = parse_answer_number(center);
        if (!number) {
          return problem(objective, "has the numeric centre '" + center +
                                        "', which is not a number for this team");
        }
        min = *number - answer.tolerance;
        max = *number + answer.tolerance;
      }
      auto rule = AnswerRule::numeric_range(min, max);
      if (!rule) return problem(objective, "has an unusable range: " + rule.error().message);
      return rule;
    }
    case sc::AnswerKind::variable:
      if (!vars.contains(answer.variable)) {
        return problem(objective, "expects variable '" + answer.variable +
                                      "', which the scenario does not define");
      }
      return AnswerRule::variable(answer.variable);
  }
  return problem(objective, "has an unknown answer type");
}

// One scorable unit (an objective without parts, or one part) as a PartRule.
Expected<PartRule> part_rule(const sc::Objective& unit, const std::string& part_id,
                             const TeamVariables& vars) {
  if (unit.has_answer) {
    auto answer = answer_rule(unit, vars);
    if (!answer) return answer.error();
    return PartRule{part_id, std::move(answer).value(), unit.points};
  }
  if (!unit.has_check && unit.expected_commands.empty()) {
    return problem(unit, "has neither an answer, a check nor expected commands");
  }
  // The answer of a check-only part is never consulted: the engine refuses answers to it.
  return PartRule{part_id, AnswerRule::exact(""), unit.points, /*check_only=*/true};
}

void add_hints(const sc::Objective& unit, const std::string& part_id, ObjectiveRules& rules) {
  for (std::size_t i = 0; i < unit.hints.size(); ++i) {
    rules.hints.push_back(HintRule{hint_id(part_id, i), unit.hints[i].penalty});
  }
}

// Decay, the wrong-answer rule and the solution of a scenario objective.
void add_shaping(const sc::Objective& objective, ObjectiveRules& rules) {
  using std::chrono::seconds;
  if (objective.has_decay) {
    rules.decay = TimeDecay{seconds(objective.decay.start_seconds),
                            seconds(objective.decay.end_seconds), objective.decay.floor_percent};
  }
  if (objective.has_wrong_answers) {
    rules.max_wrong_answers = objective.wrong_answers.limit;
    rules.wrong_answer_penalty = objective.wrong_answers.penalty;
  }
  // Points for what a team was shown would reward reading, not finding.
  rules.solution_revealed_zeroes = true;
}

// A part's own decay and wrong-answer rule, which replace the objective's for that part.
void add_part_shaping(const sc::Objective& part, PartRule& rule) {
  using std::chrono::seconds;
  if (part.has_decay) {
    rule.decay = TimeDecay{seconds(part.decay.start_seconds), seconds(part.decay.end_seconds),
                           part.decay.floor_percent};
  }
  if (part.has_wrong_answers) {
    rule.own_wrong_answers = true;
    rule.max_wrong_answers = part.wrong_answers.limit;
    rule.wrong_answer_penalty = part.wrong_answers.penalty;
  }
}

// How a unit (an objective without parts, or one part) is answered.
AnswerType unit_answer_type(const sc::Objective& unit) {
  if (!unit.has_answer) return AnswerType::check_only;
  return unit.answer.kind == sc::AnswerKind::numeric_range ? AnswerType::number : AnswerType::text;
}

// An objective's parts share one box when they are all alike; otherwise it says "text".
AnswerType objective_answer_type(const sc::Objective& objective) {
  if (!objective.rubric.empty()) return AnswerType::report_rubric;
  if (objective.parts.empty()) return unit_answer_type(objective);
  const AnswerType first = unit_answer_type(objective.parts.front());
  for (const auto& part : objective.parts) {
    if (unit_answer_type(part) != first) return AnswerType::text;
  }
  return first;
}

}  // namespace

std::string hint_id(const std::string& part, std::size_t index) {
  std::string id = "hint-" + std::to_string(index + 1);
  return part.empty() ? id : part + "/" + id;
}

Expected<ScoringRules> rules_from_scenario(const sc::Scenario& scenario,
                                           const TeamVariables& team_variables) {
  ScoringRules rules;
  for (const auto& objective : scenario.objectives) {
    ObjectiveRules mapped;
    add_hints(objective, "", mapped);
    add_shaping(objective, mapped);
    for (const auto& item : objective.rubric) {
      mapped.parts.push_back(
          PartRule{item.id, AnswerRule::exact(""), item.points, /*check_only=*/true});
    }
    if (objective.parts.empty() && objective.rubric.empty()) {
      auto part = part_rule(objective, "", team_variables);
      if (!part) return part.error();
      mapped.parts.push_back(std::move(part).value());
    }
    for (const auto& sub : objective.parts) {
      auto part = part_rule(sub, sub.id, team_variables);
      if (!part) return part.error();
      add_part_shaping(sub, *part);
      mapped.parts.push_back(std::move(part).value());
      add_hints(sub, sub.id, mapped);
    }
    if (!rules.objectives.emplace(objective.id, std::move(mapped)).second) {
      return problem(objective, "is defined twice");
    }
  }
  for (const auto& service : scenario.availability) {
    rules.services[service.id] = ServiceRule{service.penalty_per_minute};
  }
  if (auto valid = validate(rules); !valid) return valid.error();
  return rules;
}

std::map<std::string, ObjectiveTexts> objective_texts(const sc::Scenario& scenario,
                                                      const TeamVariables& team_variables) {
  auto fill = [&](const sc::Text& text) {
    return Bilingual{sc::substitute(text.ja, team_variables),
                     sc::substitute(text.en, team_variables)};
  };
  std::map<std::string, ObjectiveTexts> out;
  for (const auto& objective : scenario.objectives) {
    ObjectiveTexts& texts = out[objective.id];
    texts.position = out.size() - 1;
    texts.question = fill(objective.question);
    texts.answer_type = objective_answer_type(objective);
    texts.solution = fill(objective.solution);
    for (const auto& item : objective.rubric) {
      texts.rubric.push_back(item.id);
      texts.rubric_items.push_back(
          RubricText{item.id, fill(item.text), item.points, item.graded_by});
    }
    for (const auto& part : objective.parts)
      texts.parts.push_back(PartTexts{part.id, fill(part.question), unit_answer_type(part)});
    for (std::size_t i = 0; i < objective.hints.size(); ++i)
      texts.hints[hint_id("", i)] = fill(objective.hints[i].text);
    for (const auto& part : objective.parts)
      for (std::size_t i = 0; i < part.hints.size(); ++i)
        texts.hints[hint_id(part.id, i)] = fill(part.hints[i].text);
  }
  return out;
}

Expected<ExerciseScoring> exercise_scoring(const sc::Scenario& scenario,
                                           const std::string& exercise_id,
                                           const std::vector<std::string>& teams,
                                           std::uint64_t seed) {
  ExerciseScoring out;
  out.exercise_id = exercise_id;
  out.teams = teams;
  for (const auto& team : teams) {
    auto vars = sc::resolve_variables(scenario, seed, team);
    auto rules = rules_from_scenario(scenario, vars);
    if (!rules) {
      return make_error(rules.error().code, "Cannot score team '" + team + "' of exercise '" +
                                                exercise_id + "': " + rules.error().message);
    }
    out.team_rules.emplace(team, std::move(rules).value());
    out.team_texts.emplace(team, objective_texts(scenario, vars));
    out.team_variables.emplace(team, std::move(vars));
  }
  return out;
}

}  // namespace cyrange::scoring
