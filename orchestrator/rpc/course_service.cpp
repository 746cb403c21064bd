#include <orchestrator/rpc/course_service.h>

#include <map>

#include <orchestrator/rpc/queued_writer.h>
#include <orchestrator/rpc/scoring_service.h>
#include <orchestrator/rpc/system_service.h>
#include <orchestrator/scoring/review_queue.h>

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

void to_proto(const course::Run& run, const scoring::PendingReview& in, v1::PendingReview& out) {
  out.set_run_id(run.id);
  out.set_exercise_id(run.exercise);
  out.set_team(run.team);
  out.set_objective(in.objective);
  to_localized(in.objective_title, *out.mutable_objective_title());
  out.set_item(in.item.id);
  to_localized(in.item.text, *out.mutable_text());
  out.set_points(in.item.points);
}

Status run_to_proto(const Expected<course::Run>& run, v1::CourseRun& out) {
  if (!run) return run.error();
  to_proto(*run, out);
  return Status::success();
}

// A watcher that cannot keep up is cut off rather than growing memory without bound.
constexpr std::size_t kMaxQueuedRuns = 1'000;

/// One WatchRuns stream: the caller's runs as a snapshot, then each run whose message
/// differs from the one last written. A trainee's and an admin's runs are picked from the
/// feed's list; an instructor's are asked of the desk (their organisation's trainees).
class RunWatch : public QueuedWriter<v1::CourseRun> {
 public:
  RunWatch(course::RunDesk& desk, course::RunFeed& feed, identity::Identity caller)
      : QueuedWriter(kMaxQueuedRuns, "The run watcher fell too far behind; watch again."),
        desk_(desk),
        feed_(feed),
        caller_(std::move(caller)) {}

  /// Subscribes first and lists second, so no change falls between the two.
  void start() {
    subscription_ = feed_.subscribe([this](const std::vector<course::Run>& all) { changed(all); });
    auto runs = desk_.runs(caller_);
    if (!runs) {
      finish(to_grpc(runs.error()));
      return;
    }
    std::deque<v1::CourseRun> snapshot;
    std::lock_guard lock(mutex_);
    for (const auto& run : *runs) {
      v1::CourseRun message;
      to_proto(run, message);
      sent_[run.id] = message.SerializeAsString();
      snapshot.push_back(std::move(message));
    }
    ready(std::move(snapshot));
  }

  void OnDone() override {
    if (subscription_) feed_.unsubscribe(subscription_);
    delete this;
  }

 private:
  void changed(const std::vector<course::Run>& all) {
    std::vector<course::Run> mine;
    if (caller_.role == identity::Role::instructor) {
      auto listed = desk_.runs(caller_);
      if (!listed) return;  // the next change tries again
      mine = std::move(*listed);
    } else {
      for (const auto& run : all)
        if (caller_.role == identity::Role::admin || run.user_id == caller_.user_id)
          mine.push_back(run);
    }
    std::lock_guard lock(mutex_);
    // Oldest first, so a client applying them in order ends with the newest run of a course.
    for (auto it = mine.rbegin(); it != mine.rend(); ++it) {
      v1::CourseRun message;
      to_proto(*it, message);
      std::string bytes = message.SerializeAsString();
      auto& last = sent_[it->id];
      if (last == bytes) continue;
      last = std::move(bytes);
      push(std::move(message));
    }
  }

  course::RunDesk& desk_;
  course::RunFeed& feed_;
  const identity::Identity caller_;
  std::uint64_t subscription_ = 0;
  std::mutex mutex_;                          // sent_
  std::map<std::int64_t, std::string> sent_;  // run id -> the message last written
};

}  // namespace

CourseService::CourseService(const CallGate& gate, std::shared_ptr<course::RunDesk> desk,
                             std::shared_ptr<scoring::ScoreHub> scores,
                             std::shared_ptr<course::RunFeed> feed,
                             std::shared_ptr<identity::JoinDesk> join)
    : gate_(gate),
      desk_(std::move(desk)),
      scores_(std::move(scores)),
      feed_(std::move(feed)),
      join_(std::move(join)) {}

