// RangeRegistry's part for recorded terminals (tables terminal_sessions and
// terminal_chunks of migration 0006): recording, export and paged reading for replay.
#include <orchestrator/exercise/range_registry.h>

#include <orchestrator/exercise/range_registry_impl.h>

namespace cyrange::exercise {
namespace {

// bytea travels as hex text: independent of libpqxx's binary parameter support.
std::string to_hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string from_hex(const std::string& hex) {
  auto value = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(value(hex[i]) * 16 + value(hex[i + 1]));
  return out;
}

// One row per session with its user, length and whether its last chunk is the truncation
// marker ($1); callers add the WHERE clause.
constexpr const char* kSessionRowSelect =
    "SELECT t.id, t.exercise_id, t.team, t.host, coalesce(t.user_id, 0), coalesce(u.name, ''), "
    "coalesce(u.role, ''), t.width, t.height, (extract(epoch FROM t.started_at) * 1000)::bigint, "
    "coalesce((extract(epoch FROM t.ended_at) * 1000)::bigint, 0), coalesce(s.last_offset, 0), "
    "coalesce(s.bytes, 0), coalesce(position(convert_to($1, 'UTF8') IN last.data) = 1, false) "
    "FROM terminal_sessions t LEFT JOIN users u ON u.id = t.user_id "
    "LEFT JOIN LATERAL (SELECT max(offset_us) AS last_offset, sum(octet_length(data)) AS bytes "
    "  FROM terminal_chunks c WHERE c.session_id = t.id) s ON true "
    "LEFT JOIN LATERAL (SELECT data FROM terminal_chunks c WHERE c.session_id = t.id "
    "  ORDER BY seq DESC LIMIT 1) last ON true ";

// The query of kSessionRowSelect with `where` appended.
std::string session_rows_where(std::string_view where) {
  std::string query(kSessionRowSelect);
  query.append(where);
  return query;
}

TerminalSessionRow session_row(const pqxx::row& r) {
  TerminalSessionRow row;
  row.id = r[0].as<std::int64_t>();
  row.exercise = r[1].as<std::string>();
  row.team = r[2].as<std::string>();
  row.host = r[3].as<std::string>();
  row.user_id = r[4].as<std::int64_t>();
  row.user_name = r[5].as<std::string>();
  row.user_role = r[6].as<std::string>();
  row.width = r[7].as<int>();
  row.height = r[8].as<int>();
  row.started_unix_ms = r[9].as<std::int64_t>();
  row.ended_unix_ms = r[10].as<std::int64_t>();
  row.duration_us = r[11].as<std::int64_t>();
  row.bytes = r[12].as<std::int64_t>();
  row.truncated = r[13].as<bool>();
  return row;
}

}  // namespace

Expected<std::int64_t> RangeRegistry::open_terminal(const std::string& exercise,
                                                    const std::string& team,
                                                    const std::string& host,
                                                    std::optional<std::int64_t> user_id, int width,
                                                    int height) {
  std::int64_t id = 0;
  auto st = impl_->session->run("opening a terminal session", [&](pqxx::work& tx) -> Status {
    auto r = tx.exec_params(
        "INSERT INTO terminal_sessions (exercise_id, team, host, user_id, width, height) "
        "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        exercise, team, host, user_id, width, height);
    id = r[0][0].as<std::int64_t>();
    return Status::success();
  });
  if (!st) return st.error();
  return id;
}

Status RangeRegistry::append_terminal_chunks(std::int64_t session, int first_seq,
                                             const std::vector<TerminalChunk>& chunks) {
  return impl_->session->run("recording terminal output", [&](pqxx::work& tx) -> Status {
    int seq = first_seq;
    for (const auto& c : chunks)
      tx.exec_params(
          "INSERT INTO terminal_chunks (session_id, seq, offset_us, direction, data) "
          "VALUES ($1, $2, $3, $4, decode($5, 'hex'))",
          session, seq++, c.offset_us, std::string(1, c.direction), to_hex(c.data));
    return Status::success();
  });
}

Status RangeRegistry::close_terminal(std::int64_t session) {
  return impl_->session->run("closing a terminal session", [&](pqxx::work& tx) -> Status {
    tx.exec_params(
        "UPDATE terminal_sessions SET ended_at = now() WHERE id = $1 AND ended_at IS NULL",
        session);
    return Status::success();
  });
}

Expected<std::vector<TerminalRecording>> RangeRegistry::terminal_sessions(
    const std::string& exercise) {
  std::vector<TerminalRecording> out;
  auto st =
      impl_->session->run("listing the terminals of " + exercise, [&](pqxx::work& tx) -> Status {
        for (const auto& r : tx.exec_params(
                 "SELECT id, team, host, width, height, extract(epoch FROM started_at)::bigint "
                 "FROM terminal_sessions WHERE exercise_id = $1 ORDER BY id",
                 exercise)) {
          TerminalRecording t;
          t.id = r[0].as<std::int64_t>();
          t.exercise = exercise;
          t.team = r[1].as<std::string>();
          t.host = r[2].as<std::string>();
          t.width = r[3].as<int>();
          t.height = r[4].as<int>();
          t.started_unix = r[5].as<std::int64_t>();
          out.push_back(std::move(t));
        }
        return Status::success();
      });
  if (!st) return st.error();
  return out;
}

Expected<TerminalRecording> RangeRegistry::terminal_recording(std::int64_t session) {
  TerminalRecording rec;
  auto st = impl_->session->run(
      "reading terminal session " + std::to_string(session), [&](pqxx::work& tx) -> Status {
        auto head = tx.exec_params(
            "SELECT exercise_id, team, host, width, height, extract(epoch FROM started_at)::bigint "
            "FROM terminal_sessions WHERE id = $1",
            session);
        if (head.empty())
          return make_error(ErrorCode::not_found,
                            "Terminal session " + std::to_string(session) + " does not exist.");
        rec.id = session;
        rec.exercise = head[0][0].as<std::string>();
        rec.team = head[0][1].as<std::string>();
        rec.host = head[0][2].as<std::string>();
        rec.width = head[0][3].as<int>();
        rec.height = head[0][4].as<int>();
        rec.started_unix = head[0][5].as<std::int64_t>();
        for (const auto& r : tx.exec_params("SELECT offset_us, direction, encode(data, 'hex') FROM "
                                            "terminal_chunks WHERE session_id = $1 "
                                            "ORDER BY seq",
                                            session))
          rec.chunks.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>()[0],
                                from_hex(r[2].as<std::string>())});
        return Status::success();
      });
  if (!st) return st.error();
  return rec;
}

