#pragma once

#include <vector>

#include <QAbstractTableModel>

#include <client-core/analytics_client.h>
#include <client-core/terminal_recordings.h>

namespace cyrange::console {

/// One team's activity, oldest first (AnalyticsService.ListActivity): when, which trainee
/// (pseudonym), what (a typed command, an answer, a hint, a report edit, an idle period, or
/// what the score ledger made of it), on which host, the detail and the points. A row that
/// names a moment of a terminal recording carries it as EvidenceRole: a grade whose reason
/// links one, or a typed command, at its moment in the recorded session of its host.
class TeamActivityModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { Time, Trainee, What, Host, Detail, Points, ColumnCount };
  /// Extra data of a row: true for the score ledger's entries. EvidenceRole (model_roles.h)
  /// gives the "recording:<session>@<seconds>" link of a row, if any.
  enum Role { LedgerRole = Qt::UserRole + 1 };

  explicit TeamActivityModel(QObject* parent = nullptr);

  /// Replaces the rows.
  void set(const client::TeamActivityView& activity);
  /// The team's recorded terminal sessions, where typed commands are found again.
  void setSessions(const std::vector<client::TerminalRecordingInfo>& sessions);
  void clear();
  /// True when older steps were left out.
  bool truncated() const { return activity_.truncated; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  QString wall_clock(const client::ActivityEntryView& e) const;
  QString what(const client::ActivityEntryView& e) const;
  QString detail(const client::ActivityEntryView& e) const;
  QString evidence(const client::ActivityEntryView& e) const;

  client::TeamActivityView activity_;
  std::vector<client::TerminalRecordingInfo> sessions_;
};

}  // namespace cyrange::console
