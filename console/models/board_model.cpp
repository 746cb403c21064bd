#include <console/models/board_model.h>

#include <QFont>

namespace cyrange::console {

BoardModel::BoardModel(DashboardModel* dashboard, TeamSelection* selection, QObject* parent)
    : QAbstractTableModel(parent), dashboard_(dashboard), selection_(selection) {
  rows_ = static_cast<int>(dashboard->state().teams().size());
  connect(dashboard, &DashboardModel::teamsInserted, this, &BoardModel::onTeamsInserted);
  connect(dashboard, &DashboardModel::teamsChanged, this, &BoardModel::onTeamsChanged);
  if (selection) {
    connect(selection, &TeamSelection::teamChanged, this, &BoardModel::onSelectionChanged);
  }
}

int BoardModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_; }

int BoardModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant BoardModel::data(const QModelIndex& index, int role) const {
  if (!dashboard_ || !checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const DashboardState& state = dashboard_->state();
  const auto row = static_cast<std::size_t>(index.row());
  const QString team = QString::fromStdString(state.teams()[row]);
  const bool selected = selection_ && selection_->isSelected(team);
  switch (role) {
    case Qt::DisplayRole: {
      const TeamSummary summary = state.summary(row);
      switch (index.column()) {
        case RankColumn:
          return summary.rank > 0 ? QVariant(summary.rank) : QVariant(QString());
        case TeamColumn:
          return team;
        case TotalColumn:
          return summary.total;
        case SolvedColumn:
          return summary.solved;
        case HintsColumn:
          return summary.hints;
        case WrongColumn:
          return summary.wrong_attempts;
        default:
          return {};
      }
    }
    case Qt::TextAlignmentRole:
      return index.column() == TeamColumn ? int(Qt::AlignLeft | Qt::AlignVCenter)
                                          : int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole: {
      if (!selected) return {};
      QFont font;
      font.setBold(true);
      return font;
    }
    case TeamRole:
      return team;
    case SelectedRole:
      return selected;
    case PointsRole:
      return state.total(row);
    default:
      return {};
  }
}

QVariant BoardModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case RankColumn:
      return tr("Rank");
    case TeamColumn:
      return tr("Team");
    case TotalColumn:
      return tr("Total");
    case SolvedColumn:
      return tr("Solved");
    case HintsColumn:
      return tr("Hints");
    case WrongColumn:
      return tr("Wrong answers");
    default:
      return {};
  }
}

void BoardModel::onTeamsInserted(int first, int last) {
  if (last < rows_) return;
  beginInsertRows({}, std::max(first, rows_), last);
  rows_ = last + 1;
  endInsertRows();
}

void BoardModel::onTeamsChanged(int first, int last) {
  if (first >= rows_) return;
  emit dataChanged(index(first, 0), index(std::min(last, rows_ - 1), ColumnCount - 1));
}

void BoardModel::onSelectionChanged(const QString& current, const QString& previous) {
  if (!dashboard_) return;
  for (const QString& team : {previous, current}) {
    const auto row = dashboard_->state().team_row(team.toStdString());
    if (team.isEmpty() || !row || static_cast<int>(*row) >= rows_) continue;
    const int r = static_cast<int>(*row);
    emit dataChanged(index(r, 0), index(r, ColumnCount - 1), {Qt::FontRole, SelectedRole});
  }
}

}  // namespace cyrange::console
