#pragma once

#include <QDialog>

#include <console/app/scenario_catalog.h>

class QComboBox;
class QLabel;

namespace cyrange::console {

/// Pushing a hint to one team or to all: the objective and hint come from the scenario,
/// and the cost each team pays is shown before the instructor confirms.
class PushHintDialog : public QDialog {
  Q_OBJECT

 public:
  PushHintDialog(const ScenarioCatalog& catalog, const QStringList& teams,
                 client::Language language, QWidget* parent = nullptr);

  /// The teams to push to (every team when "All teams" is chosen).
  QStringList teams() const;
  QString objective() const;
  QString hint() const;
  /// The points each team loses.
  int penalty() const;
  /// Chooses a team, objective and hint by id (tests).
  void choose(const QString& team, const QString& objective, const QString& hint);

 private:
  void fill_hints();
  void show_cost();

  const ScenarioCatalog& catalog_;
  QStringList all_teams_;
  client::Language language_;
  QComboBox* team_;
  QComboBox* objective_;
  QComboBox* hint_;
  QLabel* cost_;
};

}  // namespace cyrange::console
