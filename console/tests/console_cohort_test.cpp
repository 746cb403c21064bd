// The console's Self-paced tab against the real cyranged over TLS and PostgreSQL. The runs
// are written through the real stores before cyranged starts (PgCourseStore for the course
// and runs, RangeRegistry for each run's personal exercise, PgReportStore for the trainee's
// incident report), as RunDesk and ExerciseManager would have left them; cyranged reopens
// the running run's scoreboard from the stored scenario. No guest is needed. The instructor
// sees the runs of their own organisation only, filters them, grades the item waiting for
// review beside the report, sees the run's score change, and sees a run expire without
// refreshing (WatchRuns). Screenshots go to the build
// tree (CYRANGE_SCREENSHOT_DIR).
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QComboBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <gtest/gtest.h>

#include <client-core/connection.h>
#include <client-qt/session.h>
#include <console/app/cohort_filter_proxy.h>
#include <console/app/cohort_model.h>
#include <console/app/cohort_panel.h>
#include <console/app/main_window.h>
#include <console/app/review_list_model.h>
#include <console/dialogs/grade_dialog.h>
#include <orchestrator/certs/certs.h>
#include <orchestrator/course/pg_course_store.h>
#include <orchestrator/daemon/daemon_process.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/report/pg_report_store.h>
#include <orchestrator/store/testing/temp_database.h>
#include <testing/qt_ui.h>

namespace cyrange::console {
namespace {

using cyrange::testing::eventually;

const QString kShots = QStringLiteral(CYRANGE_SCREENSHOT_DIR);

// cyranged with a cohort: ivy instructs for north_city, whose trainees alice (running,
// a report saved), bob (paused) and carl (failed, another course) are; cho of south_town
// runs too, and ivy must not see her.
class Cohort {
 public:
  static constexpr const char* kCourse = "review_basics";
  static constexpr const char* kOtherCourse = "review_more";

  Status start() {
    char tmpl[] = "/tmp/cyrange-cohort-XXXXXX";
    if (::mkdtemp(tmpl) == nullptr)
      return make_error(ErrorCode::internal, "Cannot create a temporary folder under /tmp.");
    dir_ = tmpl;
    certs::InitOptions tls;
    tls.dir = dir_ / "tls";
    if (auto made = certs::init_certificates(tls); !made) return made.error();
    if (auto st = add_users(); !st) return st;
    if (auto st = add_runs(); !st) return st;
    auto spawned = daemon::DaemonProcess::spawn(
        CYRANGE_BINARY_DIR "/orchestrator/daemon/cyranged",
        {"--db", db_.uri(), "--listen", "127.0.0.1:0", "--tls-dir", (dir_ / "tls").string(),
         "--libvirt-uri", "test:///default", "--image-cache", (dir_ / "images").string(),
         "--pool-root", (dir_ / "pools").string()},
        dir_ / "cyranged.log");
    if (!spawned) return spawned.error();
    daemon_.emplace(std::move(spawned).value());
    auto listening = daemon_->wait_listening(std::chrono::seconds(30));
    if (!listening) return listening.error();
    address_ = *listening;
    return Status::success();
  }

  ~Cohort() {
    if (daemon_) daemon_->stop(std::chrono::seconds(5));
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
  }

  client::ClientOptions options(const std::string& user) const {
    client::ClientOptions options;
    options.target = address_;
    options.ca_file = dir_ / "tls" / certs::kCaCertFile;
    options.token = tokens_.at(user);
    return options;
  }
  std::int64_t run_of(const std::string& user) const { return runs_.at(user); }
  /// The operator's days for `user`'s run are over: cyranged's next pass expires it.
  void expire(const std::string& user) {
    db_.query_one("UPDATE course_runs SET expires_at = now() - interval '1 minute' WHERE id = " +
                  std::to_string(runs_.at(user)) + " RETURNING 1");
  }
  std::string log() const { return daemon_ ? daemon_->log() : std::string(); }

