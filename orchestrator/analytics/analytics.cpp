#include <orchestrator/analytics/analytics.h>

#include <algorithm>
#include <map>
#include <set>

namespace cyrange::analytics {
namespace {

bool is_relevant(const std::string& kind) {
  return kind == "command" || kind == "answer" || kind == "hint" || kind == "report_edit";
}

double seconds_between(std::int64_t from_us, std::int64_t to_us) {
  return static_cast<double>(to_us - from_us) / 1e6;
}

// The first solve of each objective of one team, in time order.
std::vector<LedgerMark> first_solves(const std::vector<LedgerMark>& ledger,
                                     const std::string& team) {
  std::vector<LedgerMark> solves;
  std::set<std::string> seen;
  for (const LedgerMark& m : ledger) {
    if (m.team != team || m.kind != "solve" || !seen.insert(m.objective).second) continue;
    solves.push_back(m);
  }
  return solves;
}

// The numbers of `actions` (one trainee's, or a whole team's) against the team's solves.
ActorAnalytics summarise(const std::string& team, const std::string& trainee,
                         const std::vector<const RecordedAction*>& actions,
                         const std::vector<LedgerMark>& solves, std::int64_t start_us) {
  ActorAnalytics out{team, trainee, std::nullopt, {}, 0, 0, 0};
  for (const LedgerMark& s : solves)
    out.objectives.push_back({s.objective, seconds_between(start_us, s.wall_unix_us), 0});
  for (const RecordedAction* a : actions) {
    if (is_relevant(a->kind)) {
      const double at = seconds_between(start_us, a->wall_unix_us);
      if (!out.first_action_s || at < *out.first_action_s) out.first_action_s = at;
    }
    if (a->kind == "hint") ++out.hints;
    if (a->kind == "idle") out.idle_s += static_cast<double>(a->idle_ms) / 1000.0;
    if (a->kind != "command") continue;
    ++out.commands;
    // The first solve at or after the command is the objective it worked toward.
    auto it =
        std::lower_bound(solves.begin(), solves.end(), a->wall_unix_us,
                         [](const LedgerMark& s, std::int64_t at) { return s.wall_unix_us < at; });
    if (it != solves.end())
      ++out.objectives[static_cast<std::size_t>(it - solves.begin())].commands;
  }
  return out;
}

}  // namespace

ExerciseAnalytics compute_analytics(const AnalyticsInput& input) {
  std::vector<LedgerMark> ledger = input.ledger;
  std::stable_sort(ledger.begin(), ledger.end(), [](const LedgerMark& a, const LedgerMark& b) {
    return a.wall_unix_us < b.wall_unix_us;
  });
  std::set<std::string> teams(input.teams.begin(), input.teams.end());
  std::map<std::string, std::map<std::string, std::vector<const RecordedAction*>>> by_trainee;
  for (const RecordedAction& a : input.actions) {
    teams.insert(a.team);
    by_trainee[a.team][a.trainee].push_back(&a);
  }
  for (const LedgerMark& m : ledger) teams.insert(m.team);

  ExerciseAnalytics out{input.exercise, input.start_unix_us, {}, {}};
  for (const std::string& team : teams) {
    const std::vector<LedgerMark> solves = first_solves(ledger, team);
    std::vector<const RecordedAction*> all;
    for (const auto& [trainee, actions] : by_trainee[team]) {
      out.trainees.push_back(summarise(team, trainee, actions, solves, input.start_unix_us));
      all.insert(all.end(), actions.begin(), actions.end());
    }
    ActorAnalytics row = summarise(team, "", all, solves, input.start_unix_us);
    // A team's hints are what its ledger charged, whoever asked.
    row.hints = std::count_if(ledger.begin(), ledger.end(), [&](const LedgerMark& m) {
      return m.team == team && m.kind == "hint";
    });
    out.teams.push_back(std::move(row));
  }
  return out;
}

}  // namespace cyrange::analytics
