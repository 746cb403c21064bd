// One request per RPC of cyrange.v1, built from a Target, made with a role's token.
// Streams count as allowed once their first message arrives; the suite makes sure
// every allowed stream has one (the kickoff message, a board snapshot, ...).
#include <tests/security/authz_calls.h>

#include <atomic>
#include <chrono>
#include <cstdio>

#include <cyrange/v1/analytics.grpc.pb.h>
#include <cyrange/v1/course.grpc.pb.h>
#include <cyrange/v1/exercise.grpc.pb.h>
#include <cyrange/v1/inbox.grpc.pb.h>
#include <cyrange/v1/privacy.grpc.pb.h>
#include <cyrange/v1/range.grpc.pb.h>
#include <cyrange/v1/recorder.grpc.pb.h>
#include <cyrange/v1/report.grpc.pb.h>
#include <cyrange/v1/scoring.grpc.pb.h>
#include <cyrange/v1/system.grpc.pb.h>
#include <cyrange/v1/timeline.grpc.pb.h>

namespace cyrange::security {
namespace {

namespace v1 = cyrange::v1;

std::unique_ptr<grpc::ClientContext> context_of(const AuthzStack& stack, Who who) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", stack.bearer(who));
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return ctx;
}

template <class Response>
using Leak = std::function<std::string(const Response&)>;

// A unary call; `leak` looks at a successful answer.
template <class Service, class Request, class Response>
PreparedCall unary(const CallContext& c, Request request,
                   grpc::Status (Service::Stub::*method)(grpc::ClientContext*, const Request&,
                                                         Response*),
                   Leak<Response> leak = nullptr) {
  return [&stack = c.stack, who = c.who, request = std::move(request), method, leak] {
    auto stub = Service::NewStub(stack.channel());
    auto ctx = context_of(stack, who);
    Response response;
    CallResult result{(stub.get()->*method)(ctx.get(), request, &response), ""};
    if (result.status.ok() && leak) result.leak = leak(response);
    return result;
  };
}

// A server stream: allowed once its first message arrives, which `leak` looks at.
template <class Service, class Request, class Response>
PreparedCall first_of_stream(const CallContext& c, Request request,
                             std::unique_ptr<grpc::ClientReader<Response>> (Service::Stub::*method)(
                                 grpc::ClientContext*, const Request&),
                             Leak<Response> leak = nullptr) {
  return [&stack = c.stack, who = c.who, request = std::move(request), method, leak] {
    auto stub = Service::NewStub(stack.channel());
    auto ctx = context_of(stack, who);
    auto reader = (stub.get()->*method)(ctx.get(), request);
    Response first;
    if (!reader->Read(&first)) return CallResult{reader->Finish(), ""};
    CallResult result{grpc::Status::OK, leak ? leak(first) : ""};
    ctx->TryCancel();
    (void)reader->Finish();
    return result;
  };
}

// A call that cannot be made because its set-up failed; fails every expectation.
PreparedCall set_up_failed(const Error& why) {
  return [message = why.message] {
    return CallResult{grpc::Status(grpc::StatusCode::INTERNAL, message), ""};
  };
}

std::string uuid() {
  static std::atomic<unsigned long long> next{1};
  char text[40];
  std::snprintf(text, sizeof text, "a17a0000-0000-4000-8000-%012llx", next++);
  return text;
}

// --- what a trainee of team1 must not be shown ------------------------------------

std::string attack_details(const v1::TimelineExecution& e) {
  if (e.kind() == v1::ITEM_KIND_STEP && e.category() != "decision")
    return "attack step '" + e.item_id() + "'";
  if (!e.technique().empty() || !e.target().empty() || !e.type().empty() || !e.detail().empty() ||
      !e.params().empty())
    return "attack details of '" + e.item_id() + "'";
  return {};
}

// What an exercise tells only staff: the seed (with the public scenario file it gives
// every team's variables, the answers) and the internal detail.
std::string exercise_secrets(const v1::Exercise& e) {
  if (e.seed() != 0) return "the seed of '" + e.exercise_id() + "'";
  if (!e.detail().empty()) return "the internal detail of '" + e.exercise_id() + "'";
  return {};
}

std::string other_teams(const v1::ScoreboardUpdate& u) {
  if (u.standings_size() > 0) return "the standings of every team";
  if (u.has_own() && u.own().team() != AuthzStack::kOwnTeam)
    return "the details of team '" + u.own().team() + "'";
  for (const auto& e : u.entries())
    if (e.team() != AuthzStack::kOwnTeam) return "a ledger entry of team '" + e.team() + "'";
  return {};
}

bool has_own_team(const google::protobuf::RepeatedPtrField<std::string>& teams) {
  for (const auto& t : teams)
    if (t == AuthzStack::kOwnTeam) return true;
  return false;
}

// --- the calls, one per RPC ---------------------------------------------------------

PreparedCall create_exercise(const CallContext& c) {
  v1::CreateExerciseRequest r;
  r.set_exercise_id("authz_new");
  r.set_scenario_yaml(c.stack.scenario_yaml());
  r.set_scenario_file("scenario.yaml");
  r.add_teams(c.target.team);
  return unary<v1::ExerciseService>(c, r, &v1::ExerciseService::Stub::CreateExercise);
}

PreparedCall list_exercises(const CallContext& c) {
  v1::ListExercisesRequest r;
  r.set_include_ended(true);
  return unary<v1::ExerciseService>(
      c, r, &v1::ExerciseService::Stub::ListExercises,
      Leak<v1::ListExercisesResponse>([](const v1::ListExercisesResponse& out) {
        for (const auto& e : out.exercises()) {
          if (!has_own_team(e.teams())) return "exercise '" + e.exercise_id() + "'";
          if (auto secret = exercise_secrets(e); !secret.empty()) return secret;
        }
        return std::string();
      }));
}

PreparedCall get_exercise(const CallContext& c) {
  v1::GetExerciseRequest r;
  r.set_exercise_id(c.target.exercise);
  return unary<v1::ExerciseService>(c, r, &v1::ExerciseService::Stub::GetExercise,
                                    Leak<v1::Exercise>([](const v1::Exercise& e) {
                                      if (e.team_hosts_size() > 0)
                                        return "the hypervisor hosts of '" + e.exercise_id() + "'";
                                      if (!has_own_team(e.teams()))
                                        return "exercise '" + e.exercise_id() + "'";
                                      return exercise_secrets(e);
                                    }));
}

PreparedCall end_exercise(const CallContext& c) {
  auto id = c.stack.disposable_exercise(c.target.team);
  if (!id) return set_up_failed(id.error());
  v1::EndExerciseRequest r;
  r.set_exercise_id(*id);
  return unary<v1::ExerciseService>(c, r, &v1::ExerciseService::Stub::EndExercise);
}

PreparedCall run_checks(const CallContext& c) {
  v1::RunChecksRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return unary<v1::ExerciseService>(c, r, &v1::ExerciseService::Stub::RunChecks);
}

PreparedCall reset_team_range(const CallContext& c) {
  v1::ResetTeamRangeRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return unary<v1::ExerciseService>(c, r, &v1::ExerciseService::Stub::ResetTeamRange);
}

PreparedCall give_consent(const CallContext& c) {
  v1::GiveConsentRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_purpose(v1::CONSENT_PURPOSE_SCORING);
  r.set_version(c.stack.consent_version());
  r.set_user_id(c.target.user_id);
  return unary<v1::PrivacyService>(c, r, &v1::PrivacyService::Stub::GiveConsent);
}

PreparedCall withdraw_consent(const CallContext& c) {
  // Research consent: withdrawing it deletes no recording the other calls count on.
  const std::int64_t whose = c.target.user_id != 0   ? c.target.user_id
                             : c.who == Who::trainee ? c.stack.user_id(Who::trainee)
                                                     : 0;
  if (whose != 0) {
    if (auto st = c.stack.ensure_research_consent(whose); !st) return set_up_failed(st.error());
  }
  v1::WithdrawConsentRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_purpose(v1::CONSENT_PURPOSE_RESEARCH);
  r.set_user_id(c.target.user_id);
  return unary<v1::PrivacyService>(c, r, &v1::PrivacyService::Stub::WithdrawConsent);
}

PreparedCall get_analytics(const CallContext& c) {
  v1::GetAnalyticsRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return unary<v1::AnalyticsService>(
      c, r, &v1::AnalyticsService::Stub::GetAnalytics,
      Leak<v1::GetAnalyticsResponse>([](const v1::GetAnalyticsResponse& a) -> std::string {
        for (const auto* rows : {&a.teams(), &a.trainees()}) {
          for (const auto& row : *rows) {
            if (row.team() != AuthzStack::kOwnTeam) return "analytics of team '" + row.team() + "'";
          }
        }
        return "";
      }));
}

PreparedCall list_ranges(const CallContext& c) {
  v1::ListRangesRequest r;
  r.set_exercise_id(c.target.exercise);
  return unary<v1::RangeService>(
      c, r, &v1::RangeService::Stub::ListRanges,
      Leak<v1::ListRangesResponse>([](const v1::ListRangesResponse& out) {
        for (const auto& range : out.ranges()) {
          if (range.team() != AuthzStack::kOwnTeam)
            return "the range of team '" + range.team() + "' in '" + range.exercise_id() + "'";
          // The own team's secrets: hosts a trainee cannot open (the attacker's C2) and roles.
          for (const auto& host : range.hosts()) {
            if (!host.trainee_terminal()) return "host '" + host.name() + "' without a terminal";
            if (!host.role().empty()) return "the role of host '" + host.name() + "'";
          }
        }
        return std::string();
      }));
}

PreparedCall list_terminal_sessions(const CallContext& c) {
  // A recording of the named team (the trainee's own when none is named) to be listed.
  auto made = c.stack.recorded_session(
      c.target.exercise, c.target.team.empty() ? AuthzStack::kOwnTeam : c.target.team);
  if (!made) return set_up_failed(made.error());
  v1::ListTerminalSessionsRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return unary<v1::RangeService>(
      c, r, &v1::RangeService::Stub::ListTerminalSessions,
      Leak<v1::ListTerminalSessionsResponse>([](const v1::ListTerminalSessionsResponse& out) {
        for (const auto& s : out.sessions())
          if (s.team() != AuthzStack::kOwnTeam)
            return "a terminal recording of team '" + s.team() + "'";
        return std::string();
      }));
}

PreparedCall read_terminal_session(const CallContext& c) {
  auto made = c.stack.recorded_session(c.target.exercise, c.target.team);
  if (!made) return set_up_failed(made.error());
  v1::ReadTerminalSessionRequest r;
  r.set_session_id(*made);
  return unary<v1::RangeService>(
      c, r, &v1::RangeService::Stub::ReadTerminalSession,
      Leak<v1::ReadTerminalSessionResponse>([](const v1::ReadTerminalSessionResponse& out) {
        if (out.session().team() != AuthzStack::kOwnTeam)
          return "the terminal recording of team '" + out.session().team() + "'";
        return std::string();
      }));
}

// A request to watch the target team that nobody has answered yet, asked by the instructor
// (set-up: asking again returns an open one, so an answered one is ended first).
Expected<std::int64_t> fresh_watch(const CallContext& c) {
  auto stub = v1::RangeService::NewStub(c.stack.channel());
  v1::AskToWatchRequest ask;
  ask.set_exercise_id(c.target.exercise);
  ask.set_team(c.target.team);
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto ctx = context_of(c.stack, Who::instructor);
    v1::TerminalWatch watch;
    if (auto status = stub->AskToWatch(ctx.get(), ask, &watch); !status.ok())
      return make_error(ErrorCode::internal, "asking to watch: " + status.error_message());
    if (watch.state() == "asked") return watch.watch_id();
    v1::EndWatchRequest end;
    end.set_watch_id(watch.watch_id());
    auto end_ctx = context_of(c.stack, Who::instructor);
    if (auto status = stub->EndWatch(end_ctx.get(), end, &watch); !status.ok())
      return make_error(ErrorCode::internal, "ending a watch: " + status.error_message());
  }
  return make_error(ErrorCode::internal, "no unanswered watch request could be made");
}

