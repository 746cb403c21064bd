#include <console/models/dashboard_state.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <console/models/dashboard_text.h>

namespace cyrange::console {
namespace {

std::int64_t seconds_to_ms(double seconds) { return std::llround(seconds * 1000.0); }

// The recording moment a reason names, as a link; empty when none.
std::string moment_in(const std::string& reason) {
  const auto moment = find_recording_moment(reason);
  return moment ? to_link(*moment) : std::string();
}

bool unsolved_and_open(CellState state) {
  return state == CellState::open || state == CellState::attempted || state == CellState::hinted ||
         state == CellState::partial;
}

}  // namespace

std::optional<std::size_t> DashboardState::team_row(std::string_view team) const {
  auto found = team_rows_.find(std::string(team));
  if (found == team_rows_.end()) return std::nullopt;
  return found->second;
}

std::optional<std::size_t> DashboardState::objective_column(std::string_view objective) const {
  auto found = objective_columns_.find(std::string(objective));
  if (found == objective_columns_.end()) return std::nullopt;
  return found->second;
}

const Cell& DashboardState::cell(std::size_t row, std::size_t column) const {
  return teams_.at(row).cells.at(column);
}

TeamSummary DashboardState::summary(std::size_t row) const {
  const Team& team = teams_.at(row);
  TeamSummary out{team.total, team.rank, 0, 0, 0, 0};
  for (const Cell& c : team.cells) {
    if (c.state == CellState::solved) ++out.solved;
    if (c.state == CellState::partial) ++out.partial;
    out.hints += static_cast<int>(c.hints.size());
    out.wrong_attempts += c.wrong_attempts;
  }
  return out;
}

const std::vector<HistoryPoint>& DashboardState::history(std::size_t row) const {
  return teams_.at(row).history;
}

int DashboardState::total(std::size_t row) const { return teams_.at(row).total; }

int DashboardState::team_wide_points(std::size_t row) const {
  int points = 0;
  for (const auto& [seq, entry] : teams_.at(row).entries) {
    if (entry.objective.empty()) points += entry.points;
  }
  return points;
}

const std::map<std::string, HostState>& DashboardState::hosts(std::size_t row) const {
  return teams_.at(row).hosts;
}

ChangeSummary DashboardState::apply(const client::ScoreboardMessage& message) {
  ChangeSummary out;
  begin(out);
  // Entries in seq order, so the feed lists them as the ledger does.
  std::vector<const client::ScoreEntry*> entries;
  entries.reserve(message.entries.size());
  for (const auto& entry : message.entries) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->seq < b->seq; });

  std::set<std::size_t> touched;   // cells to re-derive
  std::set<std::size_t> reported;  // teams whose board total this message states
  std::int64_t covered = message.through_seq;
  for (const auto* entry : entries) {
    const std::size_t row = ensure_team(entry->team, out);
    covered = std::max(covered, entry->seq);
    if (teams_[row].entries.contains(entry->seq)) continue;  // seen before a reconnect
    add_entry(row, *entry, out);
    touched.insert(row);
  }
  for (const auto& line : message.standings) {
    const std::size_t row = ensure_team(line.team, out);
    set_line(row, line, out);
    touched.insert(row);
    reported.insert(row);
  }
  // Delta board lines carry totals and ranks that moved, also of teams without standings.
  for (const auto& line : message.board) {
    const std::size_t row = ensure_team(line.team, out);
    Team& team = teams_[row];
    if (team.total != line.total || team.rank != line.rank) out.team_rows.insert(row);
    team.total = line.total;
    team.rank = line.rank;
    reported.insert(row);
  }
  through_seq_ = std::max(through_seq_, covered);
  for (std::size_t row : reported) reconcile(row, teams_[row].total, covered, out);
  for (std::size_t row : touched) rederive_cells(row, out);
  std::set<std::size_t> histories = touched;
  histories.insert(reported.begin(), reported.end());
  for (std::size_t row : histories) rebuild_history(row, out);
  end(out);
  return out;
}

