#include <client-core/timeline_client.h>

#include <cyrange/v1/timeline.grpc.pb.h>

#include <client-core/internal/stream_watch.h>
#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

using Stub = v1::TimelineService::Stub;

std::string state_name(v1::ExecutionState state) {
  switch (state) {
    case v1::EXECUTION_STATE_PENDING:
      return "pending";
    case v1::EXECUTION_STATE_DUE:
      return "due";
    case v1::EXECUTION_STATE_FIRING:
      return "firing";
    case v1::EXECUTION_STATE_DONE:
      return "done";
    case v1::EXECUTION_STATE_FAILED:
      return "failed";
    case v1::EXECUTION_STATE_SKIPPED:
      return "skipped";
    default:
      return "unknown";
  }
}

std::string kind_name(v1::ItemKind kind) {
  switch (kind) {
    case v1::ITEM_KIND_MESSAGE:
      return "message";
    case v1::ITEM_KIND_STEP:
      return "step";
    case v1::ITEM_KIND_OBJECTIVE:
      return "objective";
    default:
      return "unknown";
  }
}

TimelineItemView from_proto(const v1::TimelineExecution& e) {
  TimelineItemView v;
  v.execution_id = e.execution_id();
  v.item_id = e.item_id();
  v.kind = kind_name(e.kind());
  v.state = state_name(e.state());
  v.category = e.category();
  v.type = e.type();
  v.technique = e.technique();
  v.target = e.target();
  v.trigger = e.trigger();
  if (e.has_due_at_seconds()) v.due_at = e.due_at_seconds();
  if (e.has_fired_at_seconds()) v.fired_at = e.fired_at_seconds();
  if (e.has_finished_at_seconds()) v.finished_at = e.finished_at_seconds();
  v.attempts = e.attempts();
  v.text_ja = e.text().ja();
  v.text_en = e.text().en();
  v.options.assign(e.options().begin(), e.options().end());
  v.choice = e.choice();
  v.detail = e.detail();
  v.params.insert(e.params().begin(), e.params().end());
  return v;
}

TimelineClock from_proto(const v1::ExerciseClock& c) {
  return TimelineClock{c.started(), c.paused(), c.speed(), c.now_seconds()};
}

}  // namespace

TimelineClient::TimelineClient(Connection connection) : connection_(std::move(connection)) {}

Expected<TimelineListing> TimelineClient::list(const std::string& exercise,
                                               const std::string& team) const {
  v1::ListTimelineRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  auto r = unary_call<v1::TimelineService, v1::ListTimelineResponse>(connection_,
                                                                     &Stub::ListTimeline, request);
  if (!r) return r.error();
  TimelineListing listing{from_proto(r->clock()), {}};
  for (const auto& e : r->executions()) listing.items.push_back(from_proto(e));
  return listing;
}

Status TimelineClient::fire(const std::string& exercise, const std::string& team,
                            const std::string& item) const {
  v1::FireItemRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_item_id(item);
  auto r =
      unary_call<v1::TimelineService, v1::FireItemResponse>(connection_, &Stub::FireItem, request);
  if (!r) return r.error();
  return Status::success();
}

Status TimelineClient::skip(const std::string& exercise, const std::string& team,
                            const std::string& item, const std::string& reason) const {
  v1::SkipItemRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_item_id(item);
  request.set_reason(reason);
  auto r =
      unary_call<v1::TimelineService, v1::SkipItemResponse>(connection_, &Stub::SkipItem, request);
  if (!r) return r.error();
  return Status::success();
}

Status TimelineClient::choose(const std::string& exercise, const std::string& team,
                              const std::string& decision, const std::string& option) const {
  v1::ChooseOptionRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_decision_id(decision);
  request.set_option_id(option);
  auto r = unary_call<v1::TimelineService, v1::ChooseOptionResponse>(connection_,
                                                                     &Stub::ChooseOption, request);
  if (!r) return r.error();
  return Status::success();
}

Expected<TimelineClock> TimelineClient::control_clock(const std::string& exercise,
                                                      ClockAction action, double speed) const {
  v1::ControlClockRequest request;
  request.set_exercise_id(exercise);
  switch (action) {
    case ClockAction::start:
      request.set_action(v1::ControlClockRequest::ACTION_START);
      break;
    case ClockAction::pause:
      request.set_action(v1::ControlClockRequest::ACTION_PAUSE);
      break;
    case ClockAction::resume:
      request.set_action(v1::ControlClockRequest::ACTION_RESUME);
      break;
    case ClockAction::set_speed:
      request.set_action(v1::ControlClockRequest::ACTION_SET_SPEED);
      break;
  }
  request.set_speed(speed);
  auto r = unary_call<v1::TimelineService, v1::ControlClockResponse>(connection_,
                                                                     &Stub::ControlClock, request);
  if (!r) return r.error();
  return from_proto(r->clock());
}

std::unique_ptr<TimelineWatch> TimelineClient::watch(
    const std::string& exercise, const std::string& team,
    std::function<void(const TimelineChange&)> on_change,
    std::function<void(const Error&)> on_end) const {
  v1::WatchTimelineRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  std::shared_ptr<Stub> stub = v1::TimelineService::NewStub(connection_.impl()->channel);
  return std::make_unique<StreamWatch<TimelineWatch, v1::TimelineEvent>>(
      connection_,
      [stub, request](grpc::ClientContext& ctx) { return stub->WatchTimeline(&ctx, request); },
      [on_change = std::move(on_change)](const v1::TimelineEvent& e) {
        if (on_change) {
          on_change(TimelineChange{e.exercise_id(), e.team(), from_proto(e.execution()),
                                   e.exercise_time_seconds(), e.snapshot()});
        }
      },
      std::move(on_end), "The timeline stream ended.");
}

}  // namespace cyrange::client