 private:
  Status add_users() {
    db_.query_one(
        "INSERT INTO organisations (name, type, size_band, region) VALUES "
        "('north_city', 'municipality', '300-999', 'hokkaido'), "
        "('south_town', 'municipality', '1-99', 'okinawa') RETURNING 1");
    auto ids = identity::PgIdentityStore::open(db_.uri());
    if (!ids) return ids.error();
    using identity::Role;
    const std::map<std::string, std::pair<Role, std::string>> users = {
        {"ivy", {Role::instructor, "north_city"}},
        {"alice", {Role::trainee, "north_city"}},
        {"bob", {Role::trainee, "north_city"}},
        {"carl", {Role::trainee, "north_city"}},
        {"cho", {Role::trainee, "south_town"}}};
    for (const auto& [name, who] : users) {
      std::optional<std::string> team;
      if (who.first == Role::trainee) {
        team = "home_" + name;
        if (auto made = (*ids)->ensure_team(*team); !made) return made.error();
      }
      auto id = (*ids)->add_user({name, who.first, team, "", ""});
      if (!id) return id.error();
      user_ids_[name] = *id;
      db_.query_one("INSERT INTO organisation_members SELECT " + std::to_string(*id) +
                    ", id FROM organisations WHERE name = '" + who.second + "' RETURNING 1");
      auto token = (*ids)->issue_token(name, std::chrono::hours(2));
      if (!token) return token.error();
      tokens_[name] = token->token;
    }
    return Status::success();
  }

  // A run of `user` in `state`; with `exercise_state`, placed on a personal exercise
  // recorded in that state.
  Status add_run(const std::string& user, const std::string& course, course::RunState state,
                 const std::string& exercise_state, const std::string& detail = {}) {
    using namespace std::chrono;
    const auto now = system_clock::now();
    auto run = courses_->add_run(course, user_ids_.at(user), now + hours(24 * 14));
    if (!run) return run.error();
    runs_[user] = run->id;
    run->state = state;
    run->detail = detail;
    run->last_active_at = now;
    if (state != course::RunState::failed) run->started_at = now - minutes(40);
    if (state == course::RunState::paused) run->paused_at = now - minutes(5);
    if (!exercise_state.empty()) {
      run->exercise = "self" + std::to_string(run->id) + "_c0ffee";
      run->team = "r" + std::to_string(run->id);
      if (auto st = registry_->begin_exercise(run->exercise, "review-course", "h", {run->team});
          !st)
        return st;
      if (auto st = registry_->save_setup(run->exercise, {"review-course.yaml", yaml_, 7}); !st)
        return st;
      if (auto st = registry_->set_state(run->exercise, exercise_state); !st) return st;
    }
    return courses_->update(*run);
  }

  Status add_runs() {
    std::ifstream in(CYRANGE_SOURCE_DIR "/console/tests/data/review-course.yaml");
    yaml_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (yaml_.empty())
      return make_error(ErrorCode::not_found, "console/tests/data/review-course.yaml is missing.");
    auto store = course::PgCourseStore::open(db_.uri());
    if (!store) return store.error();
    courses_ = std::move(store).value();
    for (const char* id : {kCourse, kOtherCourse}) {
      course::Course c;
      c.id = id;
      c.scenario_id = "review-course";
      c.title_ja = "レビュー付き自習";
      c.title_en = "Self-paced with review";
      c.scenario_file = "review-course.yaml";
      c.scenario_yaml = yaml_;
      c.published_by = "ivy";
      if (auto st = courses_->publish(c); !st) return st;
    }
    auto registry = exercise::RangeRegistry::open(db_.uri());
    if (!registry) return registry.error();
    registry_ = std::move(registry).value();
    using S = course::RunState;
    if (auto st =
            add_run("carl", kOtherCourse, S::failed, "", "No host of the pool could take the run.");
        !st)
      return st;
    if (auto st = add_run("bob", kCourse, S::paused, exercise::kStateSuspended); !st) return st;
    if (auto st = add_run("cho", kCourse, S::running, exercise::kStateReady); !st) return st;
    if (auto st = add_run("alice", kCourse, S::running, exercise::kStateReady); !st) return st;
    // Created an hour ago, as runs are before they start (add_run stamps the present).
    db_.query_one("UPDATE course_runs SET created_at = now() - interval '1 hour' RETURNING 1");
    // Alice's submitted incident report, the evidence for the item under review.
    auto reports = report::PgReportStore::open(db_.uri());
    if (!reports) return reports.error();
    report::ReportSave save;
    save.exercise = "self" + std::to_string(runs_["alice"]) + "_c0ffee";
    save.team = "r" + std::to_string(runs_["alice"]);
    save.sections.timeline = "09:12 the clerk opened the attachment; 09:20 the PC was isolated.";
    save.sections.measures = "Attachments with macros are blocked at the mail gateway from today.";
    save.submit = true;
    save.saved_by = "alice";
    if (auto saved = (*reports)->append(save); !saved) return saved.error();
    return Status::success();
  }

