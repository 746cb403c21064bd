#include <orchestrator/timeline/engine.h>

#include <algorithm>
#include <exception>

#include <orchestrator/common/log.h>
#include <orchestrator/scenario/time_placeholders.h>
#include <orchestrator/timeline/resolve.h>

namespace cyrange::timeline {
namespace {

TimelineEvent event_of(const Execution& e, double now) {
  TimelineEvent ev;
  ev.exercise = e.exercise;
  ev.team = e.team;
  ev.execution_id = e.id;
  ev.item_id = e.item.id;
  ev.kind = e.item.kind;
  ev.state = e.state;
  ev.exercise_time = now;
  ev.trainee_visible = e.state == ExecState::done && visible_to_trainees(e.item);
  ev.text_ja = e.item.text_ja;
  ev.text_en = e.item.text_en;
  ev.choice = e.choice;
  ev.detail = e.detail;
  return ev;
}

}  // namespace

Expected<std::unique_ptr<ExerciseTimeline>> ExerciseTimeline::open(
    const std::string& exercise, std::shared_ptr<TimelineStore> store,
    std::shared_ptr<StepExecutor> executor, std::shared_ptr<const TimeSource> time,
    EventSink sink) {
  auto clock = store->load_clock(exercise);
  if (!clock) return clock.error();
  auto loaded = store->load(exercise);
  if (!loaded) return loaded.error();
  std::unique_ptr<ExerciseTimeline> timeline(
      new ExerciseTimeline(exercise, std::move(store), std::move(executor), std::move(time),
                           std::move(sink), clock->value_or(ClockState{})));
  for (auto& e : *loaded) timeline->teams_[e.team].push_back(std::move(e));
  std::lock_guard lock(timeline->mutex_);
  if (!clock->has_value()) {
    if (Status saved = timeline->save_clock_locked(); !saved) return saved.error();
  }
  if (Status recovered = timeline->recover_locked(); !recovered) return recovered.error();
  return timeline;
}

ExerciseTimeline::ExerciseTimeline(std::string exercise, std::shared_ptr<TimelineStore> store,
                                   std::shared_ptr<StepExecutor> executor,
                                   std::shared_ptr<const TimeSource> time, EventSink sink,
                                   ClockState clock)
    : exercise_(std::move(exercise)),
      store_(std::move(store)),
      executor_(std::move(executor)),
      time_(std::move(time)),
      sink_(std::move(sink)),
      clock_(*time_, clock) {}

Status ExerciseTimeline::recover_locked() {
  for (auto& [team, executions] : teams_) {
    for (auto& e : executions) {
      if (e.state != ExecState::firing) continue;
      if (executor_->idempotent(e.item)) {
        ExecutionChange again = make_change(e.id, {ExecState::firing}, ExecState::firing);
        again.count_attempt = true;
        auto changed = change_locked(e, again);
        if (!changed) return changed.error();
        if (*changed) reruns_.push_back({e.id, team, e.item, clock_.now(), e.attempts});
        continue;
      }
      ExecutionChange c;
      c.id = e.id;
      c.from = {ExecState::firing};
      c.to = ExecState::failed;
      c.finished_at = clock_.now();
      c.detail =
          "Interrupted by a restart of cyranged while running; its executor cannot tell "
          "whether it took effect, so fire it again by hand if it did not.";
      if (auto changed = change_locked(e, c); !changed) return changed.error();
    }
  }
  return Status::success();
}

std::vector<std::string> ExerciseTimeline::teams() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [team, executions] : teams_) out.push_back(team);
  return out;
}

Expected<std::vector<Execution>> ExerciseTimeline::executions(const std::string& team) const {
  std::lock_guard lock(mutex_);
  auto it = teams_.find(team);
  if (it == teams_.end()) {
    return make_error(ErrorCode::not_found, "Team '" + team + "' has no timeline in exercise '" +
                                                exercise_ + "'; check the team name.");
  }
  return it->second;
}

