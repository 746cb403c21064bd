#include <orchestrator/rpc/course_service.h>

#include <orchestrator/rpc/system_service.h>

namespace cyrange::rpc {
namespace {

namespace v1 = cyrange::v1;

Error no_courses() {
  return make_error(ErrorCode::unavailable,
                    "This server offers no self-paced courses; start cyranged with a database "
                    "and libvirt.",
                    "このサーバーは自習コースを提供していません。データベースと libvirt を指定して "
                    "cyranged を起動してください。");
}

v1::CourseRun::State to_proto(course::RunState state) {
  using S = course::RunState;
  switch (state) {
    case S::queued:
      return v1::CourseRun::STATE_QUEUED;
    case S::starting:
      return v1::CourseRun::STATE_STARTING;
    case S::running:
      return v1::CourseRun::STATE_RUNNING;
    case S::paused:
      return v1::CourseRun::STATE_PAUSED;
    case S::finished:
      return v1::CourseRun::STATE_FINISHED;
    case S::expired:
      return v1::CourseRun::STATE_EXPIRED;
    case S::failed:
      return v1::CourseRun::STATE_FAILED;
  }
  return v1::CourseRun::STATE_UNSPECIFIED;
}

std::int64_t ms_or_zero(const std::optional<course::TimePoint>& when) {
  return when ? unix_ms(*when) : 0;
}

void to_proto(const course::Run& in, v1::CourseRun& out) {
  out.set_id(in.id);
  out.set_course_id(in.course);
  out.set_user(in.user);
  out.set_state(to_proto(in.state));
  out.set_exercise_id(in.exercise);
  out.set_team(in.team);
  out.set_detail(in.detail);
  out.set_queue_position(in.queue_position);
  out.set_created_at_ms(unix_ms(in.created_at));
  out.set_started_at_ms(ms_or_zero(in.started_at));
  out.set_paused_at_ms(ms_or_zero(in.paused_at));
  out.set_ended_at_ms(ms_or_zero(in.ended_at));
  out.set_expires_at_ms(unix_ms(in.expires_at));
  out.set_score(in.results.score);
  out.set_objectives_solved(in.results.objectives_solved);
  out.set_hints_taken(in.results.hints_taken);
}

void to_proto(const course::Course& in, bool staff, v1::Course& out) {
  out.set_id(in.id);
  out.set_scenario_id(in.scenario_id);
  out.set_title_ja(in.title_ja);
  out.set_title_en(in.title_en);
  out.set_clock_speed(in.clock_speed);
  out.set_expires_after_days(in.expires_after_days);
  if (!staff) return;
  for (const auto& org : in.organisations) out.add_organisations(org);
  out.set_withdrawn(in.withdrawn);
}

Status ticket_to_proto(const Expected<course::RunTicket>& ticket, v1::RunTicket& out) {
  if (!ticket) return ticket.error();
  to_proto(ticket->run, *out.mutable_run());
  out.set_token(ticket->token);
  return Status::success();
}

Status run_to_proto(const Expected<course::Run>& run, v1::CourseRun& out) {
  if (!run) return run.error();
  to_proto(*run, out);
  return Status::success();
}

}  // namespace

CourseService::CourseService(const CallGate& gate, std::shared_ptr<course::RunDesk> desk)
    : gate_(gate), desk_(std::move(desk)) {}

template <class Body>
grpc::ServerUnaryReactor* CourseService::call(grpc::CallbackServerContext* ctx,
                                              std::string_view method, Body&& body) {
  return gate_.unary(ctx, method, [&](const identity::Identity& caller) -> Status {
    if (!desk_) return no_courses();
    return body(caller, *desk_);
  });
}

grpc::ServerUnaryReactor* CourseService::ListCourses(grpc::CallbackServerContext* ctx,
                                                     const v1::ListCoursesRequest* /*request*/,
                                                     v1::ListCoursesResponse* response) {
  return call(ctx, "CourseService.ListCourses",
              [&](const identity::Identity& caller, course::RunDesk& desk) -> Status {
                auto courses = desk.courses(caller);
                if (!courses) return courses.error();
                const bool staff = caller.role == identity::Role::instructor ||
                                   caller.role == identity::Role::admin;
                for (const auto& c : *courses) to_proto(c, staff, *response->add_courses());
                return Status::success();
              });
}

grpc::ServerUnaryReactor* CourseService::StartRun(grpc::CallbackServerContext* ctx,
                                                  const v1::StartRunRequest* request,
                                                  v1::RunTicket* response) {
  return call(ctx, "CourseService.StartRun",
              [&](const identity::Identity& caller, course::RunDesk& desk) {
                return ticket_to_proto(desk.start(caller, request->course_id()), *response);
              });
}

grpc::ServerUnaryReactor* CourseService::ListRuns(grpc::CallbackServerContext* ctx,
                                                  const v1::ListRunsRequest* /*request*/,
                                                  v1::ListRunsResponse* response) {
  return call(ctx, "CourseService.ListRuns",
              [&](const identity::Identity& caller, course::RunDesk& desk) -> Status {
                auto runs = desk.runs(caller);
                if (!runs) return runs.error();
                for (const auto& run : *runs) to_proto(run, *response->add_runs());
                return Status::success();
              });
}

grpc::ServerUnaryReactor* CourseService::PauseRun(grpc::CallbackServerContext* ctx,
                                                  const v1::RunRequest* request,
                                                  v1::CourseRun* response) {
  return call(ctx, "CourseService.PauseRun",
              [&](const identity::Identity& caller, course::RunDesk& desk) {
                return run_to_proto(desk.pause(caller, request->run_id()), *response);
              });
}

grpc::ServerUnaryReactor* CourseService::ResumeRun(grpc::CallbackServerContext* ctx,
                                                   const v1::RunRequest* request,
                                                   v1::RunTicket* response) {
  return call(ctx, "CourseService.ResumeRun",
              [&](const identity::Identity& caller, course::RunDesk& desk) {
                return ticket_to_proto(desk.resume(caller, request->run_id()), *response);
              });
}

grpc::ServerUnaryReactor* CourseService::EndRun(grpc::CallbackServerContext* ctx,
                                                const v1::RunRequest* request,
                                                v1::CourseRun* response) {
  return call(ctx, "CourseService.EndRun",
              [&](const identity::Identity& caller, course::RunDesk& desk) {
                return run_to_proto(desk.end(caller, request->run_id()), *response);
              });
}

grpc::ServerUnaryReactor* CourseService::KeepAlive(grpc::CallbackServerContext* ctx,
                                                   const v1::RunRequest* request,
                                                   v1::CourseRun* response) {
  return call(ctx, "CourseService.KeepAlive",
              [&](const identity::Identity& caller, course::RunDesk& desk) {
                return run_to_proto(desk.keep_alive(caller, request->run_id()), *response);
              });
}

}  // namespace cyrange::rpc