PreparedCall answer_watch(const CallContext& c) {
  auto id = fresh_watch(c);
  if (!id) return set_up_failed(id.error());
  v1::AnswerWatchRequest r;
  r.set_watch_id(*id);
  r.set_accept(true);
  return unary<v1::RangeService>(c, r, &v1::RangeService::Stub::AnswerWatch);
}

PreparedCall end_watch(const CallContext& c) {
  auto id = fresh_watch(c);
  if (!id) return set_up_failed(id.error());
  v1::EndWatchRequest r;
  r.set_watch_id(*id);
  return unary<v1::RangeService>(c, r, &v1::RangeService::Stub::EndWatch);
}

// Allowed once the server answers `opened`; the in-memory guests echo like a shell.
PreparedCall terminal(const CallContext& c) {
  return [&stack = c.stack, who = c.who, target = c.target] {
    auto stub = v1::RangeService::NewStub(stack.channel());
    auto ctx = context_of(stack, who);
    auto stream = stub->Terminal(ctx.get());
    v1::TerminalInput open;
    open.mutable_open()->set_exercise_id(target.exercise);
    open.mutable_open()->set_team(target.team);
    open.mutable_open()->set_host(AuthzStack::kTerminalHost);
    (void)stream->Write(open);
    v1::TerminalOutput first;
    if (!stream->Read(&first)) return CallResult{stream->Finish(), ""};
    CallResult result{grpc::Status::OK, ""};
    if (!first.has_opened())
      result.status = grpc::Status(grpc::StatusCode::UNKNOWN, "the first answer is not `opened`");
    else if (first.opened().team() != AuthzStack::kOwnTeam)
      result.leak = "a terminal in team '" + first.opened().team() + "'";
    (void)stream->WritesDone();
    ctx->TryCancel();
    (void)stream->Finish();
    return result;
  };
}

