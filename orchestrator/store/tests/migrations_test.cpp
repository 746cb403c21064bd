#include <orchestrator/store/migrations.h>

#include <thread>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::store {
namespace {

using testing::TempDatabase;

std::vector<std::string> all_labels() {
  std::vector<std::string> labels;
  for (const auto& m : embedded_migrations()) labels.push_back(migration_label(m.version, m.name));
  return labels;
}

int latest_version() { return embedded_migrations().back().version; }

void execute(const std::string& uri, const std::string& sql) {
  pqxx::connection conn(uri);
  pqxx::work tx(conn);
  tx.exec(sql);
  tx.commit();
}

bool table_exists(const std::string& uri, const std::string& table) {
  pqxx::connection conn(uri);
  pqxx::read_transaction tx(conn);
  return !tx.exec_params1("SELECT to_regclass($1) IS NULL", table)[0].as<bool>();
}

TEST(Migrate, EmptyDatabaseGetsEveryMigration) {
  TempDatabase db(TempDatabase::Schema::empty);
  ASSERT_FALSE(table_exists(db.uri(), "users"));

  auto report = migrate(db.uri());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->from_version, 0);
  EXPECT_EQ(report->to_version, latest_version());
  EXPECT_EQ(report->applied, all_labels());
  for (const auto* table : {"teams", "users", "user_personal_data", "api_tokens", "audit_log",
                            "exercises", "exercise_teams", "range_objects", "schema_migrations"}) {
    EXPECT_TRUE(table_exists(db.uri(), table)) << table;
  }
}

TEST(Migrate, SecondRunAppliesNothing) {
  TempDatabase db(TempDatabase::Schema::empty);
  ASSERT_TRUE(migrate(db.uri()));
  auto again = migrate(db.uri());
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->from_version, latest_version());
  EXPECT_EQ(again->to_version, latest_version());
}

TEST(Migrate, RecordsChecksumsOfTheEmbeddedFiles) {
  TempDatabase db;
  pqxx::connection conn(db.uri());
  pqxx::read_transaction tx(conn);
  const auto rows = tx.exec(
      "SELECT version, name, checksum, applied_at IS NOT NULL FROM schema_migrations ORDER BY "
      "version");
  ASSERT_EQ(rows.size(), embedded_migrations().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& m = embedded_migrations()[i];
    EXPECT_EQ(rows[i][0].as<int>(), m.version);
    EXPECT_EQ(rows[i][1].as<std::string>(), m.name);
    EXPECT_EQ(rows[i][2].as<std::string>(), m.checksum);
    EXPECT_TRUE(rows[i][3].as<bool>());
  }
}

TEST(Migrate, AppliesOnlyThePendingMigration) {
  TempDatabase db(TempDatabase::Schema::empty);
  const auto& all = embedded_migrations();
  ASSERT_GE(all.size(), 2u);
  const auto& latest = all.back();
  const int previous = all[all.size() - 2].version;
  auto staged = migrate(db.uri(), previous);
  ASSERT_TRUE(staged) << staged.error().message;
  EXPECT_EQ(staged->to_version, previous);

  const auto latest_label = migration_label(latest.version, latest.name);
  auto state = verify_schema(db.uri());
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(state.error().message.find(latest_label), std::string::npos) << state.error().message;

  auto report = migrate(db.uri());
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->from_version, previous);
  EXPECT_EQ(report->applied, std::vector<std::string>{latest_label});
  EXPECT_TRUE(verify_schema(db.uri()));
}

TEST(Migrate, ConcurrentMigratorsApplyEachMigrationOnce) {
  TempDatabase db(TempDatabase::Schema::empty);
  std::optional<Expected<MigrationReport>> first, second;
  std::thread a([&] { first.emplace(migrate(db.uri())); });
  std::thread b([&] { second.emplace(migrate(db.uri())); });
  a.join();
  b.join();
  ASSERT_TRUE(*first) << first->error().message;
  ASSERT_TRUE(*second) << second->error().message;
  // One of them did all the work, the other found nothing left to do.
  EXPECT_EQ((*first)->applied.size() + (*second)->applied.size(), embedded_migrations().size());
  EXPECT_TRUE(verify_schema(db.uri()));
}

TEST(Migrate, TamperedChecksumIsReportedByName) {
  TempDatabase db;
  execute(db.uri(), "UPDATE schema_migrations SET checksum = repeat('0', 64) WHERE version = 1");

  auto report = migrate(db.uri());
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(report.error().message.find("0001_identity"), std::string::npos)
      << report.error().message;
  EXPECT_NE(report.error().message.find("new migration"), std::string::npos)
      << report.error().message;

  auto state = verify_schema(db.uri());
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(state.error().message.find("0001_identity"), std::string::npos)
      << state.error().message;
}

TEST(Migrate, UnknownAppliedMigrationIsReported) {
  TempDatabase db;
  execute(db.uri(),
          "INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, "
          "'from_the_future', 'x')");
  auto report = migrate(db.uri());
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(report.error().message.find("9999_from_the_future"), std::string::npos)
      << report.error().message;
}

TEST(VerifySchema, FailsBeforeMigrateAndPassesAfter) {
  TempDatabase db(TempDatabase::Schema::empty);
  auto before = verify_schema(db.uri());
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(before.error().message.find("cyrange db migrate"), std::string::npos)
      << before.error().message;

  ASSERT_TRUE(migrate(db.uri()));
  auto after = verify_schema(db.uri());
  ASSERT_TRUE(after) << after.error().message;
  EXPECT_EQ(after->current_version, latest_version());
  EXPECT_EQ(after->latest_version, latest_version());
}

TEST(Schema, TeamRuleIsEnforcedByTheDatabase) {
  TempDatabase db;
  execute(db.uri(), "INSERT INTO teams (name) VALUES ('blue')");
  EXPECT_THROW(execute(db.uri(), "INSERT INTO users (name, role) VALUES ('t', 'trainee')"),
               pqxx::check_violation);
  EXPECT_THROW(
      execute(db.uri(),
              "INSERT INTO users (name, role, team_id) SELECT 'i', 'instructor', id FROM teams"),
      pqxx::check_violation);
  EXPECT_THROW(execute(db.uri(), "INSERT INTO users (name, role) VALUES ('x', 'root')"),
               pqxx::check_violation);
  EXPECT_NO_THROW(execute(
      db.uri(), "INSERT INTO users (name, role, team_id) SELECT 't', 'trainee', id FROM teams"));
}

}  // namespace
}  // namespace cyrange::store
