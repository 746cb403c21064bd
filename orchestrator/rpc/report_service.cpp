#include <orchestrator/rpc/report_service.h>

#include <orchestrator/rpc/system_service.h>

namespace cyrange::rpc {
namespace {

namespace v1 = cyrange::v1;

Error no_reports() {
  return make_error(ErrorCode::unavailable,
                    "This server keeps no incident reports; start cyranged with a database.",
                    "このサーバーは報告書を保存できません。データベースを指定して cyranged "
                    "を起動してください。");
}

void to_proto(const report::ReportVersion& in, v1::ReportVersion& out) {
  out.set_exercise_id(in.exercise);
  out.set_team(in.team);
  out.set_version(in.version);
  out.set_submitted(in.submitted);
  out.set_saved_by(in.saved_by);
  out.set_saved_at_ms(unix_ms(in.saved_at));
}

report::ReportSections from_proto(const v1::ReportSections& in) {
  return {in.timeline(), in.scope(),           in.cause(),
          in.measures(), in.recommendations(), in.free_text()};
}

void to_proto(const report::ReportSections& in, v1::ReportSections& out) {
  out.set_timeline(in.timeline);
  out.set_scope(in.scope);
  out.set_cause(in.cause);
  out.set_measures(in.measures);
  out.set_recommendations(in.recommendations);
  out.set_free_text(in.free_text);
}

}  // namespace

ReportService::ReportService(const CallGate& gate, std::shared_ptr<report::ReportDesk> desk)
    : gate_(gate), desk_(std::move(desk)) {}

template <class Body>
grpc::ServerUnaryReactor* ReportService::call(grpc::CallbackServerContext* ctx,
                                              std::string_view method, Body&& body) {
  return gate_.unary(ctx, method, [&](const identity::Identity& caller) -> Status {
    if (!desk_) return no_reports();
    return body(caller, *desk_);
  });
}

grpc::ServerUnaryReactor* ReportService::SaveReport(grpc::CallbackServerContext* ctx,
                                                    const v1::SaveReportRequest* request,
                                                    v1::ReportVersion* response) {
  return call(ctx, "ReportService.SaveReport",
              [&](const identity::Identity& caller, report::ReportDesk& desk) -> Status {
                auto saved =
                    desk.save(caller, request->exercise_id(), from_proto(request->sections()),
                              request->base_version(), request->submit());
                if (!saved) return saved.error();
                to_proto(*saved, *response);
                return Status::success();
              });
}

grpc::ServerUnaryReactor* ReportService::GetReport(grpc::CallbackServerContext* ctx,
                                                   const v1::GetReportRequest* request,
                                                   v1::Report* response) {
  return call(ctx, "ReportService.GetReport",
              [&](const identity::Identity& caller, report::ReportDesk& desk) -> Status {
                auto found =
                    desk.get(caller, request->exercise_id(), request->team(), request->version());
                if (!found) return found.error();
                to_proto(found->version, *response->mutable_version());
                to_proto(found->sections, *response->mutable_sections());
                return Status::success();
              });
}

grpc::ServerUnaryReactor* ReportService::ListReportVersions(
    grpc::CallbackServerContext* ctx, const v1::ListReportVersionsRequest* request,
    v1::ListReportVersionsResponse* response) {
  return call(ctx, "ReportService.ListReportVersions",
              [&](const identity::Identity& caller, report::ReportDesk& desk) -> Status {
                auto listed = desk.versions(caller, request->exercise_id(), request->team());
                if (!listed) return listed.error();
                for (const auto& v : *listed) to_proto(v, *response->add_versions());
                return Status::success();
              });
}

}  // namespace cyrange::rpc
