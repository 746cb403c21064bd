#include <orchestrator/store/pg_session.h>

#include <string>

#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::store {
namespace {

class PgSessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = PgSession::open(temp_.uri(), "store");
    ASSERT_TRUE(opened) << opened.error().message;
    session_ = std::move(opened).value();
    auto created = session_->run("creating the test table", [](pqxx::work& tx) {
      tx.exec0("CREATE TABLE notes (text text NOT NULL)");
      return Status::success();
    });
    ASSERT_TRUE(created) << created.error().message;
  }

  // The server process behind the session's connection.
  int backend_pid() {
    auto pid = session_->fetch<int>("reading the backend pid", [](pqxx::work& tx) {
      return tx.exec1("SELECT pg_backend_pid()")[0].as<int>();
    });
    EXPECT_TRUE(pid) << pid.error().message;
    return pid ? *pid : 0;
  }

  testing::TempDatabase temp_;
  std::unique_ptr<PgSession> session_;
};

TEST_F(PgSessionTest, RunsAQueryAndReturnsItsResult) {
  auto sum = session_->fetch<int>(
      "adding numbers", [](pqxx::work& tx) { return tx.exec1("SELECT 40 + 2")[0].as<int>(); });
  ASSERT_TRUE(sum) << sum.error().message;
  EXPECT_EQ(*sum, 42);
}

TEST_F(PgSessionTest, CommitsOnSuccessAndRollsBackOnAnError) {
  auto kept = session_->run("adding a note", [](pqxx::work& tx) {
    tx.exec0("INSERT INTO notes VALUES ('kept')");
    return Status::success();
  });
  ASSERT_TRUE(kept) << kept.error().message;
  auto refused = session_->run("adding a refused note", [](pqxx::work& tx) -> Status {
    tx.exec0("INSERT INTO notes VALUES ('refused')");
    return make_error(ErrorCode::invalid_argument, "The note is refused.");
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(refused.error().message, "The note is refused.");
  EXPECT_EQ(temp_.query_one("SELECT string_agg(text, ',') FROM notes"), "kept");
}

TEST_F(PgSessionTest, ReconnectsAfterItsBackendWasKilled) {
  const int before = backend_pid();
  ASSERT_NE(before, 0);
  // From a second connection, as a PostgreSQL restart or an administrator would.
  ASSERT_EQ(temp_.query_one("SELECT pg_terminate_backend(" + std::to_string(before) + ")"), "t");

  auto written = session_->run("adding a note after the kill", [](pqxx::work& tx) {
    tx.exec0("INSERT INTO notes VALUES ('after')");
    return Status::success();
  });
  ASSERT_TRUE(written) << written.error().message;
  EXPECT_EQ(temp_.query_one("SELECT string_agg(text, ',') FROM notes"), "after");
  const int after = backend_pid();
  EXPECT_NE(after, 0);
  EXPECT_NE(after, before) << "the session kept using the killed connection";
}

TEST_F(PgSessionTest, RetriesALostConnectionOnlyOnce) {
  int attempts = 0;
  // Every attempt loses its connection: the session must give up after the second.
  auto lost = session_->run("killing its own connection", [&](pqxx::work& tx) {
    ++attempts;
    tx.exec("SELECT pg_terminate_backend(pg_backend_pid())");
    return Status::success();
  });
  ASSERT_FALSE(lost);
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(lost.error().code, ErrorCode::unavailable);
  EXPECT_NE(lost.error().message.find("Cannot reach the PostgreSQL database"), std::string::npos)
      << lost.error().message;
  EXPECT_NE(lost.error().message.find("./cyrange.sh services"), std::string::npos)
      << lost.error().message;
  // The next call opens a fresh connection.
  EXPECT_NE(backend_pid(), 0);
}

TEST_F(PgSessionTest, ReportsBadSqlOnceAsAClearError) {
  const int before = backend_pid();
  int attempts = 0;
  auto bad = session_->fetch<int>("counting the notes", [&](pqxx::work& tx) {
    ++attempts;
    return tx.exec1("SELEC count(*) FROM notes")[0].as<int>();
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(attempts, 1) << "an SQL error was retried";
  EXPECT_EQ(bad.error().code, ErrorCode::internal);
  const std::string& message = bad.error().message;
  EXPECT_NE(message.find("failed while counting the notes"), std::string::npos) << message;
  EXPECT_NE(message.find("syntax error"), std::string::npos) << message;
  EXPECT_NE(message.find(temp_.name()), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_EQ(message.back(), '.') << message;
  // The connection is still good and kept.
  EXPECT_EQ(backend_pid(), before);
}

TEST(PgSessionOpen, RefusesAnUnmigratedDatabase) {
  testing::TempDatabase temp(testing::TempDatabase::Schema::empty);
  auto opened = PgSession::open(temp.uri(), "store");
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(opened.error().message.find("cyrange db migrate"), std::string::npos)
      << opened.error().message;
}

}  // namespace
}  // namespace cyrange::store
