#include <orchestrator/timeline/store.h>

#include <algorithm>
#include <set>

namespace cyrange::timeline {

ExecutionChange make_change(std::int64_t id, std::vector<ExecState> from, ExecState to) {
  ExecutionChange c;
  c.id = id;
  c.from = std::move(from);
  c.to = to;
  return c;
}

void apply(Execution& e, const ExecutionChange& c) {
  e.state = c.to;
  if (c.due_at) e.due_at = c.due_at;
  if (c.fired_at) e.fired_at = c.fired_at;
  if (c.finished_at) e.finished_at = c.finished_at;
  if (c.choice) e.choice = *c.choice;
  if (c.chosen_at) e.chosen_at = c.chosen_at;
  if (c.detail) e.detail = *c.detail;
  if (c.count_attempt) ++e.attempts;
}

Status MemoryTimelineStore::add_executions(const std::string& exercise, const std::string& team,
                                           const std::vector<TimelineItem>& items) {
  std::lock_guard lock(mutex_);
  for (const auto& item : items) {
    const bool exists = std::any_of(executions_.begin(), executions_.end(), [&](const auto& kv) {
      const Execution& e = kv.second;
      return e.exercise == exercise && e.team == team && e.item.id == item.id;
    });
    if (exists) continue;
    Execution e;
    e.id = next_id_++;
    e.exercise = exercise;
    e.team = team;
    e.item = item;
    executions_[e.id] = std::move(e);
  }
  return Status::success();
}

Expected<std::vector<Execution>> MemoryTimelineStore::load(const std::string& exercise) {
  std::lock_guard lock(mutex_);
  std::vector<Execution> out;
  for (const auto& [id, e] : executions_) {
    if (e.exercise == exercise) out.push_back(e);
  }
  std::sort(out.begin(), out.end(), [](const Execution& a, const Execution& b) {
    return a.team != b.team ? a.team < b.team : a.item.seq < b.item.seq;
  });
  return out;
}

Expected<std::vector<std::string>> MemoryTimelineStore::exercises() {
  std::lock_guard lock(mutex_);
  std::set<std::string> ids;
  for (const auto& [id, e] : executions_) ids.insert(e.exercise);
  for (const auto& [id, clock] : clocks_) ids.insert(id);
  return std::vector<std::string>(ids.begin(), ids.end());
}

Expected<bool> MemoryTimelineStore::change(const ExecutionChange& c) {
  std::lock_guard lock(mutex_);
  auto it = executions_.find(c.id);
  if (it == executions_.end()) {
    return make_error(ErrorCode::not_found,
                      "Timeline execution " + std::to_string(c.id) + " does not exist.");
  }
  if (std::find(c.from.begin(), c.from.end(), it->second.state) == c.from.end()) return false;
  apply(it->second, c);
  return true;
}

Expected<std::optional<ClockState>> MemoryTimelineStore::load_clock(const std::string& exercise) {
  std::lock_guard lock(mutex_);
  auto it = clocks_.find(exercise);
  if (it == clocks_.end()) return std::optional<ClockState>();
  return std::optional<ClockState>(it->second);
}

Status MemoryTimelineStore::save_clock(const std::string& exercise, const ClockState& state) {
  std::lock_guard lock(mutex_);
  clocks_[exercise] = state;
  return Status::success();
}

Expected<std::optional<std::string>> MemoryTimelineStore::team_name(std::int64_t team_id) {
  std::lock_guard lock(mutex_);
  auto it = teams_.find(team_id);
  if (it == teams_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

void MemoryTimelineStore::add_team(std::int64_t team_id, const std::string& name) {
  std::lock_guard lock(mutex_);
  teams_[team_id] = name;
}

void MemoryTimelineStore::force_state(std::int64_t id, ExecState state) {
  std::lock_guard lock(mutex_);
  if (auto it = executions_.find(id); it != executions_.end()) it->second.state = state;
}

}  // namespace cyrange::timeline
