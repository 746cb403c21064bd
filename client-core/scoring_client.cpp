#include <client-core/scoring_client.h>

#include <cyrange/v1/scoring.grpc.pb.h>

#include <client-core/internal/stream_watch.h>
#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

std::string verdict_name(v1::Verdict verdict) {
  switch (verdict) {
    case v1::VERDICT_CORRECT:
      return "correct";
    case v1::VERDICT_PART_CORRECT:
      return "part_correct";
    case v1::VERDICT_WRONG:
      return "wrong";
    case v1::VERDICT_ALREADY_SOLVED:
      return "already_solved";
    case v1::VERDICT_ALREADY_GIVEN:
      return "already_given";
    case v1::VERDICT_RECORDED:
      return "recorded";
    default:
      return "unknown";
  }
}

std::string mode_name(v1::BoardMode mode) {
  switch (mode) {
    case v1::BOARD_MODE_LIVE:
      return "live";
    case v1::BOARD_MODE_FROZEN:
      return "frozen";
    case v1::BOARD_MODE_HIDDEN:
      return "hidden";
    default:
      return "unknown";
  }
}

std::string status_name(v1::ObjectiveStatus status) {
  switch (status) {
    case v1::OBJECTIVE_STATUS_OPEN:
      return "open";
    case v1::OBJECTIVE_STATUS_PARTIAL:
      return "partial";
    case v1::OBJECTIVE_STATUS_SOLVED:
      return "solved";
    default:
      return "unknown";
  }
}

ScoreEntry from_proto(const v1::LedgerEntry& e) {
  return ScoreEntry{e.seq(),   e.team(),   e.objective(),       e.item(), e.kind(), e.points(),
                    e.actor(), e.reason(), e.exercise_time_ms()};
}

