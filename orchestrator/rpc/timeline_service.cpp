#include <orchestrator/rpc/timeline_service.h>

#include <deque>

#include <orchestrator/common/log.h>
#include <orchestrator/rpc/queued_writer.h>

namespace cyrange::rpc {
namespace {

namespace v1 = cyrange::v1;
using timeline::ExecState;
using timeline::ItemKind;

// A watcher that cannot keep up is cut off rather than growing memory without bound.
constexpr std::size_t kMaxQueuedEvents = 10'000;

Error no_timelines() {
  return make_error(ErrorCode::unavailable,
                    "This server runs no exercise timelines; start cyranged with a database.");
}

v1::ExecutionState to_proto(ExecState s) {
  switch (s) {
    case ExecState::pending:
      return v1::EXECUTION_STATE_PENDING;
    case ExecState::due:
      return v1::EXECUTION_STATE_DUE;
    case ExecState::firing:
      return v1::EXECUTION_STATE_FIRING;
    case ExecState::done:
      return v1::EXECUTION_STATE_DONE;
    case ExecState::failed:
      return v1::EXECUTION_STATE_FAILED;
    case ExecState::skipped:
      return v1::EXECUTION_STATE_SKIPPED;
  }
  return v1::EXECUTION_STATE_UNSPECIFIED;
}

v1::ItemKind to_proto(ItemKind k) {
  switch (k) {
    case ItemKind::message:
      return v1::ITEM_KIND_MESSAGE;
    case ItemKind::step:
      return v1::ITEM_KIND_STEP;
    case ItemKind::objective:
      return v1::ITEM_KIND_OBJECTIVE;
  }
  return v1::ITEM_KIND_UNSPECIFIED;
}

std::string describe(const timeline::TriggerSpec& t) {
  using Kind = timeline::TriggerSpec::Kind;
  switch (t.kind) {
    case Kind::at:
      return "at " + std::to_string(static_cast<long>(t.at_seconds)) + "s";
    case Kind::after:
      return "after " + t.after + " +" + std::to_string(static_cast<long>(t.delay_seconds)) + "s";
    case Kind::event:
      return "on event " + t.event;
    case Kind::objective:
      return "on objective " + t.objective + " " + t.state;
    case Kind::manual:
      if (t.auto_at_seconds) {
        return "manual, by itself at " + std::to_string(static_cast<long>(*t.auto_at_seconds)) +
               "s";
      }
      return "manual";
  }
  return "";
}

void to_proto(const timeline::Execution& e, bool staff, v1::TimelineExecution& out) {
  out.set_execution_id(e.id);
  out.set_item_id(e.item.id);
  out.set_kind(to_proto(e.item.kind));
  out.set_category(e.item.category);
  out.set_state(to_proto(e.state));
  out.mutable_text()->set_ja(e.item.text_ja);
  out.mutable_text()->set_en(e.item.text_en);
  for (const auto& option : e.item.options) out.add_options(option);
  out.set_choice(e.choice);
  if (e.finished_at) out.set_finished_at_seconds(*e.finished_at);
  if (!staff) return;  // trainees: what they were told, nothing about the attack
  out.set_type(e.item.type);
  out.set_technique(e.item.technique);
  out.set_target(e.item.target);
  out.set_trigger(describe(e.item.trigger));
  if (e.due_at) out.set_due_at_seconds(*e.due_at);
  if (e.fired_at) out.set_fired_at_seconds(*e.fired_at);
  out.set_attempts(e.attempts);
  out.set_detail(e.detail);
  for (const auto& [key, value] : e.item.params) (*out.mutable_params())[key] = value;
}

void to_proto(const timeline::ClockState& state, double now, v1::ExerciseClock& out) {
  out.set_started(state.started_at.has_value());
  out.set_paused(state.paused);
  out.set_speed(state.speed);
  out.set_now_seconds(now);
}

v1::TimelineEvent to_proto(const timeline::TimelineEvent& e, bool staff) {
  v1::TimelineEvent out;
  out.set_exercise_id(e.exercise);
  out.set_team(e.team);
  out.set_exercise_time_seconds(e.exercise_time);
  auto& x = *out.mutable_execution();
  x.set_execution_id(e.execution_id);
  x.set_item_id(e.item_id);
  x.set_kind(to_proto(e.kind));
  x.set_state(to_proto(e.state));
  x.mutable_text()->set_ja(e.text_ja);
  x.mutable_text()->set_en(e.text_en);
  x.set_choice(e.choice);
  if (staff) x.set_detail(e.detail);
  return out;
}

/// One WatchTimeline stream: a hub subscription feeding the write queue.
class TimelineWatchReactor : public QueuedWriter<v1::TimelineEvent> {
 public:
  TimelineWatchReactor(timeline::TimelineHub& hub, identity::Identity caller, std::string exercise,
                       std::string team)
      : QueuedWriter(kMaxQueuedEvents, "The timeline watcher fell too far behind; watch again."),
        hub_(hub),
        caller_(std::move(caller)),
        exercise_(std::move(exercise)),
        team_(std::move(team)) {}