ChangeSummary DashboardState::apply(const client::TimelineChange& change) {
  ChangeSummary out;
  begin(out);
  if (change.team.empty()) {  // an exercise-wide item has no row to show it in
    end(out);
    return out;
  }
  const std::size_t row = ensure_team(change.team, out);
  advance_clock(seconds_to_ms(change.exercise_time));
  const client::TimelineItemView& item = change.item;
  if (item.kind == client::ItemKind::objective) {
    ObjectiveItem& known = teams_[row].items[item.item_id];
    known.state = item.state;
    if (item.state == client::ItemState::done) {
      const auto opened = item.finished_at ? item.finished_at : item.fired_at;
      known.opened_at_ms = seconds_to_ms(opened.value_or(change.exercise_time));
    }
    rederive_cells(row, out);
  } else if (item.kind == client::ItemKind::step || item.kind == client::ItemKind::message) {
    const bool fired = item.state == client::ItemState::firing;
    if (fired || item.state == client::ItemState::done || item.state == client::ItemState::failed) {
      const auto at = fired ? item.fired_at : (item.finished_at ? item.finished_at : item.fired_at);
      FeedEvent event;
      event.kind = FeedKind::inject;
      event.team = change.team;
      event.item = item.item_id;
      event.exercise_time_ms = seconds_to_ms(at.value_or(change.exercise_time));
      event.text = text::timeline_item(change.team, item);
      // A snapshot after a reconnect repeats the same execution and state: same key.
      event.key = "timeline:" + change.team + ":" + item.item_id + ":" +
                  std::to_string(item.execution_id) + ":" +
                  (fired                                   ? "fired"
                   : item.state == client::ItemState::done ? "done"
                                                           : "failed");
      append_feed(std::move(event), out);
    }
  }
  end(out);
  return out;
}

ChangeSummary DashboardState::apply(const client::ProvisioningStep& step) {
  ChangeSummary out;
  begin(out);
  const std::size_t row = ensure_team(step.team, out);
  Team& team = teams_[row];
  HostState& host = team.hosts[step.host];
  const bool was_failed = host.state == "failed";
  host = HostState{step.host, step.state, step.message, step.percent};
  if (step.state == "failed" && !was_failed) {
    // The generation tells a second failure (after a retry went well) from the same
    // failure repeated by a reconnect, which must not raise an acknowledged flag again.
    const std::string cause =
        step.team + ":" + step.host + ":" + std::to_string(team.host_failures[step.host]);
    const client::LocalizedText reason = text::provisioning_failed(step);
    append_feed(FeedEvent{FeedKind::provisioning_failed,
                          step.team,
                          "",
                          step.host,
                          0,
                          clock_ms_,
                          reason,
                          "provisioning:" + cause,
                          {}},
                out);
    raise(AttentionFlag{"host:" + cause, AttentionCause::host_failed, step.team, step.host, reason,
                        clock_ms_, false, false},
          out);
  } else if (step.state != "failed" && was_failed) {
    ++team.host_failures[step.host];
  }
  end(out);
  return out;
}

ChangeSummary DashboardState::set_objective_titles(
    const std::map<std::string, client::LocalizedText>& titles) {
  ChangeSummary out;
  begin(out);
  for (const auto& [id, title] : titles) {
    titles_[id] = title;
    if (auto column = objective_column(id); column && objectives_[*column].title != title) {
      objectives_[*column].title = title;
      out.titles = true;
    }
  }
  end(out);
  return out;
}

ChangeSummary DashboardState::check_stalled(std::int64_t exercise_now_ms) {
  ChangeSummary out;
  begin(out);
  advance_clock(exercise_now_ms);
  const std::int64_t threshold = static_cast<std::int64_t>(stall_minutes_) * 60'000;
  for (std::size_t row = 0; row < teams_.size(); ++row) {
    const Team& team = teams_[row];
    std::vector<std::string> open;
    std::optional<std::int64_t> first_opened;
    for (std::size_t column = 0; column < objectives_.size(); ++column) {
      if (!unsolved_and_open(team.cells[column].state)) continue;
      open.push_back(objectives_[column].id);
      auto item = team.items.find(objectives_[column].id);
      const std::int64_t opened =
          item != team.items.end() && item->second.opened_at_ms ? *item->second.opened_at_ms : 0;
      first_opened = std::min(first_opened.value_or(opened), opened);
    }
    if (open.empty()) continue;
    // Idle since the later of its last ledger entry and the moment it had work to do.
    const std::int64_t since = std::max(team.last_entry_ms.value_or(0), *first_opened);
    if (exercise_now_ms - since < threshold) continue;
    const std::string id = "stalled:" + team_names_[row] + ":" + std::to_string(since);
    if (flag_index_.contains(id)) continue;  // raised before, maybe acknowledged
    raise(AttentionFlag{id, AttentionCause::stalled, team_names_[row], "",
                        text::stalled(team_names_[row], stall_minutes_, open), exercise_now_ms,
                        false, false},
          out);
  }
  end(out);
  return out;
}

ChangeSummary DashboardState::acknowledge(const std::string& flag_id) {
  ChangeSummary out;
  begin(out);
  auto found = flag_index_.find(flag_id);
  if (found != flag_index_.end() && !flags_[found->second].acknowledged) {
    flags_[found->second].acknowledged = true;
    out.attention = true;
  }
  end(out);
  return out;
}

