#include <orchestrator/identity/join_desk.h>

#include <gtest/gtest.h>

#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::identity {
namespace {

using namespace std::chrono_literals;
using store::testing::TempDatabase;

class JoinDeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto identities = PgIdentityStore::open(db_.uri());
    ASSERT_TRUE(identities) << identities.error().message;
    identities_ = std::move(identities).value();
    auto desk = JoinDesk::open(db_.uri(), identities_);
    ASSERT_TRUE(desk) << desk.error().message;
    desk_ = std::move(desk).value();
    for (const char* team : {"red", "blue"}) ASSERT_TRUE(identities_->ensure_team(team));
    db_.query_one(
        "INSERT INTO exercises (id, scenario_id, scenario_hash, state) VALUES "
        "('day1', 's', 'h', 'ready'), ('day2', 's', 'h', 'ready')");
    db_.query_one(
        "INSERT INTO exercise_teams (exercise_id, team_id) SELECT e, id FROM teams, "
        "(VALUES ('day1'), ('day2')) AS x(e)");
  }

  std::string code_of(const std::vector<JoinCode>& codes, const std::string& team) {
    for (const auto& c : codes)
      if (c.team == team) return c.code;
    ADD_FAILURE() << "no code for team " << team;
    return {};
  }

  TempDatabase db_;
  std::shared_ptr<PgIdentityStore> identities_;
  std::unique_ptr<JoinDesk> desk_;
};

TEST_F(JoinDeskTest, ACodeMakesATraineeOfItsTeamWithATokenBoundToTheExercise) {
  auto codes = desk_->create_codes("day1", 1h, std::nullopt);
  ASSERT_TRUE(codes) << codes.error().message;
  ASSERT_EQ(codes->size(), 2u);
  EXPECT_EQ(db_.query_one("SELECT count(*) FROM join_codes WHERE code_hash ~ '^[0-9a-f]{64}$'"),
            "2");
  // Typed in lower case without the dash: still the code.
  std::string typed = code_of(*codes, "blue");
  typed.erase(4, 1);
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto grant = desk_->join(typed, "ipv4:10.0.0.1");
  ASSERT_TRUE(grant) << grant.error().message;
  EXPECT_EQ(grant->exercise_id, "day1");
  EXPECT_EQ(grant->team, "blue");
  EXPECT_EQ(grant->user_name.rfind("blue-", 0), 0u) << grant->user_name;
  auto who = identities_->authenticate(grant->token);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->role, Role::trainee);
  EXPECT_EQ(who->exercise_id, std::optional<std::string>("day1"));
  EXPECT_TRUE(check_exercise_scope(*who, "day1"));
  auto elsewhere = check_exercise_scope(*who, "day2");
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, ErrorCode::not_found);  // as if day2 did not exist
  EXPECT_FALSE(elsewhere.error().message_ja.empty());
  // No personal data is kept for a joined trainee; creation and redemption are audited.
  EXPECT_EQ(db_.query_one("SELECT display_name || email FROM user_personal_data p JOIN users u "
                          "ON u.id = p.user_id WHERE u.name = '" +
                          grant->user_name + "'"),
            "");
  EXPECT_EQ(db_.query_one("SELECT count(*) FROM audit_log WHERE action IN "
                          "('join_codes.create', 'join_codes.redeem')"),
            "2");
}

TEST_F(JoinDeskTest, UnknownReplacedAndExpiredCodesEachSaySo) {
  auto first = desk_->create_codes("day1", 1h, std::nullopt);
  ASSERT_TRUE(first);
  auto second = desk_->create_codes("day1", 1h, std::nullopt);
  ASSERT_TRUE(second);

  auto unknown = desk_->join("ZZZZ-ZZZZ", "ipv4:10.0.0.2");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::not_found);
  auto replaced = desk_->join(code_of(*first, "red"), "ipv4:10.0.0.3");
  ASSERT_FALSE(replaced);
  EXPECT_EQ(replaced.error().code, ErrorCode::not_found);
  EXPECT_NE(replaced.error().message, unknown.error().message);

  db_.query_one("UPDATE join_codes SET expires_at = now() - interval '1 minute'");
  auto expired = desk_->join(code_of(*second, "red"), "ipv4:10.0.0.4");
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(expired.error().message.find("expired"), std::string::npos);
  EXPECT_NE(expired.error().message_ja.find("有効期限"), std::string::npos);
}

TEST_F(JoinDeskTest, FiveWrongCodesFromOneAddressMakeItWait) {
  auto codes = desk_->create_codes("day1", 1h, std::nullopt);
  ASSERT_TRUE(codes);
  for (int i = 0; i < 5; ++i) {
    auto wrong = desk_->join("WRONG-CODE", "ipv4:10.0.0.5");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::not_found);
  }
  auto blocked = desk_->join(code_of(*codes, "red"), "ipv4:10.0.0.5");
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error().code, ErrorCode::resource_exhausted);
  EXPECT_NE(blocked.error().message.find("seconds"), std::string::npos);
  EXPECT_NE(blocked.error().message_ja.find("秒"), std::string::npos);
  // Another computer still joins.
  EXPECT_TRUE(desk_->join(code_of(*codes, "red"), "ipv4:10.0.0.6"));
}

TEST_F(JoinDeskTest, EndedAndUnknownExercisesGetNoCodes) {
  EXPECT_EQ(desk_->create_codes("nope", 1h, std::nullopt).error().code, ErrorCode::not_found);
  db_.query_one("UPDATE exercises SET state = 'ended' WHERE id = 'day2'");
  EXPECT_EQ(desk_->create_codes("day2", 1h, std::nullopt).error().code,
            ErrorCode::failed_precondition);
}

