// The Provisioning tab's model under QAbstractItemModelTester: a host row shows that host's
// state and progress (never its team's figure), a team row the aggregate of its range, from
// the first range-wide step through every host ready, failures, and a reset.
#include <QAbstractItemModelTester>
#include <QApplication>
#include <QHeaderView>
#include <QSignalSpy>
#include <QTableView>

#include <gtest/gtest.h>

#include <client-qt/translations.h>
#include <console/app/provisioning_model.h>
#include <console/widgets/progress_delegate.h>
#include <testing/qt_ui.h>

namespace cyrange::console {
namespace {

struct Expected {
  const char* host;  // "" for the team row
  const char* state;
  const char* progress;
  const char* message;
};

struct Case {
  const char* name;
  std::vector<client::ProvisioningStep> steps;
  std::vector<Expected> rows;  // team t1's block, in order
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

client::ProvisioningStep step(const char* host, const char* state, int percent,
                              const char* message = "") {
  return {"t1", host, state, message, percent};
}

class ProvisioningRows : public ::testing::TestWithParam<Case> {};

TEST_P(ProvisioningRows, ShowEachHostAndTheTeamsAggregate) {
  // The English plurals ("All 2 hosts ready") come from the console's en translation.
  ASSERT_TRUE(qt::install_translations(QStringLiteral("cyrange_console"), client::Language::en));
  ProvisioningModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  for (const auto& s : GetParam().steps) model.apply(s);
  ASSERT_EQ(model.rowCount(), static_cast<int>(GetParam().rows.size()));
  for (int r = 0; r < model.rowCount(); ++r) {
    const Expected& e = GetParam().rows[r];
    SCOPED_TRACE(r);
    EXPECT_EQ(model.index(r, ProvisioningModel::Team).data().toString(), QStringLiteral("t1"));
    const QString host = model.index(r, ProvisioningModel::Host).data().toString();
    EXPECT_EQ(host, *e.host ? QString::fromUtf8(e.host) : QStringLiteral("(whole range)"));
    EXPECT_EQ(model.index(r, ProvisioningModel::State).data().toString(),
              QString::fromUtf8(e.state));
    EXPECT_EQ(model.index(r, ProvisioningModel::Progress).data().toString(),
              QString::fromUtf8(e.progress));
    EXPECT_EQ(model.index(r, ProvisioningModel::Message).data().toString(),
              QString::fromUtf8(e.message));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Steps, ProvisioningRows,
    ::testing::Values(
        Case{"RangeWideStepsOnly",
             {step("", "pending", 9, "storage pool ready"),
              step("", "pending", 18, "network lan ready")},
             {{"", "preparing the range", "18 %", "network lan ready"}}},
        // The bug: a host's row showed the team's 33 % beside its "ready".
        Case{"HostRowShowsItsOwnProgress",
             {step("", "pending", 18, "network lan ready"), step("ws01", "defining", 18),
              step("mail", "defining", 18), step("ws01", "booting", 27),
              step("ws01", "ready", 33, "ready"), step("mail", "booting", 45)},
             {{"", "1 of 2 hosts ready", "45 %", ""},
              {"ws01", "ready", "100 %", "ready"},
              {"mail", "starting", "33 %", ""}}},
        // The bug: the team row kept "waiting 18 %" after every host was ready.
        Case{"AllHostsReadyMakeTheTeamReady",
             {step("", "pending", 18, "network lan ready"), step("ws01", "ready", 60, "ready"),
              step("mail", "waiting-for-services", 80), step("mail", "ready", 100, "ready")},
             {{"", "ready", "100 %", "All 2 hosts ready"},
              {"ws01", "ready", "100 %", "ready"},
              {"mail", "ready", "100 %", "ready"}}},
        // Hosts not started yet have sent nothing: the server's figure keeps the team going.
        Case{"ReadyHostsBeforeTheLastHostStartedAreNotTheWholeRange",
             {step("ws01", "ready", 40, "ready"), step("mail", "ready", 80, "ready")},
             {{"", "2 of 2 hosts ready", "80 %", ""},
              {"ws01", "ready", "100 %", "ready"},
              {"mail", "ready", "100 %", "ready"}}},
        Case{"AFailedHostFailsTheTeamWithItsReason",
             {step("ws01", "ready", 50, "ready"),
              step("mail", "failed", 100, "its guest agent did not answer within 300 s")},
             {{"", "✗ failed", "100 %", "mail: its guest agent did not answer within 300 s"},
              {"ws01", "ready", "100 %", "ready"},
              {"mail", "✗ failed", "", "its guest agent did not answer within 300 s"}}},
        Case{
            "AResetStartsOverAndEndsReady",
            {step("ws01", "ready", 100, "ready"), step("ws01", "booting", 0, "reverting"),
             step("ws01", "waiting-for-services", 50)},
            {{"", "0 of 1 hosts ready", "50 %", ""}, {"ws01", "waiting for services", "67 %", ""}}},
        Case{"AFailedResetFailsTheTeamUntilTheNextAttempt",
             {step("ws01", "ready", 100, "ready"), step("", "failed", 0, "reset failed: x"),
              step("ws01", "booting", 0, "reverting")},
             {{"", "0 of 1 hosts ready", "0 %", ""}, {"ws01", "starting", "33 %", "reverting"}}}),
    [](const ::testing::TestParamInfo<Case>& info) { return std::string(info.param.name); });

TEST(ProvisioningModel, ARangeWideFailureAfterReadyShowsFailed) {
  ProvisioningModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.apply(step("ws01", "ready", 100, "ready"));
  model.apply(step("", "failed", 0, "reset failed: the snapshot is gone"));
  EXPECT_EQ(model.index(0, ProvisioningModel::State).data().toString(), QStringLiteral("✗ failed"));
  EXPECT_TRUE(model.index(0, 0).data(ProvisioningModel::FailedRole).toBool());
  EXPECT_EQ(model.index(0, ProvisioningModel::Message).data().toString(),
            QStringLiteral("reset failed: the snapshot is gone"));
}

TEST(ProvisioningModel, KeepsEachTeamsHostsUnderItsRowAndCountsReadyHosts) {
  ProvisioningModel model;
  QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
  model.apply({"t1", "ws01", "ready", "ready", 30});
  model.apply({"t2", "ws01", "booting", "", 20});
  model.apply({"t1", "mail", "booting", "", 60});
  ASSERT_EQ(model.rowCount(), 5);
  const auto cell = [&](int row, int column) { return model.index(row, column).data().toString(); };
  EXPECT_EQ(cell(0, ProvisioningModel::Team) + cell(0, ProvisioningModel::Host),
            QStringLiteral("t1(whole range)"));
  EXPECT_EQ(cell(1, ProvisioningModel::Host), QStringLiteral("ws01"));
  EXPECT_EQ(cell(2, ProvisioningModel::Host), QStringLiteral("mail"));
  EXPECT_EQ(cell(3, ProvisioningModel::Team) + cell(3, ProvisioningModel::Host),
            QStringLiteral("t2(whole range)"));
  EXPECT_EQ(cell(4, ProvisioningModel::Team), QStringLiteral("t2"));
  // A later step of t1's mail replaces its row; t2's team row is untouched by t1's figure.
  model.apply({"t1", "mail", "ready", "ready", 100});
  EXPECT_EQ(cell(0, ProvisioningModel::State), QStringLiteral("ready"));
  EXPECT_EQ(cell(3, ProvisioningModel::Progress), QStringLiteral("20 %"));
  EXPECT_EQ(model.index(2, 0).data(ProvisioningModel::PercentRole).toInt(), 100);
  EXPECT_EQ(model.ready_hosts(), std::make_pair(2, 3));
  model.clear();
  EXPECT_EQ(model.rowCount(), 0);
  EXPECT_EQ(model.ready_hosts(), std::make_pair(0, 0));
}

// The console tells the instructor when a reset they started is over: the model says once
// when a team's range settles, ready or failed (with the host and reason), and again after
// the next attempt; steps that change nothing about the team say nothing.
TEST(ProvisioningModel, SaysOnceWhenATeamsRangeSettles) {
  ProvisioningModel model;
  QSignalSpy settled(&model, &ProvisioningModel::teamSettled);
  model.apply({"t1", "ws01", "booting", "", 10});
  model.apply({"t1", "mail", "ready", "ready", 50});
  EXPECT_EQ(settled.count(), 0) << "a host still starting";
  model.apply({"t1", "ws01", "ready", "ready", 100});
  ASSERT_EQ(settled.count(), 1);
  EXPECT_EQ(settled[0][0].toString(), QStringLiteral("t1"));
  EXPECT_TRUE(settled[0][1].toBool());
  model.apply({"t1", "ws01", "ready", "ready", 100});
  EXPECT_EQ(settled.count(), 1) << "the same state again";
  // A reset: under way, then a host fails.
  model.apply({"t1", "ws01", "booting", "reverting", 0});
  EXPECT_EQ(settled.count(), 1);
  model.apply({"t1", "ws01", "failed", "no guest agent", 0});
  ASSERT_EQ(settled.count(), 2);
  EXPECT_FALSE(settled[1][1].toBool());
  EXPECT_EQ(settled[1][2].toString(), QStringLiteral("ws01: no guest agent"));
}

// The share of a cell's pixels near the palette's highlight colour, where a progress
// bar's filled part is drawn.
double highlighted_share(QTableView& view, const QModelIndex& index) {
  const QImage cell = view.viewport()->grab(view.visualRect(index)).toImage();
  const QColor highlight = view.palette().color(QPalette::Highlight);
  int near = 0;
  for (int y = 0; y < cell.height(); ++y) {
    for (int x = 0; x < cell.width(); ++x) {
      const QColor c = cell.pixelColor(x, y);
      const int d = std::abs(c.red() - highlight.red()) + std::abs(c.green() - highlight.green()) +
                    std::abs(c.blue() - highlight.blue());
      if (d < 90) ++near;
    }
  }
  return cell.isNull() ? 0 : double(near) / (cell.width() * cell.height());
}

TEST(ProvisioningView, ProgressIsABarFilledToTheHostsShareAndAFailureShowsNone) {
  ProvisioningModel model;
  model.apply({"t1", "ws01", "ready", "ready", 100});
  model.apply({"t1", "mail", "booting", "", 33});
  model.apply({"t1", "web", "failed", "the guest agent never answered", 50});
  QTableView view;
  view.setModel(&model);
  view.setItemDelegateForColumn(
      ProvisioningModel::Progress,
      new ProgressDelegate(ProvisioningModel::PercentRole, ProvisioningModel::FailedRole, &view));
  view.horizontalHeader()->setStretchLastSection(true);
  view.resize(760, 200);
  view.setColumnWidth(ProvisioningModel::Progress, 160);
  view.show();
  ASSERT_EQ(model.rowCount(), 4);
  const auto progress = [&](int row) { return model.index(row, ProvisioningModel::Progress); };
  const double ready = highlighted_share(view, progress(1));
  const double booting = highlighted_share(view, progress(2));
  const double failed = highlighted_share(view, progress(3));
  EXPECT_GT(ready, 0.5) << "a ready host's bar is full";
  EXPECT_GT(booting, 0.1) << "a third of the bar is filled";
  EXPECT_LT(booting, ready * 0.6);
  EXPECT_LT(failed, 0.02) << "a failed host shows its text, not a bar";
  testing::screenshot(&view, QStringLiteral(CYRANGE_SCREENSHOT_DIR),
                      QStringLiteral("console-provisioning-progress.png"));
}

}  // namespace
}  // namespace cyrange::console
