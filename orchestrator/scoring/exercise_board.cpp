#include <orchestrator/scoring/exercise_board.h>

#include <algorithm>

namespace cyrange::scoring {
namespace {

std::vector<TeamTotal> totals(const Scoreboard& board) {
  std::vector<TeamTotal> out;
  out.reserve(board.standings.size());
  for (const auto& s : board.standings) out.push_back(TeamTotal{s.team, s.total, s.rank});
  return out;
}

}  // namespace

// --- Subscription ---------------------------------------------------------------

Subscription::Subscription(ExerciseBoard& board, std::string team, std::size_t capacity)
    : board_(board), team_(std::move(team)), capacity_(std::max<std::size_t>(capacity, 1)) {}

std::shared_ptr<const ScoreUpdate> Subscription::next() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return nullptr;
    if (!resync_) {
      if (queue_.empty()) return nullptr;
      auto update = std::move(queue_.front());
      queue_.pop_front();
      return update;
    }
  }
  // Outside our lock: the board takes its state lock, then ours (the writer's order).
  return board_.resync(*this);
}

void Subscription::set_wake(std::function<void()> wake) {
  std::lock_guard lock(mutex_);
  wake_ = std::move(wake);
}

std::size_t Subscription::resyncs() const {
  std::lock_guard lock(mutex_);
  return resyncs_;
}

bool Subscription::push(std::shared_ptr<const ScoreUpdate> update) {
  std::lock_guard lock(mutex_);
  if (closed_) return false;
  if (resync_) return true;  // the pending snapshot will include this update
  if (queue_.size() >= capacity_) {
    // A slow reader costs a snapshot, never unbounded memory or a waiting writer.
    queue_.clear();
    resync_ = true;
    ++resyncs_;
    return true;
  }
  queue_.push_back(std::move(update));
  return true;
}

void Subscription::wake() {
  std::function<void()> wake;
  {
    std::lock_guard lock(mutex_);
    wake = wake_;
  }
  if (wake) wake();
}

// --- ExerciseBoard --------------------------------------------------------------

ExerciseBoard::ExerciseBoard(ExerciseScoring setup, std::shared_ptr<LedgerStore> store, Clock clock)
    : setup_(std::move(setup)), store_(std::move(store)), clock_(std::move(clock)) {}

Expected<std::unique_ptr<ExerciseBoard>> ExerciseBoard::open(ExerciseScoring setup,
                                                             std::shared_ptr<LedgerStore> store,
                                                             Clock clock) {
  if (setup.team_rules.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "Exercise '" + setup.exercise_id +
                          "' has no teams to score; add teams before opening its scoreboard.");
  }
  auto entries = store->entries(setup.exercise_id);
  if (!entries) return entries.error();
  auto mode = store->board_mode(setup.exercise_id);
  if (!mode) return mode.error();
  std::unique_ptr<ExerciseBoard> board(
      new ExerciseBoard(std::move(setup), std::move(store), std::move(clock)));
  for (const auto& [team, rules] : board->setup_.team_rules) {
    auto engine = ScoringEngine::create(rules);
    if (!engine) return engine.error();
    board->engines_.emplace(team, std::move(engine).value());
  }
  // Points are the same for every team; only answers differ, so any team's rules weigh
  // partial credit for all.
  board->derive_options_.rules = &board->engines_.begin()->second.rules();
  board->derive_options_.teams = board->setup_.teams;
  board->tally_ = ScoreTally(board->derive_options_);
  std::chrono::milliseconds latest{0};
  for (const auto& entry : *entries) {
    board->tally_.apply(entry);
    board->through_seq_ = std::max(board->through_seq_, entry.seq);
    latest = std::max(latest, entry.exercise_time);
  }
  board->entries_ = std::move(entries).value();
  for (const auto& line : totals(board->tally_.scoreboard())) board->last_board_[line.team] = line;
  board->visibility_ = *mode;
  if (!board->clock_) {
    // Without the exercise clock, time continues from the ledger so a restart never
    // makes it run backwards.
    const auto opened = std::chrono::steady_clock::now();
    board->clock_ = [opened, latest] {
      return latest + std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - opened);
    };
  }
  return board;
}

