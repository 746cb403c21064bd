#pragma once

#include <vector>

#include <QAbstractListModel>

#include <client-core/exercise_client.h>
#include <client-core/localized_text.h>

namespace cyrange::console {

/// The exercises an instructor may see, newest first: title in the chosen language,
/// id and state. Rows are replaced by set(); the selection survives by exercise id.
class ExerciseListModel : public QAbstractListModel {
  Q_OBJECT

 public:
  /// Extra data of a row.
  enum Role { IdRole = Qt::UserRole + 1, StateRole };

  explicit ExerciseListModel(QObject* parent = nullptr);

  /// Replaces the list (changed rows are updated, others inserted or removed).
  void set(const std::vector<client::ExerciseSummary>& exercises);
  /// Updates or adds one exercise.
  void upsert(const client::ExerciseSummary& exercise);
  /// The exercise in `row`, or nullptr.
  const client::ExerciseSummary* at(int row) const;
  /// The row of exercise `id`, or -1.
  int row_of(const std::string& id) const;
  /// The language titles are shown in.
  void set_language(client::Language language);

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;

 private:
  std::vector<client::ExerciseSummary> rows_;
  client::Language language_ = client::Language::en;
};

/// The state of an exercise as a person reads it ("provisioning", "準備中").
QString state_text(client::ExerciseState state);

}  // namespace cyrange::console
