#pragma once

#include <map>
#include <string>

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

#include <client-core/localized_text.h>
#include <client-core/range_client.h>
#include <client-core/scoring_client.h>
#include <client-core/timeline_client.h>
#include <console/models/dashboard_state.h>

namespace cyrange::console {

/// The one source of every dashboard view: owns the DashboardState, applies stream
/// messages to it at once (on the GUI thread) and tells the item models what changed at
/// most every coalesceInterval() ms, so a burst of scoreboard deltas costs one repaint.
/// The throttle is a single-shot timer armed by the first change after a flush, never a
/// polling timer: a change after a quiet interval is published on the next turn of the
/// event loop, later ones wait for the interval since the last publication to end.
/// flushNow() notifies at once.
class DashboardModel : public QObject {
  Q_OBJECT

 public:
  /// An empty dashboard: no teams, English, 50 ms coalescing, stalled after 10 minutes.
  explicit DashboardModel(QObject* parent = nullptr);

  /// The state every item model reads; it may be ahead of the last notification.
  const DashboardState& state() const { return state_; }
  /// The language of feed sentences, flag reasons and objective titles.
  client::Language language() const { return language_; }
  /// Shows feed sentences, reasons and titles in `language`.
  void setLanguage(client::Language language);
  /// N of "no progress for N exercise-minutes".
  void setStallMinutes(int minutes) { state_.set_stall_minutes(minutes); }
  /// How long changes are gathered before views hear of them (ms).
  int coalesceInterval() const { return interval_ms_; }
  /// Sets the gathering time; 50-250 ms keeps a live board smooth.
  void setCoalesceInterval(int ms) { interval_ms_ = ms; }
  /// True when changes are waiting for the next notification.
  bool hasPendingChanges() const { return !pending_.empty(); }
  /// True while the single-shot notification timer runs.
  bool isFlushScheduled() const { return timer_.isActive(); }

 public slots:
  /// Applies a scoreboard snapshot or delta (ScoringClient::watch).
  void applyBoard(const cyrange::client::ScoreboardMessage& message);
  /// Applies a timeline change (TimelineClient::watch).
  void applyTimeline(const cyrange::client::TimelineChange& change);
  /// Applies a provisioning step (watch_provisioning_async).
  void applyProvisioning(const cyrange::client::ProvisioningStep& step);
  /// Names objectives in both languages (from the scenario).
  void setObjectiveTitles(const std::map<std::string, cyrange::client::LocalizedText>& titles);
  /// Raises stalled flags as of the exercise clock `exerciseNowMs` (call on clock ticks).
  void checkStalled(qint64 exerciseNowMs);
  /// Acknowledges a flag; a user action, so views hear of it at once.
  void acknowledge(const QString& flagId);
  /// Notifies views of every gathered change now.
  void flushNow();

 signals:
  /// Team rows [first, last] were appended.
  void teamsInserted(int first, int last);
  /// Objective columns [first, last] were appended.
  void objectivesInserted(int first, int last);
  /// Totals, ranks or counts of team rows [first, last] changed.
  void teamsChanged(int first, int last);
  /// Matrix cells in rows [firstRow, lastRow] x columns [firstColumn, lastColumn] changed.
  void cellsChanged(int firstRow, int lastRow, int firstColumn, int lastColumn);
  /// Objective titles changed (header tooltips).
  void objectiveTitlesChanged();
  /// Feed rows [first, last] were appended.
  void feedAppended(int first, int last);
  /// The score history of `team` changed.
  void historyChanged(const QString& team);
  /// Flags were raised, acknowledged or resolved.
  void attentionChanged();
  /// The display language changed.
  void languageChanged();
  /// One notification batch ended (after the signals above).
  void flushed();

 private:
  void absorb(const ChangeSummary& change);

  DashboardState state_;
  ChangeSummary pending_;
  QTimer timer_;
  int interval_ms_ = 50;
  QElapsedTimer since_flush_;  // invalid until the first publication
  client::Language language_ = client::Language::en;
};

/// `text` in the model's language as a QString.
QString localized(const client::LocalizedText& text, client::Language language);

}  // namespace cyrange::console