TeamLine from_proto(const v1::TeamStanding& s) {
  TeamLine line{s.team(), s.total(), s.rank(), {}};
  for (const auto& o : s.objectives()) {
    ObjectiveLine ol{o.objective(),
                     status_name(o.status()),
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

ScoreboardMessage from_proto(const v1::ScoreboardUpdate& u) {
  ScoreboardMessage m;
  m.exercise_id = u.exercise_id();
  m.snapshot = u.snapshot();
  m.through_seq = u.through_seq();
  m.mode = mode_name(u.mode());
  m.team = u.team();
  for (const auto& e : u.entries()) m.entries.push_back(from_proto(e));
  for (const auto& s : u.standings()) m.standings.push_back(from_proto(s));
  if (u.has_own()) m.own = from_proto(u.own());
  for (const auto& b : u.board()) m.board.push_back(BoardLine{b.team(), b.total(), b.rank()});
  return m;
}

ScoringReply from_proto(const v1::ScoringResult& r) {
  ScoringReply reply{verdict_name(r.verdict()), r.message(), {}, r.content_ja(), r.content_en()};
  for (const auto& e : r.entries()) reply.entries.push_back(from_proto(e));
  return reply;
}

// Runs one unary call of the ScoringService stub.
template <class Request, class Response, class Method>
Expected<Response> unary(const Connection& connection, Method method, const Request& request) {
  return unary_call<v1::ScoringService, Response>(connection, method, request);
}

}  // namespace

ScoringClient::ScoringClient(Connection connection) : connection_(std::move(connection)) {}

Expected<ScoringReply> ScoringClient::submit_answer(const std::string& exercise,
                                                    const std::string& objective,
                                                    const std::string& part,
                                                    const std::string& answer) const {
  v1::SubmitAnswerRequest request;
  request.set_exercise_id(exercise);
  request.set_objective(objective);
  request.set_part(part);
  request.set_answer(answer);
  auto r = unary<v1::SubmitAnswerRequest, v1::ScoringResult>(
      connection_, &v1::ScoringService::Stub::SubmitAnswer, request);
  if (!r) return r.error();
  return from_proto(*r);
}

Expected<ScoringReply> ScoringClient::take_hint(const std::string& exercise,
                                                const std::string& objective,
                                                const std::string& hint) const {
  v1::TakeHintRequest request;
  request.set_exercise_id(exercise);
  request.set_objective(objective);
  request.set_hint(hint);
  auto r = unary<v1::TakeHintRequest, v1::ScoringResult>(
      connection_, &v1::ScoringService::Stub::TakeHint, request);
  if (!r) return r.error();
  return from_proto(*r);
}

Expected<ScoringReply> ScoringClient::push_hint(const std::string& exercise,
                                                const std::string& team,
                                                const std::string& objective,
                                                const std::string& hint) const {
  v1::PushHintRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_objective(objective);
  request.set_hint(hint);
  auto r = unary<v1::PushHintRequest, v1::ScoringResult>(
      connection_, &v1::ScoringService::Stub::PushHint, request);
  if (!r) return r.error();
  return from_proto(*r);
}

Expected<ScoringReply> ScoringClient::adjust(const std::string& exercise, const std::string& team,
                                             const std::string& objective, int points,
                                             const std::string& reason) const {
  v1::AdjustRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_objective(objective);
  request.set_points(points);
  request.set_reason(reason);
  auto r = unary<v1::AdjustRequest, v1::ScoringResult>(connection_,
                                                       &v1::ScoringService::Stub::Adjust, request);
  if (!r) return r.error();
  return from_proto(*r);
}

Expected<ScoringReply> ScoringClient::reveal_solution(const std::string& exercise,
                                                      const std::string& team,
                                                      const std::string& objective) const {
  v1::RevealSolutionRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_objective(objective);
  auto r = unary<v1::RevealSolutionRequest, v1::ScoringResult>(
      connection_, &v1::ScoringService::Stub::RevealSolution, request);
  if (!r) return r.error();
  return from_proto(*r);
}

Expected<std::pair<std::string, std::string>> ScoringClient::solution(
    const std::string& exercise, const std::string& team, const std::string& objective) const {
  v1::GetSolutionRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_objective(objective);
  auto r = unary<v1::GetSolutionRequest, v1::LocalizedText>(
      connection_, &v1::ScoringService::Stub::GetSolution, request);
  if (!r) return r.error();
  return std::pair{r->ja(), r->en()};
}

Expected<ScoringReply> ScoringClient::grade_rubric(const std::string& exercise,
                                                   const std::string& team,
                                                   const std::string& objective,
                                                   const std::string& item, const std::string& note,
                                                   const std::string& evidence) const {
  v1::GradeRubricRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_objective(objective);
  request.set_item(item);
  request.set_note(note);
  request.set_evidence(evidence);
  auto r = unary<v1::GradeRubricRequest, v1::ScoringResult>(
      connection_, &v1::ScoringService::Stub::GradeRubric, request);
  if (!r) return r.error();
  return from_proto(*r);
}

Status ScoringClient::set_mode(const std::string& exercise, const std::string& mode) const {
  v1::SetScoreboardModeRequest request;
  request.set_exercise_id(exercise);
  if (mode == "live")
    request.set_mode(v1::BOARD_MODE_LIVE);
  else if (mode == "frozen")
    request.set_mode(v1::BOARD_MODE_FROZEN);
  else if (mode == "hidden")
    request.set_mode(v1::BOARD_MODE_HIDDEN);
  else {
    return make_error(ErrorCode::invalid_argument,
                      "Unknown scoreboard mode '" + mode + "'; use live, frozen or hidden.");
  }
  auto r = unary<v1::SetScoreboardModeRequest, v1::SetScoreboardModeResponse>(
      connection_, &v1::ScoringService::Stub::SetScoreboardMode, request);
  if (!r) return r.error();
  return Status::success();
}

Expected<ScoreboardMessage> ScoringClient::scoreboard(const std::string& exercise,
                                                      const std::string& team) const {
  v1::GetScoreboardRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  auto r = unary<v1::GetScoreboardRequest, v1::ScoreboardUpdate>(
      connection_, &v1::ScoringService::Stub::GetScoreboard, request);
  if (!r) return r.error();
  return from_proto(*r);
}

std::unique_ptr<ScoreboardWatch> ScoringClient::watch(
    const std::string& exercise, const std::string& team,
    std::function<void(const ScoreboardMessage&)> on_update,
    std::function<void(const Error&)> on_end) const {
  v1::GetScoreboardRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  std::shared_ptr<v1::ScoringService::Stub> stub =
      v1::ScoringService::NewStub(connection_.impl()->channel);
  return std::make_unique<StreamWatch<ScoreboardWatch, v1::ScoreboardUpdate>>(
      connection_,
      [stub, request](grpc::ClientContext& ctx) { return stub->WatchScoreboard(&ctx, request); },
      [on_update = std::move(on_update)](const v1::ScoreboardUpdate& update) {
        if (on_update) on_update(from_proto(update));
      },
      std::move(on_end), "The scoreboard stream ended.");
}

}  // namespace cyrange::client