grpc::ServerWriteReactor<v1::CourseRun>* CourseService::WatchRuns(
    grpc::CallbackServerContext* ctx, const v1::WatchRunsRequest* /*request*/) {
  // A reactor that only reports a refusal.
  class Refusal : public grpc::ServerWriteReactor<v1::CourseRun> {
   public:
    explicit Refusal(const grpc::Status& status) { Finish(status); }
    void OnDone() override { delete this; }
  };
  auto caller = gate_.authenticate(*ctx, "CourseService.WatchRuns");
  if (!caller) return new Refusal(to_grpc(caller.error()));
  if (!desk_ || !feed_) return new Refusal(to_grpc(no_courses()));
  // The same audience as ListRuns, refused the same way (designers).
  if (auto allowed = desk_->runs(*caller); !allowed) return new Refusal(to_grpc(allowed.error()));
  auto* reactor = new RunWatch(*desk_, *feed_, *caller);
  reactor->hold(gate_.watch_stream(ctx));
  reactor->start();
  return reactor;
}

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

grpc::ServerUnaryReactor* CourseService::CreateJoinCode(grpc::CallbackServerContext* ctx,
                                                        const v1::CreateJoinCodeRequest* request,
                                                        v1::CourseJoinCode* response) {
  return call(ctx, "CourseService.CreateJoinCode",
              [&](const identity::Identity& caller, course::RunDesk& desk) -> Status {
                if (auto st = desk.may_hand_out_codes(caller, request->organisation()); !st)
                  return st;
                if (!join_) return no_courses();
                if (request->ttl_seconds() < 0)
                  return make_error(ErrorCode::invalid_argument,
                                    "The lifetime of a join code cannot be negative; give 0 for "
                                    "7 days.",
                                    "参加コードの有効期間に負の値は指定できません（0 で 7 日）。");
                const std::chrono::seconds ttl = request->ttl_seconds() == 0
                                                     ? std::chrono::hours(24 * 7)
                                                     : std::chrono::seconds(request->ttl_seconds());
                auto code = join_->create_course_code(request->course_id(), request->organisation(),
                                                      ttl, caller.user_id);
                if (!code) return code.error();
                response->set_course_id(code->course);
                response->set_organisation(code->organisation);
                response->set_code(code->code);
                response->set_expires_at_ms(unix_ms(code->expires_at));
                return Status::success();
              });
}

grpc::ServerUnaryReactor* CourseService::ListReviews(grpc::CallbackServerContext* ctx,
                                                     const v1::ListReviewsRequest* request,
                                                     v1::ListReviewsResponse* response) {
  return call(ctx, "CourseService.ListReviews",
              [&](const identity::Identity& caller, course::RunDesk& desk) -> Status {
                if (auto st = scoring::check_reviewer(caller); !st) return st;
                // The runs the caller may list are the runs whose items it may review.
                auto runs = desk.runs(caller);
                if (!runs) return runs.error();
                bool named_seen = false;
                for (const auto& run : *runs) {
                  if (request->run_id() != 0 && run.id != request->run_id()) continue;
                  named_seen = true;
                  if (run.exercise.empty()) continue;  // never placed: nothing to review
                  if (!scores_) {
                    response->add_unavailable_runs(run.id);
                    continue;
                  }
                  auto pending = scoring::pending_reviews(*scores_, caller, run.exercise, run.team);
                  if (!pending && pending.error().code == ErrorCode::not_found) {
                    response->add_unavailable_runs(run.id);
                    continue;
                  }
                  if (!pending) return pending.error();
                  for (const auto& p : *pending) to_proto(run, p, *response->add_reviews());
                }
                if (request->run_id() != 0 && !named_seen) {
                  const std::string id = std::to_string(request->run_id());
                  return make_error(ErrorCode::not_found,
                                    "There is no self-paced run " + id + " that you may see.",
                                    "参照できる自習ラン " + id + " はありません。");
                }
                return Status::success();
              });
}

}  // namespace cyrange::rpc
