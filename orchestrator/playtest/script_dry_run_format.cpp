// What `cyrange scenario dry-run --script` prints: the run line by line, then the
// points of each objective, the total against full marks and what the run assumed.
#include <cstdio>

#include <orchestrator/playtest/script_dry_run.h>
#include <orchestrator/scenario/dry_run.h>

namespace cyrange::playtest {
namespace {

namespace sc = cyrange::scenario;

std::string padded(std::string text, std::size_t width) {
  if (text.size() < width) text.resize(width, ' ');
  return text;
}

std::string points_table(const ScriptDryRun& run) {
  std::string out = "points / 得点\n  " + padded("objective", 22) + padded("status", 12) +
                    padded("points", 11) + "wrong  hints\n";
  for (const auto& o : run.scores) {
    std::string hints;
    for (const auto& h : o.hints) hints += (hints.empty() ? "" : ", ") + h;
    out += "  " + padded(o.id, 22) + padded(o.status, 12) +
           padded(std::to_string(o.points) + "/" + std::to_string(o.max_points), 11) +
           padded(std::to_string(o.wrong_answers), 7) + (hints.empty() ? "-" : hints) + "\n";
  }
  const bool full = run.total == run.full_marks;
  out += "total / 合計: " + std::to_string(run.total) + " of " + std::to_string(run.full_marks) +
         " points, " +
         (full ? "full marks / 満点"
               : "below full marks by " + std::to_string(run.full_marks - run.total) +
                     " / 満点まで " + std::to_string(run.full_marks - run.total) + " 点") +
         "\n";
  return out;
}

}  // namespace

std::string format_script_dry_run(const ScriptDryRun& run, double speed) {
  std::string out;
  char line[64];
  for (const auto& l : run.lines) {
    std::snprintf(line, sizeof line, "T+%s (wall %s)  %-9s ", sc::format_clock(l.at).c_str(),
                  sc::format_clock(l.at / speed).c_str(), l.trainee ? "trainee" : l.kind.c_str());
    const std::string what =
        l.trainee && l.kind != "run" && l.kind != "answer" && l.kind != "hint" ? l.kind + ": " : "";
    out += line + padded(l.id, 18) + " " + what + l.text + "\n";
  }
  for (const auto& n : run.never) out += "never ran / 未実行: " + n + "\n";
  if (!run.stopped.empty()) out += "the script stopped / スクリプト中断: " + run.stopped + "\n";
  out += std::to_string(run.solved) + " of " + std::to_string(run.objectives) +
         " objectives solved in the dry run / 模擬実行で達成した目標 " +
         std::to_string(run.solved) + " / " + std::to_string(run.objectives) + "\n";
  out += points_table(run);
  for (const auto& a : run.assumed)
    out += "assumed passing / 合格と仮定した環境チェック: " + a + "\n";
  for (const auto& n : run.not_assumed) out += "not assumed / 仮定しない環境チェック: " + n + "\n";
  if (run.services_watched)
    out +=
        "availability: the dry run charges no downtime; a real day charges what its probes "
        "see / 可用性: 模擬実行では停止時間を減点しません\n";
  return out;
}

Expected<ScriptDryRunReport> dry_run_script_file(const sc::Scenario& scenario,
                                                 const std::string& script_file, double speed,
                                                 const ScriptDryRunOptions& options) {
  auto script = client::load_trainee_script(script_file);
  if (!script) return script.error();
  const auto problems = check_script(scenario, *script);
  if (!problems.empty()) {
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
    return make_error(ErrorCode::invalid_argument, message);
  }
  auto run = dry_run_script(scenario, *script, options);
  if (!run) return run.error();
  ScriptDryRunReport report;
  report.text = "scripted trainee '" + script->trainee + "' (" + script_file + "), team " +
                options.team + ", seed " + std::to_string(options.seed) +
                "; answers read from command output count as right unless the script expects "
                "them wrong / コマンド出力から得た回答は expect: wrong 以外を正解として扱います\n" +
                format_script_dry_run(*run, speed);
  report.ok = run->stopped.empty();
  report.run = std::move(*run);
  return report;
}

}  // namespace cyrange::playtest
