#include <orchestrator/recorder/libpq_connection.h>

#include <libpq-fe.h>

#include <orchestrator/store/database.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::recorder {

namespace {

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

}  // namespace

struct LibpqConnection::Impl {
  PGconn* conn = nullptr;
  ~Impl() {
    if (conn != nullptr) PQfinish(conn);
  }
};

LibpqConnection::LibpqConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LibpqConnection::~LibpqConnection() = default;

Expected<std::unique_ptr<LibpqConnection>> LibpqConnection::connect(const std::string& uri) {
  auto impl = std::make_unique<Impl>();
  impl->conn = PQconnectdb(uri.c_str());
  if (impl->conn == nullptr || PQstatus(impl->conn) != CONNECTION_OK ||
      PQsetClientEncoding(impl->conn, "UTF8") != 0) {
    const std::string detail =
        impl->conn != nullptr ? PQerrorMessage(impl->conn) : "out of memory in libpq";
    return make_error(ErrorCode::unavailable,
                      store::internal::unavailable_message(store::redact_uri(uri), detail));
  }
  return std::unique_ptr<LibpqConnection>(new LibpqConnection(std::move(impl)));
}

void LibpqConnection::fail(const std::string& doing) {
  const bool lost = PQstatus(impl_->conn) != CONNECTION_OK;
  throw LibpqError(doing + ": " + PQerrorMessage(impl_->conn), lost);
}

LibpqRows LibpqConnection::exec(const std::string& sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& p : params) values.push_back(p.c_str());
  Result result(PQexecParams(impl_->conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), nullptr, nullptr, 0));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    fail("running '" + sql.substr(0, 48) + (sql.size() > 48 ? "...'" : "'"));
  }
  LibpqRows rows(static_cast<std::size_t>(PQntuples(result.get())));
  const int columns = PQnfields(result.get());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (int c = 0; c < columns; ++c) {
      rows[r].emplace_back(
          PQgetvalue(result.get(), static_cast<int>(r), c),
          static_cast<std::size_t>(PQgetlength(result.get(), static_cast<int>(r), c)));
    }
  }
  return rows;
}

void LibpqConnection::copy_begin(std::string_view table,
                                 const std::vector<std::string_view>& columns) {
  auto quoted = [&](std::string_view name) {
    char* escaped = PQescapeIdentifier(impl_->conn, name.data(), name.size());
    if (escaped == nullptr) fail("quoting '" + std::string(name) + "'");
    std::string text(escaped);
    PQfreemem(escaped);
    return text;
  };
  std::string sql = "COPY " + quoted(table) + " (";
  for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + quoted(columns[i]);
  sql += ") FROM STDIN (FORMAT binary)";
  Result result(PQexec(impl_->conn, sql.c_str()));
  if (!result || PQresultStatus(result.get()) != PGRES_COPY_IN) fail(sql);
}

void LibpqConnection::copy_send(std::string_view data) {
  if (PQputCopyData(impl_->conn, data.data(), static_cast<int>(data.size())) != 1)
    fail("sending COPY data");
}

void LibpqConnection::copy_end() {
  if (PQputCopyEnd(impl_->conn, nullptr) != 1) fail("ending COPY");
  bool ok = true;
  std::string message;
  // The server answers with one result for the COPY; read until libpq has no more.
  while (Result result{PQgetResult(impl_->conn)}) {
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
      ok = false;
      message = PQresultErrorMessage(result.get());
    }
  }
  if (!ok) {
    throw LibpqError("COPY: " + message, PQstatus(impl_->conn) != CONNECTION_OK);
  }
}

}  // namespace cyrange::recorder
