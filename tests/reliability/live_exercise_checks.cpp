// The play around a fault and what must hold after it: every recorded event stored
// exactly once, every step run once in the guests, scores that a recomputation from
// the ledger reproduces, and an exercise that is still ready with its clock running.
#include <tests/reliability/live_exercise_fixture.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <thread>

#include <client-core/exercise_client.h>
#include <client-core/timeline_client.h>
#include <orchestrator/exercise/live_ranges.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/inject/guest_runner.h>
#include <orchestrator/inject/step_kit.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/scoring/from_scenario.h>
#include <orchestrator/scoring/pg_ledger_store.h>
#include <orchestrator/scoring/scoreboard.h>

namespace cyrange::reliability {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

constexpr double kSpeed = 10;
constexpr auto kEventPeriod = 10ms;
const std::set<std::string> kFinished = {"done", "failed", "skipped"};

std::string joined(const std::vector<std::string>& items) {
  std::vector<std::string> sorted = items;
  std::sort(sorted.begin(), sorted.end());
  std::string out;
  for (const auto& item : sorted) out += (out.empty() ? "" : ",") + item;
  return out;
}

const char* status_name(scoring::ObjectiveStatus status) {
  switch (status) {
    case scoring::ObjectiveStatus::open:
      return "open";
    case scoring::ObjectiveStatus::partial:
      return "partial";
    case scoring::ObjectiveStatus::solved:
      return "solved";
  }
  return "?";
}

// The scoreboard as GetScoreboard sent it, one line per team and objective.
std::string render(const std::vector<client::TeamLine>& standings) {
  std::ostringstream out;
  for (const auto& team : standings) {
    out << team.team << " total " << team.total << " rank " << team.rank << "\n";
    auto objectives = team.objectives;
    std::sort(objectives.begin(), objectives.end(),
              [](const auto& a, const auto& b) { return a.objective < b.objective; });
    for (const auto& o : objectives)
      out << "  " << o.objective << " " << client::to_string(o.status) << " points " << o.points
          << " wrong " << o.wrong_attempts << " hints [" << joined(o.hints_taken) << "] parts ["
          << joined(o.parts_solved) << "]\n";
  }
  return out.str();
}

// The same lines from a scoreboard derived from ledger entries.
std::string render(const scoring::Scoreboard& board) {
  std::ostringstream out;
  for (const auto& team : board.standings) {
    out << team.team << " total " << team.total << " rank " << team.rank << "\n";
    for (const auto& [id, progress] : team.objectives) {
      const auto& s = progress.state;
      out << "  " << id << " " << status_name(progress.status) << " points " << s.points
          << " wrong " << s.wrong_attempts << " hints ["
          << joined({s.hints_taken.begin(), s.hints_taken.end()}) << "] parts ["
          << joined({s.parts_solved.begin(), s.parts_solved.end()}) << "]\n";
    }
  }
  return out.str();
}

// `script` run by sh inside `host`; its standard output without the last newline.
std::string guest_output(inject::GuestRunner& runner, const std::string& host,
                         const std::string& script) {
  auto result = runner.exec(host, {"sh", "-c", script});
  if (!result) return "(cannot run in " + host + ": " + result.error().message + ")";
  std::string out = result->out;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

std::string LiveExerciseTest::submit_until_answered(const std::string& objective,
                                                    const std::string& answer,
                                                    std::chrono::milliseconds budget) {
  const auto deadline = SteadyClock::now() + budget;
  std::string last;
  while (SteadyClock::now() < deadline) {
    // A fresh channel each time: a channel that failed keeps backing off for a while.
    auto reply = client::ScoringClient(trainee()).submit_answer(exercise_, objective, "", answer);
    if (reply) return std::string(client::to_string(reply->verdict));
    last = reply.error().message;
    std::this_thread::sleep_for(500ms);
  }
  ADD_FAILURE() << "answering " << objective << " never got through: " << last;
  return "(no answer: " + last + ")";
}

std::string LiveExerciseTest::hint_until_answered(const std::string& objective,
                                                  std::chrono::milliseconds budget) {
  const auto deadline = SteadyClock::now() + budget;
  std::string last;
  while (SteadyClock::now() < deadline) {
    auto reply =
        client::ScoringClient(trainee()).take_hint(exercise_, objective, scoring::hint_id("", 0));
    if (reply) return std::string(client::to_string(reply->verdict));
    last = reply.error().message;
    std::this_thread::sleep_for(500ms);
  }
  ADD_FAILURE() << "the hint of " << objective << " never got through: " << last;
  return "(no answer: " + last + ")";
}

void LiveExerciseTest::play_through(const std::function<void(const FaultMoment&)>& fault,
                                    int max_attempts_of_interrupted) {
  client::TimelineClient timeline(instructor());
  auto speed = timeline.control_clock(exercise_, client::ClockAction::set_speed, kSpeed);
  ASSERT_TRUE(speed) << speed.error().message;
  auto started = timeline.control_clock(exercise_, client::ClockAction::start);
  ASSERT_TRUE(started) << started.error().message;
  auto trainee_client =
      RecordingTrainee::start(trainee(), dir_ / "buffer", exercise_, kEventPeriod);
  ASSERT_TRUE(trainee_client) << trainee_client.error().message;
  RecordingTrainee& typing = **trainee_client;

  // Before the fault: a hint, a wrong answer, then the right one.
  EXPECT_EQ(hint_until_answered("recipient", 1min), "recorded");
  EXPECT_EQ(submit_until_answered("recipient", "nobody@example.invalid", 1min), "wrong");
  EXPECT_EQ(submit_until_answered("recipient", variables_.at("victim_mailbox"), 1min), "correct");

  // The fault strikes while a step runs inside a guest, with an answer in flight.
  FaultMoment moment;
  const auto catch_deadline = SteadyClock::now() + 3min;
  while (moment.firing.id == 0 && SteadyClock::now() < catch_deadline) {
    for (const auto& [id, row] : executions())
      if (row.kind == "step" && row.state == "firing") moment.firing = row;
    if (moment.firing.id == 0) std::this_thread::sleep_for(20ms);
  }
  ASSERT_NE(moment.firing.id, 0) << "no step was seen running within 3 minutes";
  moment.before = executions();
  std::thread in_flight([this] {
    (void)client::ScoringClient(trainee()).submit_answer(exercise_, "attachment", "",
                                                         variables_.at("lure_file"));
  });
  fault(moment);
  in_flight.join();
  if (HasFatalFailure()) return;

  // After the fault: the answer sent during it is judged once; the play goes on.
  const std::string attachment =
      submit_until_answered("attachment", variables_.at("lure_file"), 3min);
  EXPECT_TRUE(attachment == "correct" || attachment == "already_solved") << attachment;
  EXPECT_EQ(hint_until_answered("c2-address", 1min), "recorded");
  EXPECT_EQ(submit_until_answered("c2-address", "10.50.0.1", 1min), "wrong");
  EXPECT_EQ(submit_until_answered("c2-address", variables_.at("c2_address"), 1min), "correct");

  const auto timeline_deadline = SteadyClock::now() + 6min;
  for (;;) {
    const auto rows = executions();
    const bool finished = std::all_of(rows.begin(), rows.end(), [](const auto& entry) {
      return kFinished.contains(entry.second.state);
    });
    if (finished) break;
    if (SteadyClock::now() > timeline_deadline) {
      std::ostringstream open;
      for (const auto& [id, row] : rows)
        if (!kFinished.contains(row.state)) open << " " << row.item << "=" << row.state;
      FAIL() << "the timeline did not finish within 6 minutes of the fault; still open:"
             << open.str();
    }
    std::this_thread::sleep_for(500ms);
  }
  expect_ready_and_progressing();

  typing.stop_typing();
  ASSERT_TRUE(typing.wait_until_acked(3min))
      << typing.acked() << " of " << typing.recorded()
      << " events acknowledged; last stream error: " << typing.last_error();
  recorder_streams_ = typing.connections();
  expect_recording_exact(typing);
  expect_each_step_once(moment, max_attempts_of_interrupted);
  expect_guest_effects_once();
  expect_scoreboard_recomputes();
  expect_ledger_once();
  const auto interrupted = executions().at(moment.firing.id);
  std::cerr << typing.recorded() << " events recorded over " << recorder_streams_
            << " recorder stream(s), each stored once; '" << interrupted.item
            << "' (running at the fault) finished after " << interrupted.attempts
            << " attempt(s), every other execution after 1\n";
}

void LiveExerciseTest::expect_recording_exact(RecordingTrainee& trainee) {
  const std::uint64_t sent = trainee.recorded();
  EXPECT_GT(sent, 500u) << "the trainee recorded too little to show anything";
  EXPECT_EQ(trainee.refused(), 0u);
  EXPECT_EQ(trainee.acked(), sent);
  const std::string where = " FROM recorder_events WHERE exercise_id = '" + exercise_ + "'";
  const std::string n = std::to_string(sent);
  // Exactly sequences 1..N of this client, each once, and nothing else.
  EXPECT_EQ(query("SELECT concat_ws(' ', count(*), count(DISTINCT (client_id, seq)), min(seq), "
                  "max(seq), count(DISTINCT client_id))" +
                  where),
            n + " " + n + " 1 " + n + " 1");
  EXPECT_EQ(query("SELECT client_id::text" + where + " LIMIT 1"), trainee.client_id());
  // Each stored event is the one sent under its number (see RecordingTrainee::type).
  EXPECT_EQ(query("SELECT count(*)" + where +
                  " AND NOT ((seq % 50 = 0 AND kind = 'command') OR (seq % 50 = 25 AND kind = "
                  "'focus') OR (seq % 50 = 38 AND kind = 'idle') OR (seq % 50 NOT IN (0, 25, 38) "
                  "AND kind = 'key' AND data->>'key' = chr(97 + ((seq - 1) % 26)::int)))"),
            "0");
  EXPECT_EQ(query("SELECT highest_committed_seq FROM recorder_clients WHERE client_id = '" +
                  trainee.client_id() + "'"),
            n);
}

void LiveExerciseTest::expect_each_step_once(const FaultMoment& fault,
                                             int max_attempts_of_interrupted) {
  const auto after = executions();
  ASSERT_EQ(after.size(), fault.before.size()) << "executions appeared or vanished";
  int moved_after_fault = 0;
  for (const auto& [id, row] : after) {
    const ExecutionRow& before = fault.before.at(id);
    EXPECT_EQ(row.state, "done") << row.item << ": "
                                 << query("SELECT detail FROM timeline_executions WHERE id = " +
                                          std::to_string(id));
    if (id == fault.firing.id) {
      EXPECT_GE(row.attempts, 1) << row.item;
      EXPECT_LE(row.attempts, max_attempts_of_interrupted)
          << row.item << " was running at the fault and ran " << row.attempts << " times";
    } else {
      EXPECT_EQ(row.attempts, 1) << row.item << " ran " << row.attempts << " times";
    }
    if (kFinished.contains(before.state)) {
      // Finished before the fault: untouched since.
      EXPECT_EQ(row.attempts, before.attempts) << row.item;
      EXPECT_EQ(row.fired_at, before.fired_at) << row.item;
      EXPECT_EQ(row.finished_at, before.finished_at) << row.item;
    } else if (row.state == "done") {
      ++moved_after_fault;
    }
  }
  EXPECT_GE(moved_after_fault, 2) << "the timeline hardly moved after the fault";
}

void LiveExerciseTest::expect_guest_effects_once() {
  auto connected = range::LibvirtHypervisor::connect("qemu:///system");
  ASSERT_TRUE(connected) << connected.error().message;
  auto registry = exercise::RangeRegistry::open(db_->uri());
  ASSERT_TRUE(registry) << registry.error().message;
  exercise::LiveRanges ranges(std::shared_ptr<range::Hypervisor>(std::move(*connected)),
                              std::shared_ptr<exercise::RangeRegistry>(std::move(*registry)));
  auto target = ranges.target(exercise_, team_);
  ASSERT_TRUE(target) << target.error().message;
  inject::GuestRunner& runner = *target->runner;
  // The lure reached the mailbox once, was opened once, and one implant beacons.
  EXPECT_EQ(guest_output(runner, "mail",
                         "grep -c '^From billing@' /var/mail/" + variables_.at("victim_user")),
            "1");
  EXPECT_EQ(guest_output(runner, "ws01", "grep -c sim-downloader /var/log/cyrange-sim/process.log"),
            "1");
  EXPECT_EQ(guest_output(runner, "ws01", "ps | grep -c '[.]cache/update-'"), "1");
  for (const auto& [id, row] : executions()) {
    if (row.kind != "step") continue;
    EXPECT_EQ(guest_output(runner, row.target,
                           "test -e " + std::string(inject::kMarkerDir) + "/" + std::to_string(id) +
                               " && echo finished"),
              "finished")
        << row.item << " left no finished marker in " << row.target;
  }
}

void LiveExerciseTest::expect_scoreboard_recomputes() {
  auto board = client::ScoringClient(instructor()).scoreboard(exercise_);
  ASSERT_TRUE(board) << board.error().message;
  auto ledger = scoring::PgLedgerStore::open(db_->uri());
  ASSERT_TRUE(ledger) << ledger.error().message;
  auto entries = (*ledger)->entries(exercise_);
  ASSERT_TRUE(entries) << entries.error().message;
  auto setup = scoring::exercise_scoring(*scenario_, exercise_, {team_}, kSeed);
  ASSERT_TRUE(setup) << setup.error().message;
  scoring::DeriveOptions options;
  options.rules = &setup->team_rules.at(team_);
  options.teams = {team_};
  const std::string served = render(board->standings);
  EXPECT_EQ(served, render(scoring::derive(*entries, options)));
  EXPECT_NE(served.find("c2-address solved"), std::string::npos) << served;
}

void LiveExerciseTest::expect_ledger_once() {
  // Every decision once, in the order the trainee made them.
  EXPECT_EQ(query("SELECT string_agg(kind || ':' || objective, ' ' ORDER BY seq) "
                  "FROM ledger_entries WHERE exercise_id = '" +
                  exercise_ + "'"),
            "hint:recipient wrong_answer:recipient solve:recipient solve:attachment "
            "hint:c2-address wrong_answer:c2-address solve:c2-address");
}

void LiveExerciseTest::expect_ready_and_progressing() {
  auto listed = client::ExerciseClient(instructor()).list();
  ASSERT_TRUE(listed) << listed.error().message;
  auto it = std::find_if(listed->begin(), listed->end(),
                         [&](const client::ExerciseSummary& e) { return e.id == exercise_; });
  ASSERT_NE(it, listed->end()) << exercise_ << " is no longer listed";
  EXPECT_EQ(it->state, client::ExerciseState::ready);
  client::TimelineClient timeline(instructor());
  auto first = timeline.list(exercise_, team_);
  ASSERT_TRUE(first) << first.error().message;
  std::this_thread::sleep_for(1s);
  auto second = timeline.list(exercise_, team_);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->clock.started && !second->clock.paused);
  EXPECT_DOUBLE_EQ(second->clock.speed, kSpeed);
  EXPECT_GT(second->clock.now_seconds, first->clock.now_seconds + kSpeed / 2)
      << "the exercise clock does not run";
}

}  // namespace cyrange::reliability
