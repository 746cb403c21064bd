#include <orchestrator/rpc/analytics_service.h>

#include <thread>

namespace cyrange::rpc {
namespace {

namespace v1 = cyrange::v1;

void to_proto(const analytics::ActorAnalytics& in, v1::ActorAnalytics& out) {
  out.set_team(in.team);
  out.set_trainee(in.trainee);
  out.set_has_first_action(in.first_action_s.has_value());
  out.set_first_action_s(in.first_action_s.value_or(0));
  for (const auto& o : in.objectives) {
    auto& timing = *out.add_objectives();
    timing.set_objective(o.objective);
    timing.set_solved_after_s(o.solved_after_s);
    timing.set_commands(o.commands);
  }
  out.set_commands(in.commands);
  out.set_hints(in.hints);
  out.set_idle_s(in.idle_s);
}

}  // namespace

AnalyticsService::AnalyticsService(const CallGate& gate,
                                   std::shared_ptr<analytics::AnalyticsDesk> desk)
    : gate_(gate), desk_(std::move(desk)) {}

grpc::ServerUnaryReactor* AnalyticsService::GetAnalytics(grpc::CallbackServerContext* ctx,
                                                         const v1::GetAnalyticsRequest* request,
                                                         v1::GetAnalyticsResponse* response) {
  auto* reactor = ctx->DefaultReactor();
  auto caller = gate_.authenticate(*ctx, "AnalyticsService.GetAnalytics");
  if (!caller) {
    reactor->Finish(to_grpc(caller.error()));
    return reactor;
  }
  if (!desk_) {
    reactor->Finish(to_grpc(make_error(ErrorCode::unavailable,
                                       "This server has no analytics; start cyranged with a "
                                       "database.",
                                       "このサーバでは分析を利用できません。")));
    return reactor;
  }
  // request and response stay valid until Finish; the thread owns nothing else.
  std::thread([reactor, request, response, desk = desk_, who = std::move(caller).value()] {
    auto report = desk->report(who, request->exercise_id(), request->team());
    if (!report) {
      reactor->Finish(to_grpc(report.error()));
      return;
    }
    response->set_exercise_id(report->exercise);
    response->set_start_unix_us(report->start_unix_us);
    for (const auto& t : report->teams) to_proto(t, *response->add_teams());
    for (const auto& t : report->trainees) to_proto(t, *response->add_trainees());
    reactor->Finish(grpc::Status::OK);
  }).detach();
  return reactor;
}

grpc::ServerUnaryReactor* AnalyticsService::ListActivity(grpc::CallbackServerContext* ctx,
                                                         const v1::ListActivityRequest* request,
                                                         v1::ListActivityResponse* response) {
  return gate_.slow_unary(
      ctx, "AnalyticsService.ListActivity",
      [desk = desk_, request, response](const identity::Identity& caller) -> Status {
        if (!desk)
          return make_error(ErrorCode::unavailable,
                            "This server has no analytics; start cyranged with a database.",
                            "このサーバでは分析を利用できません。");
        auto activity =
            desk->activity(caller, request->exercise_id(), request->team(), request->limit());
        if (!activity) return activity.error();
        response->set_start_unix_us(activity->start_unix_us);
        response->set_truncated(activity->truncated);
        for (const auto& e : activity->entries) {
          auto& out = *response->add_entries();
          out.set_at_s(static_cast<double>(e.wall_unix_us - activity->start_unix_us) / 1e6);
          out.set_trainee(e.trainee);
          out.set_kind(e.kind);
          out.set_host(e.host);
          out.set_text(e.text);
          out.set_redacted(e.redacted);
          out.set_points(e.points);
        }
        return Status::success();
      });
}

}  // namespace cyrange::rpc