// Course join codes: made for one course and organisation; redeeming one makes a
// pseudonymous trainee of that organisation, who may take that course, with a token bound to
// no exercise; wrong codes are slowed down as a training day's are.
class CourseCodeTest : public JoinDeskTest {
 protected:
  void SetUp() override {
    JoinDeskTest::SetUp();
    db_.query_one(
        "INSERT INTO organisations (name, type, size_band, region) VALUES "
        "('north_city', 'municipality', '300-999', 'hokkaido'), "
        "('south_town', 'municipality', '1-99', 'okinawa') RETURNING 1");
    db_.query_one(
        "INSERT INTO courses (id, scenario_id, scenario_file, scenario_yaml, published_by, "
        "expires_after_days) VALUES ('basics', 's', 'f.yaml', 'x', 'op', 7), "
        "('north_only', 's', 'f.yaml', 'x', 'op', 60) RETURNING 1");
    db_.query_one(
        "INSERT INTO course_organisations SELECT 'north_only', id FROM organisations "
        "WHERE name = 'north_city' RETURNING 1");
  }
};

TEST_F(CourseCodeTest, ACourseCodeMakesAPseudonymousTraineeOfItsOrganisationForThatCourse) {
  auto code = desk_->create_course_code("basics", "north_city", 24h, std::nullopt);
  ASSERT_TRUE(code) << code.error().message;
  EXPECT_EQ(db_.query_one("SELECT count(*) FROM course_join_codes WHERE code_hash ~ "
                          "'^[0-9a-f]{64}$'"),
            "1");
  auto grant = desk_->join(code->code, "ipv4:10.0.0.9");
  ASSERT_TRUE(grant) << grant.error().message;
  EXPECT_EQ(grant->course, "basics");
  EXPECT_TRUE(grant->exercise_id.empty());
  EXPECT_EQ(grant->user_name.rfind("north_city-", 0), 0u) << grant->user_name;
  auto who = identities_->authenticate(grant->token);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->role, Role::trainee);
  EXPECT_FALSE(who->exercise_id.has_value()) << "a course's token starts runs of its own";
  // No personal data: no display name, no mail; a member of north_city, bound to the course.
  EXPECT_EQ(
      db_.query_one("SELECT count(*) FROM user_personal_data WHERE user_id = " +
                    std::to_string(who->user_id) + " AND (display_name <> '' OR email <> '')"),
      "0");
  EXPECT_EQ(db_.query_one("SELECT o.name FROM organisation_members m JOIN organisations o ON "
                          "o.id = m.organisation_id WHERE m.user_id = " +
                          std::to_string(who->user_id)),
            "north_city");
  EXPECT_EQ(db_.query_one("SELECT course_id FROM course_code_users WHERE user_id = " +
                          std::to_string(who->user_id)),
            "basics");
  // The token lives as long as the course keeps a run (7 days), not a training day.
  EXPECT_GT(grant->expires_at, std::chrono::system_clock::now() + std::chrono::hours(24 * 6));
  EXPECT_EQ(db_.query_one("SELECT count(*) FROM audit_log WHERE action LIKE 'course_join_codes.%'"),
            "2");
  // Each redemption is a trainee of its own.
  auto second = desk_->join(code->code, "ipv4:10.0.0.10");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_NE(second->user_name, grant->user_name);
  EXPECT_NE(second->team, grant->team);
}

TEST_F(CourseCodeTest, CodesAreOnlyForOpenCoursesAndExpireOrAreReplaced) {
  auto closed = desk_->create_course_code("north_only", "south_town", 1h, std::nullopt);
  ASSERT_FALSE(closed);
  EXPECT_EQ(closed.error().code, ErrorCode::failed_precondition);
  EXPECT_FALSE(desk_->create_course_code("nope", "north_city", 1h, std::nullopt));
  auto first = desk_->create_course_code("north_only", "north_city", 1h, std::nullopt);
  ASSERT_TRUE(first) << first.error().message;
  auto second = desk_->create_course_code("north_only", "north_city", 1h, std::nullopt);
  ASSERT_TRUE(second) << second.error().message;
  auto replaced = desk_->join(first->code, "ipv4:10.0.0.11");
  ASSERT_FALSE(replaced);
  EXPECT_EQ(replaced.error().code, ErrorCode::not_found);
  EXPECT_NE(replaced.error().message.find("replaced"), std::string::npos);
  db_.query_one(
      "UPDATE course_join_codes SET expires_at = now() - interval '1 minute' "
      "WHERE revoked_at IS NULL RETURNING 1");
  auto expired = desk_->join(second->code, "ipv4:10.0.0.11");
  ASSERT_FALSE(expired);
  EXPECT_EQ(expired.error().code, ErrorCode::failed_precondition);
  EXPECT_NE(expired.error().message_ja.find("有効期限"), std::string::npos);
}

TEST_F(CourseCodeTest, WrongCodesAreSlowedDownWithAClearMessage) {
  auto code = desk_->create_course_code("basics", "north_city", 1h, std::nullopt);
  ASSERT_TRUE(code) << code.error().message;
  for (int i = 0; i < 5; ++i) {
    auto wrong = desk_->join("ZZZZ-ZZZZ", "ipv4:10.0.0.12");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, ErrorCode::not_found);
  }
  auto slowed = desk_->join(code->code, "ipv4:10.0.0.12");
  ASSERT_FALSE(slowed) << "the right code waits too, after five wrong ones";
  EXPECT_EQ(slowed.error().code, ErrorCode::resource_exhausted);
  EXPECT_NE(slowed.error().message.find("seconds"), std::string::npos);
  EXPECT_NE(slowed.error().message_ja.find("秒"), std::string::npos);
  EXPECT_TRUE(desk_->join(code->code, "ipv4:10.0.0.13")) << "another computer is not slowed";
}

}  // namespace
}  // namespace cyrange::identity
