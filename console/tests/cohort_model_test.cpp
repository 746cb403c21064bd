// The Self-paced tab's models: every model and the proxy under QAbstractItemModelTester,
// with the state texts, the review counts and the filters checked case by case.
#include <QAbstractItemModelTester>
#include <QApplication>

#include <gtest/gtest.h>

#include <console/app/cohort_filter_proxy.h>
#include <console/app/cohort_model.h>
#include <console/app/review_list_model.h>

namespace cyrange::console {
namespace {

using client::RunState;
using Tester = QAbstractItemModelTester;

client::CourseRunInfo run(std::int64_t id, const std::string& user, const std::string& course,
                          RunState state) {
  client::CourseRunInfo r;
  r.id = id;
  r.user = user;
  r.course_id = course;
  r.state = state;
  r.created_at_unix_ms = 1'700'000'000'000 + id * 60'000;
  if (state != RunState::queued) {
    r.exercise_id = "self" + std::to_string(id) + "_ab";
    r.team = "r" + std::to_string(id);
  }
  return r;
}

client::PendingReviewInfo review(std::int64_t run, const std::string& item, int points) {
  return {run,
          "self" + std::to_string(run) + "_ab",
          "r" + std::to_string(run),
          "report",
          item,
          {"報告書", "Report"},
          {"項目 " + item, "Item " + item},
          points};
}

struct Cohort {
  std::vector<client::CourseRunInfo> runs;
  client::ReviewQueue queue;
};

Cohort sample() {
  Cohort c;
  auto queued = run(1, "ann", "basics", RunState::queued);
  queued.queue_position = 2;
  auto failed = run(2, "bob", "advanced", RunState::failed);
  failed.detail = "No room";
  auto running = run(3, "cho", "basics", RunState::running);
  running.score = 25;
  running.started_at_unix_ms = 1'700'000'500'000;
  auto paused = run(4, "dan", "basics", RunState::paused);
  paused.score = 7;
  c.runs = {queued, failed, running, paused};
  c.queue.reviews = {review(3, "a", 10), review(3, "b", 5)};
  c.queue.unavailable_runs = {4};
  return c;
}

TEST(CohortModelTest, ShowsEachRunsStateResultsAndWaitingReviews) {
  CohortModel model;
  Tester tester(&model, Tester::FailureReportingMode::Fatal);
  const auto c = sample();
  model.set(c.runs, c.queue);
  ASSERT_EQ(model.rowCount(), 4);
  ASSERT_EQ(model.columnCount(), CohortModel::ColumnCount);
  struct Case {
    int row, column;
    const char* shown;
  };
  const Case cases[] = {
      {0, CohortModel::State, "queued (#2)"}, {1, CohortModel::State, "failed: No room"},
      {2, CohortModel::State, "running"},     {3, CohortModel::State, "paused"},
      {2, CohortModel::Score, "25"},          {2, CohortModel::Reviews, "2"},
      {3, CohortModel::Reviews, "?"},         {0, CohortModel::Reviews, "0"},
      {0, CohortModel::Started, ""},          {1, CohortModel::Course, "advanced"},
      {2, CohortModel::Expires, ""},
  };
  for (const auto& k : cases)
    EXPECT_EQ(model.index(k.row, k.column).data().toString().toStdString(), k.shown)
        << "row " << k.row << " column " << k.column;
  EXPECT_EQ(model.reviews_of(3).size(), 2u);
  EXPECT_FALSE(model.reviews_known(4));
  EXPECT_EQ(model.courses(), (QStringList{"advanced", "basics"}));
  EXPECT_EQ(model.row_of(4), 3);
  EXPECT_EQ(model.index(3, CohortModel::Reviews).data(CohortModel::SortRole).toInt(), -1);

  // A second answer replaces the first.
  model.set({c.runs[2]}, {});
  EXPECT_EQ(model.rowCount(), 1);
  EXPECT_EQ(model.index(0, CohortModel::Reviews).data().toString(), "0");
}

TEST(CohortModelTest, TheProxyFiltersByCourseAndStateAndSortsNumbersAsNumbers) {
  CohortModel model;
  CohortFilterProxy proxy;
  proxy.setSourceModel(&model);
  Tester tester(&proxy, Tester::FailureReportingMode::Fatal);
  const auto c = sample();
  model.set(c.runs, c.queue);
  struct Case {
    QString course;
    std::optional<RunState> state;
    int rows;
  };
  const Case cases[] = {{{}, std::nullopt, 4},           {"basics", std::nullopt, 3},
                        {"advanced", std::nullopt, 1},   {{}, RunState::running, 1},
                        {"basics", RunState::failed, 0}, {"basics", RunState::paused, 1}};
  for (const auto& k : cases) {
    proxy.setCourse(k.course);
    proxy.setState(k.state);
    EXPECT_EQ(proxy.rowCount(), k.rows) << k.course.toStdString();
  }
  proxy.setCourse({});
  proxy.setState(std::nullopt);
  proxy.sort(CohortModel::Score, Qt::DescendingOrder);
  EXPECT_EQ(proxy.index(0, CohortModel::Trainee).data().toString(), "cho");
  EXPECT_EQ(proxy.index(1, CohortModel::Trainee).data().toString(), "dan");
}

TEST(CohortModelTest, TheReviewListShowsTheItemsInTheChosenLanguage) {
  ReviewListModel model;
  Tester tester(&model, Tester::FailureReportingMode::Fatal);
  model.set({review(3, "a", 10), review(3, "b", 5)}, client::Language::ja);
  ASSERT_EQ(model.rowCount(), 2);
  EXPECT_EQ(model.index(0, ReviewListModel::Objective).data().toString(), "報告書");
  EXPECT_EQ(model.index(1, ReviewListModel::Item).data().toString(), "項目 b");
  EXPECT_EQ(model.index(1, ReviewListModel::Points).data().toInt(), 5);
  model.set({}, client::Language::en);
  EXPECT_EQ(model.rowCount(), 0);
}

}  // namespace
}  // namespace cyrange::console