const ScoringEngine& ExerciseBoard::engine(const std::string& team) const {
  return engines_.at(team);  // callers checked has_team()
}

Expected<Outcome> ExerciseBoard::record(const std::string& team, const std::string& objective,
                                        const Decision& decide) {
  if (!has_team(team)) {
    return make_error(ErrorCode::not_found, "Team '" + team + "' does not play in exercise '" +
                                                exercise() + "'; check the team name.");
  }
  std::lock_guard write(write_mutex_);
  auto outcome = store_->append_decided(exercise(), team, objective, decide);
  if (outcome && !outcome->entries.empty()) publish(outcome->entries);
  return outcome;
}

Expected<Outcome> ExerciseBoard::submit(const std::string& team, const std::string& objective,
                                        const std::string& part, const std::string& value,
                                        const std::string& actor) {
  const auto at = clock_();
  auto outcome = record(team, objective, [&](const ObjectiveState& state) -> Expected<Outcome> {
    const ScoringEngine& judge = engine(team);
    // A scenario's own attempt limit replaces the default back-off; an objective already
    // solved answers "already solved" without waiting.
    auto rules = judge.rules().objectives.find(objective);
    if (rules != judge.rules().objectives.end() && rules->second.max_wrong_answers == 0 &&
        !state.solved) {
      if (Status admitted = throttle_.admit(team, objective, state.wrong_attempts); !admitted)
        return admitted.error();
    }
    return judge.submit(AnswerSubmission{team, objective, part, value, actor, at}, state,
                        setup_.team_variables.at(team));
  });
  if (outcome && outcome->verdict == Verdict::wrong) throttle_.note_wrong(team, objective);
  return outcome;
}

Expected<Outcome> ExerciseBoard::pass_check(const std::string& team, const std::string& objective,
                                            const std::string& part, const std::string& evidence,
                                            const std::string& actor) {
  const auto at = clock_();
  return record(team, objective, [&](const ObjectiveState& state) {
    return engine(team).pass_check(CheckPassed{team, objective, part, actor, evidence, at}, state);
  });
}

Expected<Outcome> ExerciseBoard::give_hint(const std::string& team, const std::string& objective,
                                           const std::string& hint, const std::string& actor) {
  const auto at = clock_();
  auto outcome = record(team, objective, [&](const ObjectiveState& state) {
    return engine(team).take_hint(HintRequest{team, objective, hint, actor, at}, state);
  });
  if (const ObjectiveTexts* shown = texts(team, objective); outcome && shown) {
    if (auto text = shown->hints.find(hint); text != shown->hints.end()) {
      outcome->content = text->second;
    }
  }
  return outcome;
}

Expected<Outcome> ExerciseBoard::record_outage(const std::string& team, const std::string& service,
                                               std::chrono::milliseconds down,
                                               std::chrono::milliseconds up,
                                               const std::string& actor) {
  return record(team, "", [&](const ObjectiveState&) {
    return engine(team).service_outage(ServiceOutage{team, service, actor, down, up});
  });
}

Expected<Outcome> ExerciseBoard::reveal_solution(const std::string& team,
                                                 const std::string& objective,
                                                 const std::string& actor) {
  const auto at = clock_();
  auto outcome = record(team, objective, [&](const ObjectiveState& state) {
    return engine(team).reveal_solution(SolutionReveal{team, objective, actor, at}, state);
  });
  if (const ObjectiveTexts* shown = texts(team, objective); outcome && shown) {
    outcome->content = shown->solution;
  }
  return outcome;
}

