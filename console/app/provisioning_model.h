#pragma once

#include <map>
#include <utility>
#include <vector>

#include <QAbstractTableModel>

#include <client-core/range_client.h>

namespace cyrange::console {

/// Provisioning of an exercise per team and host: state, progress (0-100) and the
/// server's message (the reason when a host failed). A row with an empty host is the
/// team range as a whole.
class ProvisioningModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// Columns of the table.
  enum Column { Team, Host, State, Progress, Message, ColumnCount };
  /// The percentage for the progress delegate, and whether the step failed.
  enum Role { PercentRole = Qt::UserRole + 1, FailedRole };

  explicit ProvisioningModel(QObject* parent = nullptr);

  /// Applies one step (a later step for the same team and host replaces it).
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

 private:
  std::vector<client::ProvisioningStep> rows_;
  std::map<std::pair<std::string, std::string>, int> index_;
};

}  // namespace cyrange::console
