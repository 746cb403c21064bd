#include <client-core/scoring_client.h>

#include <array>
#include <utility>

#include <cyrange/v1/scoring.grpc.pb.h>

#include <client-core/internal/enums.h>
#include <client-core/internal/stream_watch.h>
#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

using ScoringAsync = v1::ScoringService::StubInterface::async_interface;

constexpr std::array<std::pair<std::string_view, EntryKind>, 7> kEntryKinds{{
    {"solve", EntryKind::solve},
    {"partial", EntryKind::partial},
    {"wrong_answer", EntryKind::wrong_answer},
    {"hint", EntryKind::hint},
    {"solution_reveal", EntryKind::solution_reveal},
    {"adjustment", EntryKind::adjustment},
    {"service_penalty", EntryKind::service_penalty},
}};

constexpr std::array<std::pair<std::string_view, BoardMode>, 3> kModes{{
    {"live", BoardMode::live},
    {"frozen", BoardMode::frozen},
    {"hidden", BoardMode::hidden},
}};

ScoreEntry entry_from(const v1::LedgerEntry& e) {
  return ScoreEntry{
      e.seq(),   e.team(),   e.objective(),       e.item(), parse_entry_kind(e.kind()), e.points(),
      e.actor(), e.reason(), e.exercise_time_ms()};
}

TeamLine team_from(const v1::TeamStanding& s) {
  TeamLine line{s.team(), s.total(), s.rank(), {}};
  for (const auto& o : s.objectives()) {
    ObjectiveLine ol{o.objective(),
                     from_proto(o.status()),
                     o.partial_fraction(),
                     o.points(),
                     o.wrong_attempts(),
                     {},
                     {}};
    ol.parts_solved.assign(o.parts_solved().begin(), o.parts_solved().end());
    ol.hints_taken.assign(o.hints_taken().begin(), o.hints_taken().end());
    line.objectives.push_back(std::move(ol));
  }
  return line;
}

ScoreboardMessage board_from(const v1::ScoreboardUpdate& u) {
  ScoreboardMessage m;
  m.exercise_id = u.exercise_id();
  m.snapshot = u.snapshot();
  m.through_seq = u.through_seq();
  m.mode = from_proto(u.mode());
  m.team = u.team();
  for (const auto& e : u.entries()) m.entries.push_back(entry_from(e));
  for (const auto& s : u.standings()) m.standings.push_back(team_from(s));
  if (u.has_own()) m.own = team_from(u.own());
  for (const auto& b : u.board()) m.board.push_back(BoardLine{b.team(), b.total(), b.rank()});
  return m;
}

Task task_from(const v1::Task& t) {
  Task task;
  task.objective = t.objective();
  task.question = text_from(t.question());
  task.answer_type = from_proto(t.answer_type());
  task.points_available = t.points_available();
  task.points = t.points();
  for (const auto& p : t.parts()) {
    task.parts.push_back(
        {p.id(), text_from(p.question()), from_proto(p.answer_type()), p.points(), p.solved(),
         p.wrong_attempts(),
         p.attempts_unlimited() ? std::nullopt : std::optional<int>(p.attempts_left())});
  }
  task.wrong_attempts = t.wrong_attempts();
  if (!t.attempts_unlimited()) task.attempts_left = t.attempts_left();
  task.status = from_proto(t.status());
  for (const auto& h : t.hints())
    task.hints.push_back({h.id(), h.penalty(), h.taken(), text_from(h.text())});
  task.solution_revealed = t.solution_revealed();
  task.solution = text_from(t.solution());
  for (const auto& r : t.rubric())
    task.rubric.push_back(
        {r.id(), text_from(r.text()), r.points(), r.met(), from_proto(r.graded_by())});
  return task;
}

TaskList tasks_from(const v1::ListTasksResponse& r) {
  TaskList list{r.exercise_id(), r.team(), {}};
  for (const auto& t : r.tasks()) list.tasks.push_back(task_from(t));
  return list;
}

ScoringReply reply_from(const v1::ScoringResult& r) {
  ScoringReply reply{from_proto(r.verdict()),
                     {r.text().ja(), r.text().en()},
                     {},
                     {r.content_ja(), r.content_en()}};
  // A server before API revision 2 sends only the glued message.
  if (reply.message.empty()) reply.message.en = r.message();
  for (const auto& e : r.entries()) reply.entries.push_back(entry_from(e));
  return reply;
}

}  // namespace

