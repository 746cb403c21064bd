#include <client-core/terminal_watches.h>

#include <utility>

#include <cyrange/v1/range.grpc.pb.h>

#include <client-core/internal/stream_watch.h>
#include <client-core/internal/unary_call.h>

namespace cyrange::client {
namespace {

namespace v1 = cyrange::v1;
using RangeAsync = v1::RangeService::StubInterface::async_interface;

TerminalWatchView watch_view_of(const v1::TerminalWatch& w) {
  return {w.watch_id(), w.exercise_id(), w.team(),     w.instructor(),
          w.state(),    w.answered_by(), w.ended_by(), w.changed_at_ms()};
}

}  // namespace

Call<TerminalWatchView> ask_to_watch_async(const Connection& connection,
                                           const std::string& exercise, const std::string& team) {
  v1::AskToWatchRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  return start_call<TerminalWatchView, v1::RangeService>(connection, &RangeAsync::AskToWatch,
                                                         std::move(request), watch_view_of);
}

Call<TerminalWatchView> answer_watch_async(const Connection& connection, std::int64_t id,
                                           bool accept) {
  v1::AnswerWatchRequest request;
  request.set_watch_id(id);
  request.set_accept(accept);
  return start_call<TerminalWatchView, v1::RangeService>(connection, &RangeAsync::AnswerWatch,
                                                         std::move(request), watch_view_of);
}

Call<TerminalWatchView> end_watch_async(const Connection& connection, std::int64_t id) {
  v1::EndWatchRequest request;
  request.set_watch_id(id);
  return start_call<TerminalWatchView, v1::RangeService>(connection, &RangeAsync::EndWatch,
                                                         std::move(request), watch_view_of);
}

Subscription follow_watches_async(const Connection& connection, const std::string& exercise,
                                  const std::string& team,
                                  std::function<void(const TerminalWatchesView&)> on_update,
                                  std::function<void(const StreamEnd&)> on_end) {
  v1::FollowWatchesRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  StreamHooks<v1::FollowWatchesRequest, v1::TerminalWatches> hooks;
  hooks.on_message = [on_update = std::move(on_update)](const v1::TerminalWatches& m) {
    TerminalWatchesView view;
    for (const auto& w : m.open()) view.open.push_back(watch_view_of(w));
    if (m.has_changed()) view.changed = watch_view_of(m.changed());
    if (on_update) on_update(view);
  };
  hooks.on_end = std::move(on_end);
  return start_stream<v1::RangeService>(connection, &RangeAsync::FollowWatches, std::move(request),
                                        std::move(hooks));
}

}  // namespace cyrange::client
