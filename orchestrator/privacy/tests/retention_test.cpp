// Retention per organisation against the real PostgreSQL: a dry run counts and
// deletes nothing; --apply deletes exactly what the dry run counted, and is audited.
#include <gtest/gtest.h>

#include <orchestrator/privacy/organisation.h>
#include <orchestrator/privacy/retention.h>
#include <orchestrator/privacy/tests/privacy_test_env.h>

namespace cyrange::privacy {
namespace {

struct RetentionFixture : ::testing::Test {
  testing::PrivacyDb env;

  void SetUp() override {
    env.trainee("alice", "red");   // Short: 30 days
    env.trainee("bob", "red");     // Long: 400 days
    env.trainee("carol", "blue");  // no organisation: the default
    env.exercise("ex1", {"red", "blue"});
    env.organisation("Short", "municipality", "1000-4999", "tokyo", 30, {"alice"});
    env.organisation("Long", "private_company", "100-299", "osaka", 400, {"bob"});
    env.events("ex1", "alice", 10, 40);  // expired
    env.events("ex1", "alice", 5, 10);
    env.events("ex1", "bob", 10, 40);
    env.events("ex1", "bob", 3, 500);    // expired
    env.events("ex1", "carol", 4, 200);  // expired under the 100-day default
    env.events("ex1", "carol", 2, 50);
    env.terminal("ex1", "alice", 40);  // expired
    env.terminal("ex1", "bob", 40);
    env.terminal("ex1", "carol", 150);  // expired
  }

  RetentionOptions options(bool apply) {
    RetentionOptions o;
    o.apply = apply;
    o.default_days = 100;
    o.actor = {std::nullopt, "operator test@host"};
    return o;
  }

  static const RetentionLine& line(const RetentionReport& r, const std::string& org) {
    for (const auto& l : r.lines) {
      if (l.organisation == org) return l;
    }
    throw std::runtime_error("no line for organisation '" + org + "'");
  }

  void expect_expired_counts(const RetentionReport& r) {
    EXPECT_EQ(line(r, "Short").events, 10);
    EXPECT_EQ(line(r, "Short").retention_days, 30);
    EXPECT_EQ(line(r, "Short").terminal_sessions, 1);
    EXPECT_EQ(line(r, "Long").events, 3);
    EXPECT_EQ(line(r, "Long").terminal_sessions, 0);
    EXPECT_EQ(line(r, "").events, 4);
    EXPECT_EQ(line(r, "").retention_days, 100);
    EXPECT_EQ(line(r, "").terminal_sessions, 1);
    EXPECT_EQ(r.events, 17);
    EXPECT_EQ(r.terminal_sessions, 2);
    EXPECT_EQ(r.lines.back().organisation, "") << "the default line comes last";
  }
};

TEST_F(RetentionFixture, DryRunCountsPerOrganisationAndDeletesNothing) {
  auto report = testing::must(enforce_retention(env.uri(), options(false)));
  EXPECT_FALSE(report.applied);
  expect_expired_counts(report);
  EXPECT_EQ(env.sql("SELECT count(*) FROM recorder_events"), "34");
  EXPECT_EQ(env.sql("SELECT count(*) FROM terminal_sessions"), "3");
  EXPECT_EQ(env.sql("SELECT count(*) FROM audit_log WHERE action = 'retention.apply'"), "0");
}

TEST_F(RetentionFixture, ApplyDeletesExactlyWhatTheDryRunCountedAndIsAudited) {
  auto dry = testing::must(enforce_retention(env.uri(), options(false)));
  auto applied = testing::must(enforce_retention(env.uri(), options(true)));
  EXPECT_TRUE(applied.applied);
  expect_expired_counts(applied);
  EXPECT_EQ(applied.events, dry.events);

  EXPECT_EQ(env.event_count("ex1", "alice"), 5);
  EXPECT_EQ(env.event_count("ex1", "bob"), 10);
  EXPECT_EQ(env.event_count("ex1", "carol"), 2);
  EXPECT_EQ(env.sql("SELECT string_agg(u.name, ',') FROM terminal_sessions t JOIN users u ON "
                    "u.id = t.user_id"),
            "bob");
  EXPECT_EQ(env.sql("SELECT count(*) FROM terminal_chunks"), "1") << "chunks go with sessions";
  EXPECT_EQ(env.sql("SELECT (detail->>'events') || '/' || (detail->>'terminal_sessions') || '/' "
                    "|| (detail->>'actor') FROM audit_log WHERE action = 'retention.apply'"),
            "17/2/operator test@host");

  auto again = testing::must(enforce_retention(env.uri(), options(true)));
  EXPECT_EQ(again.events, 0);
  EXPECT_EQ(again.terminal_sessions, 0);
}

TEST_F(RetentionFixture, TheJobsNowDecidesWhatHasExpired) {
  auto o = options(false);
  o.now = std::chrono::system_clock::now() - std::chrono::hours(24 * 45);
  // 45 days earlier, nothing of alice's 40-day-old events had expired yet.
  auto report = testing::must(enforce_retention(env.uri(), o));
  EXPECT_EQ(line(report, "Short").events, 0);
  EXPECT_EQ(line(report, "Long").events, 3);
  EXPECT_EQ(line(report, "").events, 4);
}

TEST_F(RetentionFixture, OrganisationsAreValidatedAndMembershipDecidesRetention) {
  auto orgs = testing::must(PgOrganisationStore::open(env.uri()));
  const Actor op{std::nullopt, "operator test@host"};
  for (const Organisation& bad :
       {Organisation{0, "X", "town", "1-99", "tokyo", 30},
        Organisation{0, "X", "municipality", "huge", "tokyo", 30},
        Organisation{0, "X", "municipality", "1-99", "atlantis", 30},
        Organisation{0, "X", "municipality", "1-99", "tokyo", 0}, Organisation{}}) {
    auto refused = orgs->put(bad, op);
    ASSERT_FALSE(refused) << bad.type << "/" << bad.size_band << "/" << bad.region;
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  }
  // Carol joins an organisation with a 7-day retention: her 50-day-old events expire too.
  testing::must(orgs->put({0, "Week", "education", "1-99", "hokkaido", 7}, op));
  ASSERT_TRUE(orgs->assign("carol", "Week", op));
  EXPECT_EQ(orgs->assign("nobody", "Week", op).error().code, ErrorCode::not_found);
  EXPECT_EQ(orgs->assign("carol", "Nowhere", op).error().code, ErrorCode::not_found);
  EXPECT_EQ(testing::must(orgs->list()).size(), 3u);
  auto report = testing::must(enforce_retention(env.uri(), options(false)));
  EXPECT_EQ(line(report, "Week").events, 6);
  EXPECT_EQ(line(report, "").events, 0);
  EXPECT_EQ(env.sql("SELECT count(*) FROM audit_log WHERE action LIKE 'organisation.%'"), "2");
}

TEST_F(RetentionFixture, ADefaultRetentionBelowOneDayIsRefused) {
  auto o = options(true);
  o.default_days = 0;
  auto refused = enforce_retention(env.uri(), o);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(env.sql("SELECT count(*) FROM recorder_events"), "34");
}

}  // namespace
}  // namespace cyrange::privacy
