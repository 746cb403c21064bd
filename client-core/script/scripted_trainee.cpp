#include <client-core/script/scripted_trainee.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <regex>
#include <sstream>

namespace cyrange::client {
namespace {

using Kind = ScriptAction::Kind;

std::chrono::milliseconds wall_ms(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

// The first lines of `text`, for a message about output that did not match.
std::string excerpt(const std::string& text) {
  std::istringstream in(text);
  std::string out;
  int lines = 0;
  for (std::string line; std::getline(in, line) && lines < 8; ++lines) out += "\n    | " + line;
  return out.empty() ? " (no output)" : out;
}

// Plays one script; `fail` ends the run with a message naming the action.
class ScriptPlayer {
 public:
  ScriptPlayer(TraineeSession& session, const TraineeScript& script, const RunOptions& options,
               PlaytestResult& result)
      : session_(session), script_(script), options_(options), result_(result) {}

  // Performs action `i`; the outcome's ok and detail say how it went.
  void perform(std::size_t i, ActionOutcome& outcome) {
    const ScriptAction& a = script_.actions[i];
    if (a.when.kind != WaitCondition::Kind::none) {
      if (Status st = session_.wait_until(a.when, options_.wait_timeout); !st) {
        outcome.detail = st.error().message;
        return;
      }
      if (a.when.kind == WaitCondition::Kind::objective_solved) note_solved(a.when.objective);
    }
    if (auto now = session_.exercise_time()) outcome.acted_at = *now;
    switch (a.kind) {
      case Kind::wait:
        outcome.ok = true;
        outcome.detail = "condition met";
        return;
      case Kind::run:
        return run(a.run, outcome);
      case Kind::answer:
        return answer(a.answer, outcome);
      case Kind::hint:
        return hint(a.hint, outcome);
      case Kind::pause:
        return pause(a.pause_seconds, outcome);
    }
  }

  std::map<std::string, double> solved_at;

 private:
  void run(const RunAction& run, ActionOutcome& outcome) {
    const std::string command = substitute_captures(run.command, result_.captures);
    const auto timeout =
        run.timeout_seconds > 0 ? wall_ms(run.timeout_seconds) : options_.command_timeout;
    auto output = session_.run_command(run.host, command, timeout);
    if (!output) {
      outcome.detail = output.error().message;
      return;
    }
    std::string found;
    for (const auto& capture : run.captures) {
      const std::regex re(capture.pattern);
      std::istringstream lines(output->text);
      std::optional<std::string> value;
      for (std::string line; !value && std::getline(lines, line);) {
        std::smatch m;
        if (std::regex_search(line, m, re)) value = m[1].str();
      }
      if (!value) {
        outcome.detail =
            "the capture '" + capture.name + "' (" + capture.pattern +
            ") matched no line of the output of '" + command + "' on " + run.host +
            " (exit status " + std::to_string(output->exit_status) +
            "); fix the command or the pattern. The output began:" + excerpt(output->text);
        return;
      }
      result_.captures[capture.name] = *value;
      found += (found.empty() ? "" : ", ") + capture.name + "=" + *value;
    }
    outcome.ok = true;
    outcome.detail = "exit status " + std::to_string(output->exit_status) +
                     (found.empty() ? "" : "; captured " + found);
  }

  void answer(const AnswerAction& answer, ActionOutcome& outcome) {
    const std::string value = substitute_captures(answer.value, result_.captures);
    auto reply = session_.submit_answer(answer.objective, answer.part, value);
    if (!reply) {
      outcome.detail = reply.error().message;
      return;
    }
    int points = 0;
    for (const auto& e : reply->entries) {
      points += e.points;
      if (e.kind == EntryKind::solve)
        solved_at.emplace(answer.objective, e.exercise_time_ms / 1000.0);
    }
    if (!reply->entries.empty())
      outcome.acted_at = reply->entries.front().exercise_time_ms / 1000.0;
    const std::string verdict(to_string(reply->verdict));
    outcome.detail = "'" + value + "': " + verdict + " (" + (points >= 0 ? "+" : "") +
                     std::to_string(points) + ")";
    if (!answer.expect.empty() && verdict != answer.expect) {
      outcome.detail += ", but the script expects " + answer.expect + ": " + reply->message.en;
      return;
    }
    outcome.ok = true;
  }

  void hint(const HintAction& hint, ActionOutcome& outcome) {
    auto reply = session_.take_hint(hint.objective, hint.hint);
    if (!reply) {
      outcome.detail = reply.error().message;
      return;
    }
    int points = 0;
    for (const auto& e : reply->entries) points += e.points;
    if (!reply->entries.empty())
      outcome.acted_at = reply->entries.front().exercise_time_ms / 1000.0;
    result_.hints_taken.push_back(hint.objective + "/" + hint.hint);
    outcome.ok = true;
    outcome.detail = std::string(to_string(reply->verdict)) + " (" + std::to_string(points) + ")";
  }

  void pause(double seconds, ActionOutcome& outcome) {
    auto now = session_.exercise_time();
    if (!now) {
      outcome.detail = now.error().message;
      return;
    }
    WaitCondition until{WaitCondition::Kind::exercise_time, {}, *now + seconds};
    if (Status st = session_.wait_until(until, options_.wait_timeout); !st) {
      outcome.detail = st.error().message;
      return;
    }
    outcome.ok = true;
    outcome.detail = "thought until T+" + format_exercise_time(*now + seconds);
  }

  void note_solved(const std::string& objective) {
    if (solved_at.count(objective)) return;
    if (auto now = session_.exercise_time()) solved_at[objective] = *now;
  }

  TraineeSession& session_;
  const TraineeScript& script_;
  const RunOptions& options_;
  PlaytestResult& result_;
};

}  // namespace

std::string format_exercise_time(double seconds) {
  const long total = std::lround(std::max(0.0, seconds));
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02ld:%02ld:%02ld", total / 3600, (total / 60) % 60,
                total % 60);
  return buffer;
}

PlaytestResult run_scripted_trainee(TraineeSession& session, const TraineeScript& script,
                                    const RunOptions& options) {
  PlaytestResult result;
  result.trainee = script.trainee;
  ScriptPlayer player(session, script, options, result);
  for (std::size_t i = 0; i < script.actions.size(); ++i) {
    ActionOutcome outcome;
    outcome.index = i;
    outcome.where = script.where(i);
    outcome.description = script.describe(i);
    player.perform(i, outcome);
    if (auto now = session.exercise_time()) outcome.exercise_time = *now;
    result.actions.push_back(outcome);
    if (options.on_action) options.on_action(outcome);
    if (!outcome.ok) {
      result.failure = outcome.where + ": " + outcome.description + ": " + outcome.detail;
      break;
    }
  }
  result.completed = result.failure.empty();
  auto progress = session.progress();
  if (!progress) {
    result.completed = false;
    if (result.failure.empty()) {
      result.failure = "the final scoreboard could not be read: " + progress.error().message;
    }
    return result;
  }
  result.total = progress->total;
  for (const auto& line : progress->objectives) {
    ObjectiveOutcome o{line.objective,      line.status,      line.points,
                       line.wrong_attempts, line.hints_taken, std::nullopt};
    if (auto it = player.solved_at.find(line.objective);
        it != player.solved_at.end() && line.status == ObjectiveStatus::solved) {
      o.solved_at = it->second;
    }
    result.objectives.push_back(std::move(o));
  }
  return result;
}

std::string format_summary(const PlaytestResult& result,
                           const std::map<std::string, int>& max_points) {
  std::ostringstream out;
  out << "trainee " << result.trainee << ": ";
  if (result.completed) {
    out << "every action done / 全アクション完了\n";
  } else {
    out << "stopped / 中断\n  " << result.failure << "\n";
  }
  int max_total = 0;
  for (const auto& [objective, points] : max_points) max_total += points;
  out << "total / 合計: " << result.total;
  if (!max_points.empty()) out << " of " << max_total;
  out << " points / 点\n";
  char line[160];
  std::snprintf(line, sizeof line, "  %-20s %-8s %9s  %-11s %s\n", "objective", "status", "points",
                "solved at", "hints");
  out << line;
  for (const auto& o : result.objectives) {
    std::string points = std::to_string(o.points);
    if (auto it = max_points.find(o.objective); it != max_points.end())
      points += "/" + std::to_string(it->second);
    std::string hints;
    for (const auto& h : o.hints_taken) hints += (hints.empty() ? "" : ", ") + h;
    const std::string solved = o.solved_at ? "T+" + format_exercise_time(*o.solved_at) : "-";
    const std::string status(to_string(o.status));
    std::snprintf(line, sizeof line, "  %-20s %-8s %9s  %-11s %s\n", o.objective.c_str(),
                  status.c_str(), points.c_str(), solved.c_str(),
                  hints.empty() ? "-" : hints.c_str());
    out << line;
  }
  out << "hints taken / 使用したヒント: " << result.hints_taken.size();
  for (const auto& h : result.hints_taken) out << " " << h;
  out << "\n";
  return out.str();
}

}  // namespace cyrange::client
