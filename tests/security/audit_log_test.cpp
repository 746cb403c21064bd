// The audit log cannot be rewritten (#17, 10): cyranged's role (the one this stack's server
// uses) may only add to it and read it, changes no schema, and can touch the score ledger's
// points no more than the audit log; even the schema's owner meets the append-only trigger.
// Identity rows name who acted, a day's export of terminal recordings writes an audit row
// before any file, and `cyrange db migrate --daemon-role` grants these privileges.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include <orchestrator/cli/tests/cli_process.h>
#include <orchestrator/exercise/recording_export.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/store/migrations.h>
#include <tests/security/stack_suite.h>

namespace cyrange::security {
namespace {

namespace fs = std::filesystem;

enum class As { daemon, owner };

// The message PostgreSQL refused `sql` with, run as cyranged's role or the owner; "" when it ran.
std::string refusal(AuthzStack& stack, As as, const std::string& sql) {
  try {
    if (as == As::daemon)
      stack.query_as_daemon(sql);
    else
      stack.query(sql);
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

class AuditLogTest : public StackSuite {};

TEST_F(AuditLogTest, CyrangedsRoleCannotRewriteTheAuditLogOrTheSchema) {
  const std::string rows = stack_->query("SELECT count(*) FROM audit_log");
  ASSERT_NE(rows, "0");
  // What the daemon may: add a row and read the log.
  EXPECT_EQ(refusal(*stack_, As::daemon,
                    "INSERT INTO audit_log (action, object, detail) VALUES "
                    "('test.append', 'test:1', '{\"actor\": \"audit test\"}') "
                    "RETURNING id")
                .empty(),
            true);
  EXPECT_EQ(stack_->query_as_daemon("SELECT count(*) FROM audit_log"),
            std::to_string(std::stoll(rows) + 1));
  // What it may not: change or remove a row, empty the table, or switch the guard off.
  for (const std::string sql :
       {"UPDATE audit_log SET action = 'rewritten' RETURNING id",
        "DELETE FROM audit_log RETURNING id", "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete", "DROP TABLE audit_log",
        "CREATE TABLE shadow_log (id int)", "UPDATE ledger_entries SET points = 1000 RETURNING seq",
        "DELETE FROM ledger_entries RETURNING seq", "SELECT cyrange_grant_daemon('cyranged')"}) {
    const std::string why = refusal(*stack_, As::daemon, sql);
    EXPECT_FALSE(why.empty()) << "cyranged's role ran: " << sql;
    EXPECT_TRUE(why.find("permission denied") != std::string::npos ||
                why.find("must be owner") != std::string::npos ||
                why.find("append-only") != std::string::npos)
        << sql << ": " << why;
  }
  // The owner meets the trigger: rewriting needs DDL, which no daemon or CLI path has.
  for (const std::string sql : {"UPDATE audit_log SET action = 'rewritten' RETURNING id",
                                "DELETE FROM audit_log RETURNING id", "TRUNCATE audit_log"}) {
    const std::string why = refusal(*stack_, As::owner, sql);
    EXPECT_NE(why.find("audit_log is append-only"), std::string::npos) << sql << ": " << why;
  }
  EXPECT_EQ(stack_->query("SELECT count(*) FROM audit_log WHERE action = 'rewritten'"), "0");
  EXPECT_EQ(stack_->query("SELECT count(*) FROM audit_log"), std::to_string(std::stoll(rows) + 1));
}

TEST_F(AuditLogTest, TheOnePseudonymisingRewriteTakesOnlyErasedUsers) {
  // The function `cyrange users erase` uses, called for a user that is not erased.
  const std::string why =
      refusal(*stack_, As::daemon,
              "SELECT audit_log_pseudonymise(" + std::to_string(stack_->user_id(Who::trainee)) +
                  ", 'matrix-admin')");
  EXPECT_NE(why.find("is not erased"), std::string::npos) << why;
  EXPECT_NE(stack_->query("SELECT count(*) FROM audit_log WHERE object = 'user:matrix-admin'"),
            "0");
}

TEST_F(AuditLogTest, IdentityRowsNameWhoActed) {
  // The stack's set-up and a join code redeemed over the API.
  auto code = stack_->join_code(AuthzStack::kOwnTeam);
  ASSERT_TRUE(code) << code.error().message;
  auto joined = cli::testing::run_cyrange(
      "users add audited.person --role trainee --team team1 --exercise authz --db '" +
          stack_->database_uri() + "'",
      "/tmp", true);
  ASSERT_EQ(joined.status, 0) << joined.out;
  EXPECT_EQ(stack_->query("SELECT count(*) FROM audit_log WHERE actor_user_id IS NULL AND "
                          "coalesce(detail->>'actor', '') = ''"),
            "0")
      << "every row names its actor";
  EXPECT_EQ(stack_->query("SELECT count(*) FROM audit_log WHERE action IN ('team.add', "
                          "'user.add', 'token.issue') AND coalesce(detail->>'actor', '') = ''"),
            "0");
  EXPECT_EQ(stack_->query("SELECT string_agg(DISTINCT action, ',' ORDER BY action) FROM audit_log "
                          "WHERE object = 'user:audited.person' AND detail->>'actor' LIKE 'cli:%'"),
            "token.issue,user.add");
  EXPECT_EQ(stack_->query("SELECT detail->>'actor' FROM audit_log WHERE action = 'user.add' AND "
                          "object = 'user:matrix-trainee'"),
            identity::host_operator_label());
  // A writer that names nobody still gets an actor: the database role that wrote the row.
  stack_->query_as_daemon(
      "INSERT INTO audit_log (action, object) VALUES ('test.anonymous', 'test:2') RETURNING id");
  EXPECT_EQ(stack_->query("SELECT detail->>'actor' FROM audit_log WHERE action = "
                          "'test.anonymous'"),
            "database role cyranged");
}

TEST_F(AuditLogTest, ExportingADaysTerminalRecordingsIsAudited) {
  auto session = stack_->recorded_session(AuthzStack::kExercise, AuthzStack::kOwnTeam);
  ASSERT_TRUE(session) << session.error().message;
  auto registry = exercise::RangeRegistry::open(stack_->database_uri());
  ASSERT_TRUE(registry) << registry.error().message;
  const fs::path dir =
      fs::temp_directory_path() / ("cyrange-audit-export-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto files = exercise::export_exercise_recordings(**registry, AuthzStack::kExercise, dir,
                                                    "operator export-test");
  ASSERT_TRUE(files) << files.error().message;
  ASSERT_EQ(files->size(), 1u);
  struct stat st {};
  ASSERT_EQ(::stat(files->front().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "recordings are readable by the exporter only";
  EXPECT_EQ(stack_->query("SELECT detail->>'actor' || ' ' || (detail->'sessions')::text FROM "
                          "audit_log WHERE action = 'recording.export' AND object = "
                          "'exercise:authz'"),
            "operator export-test [" + std::to_string(*session) + "]");

  // A link planted where a recording goes is not written through: the recording is written
  // beside it and renamed over the link (#17, Low: exports never follow links).
  const fs::path target = dir / "elsewhere";
  fs::remove(files->front());
  fs::create_symlink(target, files->front());
  auto again = exercise::export_exercise_recordings(**registry, AuthzStack::kExercise, dir,
                                                    "operator export-test");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_FALSE(fs::exists(target));
  EXPECT_FALSE(fs::is_symlink(files->front()));
  ASSERT_EQ(::stat(files->front().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  fs::remove_all(dir);
}

TEST_F(AuditLogTest, MigrateGrantsTheDaemonRoleItsPrivileges) {
  // The owner migrates and grants; running it again changes nothing and says so.
  auto migrated = cli::testing::run_cyrange(
      "db migrate --daemon-role cyranged --db '" + stack_->owner_uri() + "'", "/tmp", true);
  ASSERT_EQ(migrated.status, 0) << migrated.out;
  EXPECT_NE(migrated.out.find("nothing to apply"), std::string::npos) << migrated.out;
  EXPECT_NE(migrated.out.find("role 'cyranged'"), std::string::npos) << migrated.out;
  auto missing = cli::testing::run_cyrange(
      "db migrate --daemon-role no_such_role_here --db '" + stack_->owner_uri() + "'", "/tmp",
      true);
  EXPECT_EQ(missing.status, 0) << missing.out;
  EXPECT_NE(missing.out.find("no PostgreSQL role 'no_such_role_here'"), std::string::npos)
      << missing.out;
  // The daemon itself cannot migrate: it has no DDL.
  auto as_daemon = cli::testing::run_cyrange(
      "db migrate --daemon-role '' --db '" + stack_->database_uri() + "'", "/tmp", true);
  EXPECT_NE(as_daemon.status, 0) << as_daemon.out;
  EXPECT_NE(as_daemon.out.find("permission denied"), std::string::npos) << as_daemon.out;
  // cyranged warns at start when it connects as the owner; this stack does not.
  auto as_server = store::verify_schema(stack_->database_uri());
  ASSERT_TRUE(as_server) << as_server.error().message;
  EXPECT_FALSE(as_server->owns_audit_log);
  EXPECT_TRUE(store::verify_schema(stack_->owner_uri())->owns_audit_log);
  EXPECT_EQ(stack_->query("SELECT count(*) FROM information_schema.table_privileges WHERE "
                          "grantee = 'cyranged' AND table_name = 'audit_log' AND privilege_type "
                          "NOT IN ('SELECT', 'INSERT')"),
            "0");
  EXPECT_EQ(stack_->query("SELECT count(*) FROM information_schema.column_privileges WHERE "
                          "grantee = 'cyranged' AND table_name = 'ledger_entries' AND "
                          "privilege_type = 'UPDATE'"),
            "3")
      << "actor, reason and redacted_at only";
}

}  // namespace
}  // namespace cyrange::security
