#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <client-core/scoring_client.h>
#include <client-core/timeline_client.h>

// A scoreboard server in miniature for the tests: it keeps a ledger and answers with the
// messages the real one sends an instructor (deltas with entries, the changed teams'
// standings and moved board lines; snapshots with standings and board but no entries).
namespace cyrange::console::testing {

/// A ledger entry for tests.
inline client::ScoreEntry entry(std::int64_t seq, const std::string& team,
                                const std::string& objective, client::EntryKind kind, int points,
                                std::int64_t time_ms, const std::string& item = {}) {
  client::ScoreEntry e;
  e.seq = seq;
  e.team = team;
  e.objective = objective;
  e.item = item;
  e.kind = kind;
  e.points = points;
  e.exercise_time_ms = time_ms;
  return e;
}

/// An objective item of the timeline for `team` in `state`.
inline client::TimelineChange timeline(const std::string& team, const std::string& item,
                                       client::ItemKind kind, client::ItemState state,
                                       double at_seconds, std::int64_t execution = 1,
                                       bool snapshot = false) {
  client::TimelineChange change;
  change.exercise = "ex";
  change.team = team;
  change.item.execution_id = execution;
  change.item.item_id = item;
  change.item.kind = kind;
  change.item.state = state;
  if (state == client::ItemState::firing || state == client::ItemState::done) {
    change.item.fired_at = at_seconds;
  }
  if (state == client::ItemState::done || state == client::ItemState::failed) {
    change.item.finished_at = at_seconds;
  }
  change.exercise_time = at_seconds;
  change.snapshot = snapshot;
  return change;
}

/// The ledger and the board derived from it.
class FakeBoard {
 public:
  FakeBoard(std::vector<std::string> teams, std::vector<std::string> objectives)
      : teams_(std::move(teams)), objectives_(std::move(objectives)) {}

  /// Records entries (seq assigned in order) and returns the delta an instructor gets.
  client::ScoreboardMessage delta(std::vector<client::ScoreEntry> entries) {
    std::vector<std::string> changed;
    for (auto& e : entries) {
      e.seq = ++seq_;
      ledger_.push_back(e);
      if (std::find(changed.begin(), changed.end(), e.team) == changed.end()) {
        changed.push_back(e.team);
      }
    }
    client::ScoreboardMessage m;
    m.exercise_id = "ex";
    m.through_seq = seq_;
    m.mode = client::BoardMode::live;
    m.entries = entries;
    for (const auto& team : changed) m.standings.push_back(line(team));
    for (const auto& b : board()) {
      auto& last = last_board_[b.team];
      if (last.team.empty() || last.total != b.total || last.rank != b.rank) {
        m.board.push_back(b);
        last = b;
      }
    }
    return m;
  }

  /// The snapshot an instructor gets on (re)connecting: standings, board, no entries.
  client::ScoreboardMessage snapshot() {
    client::ScoreboardMessage m;
    m.exercise_id = "ex";
    m.snapshot = true;
    m.through_seq = seq_;
    m.mode = client::BoardMode::live;
    for (const auto& team : teams_) m.standings.push_back(line(team));
    m.board = board();
    for (const auto& b : m.board) last_board_[b.team] = b;
    return m;
  }

  /// Every entry so far.
  const std::vector<client::ScoreEntry>& ledger() const { return ledger_; }
  /// The team's total.
  int total(const std::string& team) const {
    int t = 0;
    for (const auto& e : ledger_) {
      if (e.team == team) t += e.points;
    }
    return t;
  }

 private:
  client::TeamLine line(const std::string& team) const {
    client::TeamLine out;
    out.team = team;
    out.total = total(team);
    for (const auto& b : board()) {
      if (b.team == team) out.rank = b.rank;
    }
    for (const auto& id : objectives_) {
      client::ObjectiveLine o;
      o.objective = id;
      o.status = client::ObjectiveStatus::open;
      for (const auto& e : ledger_) {
        if (e.team != team || e.objective != id) continue;
        o.points += e.points;
        switch (e.kind) {
          case client::EntryKind::solve:
            o.status = client::ObjectiveStatus::solved;
            break;
          case client::EntryKind::partial:
            if (o.status != client::ObjectiveStatus::solved) {
              o.status = client::ObjectiveStatus::partial;
            }
            o.parts_solved.push_back(e.item);
            o.partial_fraction = 0.5;
            break;
          case client::EntryKind::wrong_answer:
            ++o.wrong_attempts;
            break;
          case client::EntryKind::hint:
            o.hints_taken.push_back(e.item);
            break;
          default:
            break;
        }
      }
      out.objectives.push_back(o);
    }
    return out;
  }

  std::vector<client::BoardLine> board() const {
    std::vector<client::BoardLine> out;
    for (const auto& team : teams_) out.push_back({team, total(team), 0});
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.total > b.total; });
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i].rank =
          i > 0 && out[i - 1].total == out[i].total ? out[i - 1].rank : static_cast<int>(i) + 1;
    }
    return out;
  }

  std::vector<std::string> teams_, objectives_;
  std::vector<client::ScoreEntry> ledger_;
  std::map<std::string, client::BoardLine> last_board_;
  std::int64_t seq_ = 0;
};

}  // namespace cyrange::console::testing