  /// Subscribes first and snapshots second, so no change falls between the two.
  void start(const timeline::TimelineControl& control) {
    subscription_ = hub_.subscribe([this](const timeline::TimelineEvent& e) {
      if (timeline::TimelineControl::should_deliver(caller_, exercise_, team_, e)) {
        push(to_proto(e, timeline::is_staff(caller_)));
      }
    });
    std::deque<v1::TimelineEvent> snapshot;
    auto found = hub_.find(exercise_);
    std::vector<std::string> teams =
        team_.empty() && found ? (*found)->teams() : std::vector<std::string>{team_};
    for (const auto& team : teams) {
      auto view = control.list(caller_, exercise_, team);
      if (!view) continue;
      for (const auto& e : view->executions) {
        v1::TimelineEvent ev;
        ev.set_exercise_id(exercise_);
        ev.set_team(team);
        ev.set_exercise_time_seconds(view->now);
        ev.set_snapshot(true);
        to_proto(e, timeline::is_staff(caller_), *ev.mutable_execution());
        snapshot.push_back(std::move(ev));
      }
    }
    ready(std::move(snapshot));
  }

  void OnDone() override {
    if (subscription_) hub_.unsubscribe(subscription_);
    delete this;
  }

 private:
  timeline::TimelineHub& hub_;
  const identity::Identity caller_;
  const std::string exercise_;
  const std::string team_;
  timeline::TimelineHub::SubscriptionId subscription_ = 0;
};

}  // namespace

TimelineService::TimelineService(const CallGate& gate, std::shared_ptr<timeline::TimelineHub> hub)
    : gate_(gate), hub_(std::move(hub)) {
  if (hub_) control_ = std::make_unique<timeline::TimelineControl>(*hub_);
}

template <class Body>
grpc::ServerUnaryReactor* TimelineService::call(grpc::CallbackServerContext* ctx,
                                                std::string_view method, Body&& body) {
  return gate_.unary(ctx, method, [&](const identity::Identity& caller) -> Status {
    if (!control_) return no_timelines();
    return body(caller, *control_);
  });
}

grpc::ServerUnaryReactor* TimelineService::ListTimeline(grpc::CallbackServerContext* ctx,
                                                        const v1::ListTimelineRequest* request,
                                                        v1::ListTimelineResponse* response) {
  return call(ctx, "TimelineService.ListTimeline",
              [&](const identity::Identity& caller, timeline::TimelineControl& control) -> Status {
                auto view = control.list(caller, request->exercise_id(), request->team());
                if (!view) return view.error();
                to_proto(view->clock, view->now, *response->mutable_clock());
                for (const auto& e : view->executions) {
                  to_proto(e, timeline::is_staff(caller), *response->add_executions());
                }
                return Status::success();
              });
}

grpc::ServerUnaryReactor* TimelineService::FireItem(grpc::CallbackServerContext* ctx,
                                                    const v1::FireItemRequest* request,
                                                    v1::FireItemResponse* /*response*/) {
  return call(ctx, "TimelineService.FireItem",
              [&](const identity::Identity& caller, timeline::TimelineControl& control) {
                return control.fire(caller, request->exercise_id(), request->team(),
                                    request->item_id());
              });
}

grpc::ServerUnaryReactor* TimelineService::SkipItem(grpc::CallbackServerContext* ctx,
                                                    const v1::SkipItemRequest* request,
                                                    v1::SkipItemResponse* /*response*/) {
  return call(ctx, "TimelineService.SkipItem",
              [&](const identity::Identity& caller, timeline::TimelineControl& control) {
                return control.skip(caller, request->exercise_id(), request->team(),
                                    request->item_id(), request->reason());
              });
}

grpc::ServerUnaryReactor* TimelineService::ChooseOption(grpc::CallbackServerContext* ctx,
                                                        const v1::ChooseOptionRequest* request,
                                                        v1::ChooseOptionResponse* /*response*/) {
  return call(ctx, "TimelineService.ChooseOption",
              [&](const identity::Identity& caller, timeline::TimelineControl& control) {
                return control.choose(caller, request->exercise_id(), request->team(),
                                      request->decision_id(), request->option_id());
              });
}

grpc::ServerUnaryReactor* TimelineService::ControlClock(grpc::CallbackServerContext* ctx,
                                                        const v1::ControlClockRequest* request,
                                                        v1::ControlClockResponse* response) {
  return call(ctx, "TimelineService.ControlClock",
              [&](const identity::Identity& caller, timeline::TimelineControl& control) -> Status {
                using Op = timeline::TimelineControl::ClockOp;
                Op op;
                switch (request->action()) {
                  case v1::ControlClockRequest::ACTION_START:
                    op = Op::start;
                    break;
                  case v1::ControlClockRequest::ACTION_PAUSE:
                    op = Op::pause;
                    break;
                  case v1::ControlClockRequest::ACTION_RESUME:
                    op = Op::resume;
                    break;
                  case v1::ControlClockRequest::ACTION_SET_SPEED:
                    op = Op::set_speed;
                    break;
                  default:
                    return make_error(ErrorCode::invalid_argument,
                                      "ControlClock needs an action: start, pause, resume or "
                                      "set_speed.");
                }
                auto state = control.clock(caller, request->exercise_id(), op, request->speed());
                if (!state) return state.error();
                auto found = hub_->find(request->exercise_id());
                to_proto(*state, found ? (*found)->now() : 0, *response->mutable_clock());
                return Status::success();
              });
}

grpc::ServerWriteReactor<v1::TimelineEvent>* TimelineService::WatchTimeline(
    grpc::CallbackServerContext* ctx, const v1::WatchTimelineRequest* request) {
  auto caller = gate_.authenticate(*ctx, "TimelineService.WatchTimeline");
  Status allowed =
      !caller     ? Status(caller.error())
      : !control_ ? Status(no_timelines())
                  : control_->authorize_watch(*caller, request->exercise_id(), request->team());
  if (!allowed) {
    // A reactor that only reports the refusal.
    class Refusal : public grpc::ServerWriteReactor<v1::TimelineEvent> {
     public:
      explicit Refusal(const grpc::Status& status) { Finish(status); }
      void OnDone() override { delete this; }
    };
    return new Refusal(to_grpc(allowed.error()));
  }
  auto* reactor = new TimelineWatchReactor(*hub_, *caller, request->exercise_id(), request->team());
  reactor->hold(gate_.watch_stream(ctx));
  reactor->start(*control_);
  return reactor;
}

}  // namespace cyrange::rpc