std::size_t DashboardState::ensure_team(const std::string& name, ChangeSummary& out) {
  if (auto found = team_rows_.find(name); found != team_rows_.end()) return found->second;
  const std::size_t row = teams_.size();
  team_rows_.emplace(name, row);
  team_names_.push_back(name);
  Team& team = teams_.emplace_back();
  team.cells.reserve(objectives_.size());
  for (const auto& objective : objectives_) team.cells.push_back(derive_cell(team, objective.id));
  out.teams_after = teams_.size();
  return row;
}

std::size_t DashboardState::ensure_objective(const std::string& id, ChangeSummary& out) {
  if (auto found = objective_columns_.find(id); found != objective_columns_.end()) {
    return found->second;
  }
  const std::size_t column = objectives_.size();
  objective_columns_.emplace(id, column);
  auto title = titles_.find(id);
  objectives_.push_back(
      Objective{id, title == titles_.end() ? client::LocalizedText{} : title->second});
  for (Team& team : teams_) team.cells.push_back(derive_cell(team, id));
  out.objectives_after = objectives_.size();
  return column;
}

void DashboardState::add_entry(std::size_t row, const client::ScoreEntry& entry,
                               ChangeSummary& out) {
  Team& team = teams_[row];
  team.entries.emplace(entry.seq, entry);
  // A late entry the board had already counted: the carry that stood in for it shrinks.
  if (auto carry = team.carries.lower_bound(entry.seq); carry != team.carries.end()) {
    carry->second.points -= entry.points;
    if (carry->second.points == 0) team.carries.erase(carry);
  }
  team.last_entry_ms =
      std::max(team.last_entry_ms.value_or(entry.exercise_time_ms), entry.exercise_time_ms);
  advance_clock(entry.exercise_time_ms);
  if (!entry.objective.empty()) {
    CellLedger& ledger = team.ledger[entry.objective];
    if (entry.kind == client::EntryKind::solve) {
      ledger.solved_at_ms =
          std::min(ledger.solved_at_ms.value_or(entry.exercise_time_ms), entry.exercise_time_ms);
    }
    if (entry.kind == client::EntryKind::solution_reveal) ledger.revealed = true;
  }
  const client::LocalizedText sentence = text::ledger_entry(entry);
  append_feed(FeedEvent{text::feed_kind(entry.kind), entry.team, entry.objective, entry.item,
                        entry.points, entry.exercise_time_ms, sentence,
                        "ledger:" + std::to_string(entry.seq), moment_in(entry.reason)},
              out);
  resolve_stalled(entry.team, out);
  if (entry.kind == client::EntryKind::service_penalty) {
    const std::string service = entry.item.empty() ? entry.objective : entry.item;
    // Penalties repeat while a service stays down: one open flag per service, not one per
    // penalty; after an acknowledgement the next outage raises a new one.
    for (const AttentionFlag& flag : flags_) {
      if (flag.cause == AttentionCause::service_down && flag.team == entry.team &&
          flag.subject == service && flag.active()) {
        return;
      }
    }
    raise(AttentionFlag{"service:" + entry.team + ":" + service + ":" + std::to_string(entry.seq),
                        AttentionCause::service_down, entry.team, service, sentence,
                        entry.exercise_time_ms, false, false},
          out);
  }
}

void DashboardState::set_line(std::size_t row, const client::TeamLine& line, ChangeSummary& out) {
  for (const auto& objective : line.objectives) ensure_objective(objective.objective, out);
  Team& team = teams_[row];
  if (team.total != line.total || team.rank != line.rank) out.team_rows.insert(row);
  team.total = line.total;
  team.rank = line.rank;
  team.lines.clear();
  for (const auto& objective : line.objectives) team.lines[objective.objective] = objective;
}

void DashboardState::reconcile(std::size_t row, int board_total, std::int64_t through_seq,
                               ChangeSummary& out) {
  Team& team = teams_[row];
  int counted = 0;
  for (auto it = team.entries.begin(); it != team.entries.end() && it->first <= through_seq; ++it) {
    counted += it->second.points;
  }
  for (auto it = team.carries.begin(); it != team.carries.end() && it->first <= through_seq; ++it) {
    counted += it->second.points;
  }
  const int missing = board_total - counted;
  if (missing == 0) return;
  Carry& carry = team.carries[through_seq];
  if (carry.points == 0) carry.exercise_time_ms = clock_ms_;
  carry.points += missing;
  if (carry.points == 0) team.carries.erase(through_seq);
  out.history_teams.insert(row);
}

