#pragma once

#include <memory>

#include <QImage>
#include <QWidget>

namespace cyrange::console {

class DashboardModel;

/// The score-over-time chart of every team, drawn from the dashboard's history (the
/// same numbers as the matrix and the board). The one place that uses Qt Charts, so
/// that the chart library can be swapped (Qt Charts is deprecated from Qt 6.10).
class ScoreChart : public QWidget {
  Q_OBJECT

 public:
  explicit ScoreChart(DashboardModel* dashboard, QWidget* parent = nullptr);
  ~ScoreChart() override;

  /// Draws the selected team's curve thicker (linked views).
  void highlight(const QString& team);
  /// The chart as an image of `size` (after-action report).
  QImage render(const QSize& size);
  /// Number of curves drawn (one per team).
  int curveCount() const;

 public slots:
  /// Redraws every team's curve from the dashboard.
  void refresh();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::console
