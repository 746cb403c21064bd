#include <orchestrator/scoring/scoreboard.h>

#include <algorithm>

namespace cyrange::scoring {

const TeamStanding* Scoreboard::find(std::string_view team) const {
  for (const auto& standing : standings) {
    if (standing.team == team) return &standing;
  }
  return nullptr;
}

ScoreTally::ScoreTally(const DeriveOptions& options) {
  for (const auto& team : options.teams) teams_[team];
  if (!options.rules) return;
  for (const auto& [id, objective] : options.rules->objectives) {
    auto& parts = part_points_[id];
    for (const auto& part : objective.parts) parts[part.id] = part.points;
  }
}

void ScoreTally::apply(const LedgerEntry& entry) {
  TeamTally& team = teams_[entry.team];
  team.total += entry.points;
  if (entry.points != 0) team.last_score_time = entry.exercise_time;
  // Team-wide entries (service penalties, general adjustments) touch only the total.
  if (!entry.objective.empty()) team.objectives[entry.objective].apply(entry);
}

ObjectiveState ScoreTally::objective(const std::string& team, const std::string& objective) const {
  auto found_team = teams_.find(team);
  if (found_team == teams_.end()) return {};
  auto found = found_team->second.objectives.find(objective);
  return found == found_team->second.objectives.end() ? ObjectiveState{} : found->second;
}

int ScoreTally::total(const std::string& team) const {
  auto found = teams_.find(team);
  return found == teams_.end() ? 0 : found->second.total;
}

ObjectiveProgress ScoreTally::progress(const std::string& objective,
                                       const ObjectiveState& state) const {
  ObjectiveProgress out{state, 0, ObjectiveStatus::open};
  if (state.solved) {
    out.status = ObjectiveStatus::solved;
    out.partial_fraction = 1;
    return out;
  }
  if (state.parts_solved.empty()) return out;
  out.status = ObjectiveStatus::partial;
  auto parts = part_points_.find(objective);
  if (parts == part_points_.end()) return out;  // without rules the share is unknown
  int all = 0;
  int done = 0;
  for (const auto& [id, points] : parts->second) {
    all += points;
    if (state.parts_solved.contains(id)) done += points;
  }
  // Zero-point parts still count as progress: weigh by count then.
  if (all > 0) {
    out.partial_fraction = static_cast<double>(done) / all;
  } else {
    out.partial_fraction =
        static_cast<double>(state.parts_solved.size()) / static_cast<double>(parts->second.size());
  }
  return out;
}

Scoreboard ScoreTally::scoreboard() const {
  Scoreboard board;
  for (const auto& [name, tally] : teams_) {
    TeamStanding standing{name, tally.total, 0, tally.last_score_time, {}};
    for (const auto& [objective, parts] : part_points_) {
      standing.objectives[objective] = progress(objective, ObjectiveState{});
    }
    for (const auto& [objective, state] : tally.objectives) {
      standing.objectives[objective] = progress(objective, state);
    }
    board.standings.push_back(std::move(standing));
  }
  // A team that never scored ranks after equal teams that did: it reached its total "never".
  auto time_key = [](const TeamStanding& s) {
    return s.last_score_time.value_or(std::chrono::milliseconds::max());
  };
  std::stable_sort(board.standings.begin(), board.standings.end(),
                   [&](const TeamStanding& a, const TeamStanding& b) {
                     if (a.total != b.total) return a.total > b.total;
                     return time_key(a) < time_key(b);
                   });
  for (std::size_t i = 0; i < board.standings.size(); ++i) {
    auto& current = board.standings[i];
    const bool tied = i > 0 && board.standings[i - 1].total == current.total &&
                      time_key(board.standings[i - 1]) == time_key(current);
    current.rank = tied ? board.standings[i - 1].rank : static_cast<int>(i) + 1;
  }
  return board;
}

Scoreboard derive(const std::vector<LedgerEntry>& entries, const DeriveOptions& options) {
  ScoreTally tally(options);
  for (const auto& entry : entries) tally.apply(entry);
  return tally.scoreboard();
}

TeamView team_view(const std::vector<LedgerEntry>& entries, const std::string& team,
                   const BoardVisibility& visibility, const DeriveOptions& options) {
  DeriveOptions own_options = options;
  if (std::find(own_options.teams.begin(), own_options.teams.end(), team) ==
      own_options.teams.end()) {
    own_options.teams.push_back(team);
  }
  ScoreTally live(own_options);
  ScoreTally frozen(own_options);
  for (const auto& entry : entries) {
    live.apply(entry);
    if (visibility.mode != BoardMode::frozen || entry.exercise_time <= visibility.freeze_at) {
      frozen.apply(entry);
    }
  }
  TeamView view;
  view.team = team;
  view.frozen = visibility.mode == BoardMode::frozen;
  Scoreboard own = live.scoreboard();
  if (const TeamStanding* standing = own.find(team)) {
    view.total = standing->total;
    view.objectives = standing->objectives;
  }
  if (visibility.mode == BoardMode::hidden) return view;
  for (const auto& standing : frozen.scoreboard().standings) {
    view.board.push_back(TeamTotal{standing.team, standing.total, standing.rank});
  }
  return view;
}

}  // namespace cyrange::scoring
