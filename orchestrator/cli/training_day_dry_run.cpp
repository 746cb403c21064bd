// The training day against its dry run: each team's script played again on the
// simulated day at the times its actions took effect, so that a dry run's total can be
// held to the real one on every playtest at no extra VM time.
#include <orchestrator/cli/training_day.h>
#include <orchestrator/playtest/script_dry_run.h>

namespace cyrange::cli {
namespace {

// When the day's instructor graded the team's report: the first grade in the ledger.
std::optional<double> graded_at(const DayResult& result, const std::string& team) {
  for (const auto& e : result.ledger)
    if (e.team == team && e.actor == "day-instructor" &&
        (e.kind == scoring::EntryKind::partial || e.kind == scoring::EntryKind::solve))
      return e.exercise_time.count() / 1000.0;
  return std::nullopt;
}

}  // namespace

Status dry_run_day(const scenario::Scenario& scenario, std::uint64_t seed,
                   const std::vector<DayTrainee>& trainees,
                   const std::map<std::string, client::TraineeScript>& scripts, DayResult& result) {
  for (const auto& t : trainees) {
    playtest::ScriptDryRunOptions options{seed, t.team, {}, graded_at(result, t.team)};
    for (const auto& played : result.trainees)
      if (played.trainee == t.user)
        for (const auto& action : played.actions)
          if (action.acted_at) options.acted_at[action.index] = *action.acted_at;
    auto run = playtest::dry_run_script(scenario, scripts.at(t.user), options);
    if (!run) return run.error();
    result.dry_run_totals[t.team] = run->total;
    int downtime = 0;
    for (const auto& e : result.ledger)
      if (e.team == t.team && e.kind == scoring::EntryKind::service_penalty) downtime += e.points;
    result.downtime[t.team] = downtime;
    for (const auto& a : run->assumed) result.dry_run_notes.push_back(t.team + " assumed " + a);
    for (const auto& n : run->not_assumed)
      result.dry_run_notes.push_back(t.team + " not assumed " + n);
    if (!run->stopped.empty())
      result.dry_run_notes.push_back(t.team + " dry run stopped: " + run->stopped);
  }
  return Status::success();
}

}  // namespace cyrange::cli
