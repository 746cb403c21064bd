// Expected commands: a line a trainee typed in a range terminal that matches an open
// objective's `expected_commands:` pattern solves that objective or part.
#include <orchestrator/common/log.h>
#include <orchestrator/exercise/guest_text.h>
#include <orchestrator/exercise/state_checks.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::exercise {
namespace {

constexpr const char* kCommandCheckActor = "command-check";

void add_commands(const scenario::Objective& o, const std::string& objective,
                  const std::string& team, const std::map<std::string, std::string>& vars,
                  std::vector<TeamCommand>& out) {
  for (const auto& c : o.expected_commands)
    out.push_back({team, objective, objective == o.id ? "" : o.id,
                   scenario::substitute(c.host, vars), scenario::substitute(c.pattern, vars)});
  for (const auto& part : o.parts) add_commands(part, objective, team, vars, out);
}

bool matches(const std::string& line, const std::string& pattern) {
  // A bad pattern does not match: the validator rejects them; a variable may still make one.
  auto found = search_guest_text(line, pattern);
  return found && found->has_value();
}

}  // namespace

std::vector<TeamCommand> team_commands(const scenario::Scenario& scenario,
                                       const TeamVariableSets& team_variables) {
  std::vector<TeamCommand> out;
  for (const auto& [team, vars] : team_variables)
    for (const auto& o : scenario.objectives) add_commands(o, o.id, team, vars, out);
  return out;
}

int match_typed_line(const std::string& team, const std::string& host, const std::string& line,
                     std::vector<TeamCommand>& commands, const OpenedFn& opened,
                     scoring::ExerciseBoard& board) {
  int solved = 0;
  for (std::size_t i = 0; i < commands.size();) {
    const TeamCommand c = commands[i];
    const bool candidate = c.team == team && (c.host.empty() || c.host == host) &&
                           matches(line, c.pattern) && opened(team, c.objective);
    if (!candidate) {
      ++i;
      continue;
    }
    // The evidence names what matched, never the line: the ledger is kept longer than
    // recordings, and a trainee who refused recording must not be recorded through it.
    const std::string evidence =
        "A command typed on " + host + " matched the expected pattern `" + c.pattern + "`.";
    auto awarded = board.pass_check(team, c.objective, c.part, evidence, kCommandCheckActor);
    if (!awarded) {
      log::get("exercise")
          ->warn("exercise {}: expected command of {} for {}: {}", board.exercise(), c.objective,
                 team, awarded.error().message);
      ++i;
      continue;
    }
    ++solved;
    // Any one command of a part solves it: drop its other patterns too.
    std::erase_if(commands, [&](const TeamCommand& other) {
      return other.team == team && other.objective == c.objective && other.part == c.part;
    });
    i = 0;
  }
  return solved;
}

}  // namespace cyrange::exercise
