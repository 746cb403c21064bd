#include <orchestrator/exercise/terminal_watch.h>

#include <chrono>

#include <nlohmann/json.hpp>

#include <orchestrator/common/log.h>
#include <orchestrator/exercise/terminal_archive.h>

namespace cyrange::exercise {

using identity::Role;

namespace {

bool is_staff(const identity::Identity& caller) {
  return caller.role == Role::instructor || caller.role == Role::admin;
}

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Error unknown_watch(std::int64_t id) {
  return make_error(ErrorCode::not_found,
                    "There is no open request to watch terminals with id " + std::to_string(id) +
                        "; it has ended, was declined, or cyranged restarted since.",
                    "ID " + std::to_string(id) +
                        " の端末視聴の依頼はありません。終了したか、断られたか、cyranged "
                        "が再起動しました。");
}

}  // namespace

std::string_view to_string(WatchState state) {
  switch (state) {
    case WatchState::asked:
      return "asked";
    case WatchState::accepted:
      return "accepted";
    case WatchState::declined:
      return "declined";
    case WatchState::ended:
      return "ended";
  }
  return "ended";
}

TerminalWatchDesk::TerminalWatchDesk(std::shared_ptr<RangeRegistry> registry)
    : registry_(std::move(registry)) {}

Expected<std::string> TerminalWatchDesk::followable_team(const identity::Identity& caller,
                                                         const std::string& exercise,
                                                         const std::string& team) {
  if (is_staff(caller) && team.empty())
    return make_error(ErrorCode::invalid_argument, "Name the team whose terminals to watch.",
                      "視聴するチームを指定してください。");
  return terminal_team(*registry_, caller, exercise, team);
}

Expected<TerminalWatch> TerminalWatchDesk::ask(const identity::Identity& caller,
                                               const std::string& exercise,
                                               const std::string& team) {
  if (!is_staff(caller))
    return make_error(ErrorCode::permission_denied,
                      "Only instructors and admins ask to watch a team's terminals; '" +
                          caller.name + "' is " + std::string(identity::to_string(caller.role)) +
                          ".",
                      "チームの端末の視聴を依頼できるのは講師と管理者だけです。");
  auto checked = followable_team(caller, exercise, team);
  if (!checked) return checked.error();
  std::lock_guard lock(mutex_);
  for (const auto& [id, w] : watches_)
    if (w.exercise == exercise && w.team == team && w.instructor == caller.name) return w;
  TerminalWatch watch;
  watch.id = next_id_;
  watch.exercise = exercise;
  watch.team = team;
  watch.instructor = caller.name;
  watch.changed_unix_ms = now_unix_ms();
  if (Status recorded = audit(watch, "terminal_watch.ask", caller); !recorded)
    return recorded.error();
  ++next_id_;
  log::get("range")->info(caller.name + " asked team " + team + " of " + exercise +
                          " to let them watch its terminals.");
  return publish_locked(watch);
}

Expected<TerminalWatch> TerminalWatchDesk::answer(const identity::Identity& caller, std::int64_t id,
                                                  bool accept) {
  std::lock_guard lock(mutex_);
  auto found = find_locked(id);
  if (!found) return found.error();
  TerminalWatch watch = **found;
  if (caller.role != Role::trainee)
    return make_error(ErrorCode::permission_denied,
                      "Only a trainee of team '" + watch.team + "' answers a request to watch it.",
                      "視聴の依頼に答えられるのはチーム '" + watch.team + "' の受講者だけです。");
  if (auto team = terminal_team(*registry_, caller, watch.exercise, watch.team); !team)
    return team.error();
  if (watch.state != WatchState::asked)
    return make_error(ErrorCode::failed_precondition,
                      "The request to watch was already answered by " + watch.answered_by + ".",
                      "この視聴の依頼には " + watch.answered_by + " さんがすでに答えています。");
  watch.state = accept ? WatchState::accepted : WatchState::declined;
  watch.answered_by = caller.name;
  watch.changed_unix_ms = now_unix_ms();
  if (Status recorded =
          audit(watch, accept ? "terminal_watch.accept" : "terminal_watch.decline", caller);
      !recorded)
    return recorded.error();
  log::get("range")->info(caller.name + (accept ? " accepted " : " declined ") + watch.instructor +
                          "'s request to watch team " + watch.team + ".");
  return publish_locked(watch);
}

Expected<TerminalWatch> TerminalWatchDesk::end(const identity::Identity& caller, std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto found = find_locked(id);
  if (!found) return found.error();
  TerminalWatch watch = **found;
  const bool own_request = caller.name == watch.instructor && is_staff(caller);
  if (!own_request && caller.role != Role::admin) {
    if (caller.role != Role::trainee)
      return make_error(ErrorCode::permission_denied,
                        "Only the instructor who asked, an admin or a trainee of team '" +
                            watch.team + "' ends this watch.",
                        "この視聴を終えられるのは、依頼した講師、管理者、チーム '" + watch.team +
                            "' の受講者だけです。");
    if (auto team = terminal_team(*registry_, caller, watch.exercise, watch.team); !team)
      return team.error();
  }
  watch.state = WatchState::ended;
  watch.ended_by = caller.name;
  watch.changed_unix_ms = now_unix_ms();
  if (Status recorded = audit(watch, "terminal_watch.end", caller); !recorded)
    return recorded.error();
  log::get("range")->info(caller.name + " ended " + watch.instructor + "'s watch of team " +
                          watch.team + ".");
  return publish_locked(watch);
}

bool TerminalWatchDesk::watching(const std::string& exercise, const std::string& team) const {
  std::lock_guard lock(mutex_);
  for (const auto& [id, w] : watches_)
    if (w.exercise == exercise && w.team == team && w.state == WatchState::accepted) return true;
  return false;
}

TerminalWatchDesk::SubscriptionId TerminalWatchDesk::subscribe(const std::string& exercise,
                                                               const std::string& team, Sink sink) {
  std::lock_guard lock(mutex_);
  const SubscriptionId id = next_subscription_++;
  sink(update_locked(exercise, team));
  watchers_[id] = Watcher{exercise, team, std::move(sink)};
  return id;
}

void TerminalWatchDesk::unsubscribe(SubscriptionId id) {
  std::lock_guard lock(mutex_);
  watchers_.erase(id);
}

Expected<TerminalWatch*> TerminalWatchDesk::find_locked(std::int64_t id) {
  auto it = watches_.find(id);
  if (it == watches_.end()) return unknown_watch(id);
  return &it->second;
}

TerminalWatchUpdate TerminalWatchDesk::update_locked(const std::string& exercise,
                                                     const std::string& team) const {
  TerminalWatchUpdate update;
  for (const auto& [id, w] : watches_)
    if (w.exercise == exercise && w.team == team) update.open.push_back(w);
  return update;
}

Status TerminalWatchDesk::audit(const TerminalWatch& watch, const std::string& action,
                                const identity::Identity& actor) {
  const nlohmann::json detail = {
      {"watch", watch.id}, {"team", watch.team}, {"instructor", watch.instructor}};
  return registry_->audit(actor.user_id, action, "exercise:" + watch.exercise, detail.dump());
}

TerminalWatch TerminalWatchDesk::publish_locked(const TerminalWatch& watch) {
  if (watch.state == WatchState::asked || watch.state == WatchState::accepted)
    watches_[watch.id] = watch;
  else
    watches_.erase(watch.id);
  for (const auto& [id, w] : watchers_) {
    if (w.exercise != watch.exercise || w.team != watch.team) continue;
    TerminalWatchUpdate update = update_locked(watch.exercise, watch.team);
    update.changed = watch;
    w.sink(update);
  }
  return watch;
}

}  // namespace cyrange::exercise
