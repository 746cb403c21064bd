// The demo's attack timeline: the scenario's timeline for one team on a sped-up
// exercise clock, with every execution persisted in PostgreSQL and every attack
// step carried out inside the team's guests through the guest agent.
#include <orchestrator/cli/demo_timeline.h>

#include <chrono>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <thread>

#include <orchestrator/inject/inject_executor.h>
#include <orchestrator/inject/guest_runner.h>
#include <orchestrator/scenario/dry_run.h>
#include <orchestrator/timeline/clock.h>
#include <orchestrator/timeline/hub.h>
#include <orchestrator/timeline/pg_store.h>

namespace cyrange::cli {
namespace {

/// Events arrive on engine threads; the demo prints them from its own loop.
class EventLog {
 public:
  void add(const timeline::TimelineEvent& e) {
    if (e.state != timeline::ExecState::done && e.state != timeline::ExecState::failed) return;
    std::lock_guard lock(mu_);
    pending_.push_back(e);
  }
  /// Prints and forgets what arrived since the last call; returns how many failed.
  int print(std::ostream& out) {
    std::vector<timeline::TimelineEvent> events;
    {
      std::lock_guard lock(mu_);
      events.swap(pending_);
    }
    int failed = 0;
    for (const auto& e : events) {
      failed += e.state == timeline::ExecState::failed;
      out << "  T+" << scenario::format_clock(e.exercise_time) << "  " << std::left << std::setw(10)
          << timeline::to_string(e.kind) << std::setw(20) << e.item_id << std::setw(7)
          << timeline::to_string(e.state)
          << (e.text_en.empty() ? e.detail : e.text_en.substr(0, 60)) << "\n";
    }
    return failed;
  }

 private:
  std::mutex mu_;
  std::vector<timeline::TimelineEvent> pending_;
};

/// Exercise time of the last event that fires without anyone acting.
double last_timed_event(const scenario::Scenario& scenario) {
  double last = 0;
  for (const auto& planned : scenario::plan_timeline(scenario)) {
    if (planned.timed) last = std::max(last, static_cast<double>(planned.at_seconds));
  }
  return last;
}

}  // namespace

Expected<TimelineSummary> play_timeline(const scenario::Scenario& scenario, range::TeamRange& team,
                                        const DemoTimelineOptions& opts, std::ostream& out) {
  auto store = timeline::PgTimelineStore::open(opts.database_uri);
  if (!store) return store.error();

  auto router =
      std::make_shared<timeline::RoutingExecutor>(std::make_shared<timeline::MessageExecutor>());
  auto runner = std::make_shared<inject::RangeGuestRunner>(team);
  auto directory = inject::HostDirectory::from_spec(team.spec());
  auto injects = std::make_shared<inject::InjectExecutor>(
      [runner, directory](const std::string&, const std::string&) -> Expected<inject::TeamTarget> {
        return inject::TeamTarget{runner, directory};
      });
  inject::InjectExecutor::route_all(*router, injects);

  timeline::TimelineHub hub(std::shared_ptr<timeline::TimelineStore>(std::move(store).value()),
                            router, std::make_shared<timeline::SystemTimeSource>());
  auto log = std::make_shared<EventLog>();
  const auto subscription = hub.subscribe([log](const timeline::TimelineEvent& e) { log->add(e); });

  // Each run is its own exercise in the system of record, so a second demo
  // replays the timeline instead of finding it already done.
  const std::string exercise = opts.exercise + "_" + std::to_string(std::time(nullptr));
  const std::string& team_name = team.spec().team;
  if (auto st = hub.arm(exercise, scenario, {team_name}, opts.seed); !st) return st.error();
  auto timeline = hub.find(exercise);
  if (!timeline) return timeline.error();
  if (auto st = (*timeline)->set_speed(opts.speed); !st) return st.error();
  if (auto st = (*timeline)->start(); !st) return st.error();
  out << "exercise " << exercise << " recorded in PostgreSQL; clock x" << opts.speed
      << " / 演習時計 " << opts.speed << " 倍速\n";

  TimelineSummary summary;
  summary.exercise = exercise;
  const double end = last_timed_event(scenario);
  const auto deadline = std::chrono::steady_clock::now() + opts.budget;
  for (;;) {
    auto ran = (*timeline)->tick();
    if (!ran) return ran.error();
    summary.failed += log->print(out);
    if ((*timeline)->now() > end) break;
    if (std::chrono::steady_clock::now() > deadline) {
      hub.unsubscribe(subscription);
      return make_error(ErrorCode::failed_precondition,
                        "The timeline of exercise '" + exercise + "' did not reach T+" +
                            scenario::format_clock(end) +
                            " within the demo's time budget; "
                            "the machine may be overloaded. Try again with fewer guests running.");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  hub.unsubscribe(subscription);
  summary.failed += log->print(out);
  if (auto executions = (*timeline)->executions(team_name)) {
    for (const auto& e : *executions) summary.done += e.state == timeline::ExecState::done;
  }
  return summary;
}

}  // namespace cyrange::cli
