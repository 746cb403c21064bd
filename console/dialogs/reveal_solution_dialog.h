#pragma once

#include <functional>

#include <QDialog>

#include <console/app/scenario_catalog.h>

class QComboBox;
class QLabel;

namespace cyrange::console {

/// Revealing an objective's solution to one team or to all: the solution's text is shown,
/// and so is what the reveal costs (a team that has not solved the objective earns no points
/// for solving it afterwards) before the instructor confirms.
class RevealSolutionDialog : public QDialog {
  Q_OBJECT

 public:
  /// `solved(team, objective)` says whether a team solved an objective already.
  using SolvedFn = std::function<bool(const QString& team, const QString& objective)>;

  RevealSolutionDialog(const ScenarioCatalog& catalog, const QStringList& teams,
                       client::Language language, SolvedFn solved, QWidget* parent = nullptr);

  /// The teams to reveal to (every team when "All teams" is chosen).
  QStringList teams() const;
  QString objective() const;
  /// The teams whose points the reveal takes: they have not solved the objective yet.
  QStringList teamsLosingPoints() const;
  /// What the dialog says the reveal costs.
  QString costText() const;
  /// Chooses a team (empty: all) and an objective by id (tests).
  void choose(const QString& team, const QString& objective);

 private:
  void show_choice();

  const ScenarioCatalog& catalog_;
  QStringList all_teams_;
  client::Language language_;
  SolvedFn solved_;
  QComboBox* team_;
  QComboBox* objective_;
  QLabel* solution_;
  QLabel* cost_;
};

}  // namespace cyrange::console
