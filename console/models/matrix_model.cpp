#include <console/models/matrix_model.h>

#include <QApplication>
#include <QBrush>
#include <QEvent>
#include <QFont>
#include <QStringList>

#include <console/models/cell_style.h>

namespace cyrange::console {

MatrixModel::MatrixModel(DashboardModel* dashboard, TeamSelection* selection, QObject* parent)
    : QAbstractTableModel(parent), dashboard_(dashboard), selection_(selection) {
  rows_ = static_cast<int>(dashboard->state().teams().size());
  columns_ = static_cast<int>(dashboard->state().objectives().size());
  connect(dashboard, &DashboardModel::teamsInserted, this, &MatrixModel::onTeamsInserted);
  connect(dashboard, &DashboardModel::objectivesInserted, this, &MatrixModel::onObjectivesInserted);
  connect(dashboard, &DashboardModel::cellsChanged, this, &MatrixModel::onCellsChanged);
  connect(dashboard, &DashboardModel::objectiveTitlesChanged, this, [this] {
    if (columns_ > 0) emit headerDataChanged(Qt::Horizontal, 0, columns_ - 1);
  });
  connect(dashboard, &DashboardModel::languageChanged, this, [this] {
    if (columns_ > 0) emit headerDataChanged(Qt::Horizontal, 0, columns_ - 1);
  });
  if (selection) {
    connect(selection, &TeamSelection::teamChanged, this, &MatrixModel::onSelectionChanged);
  }
  // Palette changes reach the application object; a model has no other way to hear them.
  if (qApp) qApp->installEventFilter(this);
}

int MatrixModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_; }

int MatrixModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : columns_;
}

QString MatrixModel::stateName(CellState state) {
  switch (state) {
    case CellState::locked:
      return tr("locked");
    case CellState::open:
      return tr("open");
    case CellState::attempted:
      return tr("wrong answers");
    case CellState::hinted:
      return tr("hint taken");
    case CellState::partial:
      return tr("partly solved");
    case CellState::solved:
      return tr("solved");
    case CellState::failed:
      return tr("failed");
  }
  return {};
}

QString MatrixModel::cellText(const Cell& cell) {
  QString text;
  switch (cell.state) {
    case CellState::solved:
      text = QStringLiteral("✓ %1").arg(cell.points);
      break;
    case CellState::partial:
      text = QStringLiteral("◐ %1").arg(cell.points);
      break;
    case CellState::attempted:
      text = QStringLiteral("✗×%1").arg(cell.wrong_attempts);
      break;
    case CellState::hinted:
      text = cell.wrong_attempts > 0 ? QStringLiteral("? ✗×%1").arg(cell.wrong_attempts)
                                     : QStringLiteral("?");
      break;
    case CellState::locked:
      text = QStringLiteral("⊘");
      break;
    case CellState::failed:
      text = QStringLiteral("✕");
      break;
    case CellState::open:
      break;
  }
  if (cell.revealed) text += QStringLiteral(" ※");
  return text;
}

QString MatrixModel::cellDetail(const Cell& cell) {
  QStringList lines;
  lines << tr("%1, %n point(s)", nullptr, cell.points).arg(stateName(cell.state));
  if (cell.state == CellState::partial) {
    lines << tr("%1% of the parts answered").arg(qRound(cell.partial_fraction * 100));
  }
  if (cell.wrong_attempts > 0) lines << tr("%n wrong answer(s)", nullptr, cell.wrong_attempts);
  if (!cell.hints.empty()) {
    QStringList hints;
    for (const auto& hint : cell.hints) hints << QString::fromStdString(hint);
    lines << tr("Hints taken: %1").arg(hints.join(QStringLiteral(", ")));
  }
  if (cell.solved_at_ms) {
    lines << tr("Solved at %1 (exercise time)")
                 .arg(QString::fromStdString(format_exercise_time(*cell.solved_at_ms)));
  }
  if (cell.revealed) lines << tr("The solution was revealed to the team.");
  return lines.join(QLatin1Char('\n'));
}