void DashboardState::rebuild_history(std::size_t row, ChangeSummary& out) {
  Team& team = teams_[row];
  std::vector<HistoryPoint> history;
  history.reserve(team.entries.size() + team.carries.size());
  int total = 0;
  auto carry = team.carries.begin();
  auto add_carries_before = [&](std::int64_t seq) {
    // A carry at through_seq S stands for entries with seq <= S: after those, before later ones.
    for (; carry != team.carries.end() && carry->first < seq; ++carry) {
      total += carry->second.points;
      history.push_back({carry->second.exercise_time_ms, total, carry->first, true});
    }
  };
  for (const auto& [seq, entry] : team.entries) {
    add_carries_before(seq);
    if (entry.points == 0) continue;  // the curve moves only when the score does
    total += entry.points;
    history.push_back({entry.exercise_time_ms, total, seq, false});
  }
  add_carries_before(std::numeric_limits<std::int64_t>::max());
  if (history != team.history) {
    team.history = std::move(history);
    out.history_teams.insert(row);
  }
}

void DashboardState::rederive_cells(std::size_t row, ChangeSummary& out) {
  Team& team = teams_[row];
  for (std::size_t column = 0; column < objectives_.size(); ++column) {
    Cell derived = derive_cell(team, objectives_[column].id);
    if (derived == team.cells[column]) continue;
    team.cells[column] = std::move(derived);
    out.cells.emplace(row, column);
    out.team_rows.insert(row);  // solved, hints and wrong counts come from the cells
  }
}

Cell DashboardState::derive_cell(const Team& team, const std::string& objective) const {
  Cell cell;
  client::ObjectiveStatus status = client::ObjectiveStatus::unknown;
  if (auto line = team.lines.find(objective); line != team.lines.end()) {
    status = line->second.status;
    cell.points = line->second.points;
    cell.wrong_attempts = line->second.wrong_attempts;
    cell.partial_fraction = line->second.partial_fraction;
    cell.hints = line->second.hints_taken;
  }
  if (auto ledger = team.ledger.find(objective); ledger != team.ledger.end()) {
    cell.solved_at_ms = ledger->second.solved_at_ms;
    cell.revealed = ledger->second.revealed;
  }
  // The score is the truth about progress; the timeline only says whether it may start.
  if (status == client::ObjectiveStatus::solved) {
    cell.state = CellState::solved;
    return cell;
  }
  if (status == client::ObjectiveStatus::partial) {
    cell.state = CellState::partial;
    return cell;
  }
  if (auto item = team.items.find(objective); item != team.items.end()) {
    switch (item->second.state) {
      case client::ItemState::failed:
      case client::ItemState::skipped:
        cell.state = CellState::failed;
        return cell;
      case client::ItemState::pending:
      case client::ItemState::due:
      case client::ItemState::firing:  // not open until the item is done
        cell.state = CellState::locked;
        return cell;
      default:
        break;
    }
  }
  if (!cell.hints.empty()) {
    cell.state = CellState::hinted;
  } else if (cell.wrong_attempts > 0) {
    cell.state = CellState::attempted;
  } else {
    cell.state = CellState::open;
  }
  return cell;
}

void DashboardState::append_feed(FeedEvent event, ChangeSummary& out) {
  if (!feed_keys_.insert(event.key).second) return;
  feed_.push_back(std::move(event));
  out.feed_after = feed_.size();
}

void DashboardState::raise(AttentionFlag flag, ChangeSummary& out) {
  if (flag_index_.contains(flag.id)) return;
  flag_index_.emplace(flag.id, flags_.size());
  flags_.push_back(std::move(flag));
  out.attention = true;
}

void DashboardState::resolve_stalled(const std::string& team, ChangeSummary& out) {
  for (AttentionFlag& flag : flags_) {
    if (flag.cause == AttentionCause::stalled && flag.team == team && flag.active()) {
      flag.resolved = true;
      out.attention = true;
    }
  }
}

void DashboardState::begin(ChangeSummary& out) const {
  out.teams_before = out.teams_after = teams_.size();
  out.objectives_before = out.objectives_after = objectives_.size();
  out.feed_before = out.feed_after = feed_.size();
}

void DashboardState::end(ChangeSummary& out) const {
  out.teams_after = teams_.size();
  out.objectives_after = objectives_.size();
  out.feed_after = feed_.size();
}

void DashboardState::advance_clock(std::int64_t exercise_time_ms) {
  clock_ms_ = std::max(clock_ms_, exercise_time_ms);
}

}  // namespace cyrange::console
