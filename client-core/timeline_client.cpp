#include <client-core/timeline_client.h>

#include <cyrange/v1/timeline.grpc.pb.h>

#include <client-core/internal/enums.h>
#include <client-core/internal/stream_watch.h>
#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

using TimelineAsync = v1::TimelineService::StubInterface::async_interface;

TimelineItemView item_from(const v1::TimelineExecution& e) {
  TimelineItemView v;
  v.execution_id = e.execution_id();
  v.item_id = e.item_id();
  v.kind = from_proto(e.kind());
  v.state = from_proto(e.state());
  v.category = e.category();
  v.type = e.type();
  v.technique = e.technique();
  v.target = e.target();
  v.trigger = e.trigger();
  if (e.has_due_at_seconds()) v.due_at = e.due_at_seconds();
  if (e.has_fired_at_seconds()) v.fired_at = e.fired_at_seconds();
  if (e.has_finished_at_seconds()) v.finished_at = e.finished_at_seconds();
  v.attempts = e.attempts();
  v.text = {e.text().ja(), e.text().en()};
  v.options.assign(e.options().begin(), e.options().end());
  v.choice = e.choice();
  v.detail = e.detail();
  v.params.insert(e.params().begin(), e.params().end());
  return v;
}

TimelineClock clock_from(const v1::ExerciseClock& c) {
  return TimelineClock{c.started(), c.paused(), c.speed(), c.now_seconds()};
}

}  // namespace

TimelineClient::TimelineClient(Connection connection) : connection_(std::move(connection)) {}

Call<TimelineListing> TimelineClient::list_async(const std::string& exercise,
                                                 const std::string& team) const {
  v1::ListTimelineRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  return start_call<TimelineListing, v1::TimelineService>(
      connection_, &TimelineAsync::ListTimeline, std::move(request),
      [](const v1::ListTimelineResponse& r) {
        TimelineListing listing{clock_from(r.clock()), {}};
        for (const auto& e : r.executions()) listing.items.push_back(item_from(e));
        return listing;
      });
}

Call<Unit> TimelineClient::fire_async(const std::string& exercise, const std::string& team,
                                      const std::string& item) const {
  v1::FireItemRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_item_id(item);
  return start_call<Unit, v1::TimelineService>(connection_, &TimelineAsync::FireItem,
                                               std::move(request), ToUnit{});
}

Call<Unit> TimelineClient::skip_async(const std::string& exercise, const std::string& team,
                                      const std::string& item, const std::string& reason) const {
  v1::SkipItemRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_item_id(item);
  request.set_reason(reason);
  return start_call<Unit, v1::TimelineService>(connection_, &TimelineAsync::SkipItem,
                                               std::move(request), ToUnit{});
}

Call<Unit> TimelineClient::choose_async(const std::string& exercise, const std::string& team,
                                        const std::string& decision,
                                        const std::string& option) const {
  v1::ChooseOptionRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_decision_id(decision);
  request.set_option_id(option);
  return start_call<Unit, v1::TimelineService>(connection_, &TimelineAsync::ChooseOption,
                                               std::move(request), ToUnit{});
}

Call<TimelineClock> TimelineClient::control_clock_async(const std::string& exercise,
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
  return start_call<TimelineClock, v1::TimelineService>(
      connection_, &TimelineAsync::ControlClock, std::move(request),
      [](const v1::ControlClockResponse& r) { return clock_from(r.clock()); });
}

Expected<TimelineListing> TimelineClient::list(const std::string& exercise,
                                               const std::string& team) const {
  return list_async(exercise, team).wait();
}

Status TimelineClient::fire(const std::string& exercise, const std::string& team,
                            const std::string& item) const {
  return to_status(fire_async(exercise, team, item).wait());
}

Status TimelineClient::skip(const std::string& exercise, const std::string& team,
                            const std::string& item, const std::string& reason) const {
  return to_status(skip_async(exercise, team, item, reason).wait());
}

Status TimelineClient::choose(const std::string& exercise, const std::string& team,
                              const std::string& decision, const std::string& option) const {
  return to_status(choose_async(exercise, team, decision, option).wait());
}

Expected<TimelineClock> TimelineClient::control_clock(const std::string& exercise,
                                                      ClockAction action, double speed) const {
  return control_clock_async(exercise, action, speed).wait();
}

Subscription TimelineClient::watch(const std::string& exercise, const std::string& team,
                                   std::function<void(const TimelineChange&)> on_change,
                                   std::function<void(const StreamEnd&)> on_end) const {
  v1::WatchTimelineRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  StreamHooks<v1::WatchTimelineRequest, v1::TimelineEvent> hooks;
  hooks.on_message = [on_change = std::move(on_change)](const v1::TimelineEvent& e) {
    if (on_change) {
      on_change(TimelineChange{e.exercise_id(), e.team(), item_from(e.execution()),
                               e.exercise_time_seconds(), e.snapshot()});
    }
  };
  hooks.on_end = std::move(on_end);
  return start_stream<v1::TimelineService>(connection_, &TimelineAsync::WatchTimeline,
                                           std::move(request), std::move(hooks));
}

}  // namespace cyrange::client
