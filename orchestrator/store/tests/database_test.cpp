#include <orchestrator/store/database.h>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <orchestrator/store/migrations.h>
#include <orchestrator/store/pqxx_access.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::store {
namespace {

TEST(Database, ConnectsToTheTemporaryDatabase) {
  testing::TempDatabase temp(testing::TempDatabase::Schema::empty);
  auto db = Database::connect(temp.uri());
  ASSERT_TRUE(db) << db.error().message;
  pqxx::work tx(internal::PqxxAccess::connection(**db));
  EXPECT_EQ(tx.exec1("SELECT current_database()")[0].as<std::string>(), temp.name());
}

TEST(Database, MissingDatabaseIsUnavailableWithoutThePassword) {
  const std::string uri =
      "postgresql://root:hunter2@/cyrange_no_such_database_x?host=/var/run/postgresql";
  auto db = Database::connect(uri);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::unavailable);
  EXPECT_EQ(db.error().message.find("hunter2"), std::string::npos) << db.error().message;
  EXPECT_NE(db.error().message.find("cyrange_no_such_database_x"), std::string::npos)
      << db.error().message;
  EXPECT_NE(db.error().message.find("./cyrange.sh services"), std::string::npos)
      << db.error().message;
}

TEST(Database, UnreachableServerIsUnavailableForMigrateAndVerify) {
  // Nothing listens on this socket directory, so libpq fails like a stopped server.
  const std::string uri = "postgresql:///cyrange?host=/nonexistent-cyrange-socket-dir";
  auto report = migrate(uri);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::unavailable);
  auto state = verify_schema(uri);
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().code, ErrorCode::unavailable);
}

TEST(TempDatabase, IsDroppedByItsDestructor) {
  std::string name;
  {
    testing::TempDatabase temp;
    name = temp.name();
  }
  pqxx::connection conn("postgresql:///postgres");
  pqxx::read_transaction tx(conn);
  EXPECT_EQ(
      tx.exec_params1("SELECT count(*) FROM pg_database WHERE datname = $1", name)[0].as<int>(), 0);
}

}  // namespace
}  // namespace cyrange::store
