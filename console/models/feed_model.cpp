#include <console/models/feed_model.h>

#include <QFont>

namespace cyrange::console {

FeedModel::FeedModel(DashboardModel* dashboard, TeamSelection* selection, QObject* parent)
    : QAbstractTableModel(parent), dashboard_(dashboard), selection_(selection) {
  rows_ = static_cast<int>(dashboard->state().feed().size());
  connect(dashboard, &DashboardModel::feedAppended, this, &FeedModel::onFeedAppended);
  connect(dashboard, &DashboardModel::languageChanged, this, [this] {
    refreshAll({Qt::DisplayRole, Qt::ToolTipRole});
  });
  if (selection) {
    // Rows of the old and the new team are spread over the feed: refresh the highlight.
    connect(selection, &TeamSelection::teamChanged, this, [this] {
      refreshAll({Qt::FontRole, SelectedRole});
    });
  }
}

int FeedModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : rows_; }

int FeedModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : ColumnCount;
}

QString FeedModel::kindName(FeedKind kind) {
  switch (kind) {
    case FeedKind::solve:
      return tr("Solved");
    case FeedKind::partial:
      return tr("Partly solved");
    case FeedKind::wrong_answer:
      return tr("Wrong answer");
    case FeedKind::hint:
      return tr("Hint");
    case FeedKind::reveal:
      return tr("Solution revealed");
    case FeedKind::adjustment:
      return tr("Score adjusted");
    case FeedKind::service_down:
      return tr("Service down");
    case FeedKind::inject:
      return tr("Inject fired");
    case FeedKind::provisioning_failed:
      return tr("Provisioning failed");
    case FeedKind::other:
      return tr("Other");
  }
  return {};
}

QVariant FeedModel::data(const QModelIndex& index, int role) const {
  if (!dashboard_ || !checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  const FeedEvent& event = dashboard_->state().feed()[static_cast<std::size_t>(index.row())];
  const QString team = QString::fromStdString(event.team);
  const bool selected = selection_ && selection_->isSelected(team);
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case TimeColumn:
          return QString::fromStdString(format_exercise_time(event.exercise_time_ms));
        case TeamColumn:
          return team;
        case KindColumn:
          return kindName(event.kind);
        case TextColumn:
          return localized(event.text, dashboard_->language());
        default:
          return {};
      }
    case Qt::ToolTipRole:
      if (!event.evidence.empty())
        return tr("%1\nDouble-click to replay the evidence (%2).")
            .arg(localized(event.text, dashboard_->language()),
                 QString::fromStdString(event.evidence));
      return localized(event.text, dashboard_->language());
    case EvidenceRole:
      return QString::fromStdString(event.evidence);
    case Qt::FontRole: {
      if (!selected) return {};
      QFont font;
      font.setBold(true);
      return font;
    }
    case TeamRole:
      return team;
    case ObjectiveRole:
      return QString::fromStdString(event.objective);
    case KindRole:
      return static_cast<int>(event.kind);
    case KeyRole:
      return QString::fromStdString(event.key);
    case ExerciseTimeRole:
      return static_cast<qint64>(event.exercise_time_ms);
    case PointsRole:
      return event.points;
    case SelectedRole:
      return selected;
    default:
      return {};
  }
}

QVariant FeedModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case TimeColumn:
      return tr("Time");
    case TeamColumn:
      return tr("Team");
    case KindColumn:
      return tr("Event");
    case TextColumn:
      return tr("Details");
    default:
      return {};
  }
}

void FeedModel::onFeedAppended(int first, int last) {
  if (last < rows_) return;
  beginInsertRows({}, std::max(first, rows_), last);
  rows_ = last + 1;
  endInsertRows();
}

void FeedModel::refreshAll(const QList<int>& roles) {
  if (rows_ == 0) return;
  emit dataChanged(index(0, 0), index(rows_ - 1, ColumnCount - 1), roles);
}

}  // namespace cyrange::console