EntryKind parse_entry_kind(std::string_view name) {
  for (const auto& [text, kind] : kEntryKinds) {
    if (text == name) return kind;
  }
  return EntryKind::other;
}

std::string_view to_string(EntryKind kind) {
  for (const auto& [text, k] : kEntryKinds) {
    if (k == kind) return text;
  }
  return "other";
}

std::string_view to_string(BoardMode mode) {
  for (const auto& [text, m] : kModes) {
    if (m == mode) return text;
  }
  return "unknown";
}

std::optional<BoardMode> parse_board_mode(std::string_view name) {
  for (const auto& [text, m] : kModes) {
    if (text == name) return m;
  }
  return std::nullopt;
}

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
    case Verdict::unknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(ObjectiveStatus status) {
  switch (status) {
    case ObjectiveStatus::open:
      return "open";
    case ObjectiveStatus::partial:
      return "partial";
    case ObjectiveStatus::solved:
      return "solved";
    case ObjectiveStatus::unknown:
      break;
  }
  return "unknown";
}

std::string_view to_string(AnswerType type) {
  switch (type) {
    case AnswerType::text:
      return "text";
    case AnswerType::number:
      return "number";
    case AnswerType::check_only:
      return "check_only";
    case AnswerType::report_rubric:
      return "report_rubric";
    case AnswerType::unknown:
      break;
  }
  return "unknown";
}

ScoringClient::ScoringClient(Connection connection) : connection_(std::move(connection)) {}

Call<ScoringReply> ScoringClient::submit_answer_async(const std::string& exercise,
                                                      const std::string& objective,
                                                      const std::string& part,
                                                      const std::string& answer) const {
  v1::SubmitAnswerRequest request;
  request.set_exercise_id(exercise);
  request.set_objective(objective);
  request.set_part(part);
  request.set_answer(answer);
  return start_call<ScoringReply, v1::ScoringService>(connection_, &ScoringAsync::SubmitAnswer,
                                                      std::move(request), reply_from);
}

Call<ScoringReply> ScoringClient::take_hint_async(const std::string& exercise,
                                                  const std::string& objective,
                                                  const std::string& hint) const {
  v1::TakeHintRequest request;
  request.set_exercise_id(exercise);
  request.set_objective(objective);
  request.set_hint(hint);
  return start_call<ScoringReply, v1::ScoringService>(connection_, &ScoringAsync::TakeHint,
                                                      std::move(request), reply_from);
}

Call<ScoringReply> ScoringClient::push_hint_async(const std::string& exercise,
                                                  const std::string& team,
                                                  const std::string& objective,
                                                  const std::string& hint) const {
  v1::PushHintRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_objective(objective);
  request.set_hint(hint);
  return start_call<ScoringReply, v1::ScoringService>(connection_, &ScoringAsync::PushHint,
                                                      std::move(request), reply_from);
}

Call<ScoringReply> ScoringClient::adjust_async(const std::string& exercise, const std::string& team,
                                               const std::string& objective, int points,
                                               const std::string& reason) const {
  v1::AdjustRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_objective(objective);
  request.set_points(points);
  request.set_reason(reason);
  return start_call<ScoringReply, v1::ScoringService>(connection_, &ScoringAsync::Adjust,
                                                      std::move(request), reply_from);
}

Call<ScoringReply> ScoringClient::reveal_solution_async(const std::string& exercise,
                                                        const std::string& team,
                                                        const std::string& objective) const {
  v1::RevealSolutionRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_objective(objective);
  return start_call<ScoringReply, v1::ScoringService>(connection_, &ScoringAsync::RevealSolution,
                                                      std::move(request), reply_from);
}

Call<LocalizedText> ScoringClient::solution_async(const std::string& exercise,
                                                  const std::string& team,
                                                  const std::string& objective) const {
  v1::GetSolutionRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_objective(objective);
  return start_call<LocalizedText, v1::ScoringService>(
      connection_, &ScoringAsync::GetSolution, std::move(request), [](const v1::LocalizedText& t) {
        return LocalizedText{t.ja(), t.en()};
      });
}