QVariant MatrixModel::data(const QModelIndex& index, int role) const {
  if (!dashboard_ || !checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const DashboardState& state = dashboard_->state();
  const auto row = static_cast<std::size_t>(index.row());
  const auto column = static_cast<std::size_t>(index.column());
  const Cell& cell = state.cell(row, column);
  const QString team = QString::fromStdString(state.teams()[row]);
  const bool selected = selection_ && selection_->isSelected(team);
  switch (role) {
    case Qt::DisplayRole:
      return cellText(cell);
    case Qt::AccessibleTextRole:
      return tr("Team %1, objective %2: %3")
          .arg(team, QString::fromStdString(state.objectives()[column].id), cellDetail(cell));
    case Qt::ToolTipRole:
      return cellDetail(cell);
    case Qt::TextAlignmentRole:
      return int(Qt::AlignCenter);
    case Qt::BackgroundRole: {
      const QPalette palette = QApplication::palette();
      QColor background = cellBackground(cell.state, palette);
      // The selected team's row stands out in every state, still from the palette.
      if (selected) background = blend(background, palette.color(QPalette::Highlight), 0.2);
      return QBrush(background);
    }
    case Qt::ForegroundRole: {
      const QPalette palette = QApplication::palette();
      QColor background = cellBackground(cell.state, palette);
      if (selected) background = blend(background, palette.color(QPalette::Highlight), 0.2);
      return QBrush(readableOn(background, palette));
    }
    case Qt::FontRole: {
      if (!selected) return {};
      QFont font;
      font.setBold(true);
      return font;
    }
    case StateRole:
      return static_cast<int>(cell.state);
    case TeamRole:
      return team;
    case ObjectiveRole:
      return QString::fromStdString(state.objectives()[column].id);
    case SelectedRole:
      return selected;
    case PointsRole:
      return cell.points;
    default:
      return {};
  }
}

QVariant MatrixModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (!dashboard_ || section < 0) return {};
  const DashboardState& state = dashboard_->state();
  if (orientation == Qt::Horizontal) {
    if (section >= columns_) return {};
    const Objective& objective = state.objectives()[static_cast<std::size_t>(section)];
    switch (role) {
      case Qt::DisplayRole:
      case ObjectiveRole:
        return QString::fromStdString(objective.id);
      case Qt::ToolTipRole:
        return objective.title.empty() ? QString::fromStdString(objective.id)
                                       : localized(objective.title, dashboard_->language());
      default:
        return {};
    }
  }
  if (section >= rows_) return {};
  const QString team = QString::fromStdString(state.teams()[static_cast<std::size_t>(section)]);
  const bool selected = selection_ && selection_->isSelected(team);
  switch (role) {
    case Qt::DisplayRole:
    case TeamRole:
      return team;
    case SelectedRole:
      return selected;
    case Qt::FontRole: {
      if (!selected) return {};
      QFont font;
      font.setBold(true);
      return font;
    }
    default:
      return {};
  }
}

QHash<int, QByteArray> MatrixModel::roleNames() const {
  QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
  names.insert(StateRole, "state");
  names.insert(TeamRole, "team");
  names.insert(ObjectiveRole, "objective");
  names.insert(SelectedRole, "selected");
  names.insert(PointsRole, "points");
  return names;
}

bool MatrixModel::eventFilter(QObject* watched, QEvent* event) {
  if (watched == qApp && event->type() == QEvent::ApplicationPaletteChange) {
    refreshAll({Qt::BackgroundRole, Qt::ForegroundRole});
  }
  return QAbstractTableModel::eventFilter(watched, event);
}

void MatrixModel::onTeamsInserted(int first, int last) {
  if (last < rows_) return;
  beginInsertRows({}, std::max(first, rows_), last);
  rows_ = last + 1;
  endInsertRows();
}

void MatrixModel::onObjectivesInserted(int first, int last) {
  if (last < columns_) return;
  beginInsertColumns({}, std::max(first, columns_), last);
  columns_ = last + 1;
  endInsertColumns();
}

void MatrixModel::onCellsChanged(int firstRow, int lastRow, int firstColumn, int lastColumn) {
  if (firstRow >= rows_ || firstColumn >= columns_) return;
  emit dataChanged(index(firstRow, firstColumn),
                   index(std::min(lastRow, rows_ - 1), std::min(lastColumn, columns_ - 1)));
}

void MatrixModel::onSelectionChanged(const QString& current, const QString& previous) {
  const QList<int> roles{Qt::BackgroundRole, Qt::ForegroundRole, Qt::FontRole, SelectedRole};
  refreshRow(previous, roles);
  refreshRow(current, roles);
}

void MatrixModel::refreshRow(const QString& team, const QList<int>& roles) {
  if (!dashboard_ || team.isEmpty() || columns_ == 0) return;
  const auto row = dashboard_->state().team_row(team.toStdString());
  if (!row || static_cast<int>(*row) >= rows_) return;
  const int r = static_cast<int>(*row);
  emit dataChanged(index(r, 0), index(r, columns_ - 1), roles);
  emit headerDataChanged(Qt::Vertical, r, r);
}

void MatrixModel::refreshAll(const QList<int>& roles) {
  if (rows_ == 0 || columns_ == 0) return;
  emit dataChanged(index(0, 0), index(rows_ - 1, columns_ - 1), roles);
}

}  // namespace cyrange::console
