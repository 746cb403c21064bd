#include <console/widgets/score_chart.h>

#include <algorithm>
#include <map>

#include <QChart>
#include <QChartView>
#include <QLineSeries>
#include <QPainter>
#include <QValueAxis>
#include <QVBoxLayout>

#include <console/models/dashboard_model.h>

namespace cyrange::console {

struct ScoreChart::Impl {
  DashboardModel* dashboard = nullptr;
  QChart* chart = nullptr;
  QChartView* view = nullptr;
  QValueAxis* time_axis = nullptr;
  QValueAxis* score_axis = nullptr;
  QString highlighted;
  std::map<QString, QLineSeries*> series;  // by team; owned by the chart
  double max_minutes = 1, max_points = 10, min_points = 0;
};

ScoreChart::ScoreChart(DashboardModel* dashboard, QWidget* parent)
    : QWidget(parent), impl_(std::make_unique<Impl>()) {
  impl_->dashboard = dashboard;
  impl_->chart = new QChart;
  impl_->chart->setTitle(tr("Score over time"));
  impl_->chart->legend()->setAlignment(Qt::AlignRight);
  impl_->time_axis = new QValueAxis;
  impl_->time_axis->setTitleText(tr("exercise minutes"));
  impl_->time_axis->setLabelFormat(QStringLiteral("%d"));
  impl_->score_axis = new QValueAxis;
  impl_->score_axis->setTitleText(tr("points"));
  impl_->score_axis->setLabelFormat(QStringLiteral("%d"));
  impl_->chart->addAxis(impl_->time_axis, Qt::AlignBottom);
  impl_->chart->addAxis(impl_->score_axis, Qt::AlignLeft);
  impl_->view = new QChartView(impl_->chart, this);
  impl_->view->setRenderHint(QPainter::Antialiasing);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(impl_->view);
  // Curves follow the dashboard's notifications, which are already coalesced.
  connect(dashboard, &DashboardModel::flushed, this, &ScoreChart::refresh);
  refresh();
}

ScoreChart::~ScoreChart() = default;

int ScoreChart::curveCount() const { return static_cast<int>(impl_->chart->series().size()); }

void ScoreChart::highlight(const QString& team) {
  impl_->highlighted = team;
  refresh();
}

void ScoreChart::refresh() {
  // Series are kept and their points replaced: re-creating a hundred series on every
  // notification stalled the GUI thread for seconds (bench/console).
  const auto& state = impl_->dashboard->state();
  const auto& teams = state.teams();
  for (std::size_t row = 0; row < teams.size(); ++row) {
    const QString team = QString::fromStdString(teams[row]);
    QLineSeries*& series = impl_->series[team];
    if (!series) {
      series = new QLineSeries;
      series->setName(team);
      impl_->chart->addSeries(series);
      series->attachAxis(impl_->time_axis);
      series->attachAxis(impl_->score_axis);
    }
    const auto& history = state.history(row);
    if (static_cast<std::size_t>(series->count()) == history.size() + 1 &&
        team != impl_->highlighted && series->pen().widthF() < 2.0)
      continue;  // unchanged
    QList<QPointF> points{{0, 0}};
    for (const auto& p : history) {
      const double minutes = static_cast<double>(p.exercise_time_ms) / 60000.0;
      points.append({minutes, static_cast<double>(p.total)});
      impl_->max_minutes = std::max(impl_->max_minutes, minutes);
      impl_->max_points = std::max(impl_->max_points, static_cast<double>(p.total));
      impl_->min_points = std::min(impl_->min_points, static_cast<double>(p.total));
    }
    series->replace(points);
    QPen pen = series->pen();
    pen.setWidthF(team == impl_->highlighted ? 4.0 : 1.5);
    series->setPen(pen);
  }
  impl_->time_axis->setRange(0, impl_->max_minutes * 1.05);
  impl_->score_axis->setRange(impl_->min_points, impl_->max_points * 1.1);
}

QImage ScoreChart::render(const QSize& size) {
  // A chart that was never shown has no geometry yet: lay it out at the image's size.
  if (!isVisible()) impl_->view->resize(size);
  QImage image(size, QImage::Format_ARGB32);
  image.fill(Qt::white);
  QPainter painter(&image);
  painter.setRenderHint(QPainter::Antialiasing);
  impl_->view->render(&painter, QRectF(QPointF(0, 0), QSizeF(size)));
  return image;
}

}  // namespace cyrange::console