double ExerciseTimeline::now() const {
  std::lock_guard lock(mutex_);
  return clock_.now();
}

ClockState ExerciseTimeline::clock_state() const {
  std::lock_guard lock(mutex_);
  return clock_.state();
}

Status ExerciseTimeline::save_clock_locked() {
  return store_->save_clock(exercise_, clock_.state());
}

Status ExerciseTimeline::control(const std::function<Status()>& op) {
  {
    std::lock_guard lock(mutex_);
    const ClockState before = clock_.state();
    if (Status st = op(); !st) return st;
    if (Status saved = save_clock_locked(); !saved) {
      clock_.restore(before);  // keep memory and database in step
      return saved;
    }
  }
  auto ran = tick();
  return ran ? Status::success() : Status(ran.error());
}

Status ExerciseTimeline::start() {
  return control([&] { return clock_.start(); });
}
Status ExerciseTimeline::pause() {
  return control([&] { return clock_.pause(); });
}
Status ExerciseTimeline::resume() {
  return control([&] { return clock_.resume(); });
}
Status ExerciseTimeline::set_speed(double speed) {
  return control([&] { return clock_.set_speed(speed); });
}

Expected<bool> ExerciseTimeline::change_locked(Execution& e, const ExecutionChange& c) {
  auto changed = store_->change(c);
  if (!changed) return changed.error();
  if (!*changed) {
    // Someone else (another engine on the same database, or our own earlier attempt whose
    // commit went through while the connection broke) moved it: take theirs.
    log::get("timeline")
        ->warn("exercise {} team {}: execution {} of '{}' changed elsewhere", exercise_, e.team,
               e.id, e.item.id);
    reload_locked(e);
    return false;
  }
  const ExecState old = e.state;
  apply(e, c);
  if (old != e.state) outbox_.push_back(event_of(e, clock_.now()));
  return true;
}

void ExerciseTimeline::reload_locked(Execution& e) {
  auto loaded = store_->load(exercise_);
  if (!loaded) return;  // the next change of this execution tries again
  for (auto& stored : *loaded) {
    if (stored.id != e.id) continue;
    const ExecState old = e.state;
    e = std::move(stored);
    if (old != e.state) outbox_.push_back(event_of(e, clock_.now()));
    return;
  }
}

Status ExerciseTimeline::record_finishes_locked() {
  while (!unrecorded_finishes_.empty()) {
    const ExecutionChange& finished = unrecorded_finishes_.front();
    for (auto& [team, executions] : teams_) {
      for (auto& e : executions) {
        if (e.id != finished.id || e.state != ExecState::firing) continue;
        if (auto changed = change_locked(e, finished); !changed) return changed.error();
      }
    }
    unrecorded_finishes_.erase(unrecorded_finishes_.begin());
  }
  return Status::success();
}

Execution* ExerciseTimeline::find_locked(const std::string& team, const std::string& item) {
  auto it = teams_.find(team);
  if (it == teams_.end()) return nullptr;
  for (auto& e : it->second) {
    if (e.item.id == item) return &e;
  }
  return nullptr;
}

Expected<Execution*> ExerciseTimeline::require_locked(const std::string& team,
                                                      const std::string& item) {
  if (teams_.find(team) == teams_.end()) {
    return make_error(ErrorCode::not_found, "Team '" + team + "' has no timeline in exercise '" +
                                                exercise_ + "'; check the team name.");
  }
  Execution* e = find_locked(team, item);
  if (!e) {
    return make_error(ErrorCode::not_found, "The timeline of team '" + team + "' has no item '" +
                                                item + "'; list the timeline to see the item ids.");
  }
  return e;
}

Status ExerciseTimeline::resolve_locked() {
  for (auto& [team, executions] : teams_) {
    // Each pass settles one link of a chain; a chain is at most as long as the timeline.
    for (std::size_t pass = 0; pass <= executions.size(); ++pass) {
      auto changes = resolve_triggers(executions);
      if (changes.empty()) break;
      for (const auto& c : changes) {
        auto it = std::find_if(executions.begin(), executions.end(),
                               [&](const Execution& e) { return e.id == c.id; });
        if (auto changed = change_locked(*it, c); !changed) return changed.error();
      }
    }
  }
  return Status::success();
}

