#pragma once

// Recorder-internal: the writer's PostgreSQL connection on libpq itself, because
// libpqxx 6.4 has no public way to send binary COPY data, and binary COPY spares
// PostgreSQL parsing every timestamp, uuid and integer of every event.

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::recorder {

/// A statement failed; `lost` when the connection is gone (server restart, kill).
class LibpqError : public std::runtime_error {
 public:
  /// `message` is libpq's (one line or several).
  LibpqError(const std::string& message, bool lost) : std::runtime_error(message), lost_(lost) {}
  /// True when the connection must be opened again.
  bool lost() const { return lost_; }

 private:
  bool lost_;
};

/// Rows of a result as text, every field non-NULL (the queries use COALESCE).
using LibpqRows = std::vector<std::vector<std::string>>;

/// One libpq connection in UTF-8. Not thread-safe; methods throw LibpqError.
class LibpqConnection {
 public:
  /// Connects to `uri`; ErrorCode::unavailable (with how to start PostgreSQL) when
  /// it cannot be reached.
  static Expected<std::unique_ptr<LibpqConnection>> connect(const std::string& uri);
  ~LibpqConnection();
  LibpqConnection(const LibpqConnection&) = delete;
  LibpqConnection& operator=(const LibpqConnection&) = delete;

  /// Runs one statement with text parameters $1, $2, ... and returns its rows.
  LibpqRows exec(const std::string& sql, const std::vector<std::string>& params = {});

  /// Starts `COPY <table> (<columns>) FROM STDIN (FORMAT binary)`.
  void copy_begin(std::string_view table, const std::vector<std::string_view>& columns);
  /// Sends COPY data (any slice of the binary stream).
  void copy_send(std::string_view data);
  /// Ends the COPY and waits for the server to accept it.
  void copy_end();

 private:
  struct Impl;
  explicit LibpqConnection(std::unique_ptr<Impl> impl);
  [[noreturn]] void fail(const std::string& doing);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::recorder
