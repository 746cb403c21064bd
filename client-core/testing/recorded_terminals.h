#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <client-core/connection.h>
#include <orchestrator/common/expected.h>
#include <orchestrator/daemon/daemon_process.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::client::testing {

/// The real cyranged (a child process from the build tree) over TLS on a throw-away
/// PostgreSQL database, with exercise kExercise played by teams t1 and t2, and users:
/// instructor "ivy", designer "dan", trainees "alice" (t1, with an active scoring consent)
/// and "bob" (t2, without one). Terminal recordings are written through the real store
/// (RangeRegistry), as cyranged's terminal broker writes them. Ranges run on libvirt's
/// test:/// driver: no guest is needed to serve recordings.
class RecordedTerminals {
 public:
  static constexpr const char* kExercise = "replay";

  /// Builds everything; the error names the step that failed.
  Status start(const std::filesystem::path& cyranged_binary);
  ~RecordedTerminals();

  /// Options to reach the daemon over TLS as `user` ("ivy", "dan", "alice", "bob").
  ClientOptions options(const std::string& user) const;
  /// Records a finished session of `team`/`host` typed by `user`, `cols` x `rows`, with
  /// `chunks` in order; `ended` false leaves it open (as a live terminal). Its id.
  Expected<std::int64_t> record(const std::string& team, const std::string& host,
                                const std::string& user,
                                const std::vector<exercise::TerminalChunk>& chunks,
                                bool ended = true, int cols = 80, int rows = 24);
  /// Appends chunks to an open session, numbered from `first_seq`.
  Status append(std::int64_t session, int first_seq,
                const std::vector<exercise::TerminalChunk>& chunks);
  /// Marks a session ended.
  Status end(std::int64_t session);
  /// Gives alice's scoring consent for kExercise (again, after a withdrawal).
  Status consent_alice();
  /// Withdraws alice's scoring consent through the consent store (deleting her recordings).
  Status withdraw_alice();
  /// The daemon's log, for failure messages.
  std::string log() const;
  /// The first value of `sql`'s first row, read from the test database.
  std::string query(const std::string& sql) const { return db_.query_one(sql); }
  /// The test database's URI.
  const std::string& database_uri() const { return db_.uri(); }

 private:
  store::testing::TempDatabase db_;
  std::filesystem::path dir_;
  std::shared_ptr<exercise::RangeRegistry> registry_;
  std::optional<daemon::DaemonProcess> daemon_;
  std::string address_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, std::int64_t> user_ids_;
};

}  // namespace cyrange::client::testing
