#include <orchestrator/scoring/engine.h>

#include <cmath>

namespace cyrange::scoring {
namespace {

using std::chrono::milliseconds;

std::string quoted(const std::string& id) { return "'" + id + "'"; }

// "mm:ss" of exercise time, the way instructors read the timeline.
std::string clock(milliseconds at) {
  auto seconds = at.count() / 1000;
  auto minutes = seconds / 60;
  std::string ss = std::to_string(seconds % 60);
  return std::to_string(minutes) + ":" + (ss.size() < 2 ? "0" + ss : ss);
}

Error missing_field(const std::string& what, const std::string& field) {
  return make_error(ErrorCode::invalid_argument,
                    "The " + what + " has no " + field + "; fill it in and send it again.");
}

bool blank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

LedgerEntry entry(const std::string& team, const std::string& objective, const std::string& item,
                  EntryKind kind, int points, const std::string& actor, std::string reason,
                  milliseconds at) {
  return LedgerEntry{0, team, objective, item, kind, points, actor, std::move(reason), at};
}

}  // namespace

std::string_view to_string(Verdict verdict) {
  switch (verdict) {
    case Verdict::correct:
      return "correct";
    case Verdict::part_correct:
      return "part_correct";
    case Verdict::wrong:
      return "wrong";
    case Verdict::already_solved:
      return "already_solved";
    case Verdict::already_given:
      return "already_given";
    case Verdict::recorded:
      return "recorded";
  }
  return "unknown";
}

std::optional<int> attempts_left(const ObjectiveRules& rules, const PartRule& part,
                                 const ObjectiveState& state) {
  // A part with its own rule counts its own wrong answers; otherwise all parts share one.
  if (part.own_wrong_answers) {
    if (part.max_wrong_answers <= 0) return std::nullopt;
    auto counted = state.part_wrong_attempts.find(part.id);
    return part.max_wrong_answers -
           (counted == state.part_wrong_attempts.end() ? 0 : counted->second);
  }
  if (rules.max_wrong_answers <= 0) return std::nullopt;
  return rules.max_wrong_answers - state.wrong_attempts;
}

Expected<ScoringEngine> ScoringEngine::create(ScoringRules rules) {
  if (auto status = validate(rules); !status) return status.error();
  return ScoringEngine(std::move(rules));
}

Expected<const ObjectiveRules*> ScoringEngine::objective(const std::string& team,
                                                         const std::string& id) const {
  if (team.empty()) return missing_field("scoring event", "team");
  auto found = rules_.objectives.find(id);
  if (found == rules_.objectives.end()) {
    return make_error(
        ErrorCode::not_found,
        "Objective " + quoted(id) + " is not part of this exercise; check the objective id.",
        "目標 " + quoted(id) + " はこの演習にありません。目標 ID を確認してください。");
  }
  return &found->second;
}

Outcome ScoringEngine::award(const ObjectiveRules& rules, const PartRule& part,
                             const ObjectiveState& state, const std::string& team,
                             const std::string& objective, const std::string& actor,
                             const std::string& reason, milliseconds at) const {
  int points = 0;
  if (!(state.solution_revealed && rules.solution_revealed_zeroes)) {
    const std::optional<TimeDecay>& decay = part.decay ? part.decay : rules.decay;
    points = decay ? decay->apply(part.points, at) : part.points;
  }
  std::size_t remaining = 0;
  for (const auto& other : rules.parts) {
    if (other.id != part.id && !state.parts_solved.contains(other.id)) ++remaining;
  }
  Outcome out;
  std::string pts = std::to_string(points);
  if (remaining == 0) {
    out.verdict = Verdict::correct;
    out.message = {
        "正解です。目標 " + quoted(objective) + " を達成しました（" + pts + " 点）。",
        "Correct: objective " + quoted(objective) + " is solved for " + pts + " points."};
    out.entries.push_back(
        entry(team, objective, part.id, EntryKind::solve, points, actor, reason, at));
  } else {
    std::string left = std::to_string(remaining);
    out.verdict = Verdict::part_correct;
    out.message = {"正解です。目標 " + quoted(objective) + " のパート " + quoted(part.id) + " で " +
                       pts + " 点を獲得しました（残り " + left + " パート）。",
                   "Correct: part " + quoted(part.id) + " of objective " + quoted(objective) +
                       " earns " + pts + " points; " + left + " part(s) remain."};
    out.entries.push_back(
        entry(team, objective, part.id, EntryKind::partial, points, actor, reason, at));
  }
  return out;
}

namespace {

// Resolves the part an event names; "" means the only part of a single-answer objective.
Expected<const PartRule*> resolve_part(const ObjectiveRules& rules, const std::string& objective,
                                       const std::string& id) {
  const PartRule* part = rules.find_part(id);
  if (!part && id.empty() && rules.parts.size() == 1) part = &rules.parts.front();
  if (!part) {
    return make_error(ErrorCode::not_found,
                      "Objective " + quoted(objective) + " has no part " + quoted(id) +
                          "; choose one of its parts.",
                      "目標 " + quoted(objective) + " にパート " + quoted(id) + " はありません。");
  }
  return part;
}

Outcome already_solved(const std::string& objective) {
  return Outcome{
      Verdict::already_solved,
      {},
      {"目標 " + quoted(objective) + " は達成済みです。追加の得点はありません。",
       "Objective " + quoted(objective) + " is already solved; no further points are awarded."}};
}

}  // namespace

Expected<Outcome> ScoringEngine::submit(const AnswerSubmission& submission,
                                        const ObjectiveState& state,
                                        const TeamVariables& team_variables) const {
  auto rules = objective(submission.team, submission.objective);
  if (!rules) return rules.error();
  auto part = resolve_part(**rules, submission.objective, submission.part);
  if (!part) return part.error();
  if (state.solved || state.parts_solved.contains((*part)->id)) {
    return already_solved(submission.objective);
  }
  if ((*part)->check_only) {
    return make_error(
        ErrorCode::failed_precondition,
        "Objective " + quoted(submission.objective) +
            " is scored by a check of the range, not by an answer; do the task "
            "in the range instead.",
        "目標 " + quoted(submission.objective) +
            " は回答ではなく演習環境の確認で採点されます。演習環境で作業してください。");
  }
  const PartRule& answered = **part;
  const bool own = answered.own_wrong_answers;
  const int limit = own ? answered.max_wrong_answers : (*rules)->max_wrong_answers;
  const int penalty = own ? answered.wrong_answer_penalty : (*rules)->wrong_answer_penalty;
  const std::optional<int> left = attempts_left(**rules, answered, state);
  if (left && *left <= 0) {
    std::string n = std::to_string(limit);
    const std::string what_en =
        own ? "part " + quoted(answered.id) + " of objective " + quoted(submission.objective)
            : "objective " + quoted(submission.objective);
    const std::string what_ja =
        own ? "目標 " + quoted(submission.objective) + " のパート " + quoted(answered.id)
            : "目標 " + quoted(submission.objective);
    return make_error(ErrorCode::failed_precondition,
                      "Team " + quoted(submission.team) + " has used all " + n + " attempts for " +
                          what_en + "; ask an instructor for help.",
                      "チーム " + quoted(submission.team) + " は" + what_ja + " の回答回数（" + n +
                          " 回）を使い切りました。インストラクターに相談してください。");
  }
  if ((*part)->answer.matches(submission.value, team_variables)) {
    return award(**rules, **part, state, submission.team, submission.objective, submission.actor,
                 std::string(kCorrectAnswerReason), submission.at);
  }
  // The submitted text is kept for the instructor's review, within reason.
  std::string reason =
      submission.value.size() <= 200
          ? "Wrong answer \"" + submission.value + "\"."
          : "Wrong answer of " + std::to_string(submission.value.size()) + " bytes.";
  Outcome out{Verdict::wrong,
              {entry(submission.team, submission.objective, (*part)->id, EntryKind::wrong_answer,
                     -penalty, submission.actor, std::move(reason), submission.at)},
              {}};
  out.message = {"目標 " + quoted(submission.objective) + " への回答が違います" +
                     (penalty ? "（" + std::to_string(-penalty) + " 点）" : "") + "。",
                 "Wrong answer for objective " + quoted(submission.objective) +
                     (penalty ? " (" + std::to_string(-penalty) + " points)" : "") + "."};
  if (left) {
    const std::string after = std::to_string(*left - 1);
    out.message.ja += " 残り回答回数: " + after;
    out.message.en += " Attempts left: " + after;
  }
  return out;
}

Expected<Outcome> ScoringEngine::pass_check(const CheckPassed& check,
                                            const ObjectiveState& state) const {
  auto rules = objective(check.team, check.objective);
  if (!rules) return rules.error();
  auto part = resolve_part(**rules, check.objective, check.part);
  if (!part) return part.error();
  if (state.solved || state.parts_solved.contains((*part)->id))
    return already_solved(check.objective);
  return award(**rules, **part, state, check.team, check.objective, check.actor,
               check.evidence.empty() ? "Check passed." : check.evidence, check.at);
}

Expected<Outcome> ScoringEngine::take_hint(const HintRequest& request,
                                           const ObjectiveState& state) const {
  auto rules = objective(request.team, request.objective);
  if (!rules) return rules.error();
  const HintRule* hint = (*rules)->find_hint(request.hint);
  if (!hint) {
    return make_error(ErrorCode::not_found,
                      "Objective " + quoted(request.objective) + " has no hint " +
                          quoted(request.hint) + "; choose one of its hints.",
                      "目標 " + quoted(request.objective) + " にヒント " + quoted(request.hint) +
                          " はありません。");
  }
  if (state.hints_taken.contains(hint->id)) {
    return Outcome{Verdict::already_given,
                   {},
                   {"ヒント " + quoted(hint->id) + " は取得済みのため、再度の減点はありません。",
                    "Hint " + quoted(hint->id) + " was taken before and is not charged again."}};
  }
  std::string cost = std::to_string(hint->penalty);
  return Outcome{Verdict::recorded,
                 {entry(request.team, request.objective, hint->id, EntryKind::hint, -hint->penalty,
                        request.actor, "Hint taken.", request.at)},
                 {"ヒント " + quoted(hint->id) + " の取得で " + cost + " 点減点されます。",
                  "Hint " + quoted(hint->id) + " costs " + cost + " points."}};
}

Expected<Outcome> ScoringEngine::reveal_solution(const SolutionReveal& reveal,
                                                 const ObjectiveState& state) const {
  auto rules = objective(reveal.team, reveal.objective);
  if (!rules) return rules.error();
  if (reveal.actor.empty()) return missing_field("solution reveal", "instructor");
  if (state.solution_revealed) {
    return Outcome{
        Verdict::already_given,
        {},
        {"目標 " + quoted(reveal.objective) + " の解答は公開済みです。",
         "The solution of objective " + quoted(reveal.objective) + " was revealed before."}};
  }
  const bool zeroes = (*rules)->solution_revealed_zeroes && !state.solved;
  return Outcome{Verdict::recorded,
                 {entry(reveal.team, reveal.objective, "", EntryKind::solution_reveal, 0,
                        reveal.actor, "Solution revealed.", reveal.at)},
                 {"目標 " + quoted(reveal.objective) + " の解答が公開されました。" +
                      (zeroes ? " 今後の達成は 0 点になります。" : ""),
                  "The solution of objective " + quoted(reveal.objective) + " is revealed." +
                      (zeroes ? " Solving it now earns no points." : "")}};
}

Expected<Outcome> ScoringEngine::adjust(const Adjustment& adjustment) const {
  if (adjustment.team.empty()) return missing_field("score adjustment", "team");
  if (adjustment.actor.empty()) return missing_field("score adjustment", "instructor");
  if (blank(adjustment.reason)) {
    return make_error(ErrorCode::invalid_argument,
                      "The score adjustment of team " + quoted(adjustment.team) +
                          " has no reason; say why the score changes.",
                      "チーム " + quoted(adjustment.team) +
                          " の得点調整には理由が必要です。理由を入力してください。");
  }
  if (adjustment.points == 0) {
    return make_error(ErrorCode::invalid_argument,
                      "The score adjustment of team " + quoted(adjustment.team) +
                          " changes nothing; give a non-zero number of points.");
  }
  if (!adjustment.objective.empty()) {
    if (auto rules = objective(adjustment.team, adjustment.objective); !rules) return rules.error();
  }
  std::string pts = (adjustment.points > 0 ? "+" : "") + std::to_string(adjustment.points);
  return Outcome{Verdict::recorded,
                 {entry(adjustment.team, adjustment.objective, "", EntryKind::adjustment,
                        adjustment.points, adjustment.actor, adjustment.reason, adjustment.at)},
                 {"インストラクターが得点を " + pts + " 点調整しました: " + adjustment.reason,
                  "An instructor adjusted the score by " + pts + " points: " + adjustment.reason}};
}

Expected<Outcome> ScoringEngine::service_outage(const ServiceOutage& outage) const {
  if (outage.team.empty()) return missing_field("service outage", "team");
  auto found = rules_.services.find(outage.service);
  if (found == rules_.services.end()) {
    return make_error(ErrorCode::not_found,
                      "Service " + quoted(outage.service) +
                          " is not scored in this exercise; check the service id.");
  }
  if (outage.up < outage.down) {
    return make_error(ErrorCode::invalid_argument,
                      "The outage of service " + quoted(outage.service) + " for team " +
                          quoted(outage.team) + " ends before it starts; check the check times.");
  }
  const double minutes = static_cast<double>((outage.up - outage.down).count()) / 60000.0;
  const int points = -static_cast<int>(std::lround(found->second.penalty_per_minute * minutes));
  std::string span = clock(outage.down) + "-" + clock(outage.up);
  return Outcome{
      Verdict::recorded,
      {entry(outage.team, "", outage.service, EntryKind::service_penalty, points, outage.actor,
             "Service " + quoted(outage.service) + " was down " + span + ".", outage.up)},
      {"サービス " + quoted(outage.service) + " が " + span + " の間停止していました（" +
           std::to_string(points) + " 点）。",
       "Service " + quoted(outage.service) + " was down " + span + " (" + std::to_string(points) +
           " points)."}};
}

}  // namespace cyrange::scoring
