#include <console/models/team_objectives_model.h>

#include <QStringList>

#include <console/models/matrix_model.h>

namespace cyrange::console {

namespace {

QString state_glyph(CellState state) {
  switch (state) {
    case CellState::solved:
      return QStringLiteral("✓");
    case CellState::partial:
      return QStringLiteral("◐");
    case CellState::attempted:
      return QStringLiteral("✗");
    case CellState::hinted:
      return QStringLiteral("?");
    case CellState::locked:
      return QStringLiteral("⊘");
    case CellState::failed:
      return QStringLiteral("✕");
    case CellState::open:
      break;
  }
  return {};
}

}  // namespace

TeamObjectivesModel::TeamObjectivesModel(DashboardModel* dashboard, QObject* parent)
    : QAbstractTableModel(parent), dashboard_(dashboard) {
  rows_ = static_cast<int>(dashboard->state().objectives().size());
  connect(dashboard, &DashboardModel::objectivesInserted, this, [this](int first, int last) {
    beginInsertRows({}, first, last);
    rows_ = last + 1;
    endInsertRows();
  });
  connect(dashboard, &DashboardModel::cellsChanged, this,
          [this](int first_row, int last_row, int first_column, int last_column) {
            const auto row = team_row();
            if (row && static_cast<int>(*row) >= first_row && static_cast<int>(*row) <= last_row)
              changedRows(first_column, last_column);
          });
  // The team's row may appear after the panel asked for it.
  connect(dashboard, &DashboardModel::teamsInserted, this, [this] { changedRows(0, rows_ - 1); });
  connect(dashboard, &DashboardModel::objectiveTitlesChanged, this,
          [this] { changedRows(0, rows_ - 1); });
  connect(dashboard, &DashboardModel::languageChanged, this, [this] { changedRows(0, rows_ - 1); });
}

void TeamObjectivesModel::setTeam(const QString& team) {
  if (team == team_) return;
  team_ = team;
  changedRows(0, rows_ - 1);
}

std::optional<std::size_t> TeamObjectivesModel::team_row() const {
  if (!dashboard_ || team_.isEmpty()) return std::nullopt;
  return dashboard_->state().team_row(team_.toStdString());
}

void TeamObjectivesModel::changedRows(int first, int last) {
  first = std::max(first, 0);
  last = std::min(last, rows_ - 1);
  if (first <= last) emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
}

int TeamObjectivesModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : rows_;
}

int TeamObjectivesModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QVariant TeamObjectivesModel::data(const QModelIndex& index, int role) const {
  if (!dashboard_ || !checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const DashboardState& state = dashboard_->state();
  const auto& objective = state.objectives()[static_cast<std::size_t>(index.row())];
  const auto row = team_row();
  const Cell cell = row ? state.cell(*row, static_cast<std::size_t>(index.row())) : Cell{};
  switch (role) {
    case StateRole:
      return static_cast<int>(cell.state);
    case TeamRole:
      return team_;
    case ObjectiveRole:
      return QString::fromStdString(objective.id);
    case PointsRole:
      return cell.points;
    case Qt::ToolTipRole:
      if (index.column() == Objective) return localized(objective.title, dashboard_->language());
      return MatrixModel::cellDetail(cell);
    case Qt::TextAlignmentRole:
      if (index.column() == Points || index.column() == WrongAnswers || index.column() == Hints)
        return int(Qt::AlignRight | Qt::AlignVCenter);
      return {};
    case Qt::DisplayRole:
      break;
    default:
      return {};
  }
  switch (index.column()) {
    case Objective:
      // The id first, as the matrix names the column; a long question may be cut after it.
      return objective.title.empty()
                 ? QString::fromStdString(objective.id)
                 : tr("%1: %2").arg(QString::fromStdString(objective.id),
                                    localized(objective.title, dashboard_->language()));
    case State: {
      // The matrix's glyph with the state's name: never told by colour alone.
      const QString glyph = state_glyph(cell.state);
      const QString name = MatrixModel::stateName(cell.state);
      return glyph.isEmpty() ? name : glyph + QLatin1Char(' ') + name;
    }
    case Points:
      return cell.points;
    case WrongAnswers:
      return cell.wrong_attempts;
    case Hints: {
      QStringList hints;
      for (const auto& h : cell.hints) hints << QString::fromStdString(h);
      return hints.isEmpty()
                 ? QStringLiteral("0")
                 : tr("%1 (%2)").arg(hints.size()).arg(hints.join(QStringLiteral(", ")));
    }
    case SolvedAt:
      return cell.solved_at_ms ? QString::fromStdString(format_exercise_time(*cell.solved_at_ms))
                               : QString();
    default:
      return {};
  }
}

QVariant TeamObjectivesModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case Objective:
      return tr("Objective");
    case State:
      return tr("State");
    case Points:
      return tr("Points");
    case WrongAnswers:
      return tr("Wrong answers");
    case Hints:
      return tr("Hints");
    case SolvedAt:
      return tr("Solved at (exercise clock)");
    default:
      return {};
  }
}

}  // namespace cyrange::console