  store::testing::TempDatabase db_;
  std::filesystem::path dir_;
  std::string yaml_;
  std::shared_ptr<course::PgCourseStore> courses_;
  std::shared_ptr<exercise::RangeRegistry> registry_;
  std::optional<daemon::DaemonProcess> daemon_;
  std::string address_;
  std::map<std::string, std::string> tokens_;
  std::map<std::string, std::int64_t> user_ids_, runs_;
};

// The row of `user`'s run in the panel's model, or -1.
int row_of_user(CohortModel* model, const QString& user) {
  for (int r = 0; r < model->rowCount(); ++r)
    if (model->index(r, CohortModel::Trainee).data().toString() == user) return r;
  return -1;
}

QString cell(CohortModel* model, const QString& user, int column) {
  const int row = row_of_user(model, user);
  return row < 0 ? QString() : model->index(row, column).data().toString();
}

TEST(ConsoleCohortTest, AnInstructorSeesTheirCohortFiltersItAndGradesAReviewItem) {
  Cohort cohort;
  const Status started = cohort.start();
  ASSERT_TRUE(started.ok()) << started.error().message << "\n" << cohort.log();

  auto connection = client::Connection::open(cohort.options("ivy"));
  ASSERT_TRUE(connection) << connection.error().message;
  qt::Session session(*connection);
  MainWindow window(&session, {1, "ivy", client::Role::instructor, std::nullopt},
                    client::Language::en);
  window.resize(1400, 900);
  window.show();
  ASSERT_TRUE(QTest::qWaitForWindowExposed(&window));
  CohortPanel* panel = window.cohort();
  ASSERT_NE(panel, nullptr);
  CohortModel* model = panel->model();
  QAbstractItemModelTester model_tester(model,
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
  QAbstractItemModelTester proxy_tester(panel->proxy(),
                                        QAbstractItemModelTester::FailureReportingMode::Fatal);
  QAbstractItemModelTester review_tester(panel->reviews(),
                                         QAbstractItemModelTester::FailureReportingMode::Fatal);

  // Showing the tab reads the cohort: north_city's three runs, not south_town's.
  window.tabs()->setCurrentWidget(panel);
  ASSERT_TRUE(eventually([&] { return model->rowCount() == 3; })) << cohort.log();
  EXPECT_EQ(row_of_user(model, "cho"), -1) << "a run of another organisation is listed";
  EXPECT_EQ(cell(model, "alice", CohortModel::State), "running");
  EXPECT_EQ(cell(model, "bob", CohortModel::State), "paused");
  EXPECT_EQ(cell(model, "carl", CohortModel::State),
            "failed: No host of the pool could take the run.");
  EXPECT_EQ(cell(model, "alice", CohortModel::Score), "0");
  EXPECT_EQ(cell(model, "alice", CohortModel::Reviews), "1");
  // Bob's paused run's scores were loaded when cyranged started: its item waits too.
  EXPECT_EQ(cell(model, "bob", CohortModel::Reviews), "1");
  EXPECT_FALSE(cell(model, "bob", CohortModel::Expires).isEmpty());

  // Filters: by state, by course, and back.
  auto* state = panel->stateBox();
  state->setCurrentIndex(state->findData(static_cast<int>(client::RunState::running)));
  EXPECT_EQ(panel->proxy()->rowCount(), 1);
  state->setCurrentIndex(0);
  auto* course = panel->courseBox();
  ASSERT_EQ(course->count(), 3) << "all courses plus the two of the runs";
  course->setCurrentIndex(course->findData(QString::fromLatin1(Cohort::kOtherCourse)));
  ASSERT_EQ(panel->proxy()->rowCount(), 1);
  EXPECT_EQ(panel->proxy()->index(0, CohortModel::Trainee).data().toString(), "carl");
  course->setCurrentIndex(0);
  EXPECT_EQ(panel->proxy()->rowCount(), 3);
  // Sorted by a number column, numerically.
  panel->table()->sortByColumn(CohortModel::Reviews, Qt::DescendingOrder);
  EXPECT_EQ(panel->proxy()->index(0, CohortModel::Reviews).data().toString(), "1");
  EXPECT_EQ(panel->proxy()->index(1, CohortModel::Reviews).data().toString(), "1");
  EXPECT_EQ(panel->proxy()->index(2, CohortModel::Trainee).data().toString(), "carl");

  // Alice's run: one item waits for review.
  ASSERT_TRUE(panel->selectRun(cohort.run_of("alice")));
  ASSERT_EQ(panel->reviews()->rowCount(), 1);
  EXPECT_EQ(panel->reviews()->index(0, ReviewListModel::Item).data().toString(),
            "The measures against recurrence are concrete");
  EXPECT_EQ(panel->reviews()->index(0, ReviewListModel::Points).data().toInt(), 10);
  cyrange::testing::screenshot(&window, kShots, QStringLiteral("console-self-paced.png"));

  // Grade it through the dialog, with the report beside the form.
  bool report_shown = false;
  cyrange::testing::when_modal_opens<GradeDialog>([&](GradeDialog* d) {
    report_shown = eventually([&] { return d->reportText().contains("mail gateway"); });
    EXPECT_EQ(d->item(), "lessons");
    d->findChild<QPlainTextEdit*>()->setPlainText(
        QStringLiteral("Blocking macro attachments at the gateway is concrete."));
    cyrange::testing::screenshot(d, kShots, QStringLiteral("console-self-paced-grade.png"));
    for (auto* b : d->findChildren<QPushButton*>())
      if (b->text() == QStringLiteral("OK")) cyrange::testing::click(b);
  });
  auto* grade = cyrange::testing::button_with_text(panel, QStringLiteral("Grade…"));
  ASSERT_NE(grade, nullptr);
  ASSERT_TRUE(grade->isEnabled());
  cyrange::testing::click(grade);
  EXPECT_TRUE(report_shown) << "the trainee's report did not appear in the grade dialog";

  // The run's score rises by the item's points and nothing waits any more.
  ASSERT_TRUE(eventually([&] { return cell(model, "alice", CohortModel::Score) == "10"; }))
      << cohort.log();
  EXPECT_EQ(cell(model, "alice", CohortModel::Reviews), "0");
  EXPECT_EQ(panel->reviews()->rowCount(), 0);
  cyrange::testing::screenshot(&window, kShots, QStringLiteral("console-self-paced-graded.png"));

  // Live: bob's run expires on cyranged's own pass; the tab shows it without a refresh
  // (CourseService.WatchRuns), and no review item of it is lost.
  cohort.expire("bob");
  ASSERT_TRUE(eventually([&] { return cell(model, "bob", CohortModel::State) == "expired"; },
                         std::chrono::seconds(30)))
      << cohort.log();
  EXPECT_EQ(cell(model, "bob", CohortModel::Reviews), "1");
}

}  // namespace
}  // namespace cyrange::console
