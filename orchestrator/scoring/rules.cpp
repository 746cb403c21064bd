#include <orchestrator/scoring/rules.h>

#include <algorithm>
#include <cstdint>
#include <set>

namespace cyrange::scoring {

int TimeDecay::apply(int points, std::chrono::milliseconds at) const {
  const std::int64_t span = (end - start).count();
  if (span <= 0)
    return at < start ? points : points * floor_percent / 100;  // rejected by validate()
  const std::int64_t elapsed = std::clamp<std::int64_t>((at - start).count(), 0, span);
  // points * (1 - (1 - floor) * elapsed / span), as one fraction of integers.
  const std::int64_t numerator = points * (100 * span - (100 - floor_percent) * elapsed);
  const std::int64_t denominator = 100 * span;
  return static_cast<int>((2 * numerator + denominator) / (2 * denominator));
}

ObjectiveRules ObjectiveRules::single(AnswerRule answer, int points) {
  ObjectiveRules rules;
  rules.parts.push_back(PartRule{"", std::move(answer), points});
  return rules;
}

int ObjectiveRules::total_points() const {
  int total = 0;
  for (const auto& part : parts) total += part.points;
  return total;
}

const PartRule* ObjectiveRules::find_part(std::string_view id) const {
  for (const auto& part : parts) {
    if (part.id == id) return &part;
  }
  return nullptr;
}

const HintRule* ObjectiveRules::find_hint(std::string_view id) const {
  for (const auto& hint : hints) {
    if (hint.id == id) return &hint;
  }
  return nullptr;
}

namespace {

Error invalid(const std::string& objective, const std::string& problem) {
  return make_error(ErrorCode::invalid_argument,
                    "Objective '" + objective + "' " + problem + "; fix its scoring rules.");
}

// A wrong-answer rule and a decay that contradict nothing; `where` names a part, or is "".
Status check_shaping(const std::string& id, const std::string& where, int max_wrong_answers,
                     int wrong_answer_penalty, const std::optional<TimeDecay>& decay) {
  if (max_wrong_answers < 0 || wrong_answer_penalty < 0) {
    return invalid(id, "has a negative wrong-answer limit or penalty" + where);
  }
  if (decay && decay->end <= decay->start) {
    return invalid(id, "has a time decay that ends before it starts" + where);
  }
  if (decay && (decay->floor_percent < 0 || decay->floor_percent > 100)) {
    return invalid(id, "has a decay floor outside 0..100 percent" + where);
  }
  return Status::success();
}

}  // namespace

Status validate(const ScoringRules& rules) {
  for (const auto& [id, objective] : rules.objectives) {
    if (objective.parts.empty()) return invalid(id, "has no answerable part");
    std::set<std::string> seen;
    for (const auto& part : objective.parts) {
      if (!seen.insert(part.id).second) return invalid(id, "has two parts named '" + part.id + "'");
      if (part.points < 0) return invalid(id, "gives negative points for part '" + part.id + "'");
    }
    seen.clear();
    for (const auto& hint : objective.hints) {
      if (!seen.insert(hint.id).second) return invalid(id, "has two hints named '" + hint.id + "'");
      if (hint.penalty < 0) return invalid(id, "has a negative penalty for hint '" + hint.id + "'");
    }
    if (Status st = check_shaping(id, "", objective.max_wrong_answers,
                                  objective.wrong_answer_penalty, objective.decay);
        !st) {
      return st;
    }
    for (const auto& part : objective.parts) {
      if (Status st = check_shaping(id, " in part '" + part.id + "'", part.max_wrong_answers,
                                    part.wrong_answer_penalty, part.decay);
          !st) {
        return st;
      }
    }
  }
  for (const auto& [id, service] : rules.services) {
    if (service.penalty_per_minute < 0) {
      return make_error(
          ErrorCode::invalid_argument,
          "Service '" + id + "' has a negative downtime penalty; fix its scoring rules.");
    }
  }
  return Status::success();
}

}  // namespace cyrange::scoring