// Allowed once the batch is acknowledged as committed.
PreparedCall record(const CallContext& c) {
  return [&stack = c.stack, who = c.who, target = c.target] {
    auto stub = v1::RecorderService::NewStub(stack.channel());
    auto ctx = context_of(stack, who);
    auto stream = stub->Record(ctx.get());
    v1::RecordBatch batch;
    batch.set_client_id(uuid());
    batch.set_first_seq(1);
    auto& event = *batch.add_events();
    event.set_exercise_id(target.exercise);
    if (target.team_id != 0) event.set_team_id(target.team_id);
    event.set_monotonic_ns(1);
    event.set_wall_unix_us(1'700'000'000'000'000);
    event.mutable_focus()->set_target("authorisation matrix");
    (void)stream->Write(batch);
    (void)stream->WritesDone();
    v1::RecordAck ack;
    const bool acked = stream->Read(&ack);
    CallResult result{stream->Finish(), ""};
    if (result.status.ok() && (!acked || ack.committed_seq() != 1))
      result.status = grpc::Status(grpc::StatusCode::UNKNOWN, "the batch was not acknowledged");
    return result;
  };
}

PreparedCall submit_answer(const CallContext& c) {
  v1::SubmitAnswerRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_objective("first-victim");
  r.set_answer("nobody@example.org");
  return unary<v1::ScoringService>(c, r, &v1::ScoringService::Stub::SubmitAnswer);
}

PreparedCall take_hint(const CallContext& c) {
  v1::TakeHintRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_objective("first-victim");
  r.set_hint("hint-1");
  return unary<v1::ScoringService>(c, r, &v1::ScoringService::Stub::TakeHint);
}

PreparedCall push_hint(const CallContext& c) {
  v1::PushHintRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  r.set_objective("sender-domain");
  r.set_hint("hint-1");
  return unary<v1::ScoringService>(c, r, &v1::ScoringService::Stub::PushHint);
}

PreparedCall adjust(const CallContext& c) {
  v1::AdjustRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  r.set_points(1);
  r.set_reason("authorisation matrix");
  return unary<v1::ScoringService>(c, r, &v1::ScoringService::Stub::Adjust);
}

PreparedCall set_scoreboard_mode(const CallContext& c) {
  v1::SetScoreboardModeRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_mode(v1::BOARD_MODE_LIVE);
  return unary<v1::ScoringService>(c, r, &v1::ScoringService::Stub::SetScoreboardMode);
}

PreparedCall reveal_solution(const CallContext& c) {
  v1::RevealSolutionRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  r.set_objective("sender-domain");
  return unary<v1::ScoringService>(c, r, &v1::ScoringService::Stub::RevealSolution);
}

PreparedCall get_solution(const CallContext& c) {
  v1::GetSolutionRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  r.set_objective("sender-domain");
  return unary<v1::ScoringService>(c, r, &v1::ScoringService::Stub::GetSolution);
}

PreparedCall grade_rubric(const CallContext& c) {
  v1::GradeRubricRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  r.set_objective("incident-report");
  r.set_item("timeline");
  r.set_note("authorisation matrix");
  r.set_evidence("none");
  return unary<v1::ScoringService>(c, r, &v1::ScoringService::Stub::GradeRubric);
}

// Any answer about a team other than team1.
template <class Response>
Leak<Response> other_team_in(std::function<std::string(const Response&)> team_of) {
  return [team_of = std::move(team_of)](const Response& out) {
    const std::string team = team_of(out);
    return team.empty() || team == AuthzStack::kOwnTeam ? std::string()
                                                        : "the data of team '" + team + "'";
  };
}

PreparedCall join(const CallContext& c) {
  auto code = c.stack.join_code(c.target.team);
  if (!code) return set_up_failed(code.error());
  v1::JoinRequest r;
  r.set_code(*code);
  return unary<v1::SystemService>(c, r, &v1::SystemService::Stub::Join);
}

PreparedCall create_join_codes(const CallContext& c) {
  v1::CreateJoinCodesRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_ttl_seconds(600);
  return unary<v1::ExerciseService>(c, r, &v1::ExerciseService::Stub::CreateJoinCodes);
}

PreparedCall list_tasks(const CallContext& c) {
  v1::ListTasksRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return unary<v1::ScoringService>(
      c, r, &v1::ScoringService::Stub::ListTasks,
      other_team_in<v1::ListTasksResponse>(
          [](const v1::ListTasksResponse& out) { return out.team(); }));
}

PreparedCall save_report(const CallContext& c) {
  v1::SaveReportRequest r;
  r.set_exercise_id(c.target.exercise);
  r.mutable_sections()->set_scope("authorisation matrix");
  // Edited from the latest version, so that an allowed save is not a conflict.
  r.set_base_version(std::stoi(c.stack.query(
      "SELECT coalesce(max(version), 0) FROM reports WHERE exercise_id = '" + c.target.exercise +
      "' AND team = '" + std::string(AuthzStack::kOwnTeam) + "'")));
  return unary<v1::ReportService>(c, r, &v1::ReportService::Stub::SaveReport);
}

PreparedCall get_report(const CallContext& c) {
  v1::GetReportRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return unary<v1::ReportService>(
      c, r, &v1::ReportService::Stub::GetReport,
      other_team_in<v1::Report>([](const v1::Report& out) { return out.version().team(); }));
}

// A call about a self-paced run: the trainee's own, or (user column) team2's trainee's.
template <class Response>
PreparedCall run_call(const CallContext& c,
                      grpc::Status (v1::CourseService::Stub::*method)(grpc::ClientContext*,
                                                                      const v1::RunRequest&,
                                                                      Response*)) {
  v1::RunRequest r;
  r.set_run_id(c.stack.run_id(c.target.user_id != 0));
  return unary<v1::CourseService>(c, r, method);
}

PreparedCall list_report_versions(const CallContext& c) {
  v1::ListReportVersionsRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return unary<v1::ReportService>(
      c, r, &v1::ReportService::Stub::ListReportVersions,
      other_team_in<v1::ListReportVersionsResponse>([](const v1::ListReportVersionsResponse& out) {
        for (const auto& v : out.versions())
          if (v.team() != AuthzStack::kOwnTeam) return v.team();
        return std::string();
      }));
}

v1::GetScoreboardRequest board_request(const Target& target) {
  v1::GetScoreboardRequest r;
  r.set_exercise_id(target.exercise);
  r.set_team(target.team);
  return r;
}

PreparedCall list_timeline(const CallContext& c) {
  v1::ListTimelineRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return unary<v1::TimelineService>(
      c, r, &v1::TimelineService::Stub::ListTimeline,
      Leak<v1::ListTimelineResponse>([](const v1::ListTimelineResponse& out) {
        for (const auto& e : out.executions())
          if (auto leak = attack_details(e); !leak.empty()) return leak;
        return std::string();
      }));
}

PreparedCall fire_item(const CallContext& c) {
  v1::FireItemRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  // Another item for the admin than for the rest, so that each allowed call finds its
  // item still open (an item fires once).
  r.set_item_id(c.who == Who::admin ? "press-call" : "helpdesk-report");
  return unary<v1::TimelineService>(c, r, &v1::TimelineService::Stub::FireItem);
}

PreparedCall skip_item(const CallContext& c) {
  v1::SkipItemRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  r.set_item_id(c.who == Who::admin ? "exfiltration" : "lateral-smb");  // see fire_item()
  r.set_reason("authorisation matrix");
  return unary<v1::TimelineService>(c, r, &v1::TimelineService::Stub::SkipItem);
}

PreparedCall choose_option(const CallContext& c) {
  v1::ChooseOptionRequest r;  // the scenario has no decision: allowed calls get NOT_FOUND
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  r.set_decision_id("kickoff");
  r.set_option_id("yes");
  return unary<v1::TimelineService>(c, r, &v1::TimelineService::Stub::ChooseOption);
}

PreparedCall control_clock(const CallContext& c) {
  v1::ControlClockRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_action(v1::ControlClockRequest::ACTION_SET_SPEED);
  r.set_speed(1);
  return unary<v1::TimelineService>(c, r, &v1::TimelineService::Stub::ControlClock);
}

PreparedCall watch_timeline(const CallContext& c) {
  v1::WatchTimelineRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return first_of_stream<v1::TimelineService>(
      c, r, &v1::TimelineService::Stub::WatchTimeline,
      Leak<v1::TimelineEvent>([](const v1::TimelineEvent& e) {
        if (e.team() != AuthzStack::kOwnTeam) return "the timeline of team '" + e.team() + "'";
        return attack_details(e.execution());
      }));
}

// A message of another team's inbox is a leak for a trainee of team1.
std::string other_inbox(const v1::InboxMessage& m) {
  return m.team() == AuthzStack::kOwnTeam ? std::string() : "the inbox of team '" + m.team() + "'";
}

PreparedCall list_messages(const CallContext& c) {
  v1::ListMessagesRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return unary<v1::InboxService>(
      c, r, &v1::InboxService::Stub::ListMessages,
      Leak<v1::ListMessagesResponse>([](const v1::ListMessagesResponse& out) {
        for (const auto& m : out.messages())
          if (auto leak = other_inbox(m); !leak.empty()) return leak;
        return std::string();
      }));
}

PreparedCall watch_messages(const CallContext& c) {
  v1::WatchMessagesRequest r;
  r.set_exercise_id(c.target.exercise);
  r.set_team(c.target.team);
  return first_of_stream<v1::InboxService>(c, r, &v1::InboxService::Stub::WatchMessages,
                                           Leak<v1::InboxMessage>(other_inbox));
}

}  // namespace

