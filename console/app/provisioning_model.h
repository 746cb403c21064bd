#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <QAbstractTableModel>

#include <client-core/range_client.h>

namespace cyrange::console {

/// Provisioning of an exercise per team and host. A host row shows that host's state, how far
/// the host itself has come (0-100, from its state) and the server's message (the reason when
/// it failed). Each team has one row of its own, above its hosts' rows, with the whole range's
/// aggregate: ready only when the server's figure for the range reached 100 and every host is
/// ready, failed when a host or the range failed, else how many hosts are ready so far.
class ProvisioningModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// Columns of the table.
  enum Column { Team, Host, State, Progress, Message, ColumnCount };
  /// The percentage for the progress delegate, and whether the step failed.
  enum Role { PercentRole = Qt::UserRole + 1, FailedRole };

  explicit ProvisioningModel(QObject* parent = nullptr);

  /// Applies one step (a later step for the same team and host replaces it); a step carries
  /// the server's percentage of its whole team range, which only the team row shows.
  void apply(const client::ProvisioningStep& step);
  /// Forgets everything (another exercise).
  void clear();
  /// Hosts that are ready, out of all hosts seen.
  std::pair<int, int> ready_hosts() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 signals:
  /// A team's range became ready, or failed (with the host and reason), after being under way.
  void teamSettled(const QString& team, bool ready, const QString& message);

 private:
  /// A host's row, or a team's (empty host) with the aggregate of its range.
  struct Row {
    std::string team, host;
    std::string state;  ///< a host's step state; a team's "ready", "failed" or "in-progress"
    std::string message;
    int percent = 0;
    int ready = 0, hosts = 0;  ///< team rows: hosts ready, out of those seen
  };
  /// What the team row is computed from besides its hosts' rows.
  struct TeamTrack {
    int percent = 0;            ///< the server's figure of the latest step
    std::string range_message;  ///< the latest range-wide step's message
    bool range_failed = false;  ///< a range-wide failure after the latest host step
    bool host_seen = false;
  };

  int team_row(const std::string& team);
  void update_team(int row);
  QString state_text(const Row& row) const;

  std::vector<Row> rows_;
  std::map<std::pair<std::string, std::string>, int> index_;  // (team, host) -> row
  std::map<std::string, TeamTrack> teams_;
};

}  // namespace cyrange::console
