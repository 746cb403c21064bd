#include <client-core/inbox_client.h>

#include <cyrange/v1/inbox.grpc.pb.h>

#include <client-core/internal/stream_watch.h>
#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

namespace {

using Stub = v1::InboxService::Stub;

InboxEntry from_proto(const v1::InboxMessage& m) {
  InboxEntry e;
  e.id = m.message_id();
  e.exercise = m.exercise_id();
  e.team = m.team();
  e.source = m.source();
  e.kind = m.kind();
  e.sender = m.sender();
  e.subject = m.subject();
  e.text_ja = m.text().ja();
  e.text_en = m.text().en();
  e.exercise_time = m.exercise_time_seconds();
  e.delivered_unix_ms = m.delivered_unix_ms();
  e.snapshot = m.snapshot();
  return e;
}

}  // namespace

InboxClient::InboxClient(Connection connection) : connection_(std::move(connection)) {}

Expected<std::vector<InboxEntry>> InboxClient::list(const std::string& exercise,
                                                    const std::string& team,
                                                    std::int64_t after_id) const {
  v1::ListMessagesRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_after_id(after_id);
  auto r = unary_call<v1::InboxService, v1::ListMessagesResponse>(connection_, &Stub::ListMessages,
                                                                  request);
  if (!r) return r.error();
  std::vector<InboxEntry> out;
  for (const auto& m : r->messages()) out.push_back(from_proto(m));
  return out;
}

std::unique_ptr<InboxWatch> InboxClient::watch(const std::string& exercise, const std::string& team,
                                               std::int64_t after_id,
                                               std::function<void(const InboxEntry&)> on_message,
                                               std::function<void(const Error&)> on_end) const {
  v1::WatchMessagesRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  request.set_after_id(after_id);
  std::shared_ptr<Stub> stub = v1::InboxService::NewStub(connection_.impl()->channel);
  return std::make_unique<StreamWatch<InboxWatch, v1::InboxMessage>>(
      connection_,
      [stub, request](grpc::ClientContext& ctx) { return stub->WatchMessages(&ctx, request); },
      [on_message = std::move(on_message)](const v1::InboxMessage& m) {
        if (on_message) on_message(from_proto(m));
      },
      std::move(on_end), "The inbox stream ended.");
}

}  // namespace cyrange::client