const char* to_string(Other other) {
  switch (other) {
    case Other::none:
      return "none";
    case Other::team:
      return "team";
    case Other::exercise:
      return "exercise";
    case Other::user:
      return "user";
    case Other::every_team:
      return "every_team";
    case Other::team_id:
      return "team_id";
    case Other::run:
      return "run";
  }
  return "?";
}

Target target_for(const AuthzStack& stack, Other other, bool other_column) {
  Target t{AuthzStack::kExercise, AuthzStack::kOwnTeam, 0, 0};
  if (other == Other::team_id) t.team_id = stack.team_id(AuthzStack::kOwnTeam);
  if (!other_column) return t;
  switch (other) {
    case Other::none:
      break;
    case Other::team:
      t.team = AuthzStack::kOtherTeam;
      break;
    case Other::exercise:
      t = {AuthzStack::kOtherExercise, AuthzStack::kOtherTeam, 0, 0};
      break;
    case Other::user:
      t.user_id = stack.other_trainee_id();
      break;
    case Other::every_team:
      t.team.clear();
      break;
    case Other::team_id:
      t.team_id = stack.team_id(AuthzStack::kOtherTeam);
      break;
    case Other::run:
      t = {AuthzStack::kRunExercise, AuthzStack::kOtherTeam, 0, 0};
      break;
  }
  return t;
}

