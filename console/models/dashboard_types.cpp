#include <console/models/dashboard_types.h>

#include <algorithm>
#include <cstdio>
#include <regex>

namespace cyrange::console {

std::string_view to_string(CellState state) {
  switch (state) {
    case CellState::locked:
      return "locked";
    case CellState::open:
      return "open";
    case CellState::attempted:
      return "attempted";
    case CellState::hinted:
      return "hinted";
    case CellState::partial:
      return "partial";
    case CellState::solved:
      return "solved";
    case CellState::failed:
      return "failed";
  }
  return "open";
}

std::string to_link(const RecordingMoment& moment) {
  return "recording:" + std::to_string(moment.session) + "@" + std::to_string(moment.seconds);
}

std::optional<RecordingMoment> find_recording_moment(const std::string& text) {
  static const std::regex link(R"(recording:([0-9]{1,18})@([0-9]{1,9}))");
  std::smatch found;
  if (!std::regex_search(text, found, link)) return std::nullopt;
  return RecordingMoment{std::stoll(found[1].str()), std::stoi(found[2].str())};
}

std::string_view to_string(FeedKind kind) {
  switch (kind) {
    case FeedKind::solve:
      return "solve";
    case FeedKind::partial:
      return "partial";
    case FeedKind::wrong_answer:
      return "wrong_answer";
    case FeedKind::hint:
      return "hint";
    case FeedKind::reveal:
      return "reveal";
    case FeedKind::adjustment:
      return "adjustment";
    case FeedKind::service_down:
      return "service_down";
    case FeedKind::inject:
      return "inject";
    case FeedKind::provisioning_failed:
      return "provisioning_failed";
    case FeedKind::other:
      return "other";
  }
  return "other";
}

bool ChangeSummary::empty() const {
  return teams_before == teams_after && objectives_before == objectives_after &&
         team_rows.empty() && cells.empty() && feed_before == feed_after && history_teams.empty() &&
         !attention && !titles;
}

void ChangeSummary::merge(const ChangeSummary& later) {
  // Appends only ever grow, so the merged range runs from the earliest "before" to the
  // latest "after"; an empty range on either side must not widen the other.
  auto merge_range = [](std::size_t& before, std::size_t& after, std::size_t later_before,
                        std::size_t later_after) {
    if (later_before == later_after) return;
    if (before == after) {
      before = later_before;
    } else {
      before = std::min(before, later_before);
    }
    after = std::max(after, later_after);
  };
  merge_range(teams_before, teams_after, later.teams_before, later.teams_after);
  merge_range(objectives_before, objectives_after, later.objectives_before, later.objectives_after);
  merge_range(feed_before, feed_after, later.feed_before, later.feed_after);
  team_rows.insert(later.team_rows.begin(), later.team_rows.end());
  cells.insert(later.cells.begin(), later.cells.end());
  history_teams.insert(later.history_teams.begin(), later.history_teams.end());
  attention = attention || later.attention;
  titles = titles || later.titles;
}

std::string format_exercise_time(std::int64_t exercise_time_ms) {
  const bool negative = exercise_time_ms < 0;
  const std::int64_t total = (negative ? -exercise_time_ms : exercise_time_ms) / 1000;
  char out[32];
  std::snprintf(out, sizeof out, "%s%02lld:%02lld:%02lld", negative ? "-" : "",
                static_cast<long long>(total / 3600), static_cast<long long>(total / 60 % 60),
                static_cast<long long>(total % 60));
  return out;
}

}  // namespace cyrange::console