const ObjectiveTexts* ExerciseBoard::texts(const std::string& team,
                                           const std::string& objective) const {
  auto by_team = setup_.team_texts.find(team);
  if (by_team == setup_.team_texts.end()) return nullptr;
  auto found = by_team->second.find(objective);
  return found == by_team->second.end() ? nullptr : &found->second;
}

Expected<Outcome> ExerciseBoard::adjust(const std::string& team, const std::string& objective,
                                        int points, const std::string& reason,
                                        const std::string& actor) {
  const auto at = clock_();
  return record(team, objective, [&](const ObjectiveState&) {
    return engine(team).adjust(Adjustment{team, objective, points, actor, reason, at});
  });
}

Status ExerciseBoard::set_mode(BoardMode mode, const std::string& actor) {
  BoardVisibility visibility{mode,
                             mode == BoardMode::frozen ? clock_() : std::chrono::milliseconds(0)};
  std::lock_guard write(write_mutex_);
  if (auto stored = store_->set_board_mode(exercise(), visibility, actor); !stored) return stored;
  std::vector<std::shared_ptr<Subscription>> wake;
  {
    std::lock_guard lock(state_mutex_);
    visibility_ = visibility;
    for (const auto& subscription : subscribers_) {
      std::lock_guard sub_lock(subscription->mutex_);
      if (subscription->closed_) continue;
      subscription->queue_.clear();
      subscription->resync_ = true;
      wake.push_back(subscription);
    }
  }
  for (const auto& subscription : wake) subscription->wake();
  return Status::success();
}

void ExerciseBoard::publish(const std::vector<LedgerEntry>& entries) {
  std::vector<std::shared_ptr<Subscription>> wake;
  {
    std::lock_guard lock(state_mutex_);
    std::set<std::string> changed;
    for (const auto& entry : entries) {
      tally_.apply(entry);
      entries_.push_back(entry);
      through_seq_ = std::max(through_seq_, entry.seq);
      changed.insert(entry.team);
    }
    const Scoreboard board = tally_.scoreboard();
    const bool live = visibility_.mode == BoardMode::live;

    // One update per audience, shared by all its subscribers.
    auto staff = std::make_shared<ScoreUpdate>();
    staff->through_seq = through_seq_;
    staff->visibility = visibility_;
    staff->entries = entries;
    for (const auto& standing : board.standings) {
      if (changed.contains(standing.team)) staff->standings.push_back(standing);
    }
    // Only lines whose total or rank moved: a board of many teams is sent once, in the
    // snapshot, and each delta stays small for thousands of watching clients.
    for (const auto& line : totals(board)) {
      auto& last = last_board_[line.team];
      if (last.total != line.total || last.rank != line.rank || last.team.empty()) {
        staff->board.push_back(line);
        last = line;
      }
    }
    std::shared_ptr<ScoreUpdate> others;  // teams whose own score did not change
    if (live) {
      others = std::make_shared<ScoreUpdate>();
      others->through_seq = through_seq_;
      others->visibility = visibility_;
      others->board = staff->board;
    }
    std::map<std::string, std::shared_ptr<ScoreUpdate>> own;
    for (const auto& team : changed) {
      auto update = std::make_shared<ScoreUpdate>();
      update->team = team;
      update->through_seq = through_seq_;
      update->visibility = visibility_;
      for (const auto& entry : entries) {
        if (entry.team == team) update->entries.push_back(entry);
      }
      if (const TeamStanding* standing = board.find(team)) {
        update->own = *standing;
        if (!live) update->own->rank = 0;
      }
      if (live) update->board = staff->board;
      own.emplace(team, std::move(update));
    }

    for (const auto& subscription : subscribers_) {
      std::shared_ptr<const ScoreUpdate> update;
      if (subscription->team().empty()) {
        update = staff;
      } else if (auto found = own.find(subscription->team()); found != own.end()) {
        update = found->second;
      } else {
        update = others;  // nothing at all when the board is frozen or hidden
      }
      if (update && subscription->push(update)) wake.push_back(subscription);
    }
  }
  for (const auto& subscription : wake) subscription->wake();
}

