#pragma once

#include <map>
#include <optional>
#include <string>

#include <QWidget>

#include <client-core/scoring_client.h>

class QLabel;
class QTableWidget;

namespace cyrange::trainee {

/// The team's score and the board as the instructor's board mode allows: live (every
/// team's total and rank), frozen (totals as they were at the freeze) or hidden (only the
/// own team's score). Fed by ScoreboardMessage snapshots and deltas.
class ScoreboardView : public QWidget {
  Q_OBJECT

 public:
  explicit ScoreboardView(QWidget* parent = nullptr);

  /// Applies a snapshot (replaces everything) or a delta.
  void apply(const client::ScoreboardMessage& message);
  /// The own team's total (0 before the first snapshot).
  int total() const { return own_ ? own_->total : 0; }
  /// The own team's line, if known.
  const std::optional<client::TeamLine>& own() const { return own_; }

 signals:
  /// The own team's total changed.
  void totalChanged(int total);

 private:
  void render();

  client::BoardMode mode_ = client::BoardMode::unknown;
  std::optional<client::TeamLine> own_;
  std::map<std::string, client::BoardLine> board_;
  QLabel* headline_;
  QTableWidget* table_;
};

}  // namespace cyrange::trainee
