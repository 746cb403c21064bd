#include <orchestrator/report/pg_report_store.h>

#include <gtest/gtest.h>

#include <orchestrator/identity/identity_store.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::report {
namespace {

using identity::Identity;
using identity::Role;
using store::testing::TempDatabase;

class ReportDeskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto identities = identity::PgIdentityStore::open(db_.uri());
    ASSERT_TRUE(identities) << identities.error().message;
    for (const char* team : {"red", "blue"}) {
      auto id = (*identities)->ensure_team(team);
      ASSERT_TRUE(id);
      team_ids_[team] = *id;
    }
    db_.query_one(
        "INSERT INTO exercises (id, scenario_id, scenario_hash, state) VALUES "
        "('day1', 's', 'h', 'ready')");
    db_.query_one("INSERT INTO exercise_teams (exercise_id, team_id) SELECT 'day1', id FROM teams");
    auto store = PgReportStore::open(db_.uri());
    ASSERT_TRUE(store) << store.error().message;
    desk_ = std::make_unique<ReportDesk>(std::shared_ptr<ReportStore>(std::move(store).value()));
  }

  Identity trainee(const std::string& name, const std::string& team) const {
    return Identity{1, name, Role::trainee, team_ids_.at(team), std::nullopt};
  }

  TempDatabase db_;
  std::map<std::string, std::int64_t> team_ids_;
  std::unique_ptr<ReportDesk> desk_;
};

TEST_F(ReportDeskTest, EverySaveIsANewVersionAndStaleBasesAreRefused) {
  const Identity ann = trainee("red-ann", "red"), bob = trainee("red-bob", "red");
  ReportSections text;
  text.timeline = "09:00 phishing mail opened";
  auto v1 = desk_->save(ann, "day1", text, 0, false);
  ASSERT_TRUE(v1) << v1.error().message;
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->team, "red");
  text.cause = "macro in the attachment";
  auto v2 = desk_->save(ann, "day1", text, 1, false);
  ASSERT_TRUE(v2) << v2.error().message;
  EXPECT_EQ(v2->version, 2);

  auto stale = desk_->save(bob, "day1", ReportSections{}, 1, false);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, ErrorCode::aborted);
  EXPECT_NE(stale.error().message.find("Version 2"), std::string::npos) << stale.error().message;
  EXPECT_NE(stale.error().message.find("red-ann"), std::string::npos);
  EXPECT_FALSE(stale.error().message_ja.empty());

  auto first = desk_->get(bob, "day1", "", 1);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->sections.cause, "");  // version 1 is kept as it was
  auto latest = desk_->get(bob, "day1", "", 0);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->version.version, 2);
  EXPECT_EQ(latest->sections.cause, "macro in the attachment");
  auto versions = desk_->versions(bob, "day1", "");
  ASSERT_TRUE(versions);
  EXPECT_EQ(versions->size(), 2u);
}

TEST_F(ReportDeskTest, ASubmittedReportCannotBeChangedByTrainees) {
  const Identity ann = trainee("red-ann", "red");
  ASSERT_TRUE(desk_->save(ann, "day1", ReportSections{}, 0, true));
  auto after = desk_->save(ann, "day1", ReportSections{}, 1, false);
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().code, ErrorCode::failed_precondition);
  EXPECT_FALSE(after.error().message_ja.empty());
  EXPECT_EQ(db_.query_one("SELECT count(*) FROM audit_log WHERE action = 'report.submit'"), "1");
}

TEST_F(ReportDeskTest, TeamsAreIsolatedAndInstructorsReadAll) {
  ASSERT_TRUE(desk_->save(trainee("red-ann", "red"), "day1", ReportSections{}, 0, false));
  const Identity blue = trainee("blue-cy", "blue");
  auto other = desk_->get(blue, "day1", "red", 0);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::permission_denied);
  EXPECT_EQ(desk_->versions(blue, "day1", "red").error().code, ErrorCode::permission_denied);
  EXPECT_EQ(desk_->get(blue, "day1", "", 0).error().code, ErrorCode::not_found);  // none yet

  const Identity teacher{2, "teacher", Role::instructor, std::nullopt, std::nullopt};
  EXPECT_TRUE(desk_->get(teacher, "day1", "red", 0));
  EXPECT_EQ(desk_->save(teacher, "day1", ReportSections{}, 1, false).error().code,
            ErrorCode::permission_denied);
  const Identity designer{3, "dee", Role::designer, std::nullopt, std::nullopt};
  EXPECT_EQ(desk_->get(designer, "day1", "red", 0).error().code, ErrorCode::permission_denied);

  Identity bound = trainee("red-joined", "red");
  bound.exercise_id = "day0";
  EXPECT_EQ(desk_->get(bound, "day1", "", 0).error().code, ErrorCode::not_found);
}

TEST_F(ReportDeskTest, OversizedSectionsAreRefusedWithTheirName) {
  ReportSections big;
  big.measures.assign(kMaxSectionBytes + 1, 'x');
  auto refused = desk_->save(trainee("red-ann", "red"), "day1", big, 0, false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
  EXPECT_NE(refused.error().message.find("measures"), std::string::npos);
  EXPECT_EQ(db_.query_one("SELECT count(*) FROM reports"), "0");
}

}  // namespace
}  // namespace cyrange::report