ScoreUpdate ExerciseBoard::snapshot_locked(const std::string& team) const {
  ScoreUpdate out;
  out.snapshot = true;
  out.through_seq = through_seq_;
  out.team = team;
  out.visibility = visibility_;
  if (team.empty()) {
    Scoreboard board = tally_.scoreboard();
    out.board = totals(board);
    out.standings = std::move(board.standings);
    return out;
  }
  // The team's own line comes from the live tally; the board of the others honours
  // freeze and hide exactly as scoring::team_view() defines it.
  TeamView view = team_view(entries_, team, visibility_, derive_options_);
  Scoreboard live = tally_.scoreboard();
  if (const TeamStanding* standing = live.find(team)) {
    out.own = *standing;
    if (visibility_.mode != BoardMode::live) out.own->rank = 0;
  }
  out.board = std::move(view.board);
  return out;
}

std::vector<Task> ExerciseBoard::tasks(const std::string& team) const {
  const auto rules = setup_.team_rules.find(team);
  if (rules == setup_.team_rules.end()) return {};
  const auto texts = setup_.team_texts.find(team);
  const ScoreUpdate now = snapshot(team);
  return team_tasks(
      rules->second,
      texts == setup_.team_texts.end() ? std::map<std::string, ObjectiveTexts>{} : texts->second,
      now.own ? *now.own : TeamStanding{});
}

ScoreUpdate ExerciseBoard::snapshot(const std::string& team) const {
  std::lock_guard lock(state_mutex_);
  return snapshot_locked(team);
}

std::shared_ptr<const ScoreUpdate> ExerciseBoard::resync(Subscription& subscription) {
  std::lock_guard lock(state_mutex_);
  std::lock_guard sub_lock(subscription.mutex_);
  if (subscription.closed_) return nullptr;
  if (!subscription.resync_) {
    // Another reader resynced in between; continue with the queue.
    if (subscription.queue_.empty()) return nullptr;
    auto update = std::move(subscription.queue_.front());
    subscription.queue_.pop_front();
    return update;
  }
  // Under the state lock no update can slip between this snapshot and the queue.
  subscription.resync_ = false;
  subscription.queue_.clear();
  return std::make_shared<const ScoreUpdate>(snapshot_locked(subscription.team()));
}

std::vector<LedgerEntry> ExerciseBoard::entries() const {
  std::lock_guard lock(state_mutex_);
  return entries_;
}

Status ExerciseBoard::reread_ledger() {
  std::lock_guard write(write_mutex_);  // no entry is appended meanwhile
  auto entries = store_->entries(setup_.exercise_id);
  if (!entries) return entries.error();
  std::lock_guard lock(state_mutex_);
  if (entries->size() != entries_.size())
    return make_error(ErrorCode::internal,
                      "The ledger of exercise '" + setup_.exercise_id + "' has " +
                          std::to_string(entries->size()) + " entries, this board " +
                          std::to_string(entries_.size()) + "; restart cyranged to read it again.");
  entries_ = std::move(entries).value();
  return Status::success();
}

Scoreboard ExerciseBoard::scoreboard() const {
  std::lock_guard lock(state_mutex_);
  return tally_.scoreboard();
}

std::shared_ptr<Subscription> ExerciseBoard::subscribe(const std::string& team,
                                                       std::size_t capacity) {
  auto subscription = std::make_shared<Subscription>(*this, team, capacity);
  std::lock_guard lock(state_mutex_);
  subscribers_.insert(subscription);
  return subscription;
}

void ExerciseBoard::unsubscribe(const std::shared_ptr<Subscription>& subscription) {
  std::lock_guard lock(state_mutex_);
  {
    std::lock_guard sub_lock(subscription->mutex_);
    subscription->closed_ = true;
    subscription->queue_.clear();
    subscription->wake_ = nullptr;
  }
  subscribers_.erase(subscription);
}

}  // namespace cyrange::scoring
