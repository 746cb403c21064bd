#include <console/app/exercise_list_model.h>

namespace cyrange::console {

QString state_text(client::ExerciseState state) {
  switch (state) {
    case client::ExerciseState::provisioning:
      return ExerciseListModel::tr("provisioning");
    case client::ExerciseState::ready:
      return ExerciseListModel::tr("ready");
    case client::ExerciseState::failed:
      return ExerciseListModel::tr("failed");
    case client::ExerciseState::ended:
      return ExerciseListModel::tr("ended");
    case client::ExerciseState::unknown:
      break;
  }
  return ExerciseListModel::tr("unknown");
}

ExerciseListModel::ExerciseListModel(QObject* parent) : QAbstractListModel(parent) {}

void ExerciseListModel::set(const std::vector<client::ExerciseSummary>& exercises) {
  // Remove rows that are gone, then upsert the rest: views keep their selection.
  for (int row = static_cast<int>(rows_.size()) - 1; row >= 0; --row) {
    bool kept = false;
    for (const auto& e : exercises) kept = kept || e.id == rows_[row].id;
    if (!kept) {
      beginRemoveRows({}, row, row);
      rows_.erase(rows_.begin() + row);
      endRemoveRows();
    }
  }
  for (const auto& e : exercises) upsert(e);
}

void ExerciseListModel::upsert(const client::ExerciseSummary& exercise) {
  if (int row = row_of(exercise.id); row >= 0) {
    rows_[row] = exercise;
    emit dataChanged(index(row), index(row));
    return;
  }
  const int row = static_cast<int>(rows_.size());
  beginInsertRows({}, row, row);
  rows_.push_back(exercise);
  endInsertRows();
}

const client::ExerciseSummary* ExerciseListModel::at(int row) const {
  if (row < 0 || row >= static_cast<int>(rows_.size())) return nullptr;
  return &rows_[row];
}

int ExerciseListModel::row_of(const std::string& id) const {
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

void ExerciseListModel::set_language(client::Language language) {
  language_ = language;
  if (!rows_.empty()) emit dataChanged(index(0), index(rowCount() - 1));
}

int ExerciseListModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : static_cast<int>(rows_.size());
}

QVariant ExerciseListModel::data(const QModelIndex& index, int role) const {
  const auto* e = at(index.row());
  if (!e || !checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
  switch (role) {
    case Qt::DisplayRole:
      return tr("%1\n%2 · %3 · %n team(s)", nullptr, static_cast<int>(e->teams.size()))
          .arg(QString::fromStdString(e->title.in(language_)), QString::fromStdString(e->id),
               state_text(e->state));
    case Qt::ToolTipRole:
      return e->detail.empty() ? QVariant() : QVariant(QString::fromStdString(e->detail));
    case IdRole:
      return QString::fromStdString(e->id);
    case StateRole:
      return static_cast<int>(e->state);
    default:
      return {};
  }
}

}  // namespace cyrange::console