Expected<std::vector<TerminalSessionRow>> RangeRegistry::terminal_session_rows(
    const std::string& exercise, const std::string& team) {
  std::vector<TerminalSessionRow> out;
  auto st = impl_->session->run(
      "listing the terminal sessions of " + exercise, [&](pqxx::work& tx) -> Status {
        for (const auto& r : tx.exec_params(
                 session_rows_where("WHERE t.exercise_id = $2 AND ($3 = '' OR t.team = $3) "
                                    "ORDER BY t.id"),
                 kTerminalTruncatedMarker, exercise, team))
          out.push_back(session_row(r));
        return Status::success();
      });
  if (!st) return st.error();
  return out;
}

Expected<TerminalSessionRow> RangeRegistry::terminal_session_row(std::int64_t session) {
  std::optional<TerminalSessionRow> row;
  auto st = impl_->session->run("reading terminal session " + std::to_string(session),
                                [&](pqxx::work& tx) -> Status {
                                  auto r = tx.exec_params(session_rows_where("WHERE t.id = $2"),
                                                          kTerminalTruncatedMarker, session);
                                  if (!r.empty()) row = session_row(r[0]);
                                  return Status::success();
                                });
  if (!st) return st.error();
  if (!row)
    return make_error(ErrorCode::not_found,
                      "Terminal session " + std::to_string(session) + " does not exist.",
                      "端末の記録 " + std::to_string(session) + " はありません。");
  return *row;
}

Expected<TerminalChunkPage> RangeRegistry::terminal_chunks(std::int64_t session, int from_seq,
                                                           std::size_t max_bytes,
                                                           bool include_input) {
  TerminalChunkPage page;
  page.next_seq = from_seq;
  auto st = impl_->session->run(
      "reading terminal session " + std::to_string(session), [&](pqxx::work& tx) -> Status {
        // The running total of the bytes before each chunk keeps the page under max_bytes
        // without reading the data of the chunks past it.
        for (const auto& r : tx.exec_params(
                 "SELECT seq, offset_us, direction, encode(data, 'hex') FROM ("
                 "  SELECT seq, offset_us, direction, data, sum(octet_length(data)) OVER "
                 "    (ORDER BY seq) - octet_length(data) AS before FROM terminal_chunks "
                 "  WHERE session_id = $1 AND seq >= $2 AND ($3 OR direction <> 'i')) c "
                 "WHERE before < $4 ORDER BY seq",
                 session, from_seq, include_input, static_cast<std::int64_t>(max_bytes))) {
          SequencedChunk c{r[0].as<int>(),
                           {r[1].as<std::int64_t>(), r[2].as<std::string>()[0],
                            from_hex(r[3].as<std::string>())}};
          page.next_seq = c.seq + 1;
          page.chunks.push_back(std::move(c));
        }
        page.complete = !tx.exec_params(
                               "SELECT EXISTS (SELECT 1 FROM terminal_chunks WHERE "
                               "session_id = $1 AND seq >= $2 AND ($3 OR direction <> 'i'))",
                               session, page.next_seq, include_input)[0][0]
                             .as<bool>();
        return Status::success();
      });
  if (!st) return st.error();
  return page;
}

}  // namespace cyrange::exercise
