#include <console/models/dashboard_model.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

namespace cyrange::console {
namespace {

// Contiguous runs of a sorted set of rows, so one signal covers each run.
std::vector<std::pair<int, int>> runs(const std::set<std::size_t>& rows) {
  std::vector<std::pair<int, int>> out;
  for (std::size_t row : rows) {
    const int r = static_cast<int>(row);
    if (!out.empty() && out.back().second + 1 == r) {
      out.back().second = r;
    } else {
      out.emplace_back(r, r);
    }
  }
  return out;
}

}  // namespace

QString localized(const client::LocalizedText& text, client::Language language) {
  return QString::fromStdString(text.in(language));
}

DashboardModel::DashboardModel(QObject* parent) : QObject(parent) {
  timer_.setSingleShot(true);
  connect(&timer_, &QTimer::timeout, this, &DashboardModel::flushNow);
}

void DashboardModel::setLanguage(client::Language language) {
  if (language == language_) return;
  language_ = language;
  emit languageChanged();
}

void DashboardModel::applyBoard(const client::ScoreboardMessage& message) {
  absorb(state_.apply(message));
}

void DashboardModel::applyTimeline(const client::TimelineChange& change) {
  absorb(state_.apply(change));
}

void DashboardModel::applyProvisioning(const client::ProvisioningStep& step) {
  absorb(state_.apply(step));
}

void DashboardModel::setObjectiveTitles(
    const std::map<std::string, client::LocalizedText>& titles) {
  absorb(state_.set_objective_titles(titles));
}

void DashboardModel::checkStalled(qint64 exerciseNowMs) {
  absorb(state_.check_stalled(exerciseNowMs));
}

void DashboardModel::acknowledge(const QString& flagId) {
  absorb(state_.acknowledge(flagId.toStdString()));
  flushNow();
}

void DashboardModel::absorb(const ChangeSummary& change) {
  if (change.empty()) return;
  pending_.merge(change);
  if (timer_.isActive()) return;
  const qint64 since = since_flush_.isValid() ? since_flush_.elapsed() : interval_ms_;
  timer_.start(static_cast<int>(std::max<qint64>(0, interval_ms_ - since)));
}

void DashboardModel::flushNow() {
  timer_.stop();
  if (pending_.empty()) return;
  since_flush_.start();
  // Take the batch first: a slot below may apply more, which starts the next batch.
  const ChangeSummary batch = std::exchange(pending_, ChangeSummary{});
  // Insertions first, so models publish new rows and columns before changes name them.
  if (batch.teams_after > batch.teams_before) {
    emit teamsInserted(static_cast<int>(batch.teams_before),
                       static_cast<int>(batch.teams_after) - 1);
  }
  if (batch.objectives_after > batch.objectives_before) {
    emit objectivesInserted(static_cast<int>(batch.objectives_before),
                            static_cast<int>(batch.objectives_after) - 1);
  }
  if (batch.feed_after > batch.feed_before) {
    emit feedAppended(static_cast<int>(batch.feed_before), static_cast<int>(batch.feed_after) - 1);
  }
  for (const auto& [first, last] : runs(batch.team_rows)) emit teamsChanged(first, last);
  // One signal per row, spanning the columns that changed in it.
  std::map<std::size_t, std::pair<std::size_t, std::size_t>> spans;
  for (const auto& [row, column] : batch.cells) {
    auto [it, inserted] = spans.try_emplace(row, column, column);
    if (!inserted) {
      it->second.first = std::min(it->second.first, column);
      it->second.second = std::max(it->second.second, column);
    }
  }
  for (const auto& [row, span] : spans) {
    emit cellsChanged(static_cast<int>(row), static_cast<int>(row), static_cast<int>(span.first),
                      static_cast<int>(span.second));
  }
  if (batch.titles) emit objectiveTitlesChanged();
  for (std::size_t row : batch.history_teams) {
    emit historyChanged(QString::fromStdString(state_.teams().at(row)));
  }
  if (batch.attention) emit attentionChanged();
  emit flushed();
}

}  // namespace cyrange::console
