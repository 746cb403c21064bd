#include <orchestrator/rpc/analytics_service.h>

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

Error no_analytics() {
  return make_error(ErrorCode::unavailable,
                    "This server has no analytics; start cyranged with a database.",
                    "このサーバでは分析を利用できません。");
}

// Reports read a whole exercise: two at a time, a few more waiting, the rest refused.
constexpr int kAnalyticsWorkers = 2;
constexpr std::size_t kAnalyticsBacklog = 16;

}  // namespace

AnalyticsService::AnalyticsService(const CallGate& gate,
                                   std::shared_ptr<analytics::AnalyticsDesk> desk)
    : gate_(gate),
      desk_(std::move(desk)),
      workers_(std::make_unique<CallWorkers>(kAnalyticsWorkers, kAnalyticsBacklog)) {}

AnalyticsService::~AnalyticsService() = default;

grpc::ServerUnaryReactor* AnalyticsService::GetAnalytics(grpc::CallbackServerContext* ctx,
                                                         const v1::GetAnalyticsRequest* request,
                                                         v1::GetAnalyticsResponse* response) {
  // request and response stay valid until Finish.
  return gate_.pooled_unary(
      ctx, "AnalyticsService.GetAnalytics", *workers_,
      [desk = desk_, request, response](const identity::Identity& caller) -> Status {
        if (!desk) return no_analytics();
        auto report = desk->report(caller, request->exercise_id(), request->team());
        if (!report) return report.error();
        response->set_exercise_id(report->exercise);
        response->set_start_unix_us(report->start_unix_us);
        for (const auto& t : report->teams) to_proto(t, *response->add_teams());
        for (const auto& t : report->trainees) to_proto(t, *response->add_trainees());
        return Status::success();
      });
}

grpc::ServerUnaryReactor* AnalyticsService::ListActivity(grpc::CallbackServerContext* ctx,
                                                         const v1::ListActivityRequest* request,
                                                         v1::ListActivityResponse* response) {
  return gate_.pooled_unary(
      ctx, "AnalyticsService.ListActivity", *workers_,
      [desk = desk_, request, response](const identity::Identity& caller) -> Status {
        if (!desk) return no_analytics();
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
