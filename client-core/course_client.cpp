#include <client-core/course_client.h>

#include <utility>

#include <cyrange/v1/course.grpc.pb.h>

#include <client-core/internal/enums.h>
#include <client-core/internal/stream_watch.h>
#include <client-core/internal/unary_call.h>

namespace cyrange::client {
namespace {

namespace v1 = cyrange::v1;
using CourseAsync = v1::CourseService::StubInterface::async_interface;

RunState state_from(v1::CourseRun::State state) {
  switch (state) {
    case v1::CourseRun::STATE_QUEUED:
      return RunState::queued;
    case v1::CourseRun::STATE_STARTING:
      return RunState::starting;
    case v1::CourseRun::STATE_RUNNING:
      return RunState::running;
    case v1::CourseRun::STATE_PAUSED:
      return RunState::paused;
    case v1::CourseRun::STATE_FINISHED:
      return RunState::finished;
    case v1::CourseRun::STATE_EXPIRED:
      return RunState::expired;
    case v1::CourseRun::STATE_FAILED:
      return RunState::failed;
    default:
      return RunState::unknown;
  }
}

CourseRunInfo run_from(const v1::CourseRun& r) {
  CourseRunInfo out;
  out.id = r.id();
  out.course_id = r.course_id();
  out.user = r.user();
  out.state = state_from(r.state());
  out.exercise_id = r.exercise_id();
  out.team = r.team();
  out.detail = r.detail();
  out.queue_position = r.queue_position();
  out.created_at_unix_ms = r.created_at_ms();
  out.started_at_unix_ms = r.started_at_ms();
  out.paused_at_unix_ms = r.paused_at_ms();
  out.ended_at_unix_ms = r.ended_at_ms();
  out.expires_at_unix_ms = r.expires_at_ms();
  out.score = r.score();
  out.objectives_solved = r.objectives_solved();
  out.hints_taken = r.hints_taken();
  return out;
}

RunTicketInfo ticket_from(const v1::RunTicket& t) { return {run_from(t.run()), t.token()}; }

std::vector<CourseInfo> courses_from(const v1::ListCoursesResponse& r) {
  std::vector<CourseInfo> out;
  for (const auto& c : r.courses())
    out.push_back({c.id(), c.scenario_id(), c.title_ja(), c.title_en(), c.clock_speed(),
                   c.expires_after_days(),
                   std::vector<std::string>(c.organisations().begin(), c.organisations().end()),
                   c.withdrawn()});
  return out;
}

std::vector<CourseRunInfo> runs_from(const v1::ListRunsResponse& r) {
  std::vector<CourseRunInfo> out;
  for (const auto& run : r.runs()) out.push_back(run_from(run));
  return out;
}

ReviewQueue reviews_from(const v1::ListReviewsResponse& r) {
  ReviewQueue out;
  for (const auto& p : r.reviews())
    out.reviews.push_back({p.run_id(), p.exercise_id(), p.team(), p.objective(), p.item(),
                           text_from(p.objective_title()), text_from(p.text()), p.points()});
  out.unavailable_runs.assign(r.unavailable_runs().begin(), r.unavailable_runs().end());
  return out;
}

v1::RunRequest run_request(std::int64_t run) {
  v1::RunRequest request;
  request.set_run_id(run);
  return request;
}

}  // namespace

CourseClient::CourseClient(Connection connection) : connection_(std::move(connection)) {}

Call<std::vector<CourseInfo>> CourseClient::courses_async() const {
  return start_call<std::vector<CourseInfo>, v1::CourseService>(
      connection_, &CourseAsync::ListCourses, v1::ListCoursesRequest{}, courses_from);
}

Call<RunTicketInfo> CourseClient::start_async(const std::string& course) const {
  v1::StartRunRequest request;
  request.set_course_id(course);
  return start_call<RunTicketInfo, v1::CourseService>(connection_, &CourseAsync::StartRun,
                                                      std::move(request), ticket_from);
}

Call<std::vector<CourseRunInfo>> CourseClient::runs_async() const {
  return start_call<std::vector<CourseRunInfo>, v1::CourseService>(
      connection_, &CourseAsync::ListRuns, v1::ListRunsRequest{}, runs_from);
}

Call<CourseRunInfo> CourseClient::pause_async(std::int64_t run) const {
  return start_call<CourseRunInfo, v1::CourseService>(connection_, &CourseAsync::PauseRun,
                                                      run_request(run), run_from);
}

Call<RunTicketInfo> CourseClient::resume_async(std::int64_t run) const {
  return start_call<RunTicketInfo, v1::CourseService>(connection_, &CourseAsync::ResumeRun,
                                                      run_request(run), ticket_from);
}

Call<CourseRunInfo> CourseClient::end_async(std::int64_t run) const {
  return start_call<CourseRunInfo, v1::CourseService>(connection_, &CourseAsync::EndRun,
                                                      run_request(run), run_from);
}

Call<CourseRunInfo> CourseClient::keep_alive_async(std::int64_t run) const {
  return start_call<CourseRunInfo, v1::CourseService>(connection_, &CourseAsync::KeepAlive,
                                                      run_request(run), run_from);
}

Call<ReviewQueue> CourseClient::reviews_async(std::int64_t run) const {
  v1::ListReviewsRequest request;
  request.set_run_id(run);
  return start_call<ReviewQueue, v1::CourseService>(connection_, &CourseAsync::ListReviews,
                                                    std::move(request), reviews_from);
}

Call<CourseJoinCodeInfo> CourseClient::create_join_code_async(const std::string& course,
                                                              const std::string& organisation,
                                                              std::chrono::seconds ttl) const {
  v1::CreateJoinCodeRequest request;
  request.set_course_id(course);
  request.set_organisation(organisation);
  request.set_ttl_seconds(ttl.count());
  return start_call<CourseJoinCodeInfo, v1::CourseService>(
      connection_, &CourseAsync::CreateJoinCode, std::move(request),
      [](const v1::CourseJoinCode& c) {
        return CourseJoinCodeInfo{c.course_id(), c.organisation(), c.code(), c.expires_at_ms()};
      });
}

Expected<std::vector<CourseInfo>> CourseClient::courses() const { return courses_async().wait(); }
Expected<RunTicketInfo> CourseClient::start(const std::string& course) const {
  return start_async(course).wait();
}
Expected<std::vector<CourseRunInfo>> CourseClient::runs() const { return runs_async().wait(); }
Expected<CourseRunInfo> CourseClient::pause(std::int64_t run) const {
  return pause_async(run).wait();
}
Expected<RunTicketInfo> CourseClient::resume(std::int64_t run) const {
  return resume_async(run).wait();
}
Expected<CourseRunInfo> CourseClient::end(std::int64_t run) const { return end_async(run).wait(); }

Subscription CourseClient::watch_runs(std::function<void(const CourseRunInfo&)> on_run,
                                      std::function<void(const StreamEnd&)> on_end) const {
  StreamHooks<v1::WatchRunsRequest, v1::CourseRun> hooks;
  hooks.on_message = [on_run = std::move(on_run)](const v1::CourseRun& r) {
    if (on_run) on_run(run_from(r));
  };
  hooks.on_end = std::move(on_end);
  return start_stream<v1::CourseService>(connection_, &CourseAsync::WatchRuns,
                                         v1::WatchRunsRequest(), std::move(hooks));
}

}  // namespace cyrange::client
