#include <client-core/script/grpc_trainee_session.h>

#include <algorithm>
#include <thread>

#include <client-core/range_client.h>
#include <orchestrator/common/log.h>

namespace cyrange::client {
namespace {

using Clock = std::chrono::steady_clock;

std::string seconds_text(std::chrono::milliseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(d).count()) + " s";
}

Error timed_out(const std::string& what, std::chrono::milliseconds timeout,
                const std::string& fix) {
  return make_error(ErrorCode::unavailable,
                    what + " within " + seconds_text(timeout) + " of waiting; " + fix);
}

}  // namespace

GrpcTraineeSession::GrpcTraineeSession(Connection connection, GrpcSessionOptions options)
    : connection_(connection),
      options_(std::move(options)),
      timeline_(connection),
      scoring_(connection) {}

Expected<std::unique_ptr<GrpcTraineeSession>> GrpcTraineeSession::open(Connection connection,
                                                                       GrpcSessionOptions options) {
  if (options.exercise.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "A scripted trainee needs the exercise it plays; name it.");
  }
  if (options.team.empty()) {
    auto ranges = list_ranges(connection, options.exercise);
    if (!ranges) return ranges.error();
    if (ranges->size() != 1) {
      return make_error(ErrorCode::invalid_argument,
                        "The caller sees " + std::to_string(ranges->size()) +
                            " team ranges of exercise '" + options.exercise +
                            "'; name the team the scripted trainee plays for.");
    }
    options.team = ranges->front().team;
  }
  std::unique_ptr<GrpcTraineeSession> session(
      new GrpcTraineeSession(std::move(connection), std::move(options)));
  GrpcTraineeSession* self = session.get();
  if (!session->options_.recorder_dir.empty()) {
    auto buffer = EventBuffer::open({session->options_.recorder_dir});
    if (!buffer) return buffer.error();
    session->recorder_ =
        std::make_unique<RecorderClient>(session->connection_, std::move(buffer).value());
  }
  if (Status st = session->refresh_timeline(); !st) return st.error();
  session->watch_ = session->timeline_.watch(
      session->options_.exercise, session->options_.team,
      [self](const TimelineChange& change) {
        if (change.item.kind != ItemKind::objective) return;
        std::lock_guard lock(self->mu_);
        self->objective_states_[change.item.item_id] = change.item.state;
        self->cv_.notify_all();
      },
      [self](const StreamEnd& end) {
        // Waits fall back to polling ListTimeline; only say why the stream went.
        std::lock_guard lock(self->mu_);
        if (self->closed_) return;
        log::get("playtest")
            ->info("timeline watch of team {} ended: {}", self->options_.team,
                   end.reason == StreamEnd::Reason::failed ? end.error.message : "completed");
      });
  return session;
}

GrpcTraineeSession::~GrpcTraineeSession() { close(std::chrono::seconds(5)); }

bool GrpcTraineeSession::close(std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(mu_);
    if (closed_)
      return !recorder_ || recorder_->buffer().acked_seq() >= recorder_->buffer().last_seq();
    closed_ = true;
  }
  for (auto& [host, console] : consoles_) console->close();
  watch_.cancel_and_wait();
  return !recorder_ || recorder_->wait_until_acked(timeout);
}

void GrpcTraineeSession::record(TraineeEvent event) {
  if (!recorder_) return;
  event.exercise_id = options_.exercise;
  if (auto recorded = recorder_->record(std::move(event)); !recorded) {
    log::get("playtest")
        ->warn("team {}: an action was not recorded: {}", options_.team, recorded.error().message);
  }
}

Status GrpcTraineeSession::refresh_timeline() {
  auto listing = timeline_.list(options_.exercise, options_.team);
  if (!listing) return listing.error();
  std::lock_guard lock(mu_);
  for (const auto& item : listing->items) {
    if (item.kind == ItemKind::objective) objective_states_[item.item_id] = item.state;
  }
  cv_.notify_all();
  return Status::success();
}

Status GrpcTraineeSession::wait_until(const WaitCondition& condition,
                                      std::chrono::milliseconds timeout) {
  switch (condition.kind) {
    case WaitCondition::Kind::none:
      return Status::success();
    case WaitCondition::Kind::objective_open:
      return wait_objective_open(condition.objective, timeout);
    case WaitCondition::Kind::objective_solved:
      return wait_objective_solved(condition.objective, timeout);
    case WaitCondition::Kind::exercise_time:
      return wait_exercise_time(condition.seconds, timeout);
  }
  return Status::success();
}