const std::map<std::string, RpcCall>& rpc_calls() {
  using S = v1::SystemService;
  using P = v1::PrivacyService;
  using R = v1::RangeService;
  using B = v1::ScoringService;
  static const std::map<std::string, RpcCall> calls = {
      {"SystemService.Health",
       [](const CallContext& c) { return unary<S>(c, v1::HealthRequest(), &S::Stub::Health); }},
      {"SystemService.Version",
       [](const CallContext& c) { return unary<S>(c, v1::VersionRequest(), &S::Stub::Version); }},
      {"SystemService.Join", join},
      {"ExerciseService.CreateJoinCodes", create_join_codes},
      {"ScoringService.ListTasks", list_tasks},
      {"ReportService.SaveReport", save_report},
      {"CourseService.ListCourses",
       [](const CallContext& c) {
         return unary<v1::CourseService>(c, v1::ListCoursesRequest(),
                                         &v1::CourseService::Stub::ListCourses);
       }},
      {"CourseService.StartRun",
       [](const CallContext& c) {
         v1::StartRunRequest r;
         r.set_course_id(AuthzStack::kCourse);
         return unary<v1::CourseService>(c, r, &v1::CourseService::Stub::StartRun);
       }},
      {"CourseService.ListRuns",
       [](const CallContext& c) {
         return unary<v1::CourseService>(c, v1::ListRunsRequest(),
                                         &v1::CourseService::Stub::ListRuns);
       }},
      {"CourseService.PauseRun",
       [](const CallContext& c) { return run_call(c, &v1::CourseService::Stub::PauseRun); }},
      {"CourseService.ResumeRun",
       [](const CallContext& c) { return run_call(c, &v1::CourseService::Stub::ResumeRun); }},
      {"CourseService.EndRun",
       [](const CallContext& c) { return run_call(c, &v1::CourseService::Stub::EndRun); }},
      {"CourseService.KeepAlive",
       [](const CallContext& c) { return run_call(c, &v1::CourseService::Stub::KeepAlive); }},
      {"CourseService.CreateJoinCode",
       [](const CallContext& c) {
         v1::CreateJoinCodeRequest r;
         r.set_course_id(AuthzStack::kCourse);
         r.set_organisation("north_city");
         return unary<v1::CourseService>(c, r, &v1::CourseService::Stub::CreateJoinCode);
       }},
      {"CourseService.WatchRuns",
       [](const CallContext& c) {
         return first_of_stream<v1::CourseService>(
             c, v1::WatchRunsRequest(), &v1::CourseService::Stub::WatchRuns,
             Leak<v1::CourseRun>([&stack = c.stack](const v1::CourseRun& run) {
               return run.id() == stack.run_id(true) ? "team2's trainee's run" : std::string();
             }));
       }},
      {"CourseService.ListReviews",
       [](const CallContext& c) {
         return unary<v1::CourseService>(c, v1::ListReviewsRequest(),
                                         &v1::CourseService::Stub::ListReviews);
       }},
      {"ReportService.GetReport", get_report},
      {"ReportService.ListReportVersions", list_report_versions},
      {"SystemService.WhoAmI",
       [](const CallContext& c) {
         return unary<S>(
             c, v1::WhoAmIRequest(), &S::Stub::WhoAmI,
             Leak<v1::WhoAmIResponse>([name = c.stack.login(c.who)](const v1::WhoAmIResponse& out) {
               return out.identity().name() == name
                          ? std::string()
                          : "the identity of '" + out.identity().name() + "'";
             }));
       }},
      {"ExerciseService.CreateExercise", create_exercise},
      {"ExerciseService.ListExercises", list_exercises},
      {"ExerciseService.GetExercise", get_exercise},
      {"ExerciseService.EndExercise", end_exercise},
      {"ExerciseService.RunChecks", run_checks},
      {"ExerciseService.ResetTeamRange", reset_team_range},
      {"PrivacyService.GetConsentTexts",
       [](const CallContext& c) {
         return unary<P>(c, v1::GetConsentTextsRequest(), &P::Stub::GetConsentTexts);
       }},
      {"PrivacyService.GiveConsent", give_consent},
      {"PrivacyService.WithdrawConsent", withdraw_consent},
      {"AnalyticsService.GetAnalytics", get_analytics},
      {"AnalyticsService.ListActivity",
       [](const CallContext& c) {
         v1::ListActivityRequest r;
         r.set_exercise_id(c.target.exercise);
         r.set_team(c.target.team);
         return unary<v1::AnalyticsService>(c, r, &v1::AnalyticsService::Stub::ListActivity);
       }},
      {"PrivacyService.MyConsents",
       [](const CallContext& c) {
         v1::MyConsentsRequest r;
         r.set_exercise_id(c.target.exercise);
         return unary<P>(c, r, &P::Stub::MyConsents);
       }},
      {"RangeService.ListRanges", list_ranges},
      {"RangeService.WatchProvisioning",
       [](const CallContext& c) {
         v1::WatchProvisioningRequest r;
         r.set_exercise_id(c.target.exercise);
         return first_of_stream<R>(c, r, &R::Stub::WatchProvisioning);
       }},
      {"RangeService.Terminal", terminal},
      {"RangeService.ListTerminalSessions", list_terminal_sessions},
      {"RangeService.ReadTerminalSession", read_terminal_session},
      {"RangeService.AskToWatch",
       [](const CallContext& c) {
         v1::AskToWatchRequest r;
         r.set_exercise_id(c.target.exercise);
         r.set_team(c.target.team);
         return unary<R>(c, r, &R::Stub::AskToWatch);
       }},
      {"RangeService.AnswerWatch", answer_watch},
      {"RangeService.EndWatch", end_watch},
      {"RangeService.FollowWatches",
       [](const CallContext& c) {
         v1::FollowWatchesRequest r;
         r.set_exercise_id(c.target.exercise);
         r.set_team(c.target.team);
         return first_of_stream<R>(c, r, &R::Stub::FollowWatches,
                                   Leak<v1::TerminalWatches>([](const v1::TerminalWatches& w) {
                                     for (const auto& o : w.open())
                                       if (o.team() != AuthzStack::kOwnTeam)
                                         return "a watch request of team '" + o.team() + "'";
                                     return std::string();
                                   }));
       }},
      {"RecorderService.Record", record},
      {"ScoringService.SubmitAnswer", submit_answer},
      {"ScoringService.TakeHint", take_hint},
      {"ScoringService.PushHint", push_hint},
      {"ScoringService.Adjust", adjust},
      {"ScoringService.SetScoreboardMode", set_scoreboard_mode},
      {"ScoringService.RevealSolution", reveal_solution},
      {"ScoringService.GetSolution", get_solution},
      {"ScoringService.GradeRubric", grade_rubric},
      {"ScoringService.GetScoreboard",
       [](const CallContext& c) {
         return unary<B>(c, board_request(c.target), &B::Stub::GetScoreboard,
                         Leak<v1::ScoreboardUpdate>(other_teams));
       }},
      {"ScoringService.WatchScoreboard",
       [](const CallContext& c) {
         return first_of_stream<B>(c, board_request(c.target), &B::Stub::WatchScoreboard,
                                   Leak<v1::ScoreboardUpdate>(other_teams));
       }},
      {"InboxService.ListMessages", list_messages},
      {"InboxService.WatchMessages", watch_messages},
      {"TimelineService.ListTimeline", list_timeline},
      {"TimelineService.FireItem", fire_item},
      {"TimelineService.SkipItem", skip_item},
      {"TimelineService.ChooseOption", choose_option},
      {"TimelineService.ControlClock", control_clock},
      {"TimelineService.WatchTimeline", watch_timeline},
  };
  return calls;
}

const std::vector<const char*>& trainee_exercise_calls() {
  static const std::vector<const char*> calls{
      "ExerciseService.GetExercise",       "RangeService.Terminal",
      "RangeService.ListTerminalSessions", "RangeService.ReadTerminalSession",
      "RangeService.AnswerWatch",          "RangeService.EndWatch",
      "RangeService.FollowWatches",        "InboxService.ListMessages",
      "InboxService.WatchMessages",        "ScoringService.SubmitAnswer",
      "ScoringService.TakeHint",           "ScoringService.ListTasks",
      "ScoringService.GetScoreboard",      "ScoringService.WatchScoreboard",
      "ScoringService.GetSolution",        "AnalyticsService.GetAnalytics",
      "AnalyticsService.ListActivity",     "ReportService.SaveReport",
      "ReportService.GetReport",           "ReportService.ListReportVersions",
      "TimelineService.ListTimeline",      "TimelineService.WatchTimeline",
      "TimelineService.ChooseOption",      "RecorderService.Record",
      "PrivacyService.GiveConsent",
  };
  return calls;
}

}  // namespace cyrange::security
