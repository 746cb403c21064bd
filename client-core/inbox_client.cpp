#include <client-core/inbox_client.h>

#include <utility>

#include <cyrange/v1/inbox.grpc.pb.h>

#include <client-core/internal/stream_watch.h>
#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

using InboxAsync = v1::InboxService::StubInterface::async_interface;

InboxKind kind_from(const std::string& kind) {
  if (kind == "briefing") return InboxKind::briefing;
  if (kind == "message") return InboxKind::message;
  if (kind == "notice") return InboxKind::notice;
  return InboxKind::other;
}

InboxEntry entry_from(const v1::InboxMessage& m) {
  InboxEntry e;
  e.id = m.message_id();
  e.exercise = m.exercise_id();
  e.team = m.team();
  e.source = m.source();
  e.kind = kind_from(m.kind());
  e.sender = m.sender();
  e.subject = m.subject();
  e.text = {m.text().ja(), m.text().en()};
  e.exercise_time = m.exercise_time_seconds();
  e.delivered_unix_ms = m.delivered_unix_ms();
  e.snapshot = m.snapshot();
  return e;
}

}  // namespace

InboxClient::InboxClient(Connection connection) : connection_(std::move(connection)) {}

Call<std::vector<InboxEntry>> InboxClient::list_async(const std::string& exercise,
                                                      const std::string& team,
                                                      std::int64_t after_id) const {
  v1::ListMessagesRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_after_id(after_id);
  return start_call<std::vector<InboxEntry>, v1::InboxService>(
      connection_, &InboxAsync::ListMessages, std::move(request),
      [](const v1::ListMessagesResponse& r) {
        std::vector<InboxEntry> out;
        for (const auto& m : r.messages()) out.push_back(entry_from(m));
        return out;
      });
}

Expected<std::vector<InboxEntry>> InboxClient::list(const std::string& exercise,
                                                    const std::string& team,
                                                    std::int64_t after_id) const {
  return list_async(exercise, team, after_id).wait();
}

Subscription InboxClient::watch(const std::string& exercise, const std::string& team,
                                std::int64_t after_id,
                                std::function<void(const InboxEntry&)> on_message,
                                std::function<void(const StreamEnd&)> on_end) const {
  v1::WatchMessagesRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_after_id(after_id);
  StreamHooks<v1::WatchMessagesRequest, v1::InboxMessage> hooks;
  hooks.on_message = [on_message = std::move(on_message)](const v1::InboxMessage& m) {
    if (on_message) on_message(entry_from(m));
  };
  hooks.on_end = std::move(on_end);
  hooks.advance = [](v1::WatchMessagesRequest& r, const v1::InboxMessage& m) {
    r.set_after_id(std::max(r.after_id(), m.message_id()));
  };
  return start_stream<v1::InboxService>(connection_, &InboxAsync::WatchMessages, std::move(request),
                                        std::move(hooks));
}

}  // namespace cyrange::client