Expected<std::vector<std::int64_t>> ExerciseTimeline::mark_due_locked(double now) {
  std::vector<Execution*> ready;
  for (auto& [team, executions] : teams_) {
    for (auto& e : executions) {
      const bool waiting = e.state == ExecState::pending || e.state == ExecState::due;
      if (waiting && e.due_at && *e.due_at <= now) ready.push_back(&e);
    }
  }
  std::sort(ready.begin(), ready.end(), [](const Execution* a, const Execution* b) {
    if (*a->due_at != *b->due_at) return *a->due_at < *b->due_at;
    if (a->team != b->team) return a->team < b->team;
    return a->item.seq < b->item.seq;
  });
  // Only the earliest due time per round: running it may make chained items due
  // before later ones, so a late catch-up keeps the order a punctual run has.
  if (!ready.empty()) {
    const double first = *ready.front()->due_at;
    ready.erase(std::find_if(ready.begin(), ready.end(),
                             [&](const Execution* e) { return *e->due_at != first; }),
                ready.end());
  }
  std::vector<std::int64_t> due;
  for (Execution* e : ready) {
    if (e->state == ExecState::pending) {
      ExecutionChange c = make_change(e->id, {ExecState::pending}, ExecState::due);
      auto changed = change_locked(*e, c);
      if (!changed) return changed.error();
      if (!*changed) continue;
    }
    due.push_back(e->id);
  }
  return due;
}

Expected<std::optional<ExerciseTimeline::Claim>> ExerciseTimeline::claim_locked(std::int64_t id) {
  for (auto& [team, executions] : teams_) {
    for (auto& e : executions) {
      if (e.id != id) continue;
      // The claim: only the engine whose compare-and-set succeeds runs the execution.
      ExecutionChange claim = make_change(e.id, {ExecState::due}, ExecState::firing);
      claim.fired_at = clock_.now();
      claim.count_attempt = true;
      auto claimed = change_locked(e, claim);
      if (!claimed) return claimed.error();
      if (!*claimed) return std::optional<Claim>();
      return std::optional<Claim>(Claim{e.id, e.team, e.item, *e.fired_at, e.attempts});
    }
  }
  return std::optional<Claim>();
}

void ExerciseTimeline::run(const Claim& claim) {
  // Planted evidence carries the guest clock's time (${time.now-5m|syslog}): filled in now,
  // from the wall time the exercise clock started and the wall time the step runs.
  const auto wall_now = time_->now();
  const scenario::TimeAnchors anchors{clock_state().started_at.value_or(wall_now), wall_now};
  TimelineItem item = claim.item;
  for (auto& [key, value] : item.params) value = scenario::fill_time_placeholders(value, anchors);
  item.text_ja = scenario::fill_time_placeholders(item.text_ja, anchors);
  item.text_en = scenario::fill_time_placeholders(item.text_en, anchors);
  StepContext context{claim.id, claim.attempt, exercise_, claim.team, &item, claim.at};
  Status result;
  try {
    result = executor_->execute(context);
  } catch (const std::exception& error) {
    result = make_error(ErrorCode::internal,
                        "Step '" + claim.item.id + "' threw: " + std::string(error.what()));
  }
  finish(claim, result);
  flush_events();
}

