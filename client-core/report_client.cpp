#include <client-core/report_client.h>

#include <utility>

#include <cyrange/v1/report.grpc.pb.h>

#include <client-core/internal/unary_call.h>

namespace cyrange::client {
namespace {

namespace v1 = cyrange::v1;
using ReportAsync = v1::ReportService::StubInterface::async_interface;

ReportVersionInfo version_from(const v1::ReportVersion& v) {
  return {v.exercise_id(), v.team(), v.version(), v.submitted(), v.saved_by(), v.saved_at_ms()};
}

ReportDocument document_from(const v1::Report& r) {
  const auto& s = r.sections();
  return {version_from(r.version()),
          {s.timeline(), s.scope(), s.cause(), s.measures(), s.recommendations(), s.free_text()}};
}

std::vector<ReportVersionInfo> versions_from(const v1::ListReportVersionsResponse& r) {
  std::vector<ReportVersionInfo> out;
  for (const auto& v : r.versions()) out.push_back(version_from(v));
  return out;
}

}  // namespace

ReportClient::ReportClient(Connection connection) : connection_(std::move(connection)) {}

Call<ReportVersionInfo> ReportClient::save_async(const std::string& exercise,
                                                 const ReportSections& sections, int base_version,
                                                 bool submit) const {
  v1::SaveReportRequest request;
  request.set_exercise_id(exercise);
  auto& s = *request.mutable_sections();
  s.set_timeline(sections.timeline);
  s.set_scope(sections.scope);
  s.set_cause(sections.cause);
  s.set_measures(sections.measures);
  s.set_recommendations(sections.recommendations);
  s.set_free_text(sections.free_text);
  request.set_base_version(base_version);
  request.set_submit(submit);
  return start_call<ReportVersionInfo, v1::ReportService>(connection_, &ReportAsync::SaveReport,
                                                          std::move(request), version_from);
}

Call<ReportDocument> ReportClient::get_async(const std::string& exercise, const std::string& team,
                                             int version) const {
  v1::GetReportRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_version(version);
  return start_call<ReportDocument, v1::ReportService>(connection_, &ReportAsync::GetReport,
                                                       std::move(request), document_from);
}

Call<std::vector<ReportVersionInfo>> ReportClient::versions_async(const std::string& exercise,
                                                                  const std::string& team) const {
  v1::ListReportVersionsRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  return start_call<std::vector<ReportVersionInfo>, v1::ReportService>(
      connection_, &ReportAsync::ListReportVersions, std::move(request), versions_from);
}

Expected<ReportVersionInfo> ReportClient::save(const std::string& exercise,
                                               const ReportSections& sections, int base_version,
                                               bool submit) const {
  return save_async(exercise, sections, base_version, submit).wait();
}

Expected<ReportDocument> ReportClient::get(const std::string& exercise, const std::string& team,
                                           int version) const {
  return get_async(exercise, team, version).wait();
}

Expected<std::vector<ReportVersionInfo>> ReportClient::versions(const std::string& exercise,
                                                                const std::string& team) const {
  return versions_async(exercise, team).wait();
}

}  // namespace cyrange::client
