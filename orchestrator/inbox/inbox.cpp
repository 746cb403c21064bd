#include <orchestrator/inbox/inbox.h>

#include <algorithm>
#include <chrono>

#include <orchestrator/common/log.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::inbox {

Expected<std::optional<InboxMessage>> MemoryInboxStore::add(const InboxMessage& message) {
  std::lock_guard lock(mutex_);
  for (const auto& m : messages_)
    if (m.exercise == message.exercise && m.team == message.team && m.source == message.source)
      return std::optional<InboxMessage>();
  InboxMessage stored = message;
  stored.id = static_cast<std::int64_t>(messages_.size()) + 1;
  stored.delivered_unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  messages_.push_back(stored);
  return std::optional<InboxMessage>(stored);
}

Expected<std::vector<InboxMessage>> MemoryInboxStore::list(const std::string& exercise,
                                                           const std::string& team,
                                                           std::int64_t after_id) {
  std::lock_guard lock(mutex_);
  std::vector<InboxMessage> out;
  for (const auto& m : messages_)
    if (m.exercise == exercise && (team.empty() || m.team == team) && m.id > after_id)
      out.push_back(m);
  return out;
}

Expected<std::optional<std::string>> MemoryInboxStore::team_name(std::int64_t team_id) {
  std::lock_guard lock(mutex_);
  auto it = teams_.find(team_id);
  if (it == teams_.end()) return std::optional<std::string>();
  return std::optional<std::string>(it->second);
}

void MemoryInboxStore::add_team(std::int64_t team_id, const std::string& name) {
  std::lock_guard lock(mutex_);
  teams_[team_id] = name;
}

Inbox::Inbox(std::shared_ptr<InboxStore> store) : store_(std::move(store)) {}

Status Inbox::deliver(const InboxMessage& message) {
  if (message.exercise.empty() || message.team.empty() || message.source.empty())
    return make_error(ErrorCode::invalid_argument,
                      "An inbox message needs an exercise, a team and a source; '" +
                          message.source + "' for team '" + message.team + "' has not.");
  auto stored = store_->add(message);
  if (!stored) return stored.error();
  if (!stored->has_value()) return Status::success();  // delivered before: once is enough
  const InboxMessage& m = **stored;
  log::get("inbox")->info("exercise {} team {}: {} '{}' delivered (message {})", m.exercise, m.team,
                          m.kind, m.source, m.id);
  std::lock_guard lock(mutex_);
  for (const auto& [id, w] : watchers_)
    if (w.exercise == m.exercise && (w.team.empty() || w.team == m.team)) w.sink(m);
  return Status::success();
}

Status Inbox::deliver_briefing(const std::string& exercise, const scenario::Scenario& scenario,
                               const std::vector<std::string>& teams, std::uint64_t seed) {
  if (scenario.briefing.ja.empty() && scenario.briefing.en.empty()) return Status::success();
  for (const auto& team : teams) {
    const auto vars = scenario::resolve_variables(scenario, seed, team);
    InboxMessage m;
    m.exercise = exercise;
    m.team = team;
    m.source = "briefing";
    m.kind = "briefing";
    m.sender = "演習統制 / Exercise control";
    m.subject = "状況説明 / Briefing";
    m.text_ja = scenario::substitute(scenario.briefing.ja, vars);
    m.text_en = scenario::substitute(scenario.briefing.en, vars);
    if (auto st = deliver(m); !st) return st;
  }
  return Status::success();
}

Expected<std::string> Inbox::authorize(const identity::Identity& caller,
                                       const std::string& exercise, const std::string& team) {
  using identity::Role;
  if (Status scope = identity::check_exercise_scope(caller, exercise); !scope) return scope.error();
  if (caller.role == Role::instructor || caller.role == Role::admin) return team;
  if (caller.role != Role::trainee)
    return make_error(ErrorCode::permission_denied,
                      "Only trainees and instructors read inboxes; '" + caller.name + "' is " +
                          std::string(identity::to_string(caller.role)) +
                          ". 受信箱を読む権限がありません。");
  if (!caller.team_id)
    return make_error(ErrorCode::permission_denied,
                      "Trainee '" + caller.name +
                          "' belongs to no team; ask an instructor to "
                          "add them to one. チームに所属していません。");
  auto own = store_->team_name(*caller.team_id);
  if (!own) return own.error();
  if (!own->has_value() || (!team.empty() && team != **own))
    return make_error(ErrorCode::permission_denied,
                      "Trainee '" + caller.name +
                          "' may read only the inbox of their own team, "
                          "not of team '" +
                          team + "'. 他のチームの受信箱は読めません。");
  return **own;
}

Expected<std::vector<InboxMessage>> Inbox::list(const std::string& exercise,
                                                const std::string& team, std::int64_t after_id) {
  if (exercise.empty())
    return make_error(ErrorCode::invalid_argument, "Name the exercise whose inbox to read.");
  return store_->list(exercise, team, after_id);
}

Inbox::SubscriptionId Inbox::subscribe(const std::string& exercise, const std::string& team,
                                       Sink sink) {
  std::lock_guard lock(mutex_);
  const SubscriptionId id = next_++;
  watchers_[id] = {exercise, team, std::move(sink)};
  return id;
}

void Inbox::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(mutex_);
  watchers_.erase(id);
}

}  // namespace cyrange::inbox
