#pragma once

#include <QObject>
#include <QString>

namespace cyrange::console {

/// The team the instructor selected or hovers; every model highlights its rows, so all
/// views stay linked (select a team in the board, see it in the matrix, feed and chart).
class TeamSelection : public QObject {
  Q_OBJECT

 public:
  /// An empty selection.
  explicit TeamSelection(QObject* parent = nullptr);

  /// The selected team; empty when none.
  QString team() const { return team_; }
  /// True when `team` is the selected one (never for an empty name).
  bool isSelected(const QString& team) const { return !team.isEmpty() && team == team_; }

 public slots:
  /// Selects `team` (empty clears); emits teamChanged only when it differs.
  void setTeam(const QString& team);

 signals:
  /// The selection moved from `previous` to `current` (either may be empty).
  void teamChanged(const QString& current, const QString& previous);

 private:
  QString team_;
};

}  // namespace cyrange::console
