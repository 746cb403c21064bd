#pragma once

#include <vector>

#include <QAbstractTableModel>

#include <client-core/terminal_recordings.h>

namespace cyrange::console {

/// The recorded terminal sessions of the shown exercise, oldest first: team, host, who
/// typed, when, how long, how much and whether it is still open or was truncated.
class RecordingListModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  /// The columns.
  enum Column { Team, Host, User, Started, Length, Size, State, ColumnCount };
  /// Extra data of a row: the session id (qint64) and whether its terminal is open.
  enum Role { SessionRole = Qt::UserRole + 1, OpenRole };

  explicit RecordingListModel(QObject* parent = nullptr);

  /// Replaces the list.
  void set(const std::vector<client::TerminalRecordingInfo>& sessions);
  /// Forgets every session.
  void clear();
  /// The session in `row`, or nullptr.
  const client::TerminalRecordingInfo* at(int row) const;
  /// The row of session `id`, or -1.
  int row_of(qint64 id) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<client::TerminalRecordingInfo> rows_;
};

}  // namespace cyrange::console