void ExerciseTimeline::finish(const Claim& claim, const Status& result) {
  std::lock_guard lock(mutex_);
  Execution* e = find_locked(claim.team, claim.item.id);
  if (!e) return;
  ExecutionChange done =
      make_change(e->id, {ExecState::firing}, result ? ExecState::done : ExecState::failed);
  done.finished_at = clock_.now();
  done.detail = result ? std::string() : result.error().message;
  if (auto changed = change_locked(*e, done); !changed) {
    // The execution ran: its end is stored by a later tick, so that what follows it still
    // falls due once PostgreSQL is back (a restart before that re-runs or fails it).
    log::get("timeline")
        ->error("exercise {} team {}: cannot record the end of '{}' yet, will retry: {}", exercise_,
                claim.team, claim.item.id, changed.error().message);
    unrecorded_finishes_.push_back(done);
  }
}

void ExerciseTimeline::flush_events() {
  std::vector<TimelineEvent> events;
  {
    std::lock_guard lock(mutex_);
    events.swap(outbox_);
  }
  if (!sink_) return;
  for (const auto& ev : events) sink_(ev);
}

Expected<int> ExerciseTimeline::tick() {
  std::lock_guard serial(fire_mutex_);
  int ran = 0;
  for (;;) {
    std::vector<Claim> reruns;
    std::vector<std::int64_t> due;
    {
      std::lock_guard lock(mutex_);
      if (!clock_.started()) return ran;
      if (Status st = record_finishes_locked(); !st) return st.error();
      if (Status st = resolve_locked(); !st) return st.error();
      auto marked = mark_due_locked(clock_.now());
      if (!marked) return marked.error();
      due = std::move(marked).value();
      // Taken only now: a tick that failed above keeps the re-runs for the next one.
      reruns.swap(reruns_);
    }
    flush_events();
    if (reruns.empty() && due.empty()) return ran;
    for (const Claim& claim : reruns) {
      run(claim);
      ++ran;
    }
    // Claimed one at a time, right before running: a crash leaves at most one
    // execution 'firing', and only one that really started.
    for (std::int64_t id : due) {
      std::optional<Claim> claim;
      {
        std::lock_guard lock(mutex_);
        auto claimed = claim_locked(id);
        if (!claimed) return claimed.error();
        claim = std::move(claimed).value();
      }
      flush_events();
      if (!claim) continue;
      run(*claim);
      ++ran;
    }
  }
}

Status ExerciseTimeline::mark_due_where(const std::string& team,
                                        const std::function<bool(const TriggerSpec&)>& matches) {
  {
    std::lock_guard lock(mutex_);
    auto it = teams_.find(team);
    if (it == teams_.end()) {
      return make_error(ErrorCode::not_found, "Team '" + team + "' has no timeline in exercise '" +
                                                  exercise_ + "'; check the team name.");
    }
    for (auto& e : it->second) {
      if (e.state != ExecState::pending || e.due_at || !matches(e.item.trigger)) continue;
      ExecutionChange c = make_change(e.id, {ExecState::pending}, ExecState::pending);
      c.due_at = clock_.now();
      if (auto changed = change_locked(e, c); !changed) return changed.error();
    }
  }
  auto ran = tick();
  return ran ? Status::success() : Status(ran.error());
}

Status ExerciseTimeline::on_event(const std::string& team, const std::string& event) {
  return mark_due_where(team, [&](const TriggerSpec& t) {
    return t.kind == TriggerSpec::Kind::event && t.event == event;
  });
}

Status ExerciseTimeline::on_objective(const std::string& team, const std::string& objective,
                                      const std::string& state) {
  return mark_due_where(team, [&](const TriggerSpec& t) {
    return t.kind == TriggerSpec::Kind::objective && t.objective == objective && t.state == state;
  });
}

