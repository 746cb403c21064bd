#pragma once

#include <QString>
#include <QWidget>

class QAbstractItemView;
class QComboBox;
class QListView;
class QTableView;

namespace cyrange::console {

class AttentionModel;
class BoardModel;
class DashboardModel;
class FeedFilterProxy;
class FeedModel;
class MatrixModel;
class ScoreChart;
class TeamSelection;

/// The live dashboard of one exercise: the teams x objectives matrix on top, the board
/// and the score chart beside it, the event feed (filtered by team and kind) and the
/// attention list below. Every view reads the one DashboardModel, and selecting a team
/// in any of them highlights it in all (TeamSelection).
class DashboardView : public QWidget {
  Q_OBJECT

 public:
  /// Shows `dashboard`, which must outlive the view.
  explicit DashboardView(DashboardModel* dashboard, QWidget* parent = nullptr);

  /// The parts, for tests and the report.
  QTableView* matrixView() const { return matrix_view_; }
  QTableView* boardView() const { return board_view_; }
  QTableView* feedView() const { return feed_view_; }
  QListView* attentionView() const { return attention_view_; }
  ScoreChart* chart() const { return chart_; }
  TeamSelection* selection() const { return selection_; }
  MatrixModel* matrixModel() const { return matrix_; }
  BoardModel* boardModel() const { return board_; }
  FeedModel* feedModel() const { return feed_; }
  FeedFilterProxy* feedFilter() const { return feed_filter_; }
  AttentionModel* attentionModel() const { return attention_; }

 signals:
  /// A feed row whose entry names a moment of a terminal recording was double-clicked.
  void evidenceRequested(const QString& link);
  /// The instructor asked for one team's details: double-clicked its row or cell (a feed
  /// row without evidence, an attention mark, a team's name beside the matrix) or chose
  /// "Team details" in a view's context menu.
  void teamDetailsRequested(const QString& team);

 private:
  void select_team_of(const QModelIndex& index);
  /// Double-click and the "Team details" context menu on `view`, for the team of its rows.
  void offer_team_details(QAbstractItemView* view);
  void fill_team_filter();

  DashboardModel* dashboard_;
  TeamSelection* selection_;
  MatrixModel* matrix_;
  BoardModel* board_;
  FeedModel* feed_;
  FeedFilterProxy* feed_filter_;
  AttentionModel* attention_;
  QTableView* matrix_view_;
  QTableView* board_view_;
  QTableView* feed_view_;
  QListView* attention_view_;
  QComboBox* team_filter_;
  QComboBox* kind_filter_;
  ScoreChart* chart_;
};

}  // namespace cyrange::console
