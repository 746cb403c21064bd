#pragma once

#include <string>

namespace cyrange::store::testing {

/// A fresh, uniquely named database on the local PostgreSQL server for one test,
/// dropped again in the destructor. Test-only: failures throw std::runtime_error
/// with a sentence saying what to do, which GoogleTest reports as a test failure.
class TempDatabase {
 public:
  /// Whether the constructor runs migrate() on the new database.
  enum class Schema { migrated, empty };

  /// Creates cyrange_test_<pid>_<random> through the maintenance database of the
  /// server at postgresql:/// (override the server with CYRANGE_TEST_PG_SERVER,
  /// e.g. "postgresql://127.0.0.1:5432").
  explicit TempDatabase(Schema schema = Schema::migrated);
  ~TempDatabase();
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  /// The connection URI of the temporary database, as its owner (the migrator).
  const std::string& uri() const { return uri_; }

  /// The same database as the role cyranged connects as ("cyranged", or
  /// $CYRANGE_TEST_PG_DAEMON_ROLE), with the privileges `cyrange db migrate --daemon-role`
  /// grants: what a daemon under test uses. Empty for Schema::empty.
  const std::string& daemon_uri() const { return daemon_uri_; }

  /// The database name, e.g. cyrange_test_1234_9f3a1c.
  const std::string& name() const { return name_; }

  /// Runs `sql` in one transaction on a fresh connection and returns the first field
  /// of the first row as text ("" when there is none or it is NULL).
  std::string query_one(const std::string& sql) const;

  /// As query_one(), as the daemon's role (daemon_uri()); a refusal throws std::runtime_error
  /// with PostgreSQL's message.
  std::string query_one_as_daemon(const std::string& sql) const;

 private:
  static std::string daemon_role();
  static std::string query_one_on(const std::string& uri, const std::string& sql);
  void grant_daemon(const std::string& role);

  std::string server_;
  std::string name_;
  std::string uri_;
  std::string daemon_uri_;
};

}  // namespace cyrange::store::testing
