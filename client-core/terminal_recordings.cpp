#include <client-core/terminal_recordings.h>

#include <utility>

#include <cyrange/v1/range.grpc.pb.h>

#include <client-core/internal/unary_call.h>

namespace cyrange::client {
namespace {

namespace v1 = cyrange::v1;
using RangeAsync = v1::RangeService::StubInterface::async_interface;

TerminalRecordingInfo info_from(const v1::TerminalRecording& r) {
  TerminalRecordingInfo info;
  info.session_id = r.session_id();
  info.exercise = r.exercise_id();
  info.team = r.team();
  info.host = r.host();
  info.user = r.user();
  info.cols = static_cast<int>(r.size().cols());
  info.rows = static_cast<int>(r.size().rows());
  info.started_at_ms = r.started_at_ms();
  info.ended_at_ms = r.ended_at_ms();
  info.duration_ms = r.duration_ms();
  info.bytes = r.bytes();
  info.truncated = r.truncated();
  return info;
}

TerminalRecordingPage page_from(const v1::ReadTerminalSessionResponse& r) {
  TerminalRecordingPage page;
  page.session = info_from(r.session());
  for (const auto& c : r.chunks())
    page.chunks.push_back(
        {c.seq(), c.offset_us(), c.direction().empty() ? 'o' : c.direction()[0], c.data()});
  page.next_seq = r.next_seq();
  page.complete = r.complete();
  return page;
}

}  // namespace

Call<std::vector<TerminalRecordingInfo>> list_terminal_sessions_async(const Connection& connection,
                                                                      const std::string& exercise,
                                                                      const std::string& team) {
  v1::ListTerminalSessionsRequest request;
  request.set_exercise_id(exercise);
  request.set_team(team);
  return start_call<std::vector<TerminalRecordingInfo>, v1::RangeService>(
      connection, &RangeAsync::ListTerminalSessions, std::move(request),
      [](const v1::ListTerminalSessionsResponse& r) {
        std::vector<TerminalRecordingInfo> out;
        for (const auto& s : r.sessions()) out.push_back(info_from(s));
        return out;
      });
}

Expected<std::vector<TerminalRecordingInfo>> list_terminal_sessions(const Connection& connection,
                                                                    const std::string& exercise,
                                                                    const std::string& team) {
  return list_terminal_sessions_async(connection, exercise, team).wait();
}

Call<TerminalRecordingPage> read_terminal_session_async(const Connection& connection,
                                                        const RecordingPageQuery& query) {
  v1::ReadTerminalSessionRequest request;
  request.set_session_id(query.session_id);
  request.set_from_seq(query.from_seq);
  request.set_max_bytes(query.max_bytes);
  request.set_include_input(query.include_input);
  return start_call<TerminalRecordingPage, v1::RangeService>(
      connection, &RangeAsync::ReadTerminalSession, std::move(request), page_from);
}

Expected<TerminalRecordingPage> read_terminal_session(const Connection& connection,
                                                      const RecordingPageQuery& query) {
  return read_terminal_session_async(connection, query).wait();
}

Expected<TerminalRecordingPage> read_whole_terminal_session(const Connection& connection,
                                                            std::int64_t session_id,
                                                            bool include_input) {
  RecordingPageQuery query{session_id, 0, 0, include_input};
  TerminalRecordingPage whole;
  for (;;) {
    auto page = read_terminal_session(connection, query);
    if (!page) return page.error();
    whole.session = page->session;
    for (auto& c : page->chunks) whole.chunks.push_back(std::move(c));
    whole.next_seq = page->next_seq;
    whole.complete = page->complete;
    if (page->complete || page->next_seq == query.from_seq) return whole;
    query.from_seq = page->next_seq;
  }
}

}  // namespace cyrange::client