Call<ScoringReply> ScoringClient::grade_rubric_async(
    const std::string& exercise, const std::string& team, const std::string& objective,
    const std::string& item, const std::string& note, const std::string& evidence) const {
  v1::GradeRubricRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_objective(objective);
  request.set_item(item);
  request.set_note(note);
  request.set_evidence(evidence);
  return start_call<ScoringReply, v1::ScoringService>(connection_, &ScoringAsync::GradeRubric,
                                                      std::move(request), reply_from);
}

Call<Unit> ScoringClient::set_mode_async(const std::string& exercise, BoardMode mode) const {
  v1::SetScoreboardModeRequest request;
  request.set_exercise_id(exercise);
  request.set_mode(to_proto(mode));
  return start_call<Unit, v1::ScoringService>(connection_, &ScoringAsync::SetScoreboardMode,
                                              std::move(request), ToUnit{});
}

Call<ScoreboardMessage> ScoringClient::scoreboard_async(const std::string& exercise,
                                                        const std::string& team) const {
  v1::GetScoreboardRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  return start_call<ScoreboardMessage, v1::ScoringService>(
      connection_, &ScoringAsync::GetScoreboard, std::move(request), board_from);
}

Call<TaskList> ScoringClient::list_tasks_async(const std::string& exercise,
                                               const std::string& team) const {
  v1::ListTasksRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  return start_call<TaskList, v1::ScoringService>(connection_, &ScoringAsync::ListTasks,
                                                  std::move(request), tasks_from);
}

Expected<TaskList> ScoringClient::list_tasks(const std::string& exercise,
                                             const std::string& team) const {
  return list_tasks_async(exercise, team).wait();
}

Expected<ScoringReply> ScoringClient::submit_answer(const std::string& exercise,
                                                    const std::string& objective,
                                                    const std::string& part,
                                                    const std::string& answer) const {
  return submit_answer_async(exercise, objective, part, answer).wait();
}

Expected<ScoringReply> ScoringClient::take_hint(const std::string& exercise,
                                                const std::string& objective,
                                                const std::string& hint) const {
  return take_hint_async(exercise, objective, hint).wait();
}

Expected<ScoringReply> ScoringClient::push_hint(const std::string& exercise,
                                                const std::string& team,
                                                const std::string& objective,
                                                const std::string& hint) const {
  return push_hint_async(exercise, team, objective, hint).wait();
}

Expected<ScoringReply> ScoringClient::adjust(const std::string& exercise, const std::string& team,
                                             const std::string& objective, int points,
                                             const std::string& reason) const {
  return adjust_async(exercise, team, objective, points, reason).wait();
}

Expected<ScoringReply> ScoringClient::reveal_solution(const std::string& exercise,
                                                      const std::string& team,
                                                      const std::string& objective) const {
  return reveal_solution_async(exercise, team, objective).wait();
}

Expected<LocalizedText> ScoringClient::solution(const std::string& exercise,
                                                const std::string& team,
                                                const std::string& objective) const {
  return solution_async(exercise, team, objective).wait();
}

Expected<ScoringReply> ScoringClient::grade_rubric(const std::string& exercise,
                                                   const std::string& team,
                                                   const std::string& objective,
                                                   const std::string& item, const std::string& note,
                                                   const std::string& evidence) const {
  return grade_rubric_async(exercise, team, objective, item, note, evidence).wait();
}

Status ScoringClient::set_mode(const std::string& exercise, BoardMode mode) const {
  return to_status(set_mode_async(exercise, mode).wait());
}

Expected<ScoreboardMessage> ScoringClient::scoreboard(const std::string& exercise,
                                                      const std::string& team) const {
  return scoreboard_async(exercise, team).wait();
}

Subscription ScoringClient::watch(const std::string& exercise, const std::string& team,
                                  std::function<void(const ScoreboardMessage&)> on_update,
                                  std::function<void(const StreamEnd&)> on_end) const {
  v1::GetScoreboardRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  StreamHooks<v1::GetScoreboardRequest, v1::ScoreboardUpdate> hooks;
  hooks.on_message = [on_update = std::move(on_update)](const v1::ScoreboardUpdate& update) {
    if (on_update) on_update(board_from(update));
  };
  hooks.on_end = std::move(on_end);
  // No cursor: every (re)connection starts with a snapshot that replaces the board.
  return start_stream<v1::ScoringService>(connection_, &ScoringAsync::WatchScoreboard,
                                          std::move(request), std::move(hooks));
}

}  // namespace cyrange::client