Status ExerciseTimeline::fire(const std::string& team, const std::string& item) {
  {
    std::lock_guard lock(mutex_);
    auto e = require_locked(team, item);
    if (!e) return e.error();
    if (!clock_.started()) {
      return make_error(
          ErrorCode::failed_precondition,
          "Exercise '" + exercise_ + "' has not started; start it before firing '" + item + "'.");
    }
    const std::vector<ExecState> open_states = {ExecState::pending, ExecState::due,
                                                ExecState::failed};
    const bool is_open =
        std::find(open_states.begin(), open_states.end(), (*e)->state) != open_states.end();
    ExecutionChange c = make_change((*e)->id, open_states, ExecState::due);
    c.due_at = clock_.now();
    auto changed = is_open ? change_locked(**e, c) : Expected<bool>(false);
    if (!changed) return changed.error();
    if (!*changed) {
      return make_error(ErrorCode::failed_precondition,
                        "Item '" + item + "' of team '" + team + "' is " +
                            std::string(to_string((*e)->state)) +
                            " and cannot be fired; only pending, due or failed items can.");
    }
  }
  auto ran = tick();
  return ran ? Status::success() : Status(ran.error());
}

Status ExerciseTimeline::skip(const std::string& team, const std::string& item,
                              const std::string& reason) {
  {
    std::lock_guard lock(mutex_);
    auto e = require_locked(team, item);
    if (!e) return e.error();
    const std::vector<ExecState> open_states = {ExecState::pending, ExecState::due,
                                                ExecState::failed};
    const bool is_open =
        std::find(open_states.begin(), open_states.end(), (*e)->state) != open_states.end();
    ExecutionChange c = make_change((*e)->id, open_states, ExecState::skipped);
    c.finished_at = clock_.now();
    c.detail = reason.empty() ? "Skipped by the instructor." : reason;
    auto changed = is_open ? change_locked(**e, c) : Expected<bool>(false);
    if (!changed) return changed.error();
    if (!*changed) {
      return make_error(ErrorCode::failed_precondition,
                        "Item '" + item + "' of team '" + team + "' is " +
                            std::string(to_string((*e)->state)) +
                            " and cannot be skipped; only items that have not run can.");
    }
  }
  auto ran = tick();
  return ran ? Status::success() : Status(ran.error());
}

Status ExerciseTimeline::choose(const std::string& team, const std::string& decision,
                                const std::string& option) {
  {
    std::lock_guard lock(mutex_);
    auto e = require_locked(team, decision);
    if (!e) return e.error();
    const TimelineItem& item = (*e)->item;
    const auto& options = item.options;
    if (item.category != "decision" ||
        std::find(options.begin(), options.end(), option) == options.end()) {
      return make_error(ErrorCode::invalid_argument,
                        "'" + option + "' is not an option of decision '" + decision +
                            "'; list the timeline to see its options.");
    }
    if ((*e)->state != ExecState::done || !(*e)->choice.empty()) {
      return make_error(
          ErrorCode::failed_precondition,
          "Decision '" + decision + "' of team '" + team +
              ((*e)->choice.empty() ? "' has not been presented yet; fire it first."
                                    : "' was already decided: '" + (*e)->choice + "'."));
    }
    ExecutionChange c = make_change((*e)->id, {ExecState::done}, ExecState::done);
    c.choice = option;
    c.chosen_at = clock_.now();
    if (auto changed = change_locked(**e, c); !changed) return changed.error();
    TimelineEvent ev = event_of(**e, clock_.now());
    outbox_.push_back(ev);  // done -> done: announce the choice explicitly
  }
  auto ran = tick();
  return ran ? Status::success() : Status(ran.error());
}

Expected<std::vector<std::string>> ExerciseTimeline::choose_defaults() {
  std::vector<std::pair<std::string, TimelineItem>> undecided;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [team, executions] : teams_)
      for (const auto& e : executions)
        if (e.item.category == "decision" && !e.item.default_option.empty() &&
            e.state == ExecState::done && e.choice.empty())
          undecided.emplace_back(team, e.item);
  }
  std::vector<std::string> chosen;
  for (const auto& [team, item] : undecided) {
    Status st = choose(team, item.id, item.default_option);
    // Someone chose meanwhile: their choice stands.
    if (!st && st.error().code == ErrorCode::failed_precondition) continue;
    if (!st) return st.error();
    chosen.push_back(team + "/" + item.id + ":" + item.default_option);
  }
  return chosen;
}

}  // namespace cyrange::timeline