Status GrpcTraineeSession::wait_objective_open(const std::string& objective,
                                               std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    {
      std::unique_lock lock(mu_);
      // The watch wakes us at once; the poll re-reads the list in case it was cut.
      cv_.wait_for(lock, options_.poll * 4, [&] { return objective_states_[objective] == ItemState::done; });
      if (objective_states_[objective] == ItemState::done) return Status::success();
    }
    if (Clock::now() >= deadline) break;
    if (Status st = refresh_timeline(); !st) return st;
  }
  return timed_out("Objective '" + objective + "' did not open for team " + options_.team, timeout,
                   "check its `opens:` trigger in the scenario (does the step it follows "
                   "fail?) or give the playtest a longer wait.");
}

Status GrpcTraineeSession::wait_objective_solved(const std::string& objective,
                                                 std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    auto line = progress();
    if (!line) return line.error();
    for (const auto& o : line->objectives) {
      if (o.objective == objective && o.status == ObjectiveStatus::solved) return Status::success();
    }
    if (Clock::now() >= deadline) break;
    std::this_thread::sleep_for(options_.poll);
  }
  return timed_out("Objective '" + objective + "' was not solved for team " + options_.team,
                   timeout,
                   "for a range-state check, make sure the action before really changes the "
                   "guest and that cyranged runs the check.");
}

Status GrpcTraineeSession::wait_exercise_time(double seconds, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    auto listing = timeline_.list(options_.exercise, options_.team);
    if (!listing) return listing.error();
    const TimelineClock& clock = listing->clock;
    if (clock.now_seconds >= seconds) return Status::success();
    if (Clock::now() >= deadline) break;
    auto sleep = std::chrono::milliseconds(options_.poll);
    if (clock.started && !clock.paused && clock.speed > 0) {
      // Sleep about as long as the clock needs, but look again at least every second.
      const double wall = (seconds - clock.now_seconds) / clock.speed;
      sleep = std::clamp(std::chrono::milliseconds(static_cast<long long>(wall * 1000) + 1),
                         std::chrono::milliseconds(1), std::chrono::milliseconds(1000));
    }
    std::this_thread::sleep_for(sleep);
  }
  return timed_out("The exercise clock did not reach T+" + format_exercise_time(seconds), timeout,
                   "ask the instructor whether the clock is paused.");
}

Expected<double> GrpcTraineeSession::exercise_time() {
  auto listing = timeline_.list(options_.exercise, options_.team);
  if (!listing) return listing.error();
  return listing->clock.now_seconds;
}

Expected<ConsoleOutput> GrpcTraineeSession::run_command(const std::string& host,
                                                        const std::string& command,
                                                        std::chrono::milliseconds timeout) {
  auto& console = consoles_[host];
  if (!console) {
    auto opened =
        ConsoleShell::open(connection_, TerminalTarget{options_.exercise, options_.team, host});
    if (!opened) {
      consoles_.erase(host);
      return opened.error();
    }
    console = std::move(opened).value();
  }
  if (focused_host_ != host) {
    TraineeEvent focus;
    focus.kind = TraineeEventKind::focus;
    focus.target = "terminal:" + host;
    record(focus);
    focused_host_ = host;
  }
  TraineeEvent typed;
  typed.kind = TraineeEventKind::command;
  typed.text = command;
  typed.target = host;
  record(typed);
  auto output = console->run(command, timeout);
  if (!output && output.error().code == ErrorCode::unavailable) {
    consoles_.erase(host);  // a dead or stuck terminal is reopened by the next command
  }
  return output;
}

Expected<ScoringReply> GrpcTraineeSession::submit_answer(const std::string& objective,
                                                         const std::string& part,
                                                         const std::string& answer) {
  TraineeEvent event;
  event.kind = TraineeEventKind::answer;
  event.text = answer;
  event.target = part.empty() ? objective : objective + "/" + part;
  record(event);
  return scoring_.submit_answer(options_.exercise, objective, part, answer);
}

Expected<ScoringReply> GrpcTraineeSession::take_hint(const std::string& objective,
                                                     const std::string& hint) {
  TraineeEvent event;
  event.kind = TraineeEventKind::hint;
  event.target = objective + "/" + hint;
  record(event);
  return scoring_.take_hint(options_.exercise, objective, hint);
}

Expected<TeamLine> GrpcTraineeSession::progress() {
  auto board = scoring_.scoreboard(options_.exercise, options_.team);
  if (!board) return board.error();
  if (board->own) return *board->own;
  for (const auto& line : board->standings) {
    if (line.team == options_.team) return line;
  }
  return TeamLine{options_.team, 0, 0, {}};  // nothing scored yet
}

}  // namespace cyrange::client
