// What a training day leaves behind: the summary printed at its end and the
// after-action files (ledger, solve times, playtest outcomes, asciicast terminals).
#include <algorithm>
#include <fstream>
#include <iomanip>

#include <nlohmann/json.hpp>

#include <orchestrator/cli/training_day.h>
#include <orchestrator/common/private_file.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/recording_export.h>
#include <orchestrator/identity/identity_store.h>

namespace cyrange::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

/// Exercise seconds of the entry that solved each (team, objective).
std::map<std::pair<std::string, std::string>, double> solve_times(
    const std::vector<scoring::LedgerEntry>& entries) {
  std::map<std::pair<std::string, std::string>, double> out;
  for (const auto& e : entries)
    if (e.kind == scoring::EntryKind::solve)
      out.emplace(std::make_pair(e.team, e.objective), e.exercise_time.count() / 1000.0);
  return out;
}

// Points `team` lost to downtime (negative), which a dry run never charges.
int downtime_of(const DayResult& result, const std::string& team) {
  const auto down = result.downtime.find(team);
  return down == result.downtime.end() ? 0 : down->second;
}

json entry_json(const scoring::LedgerEntry& e) {
  return {{"seq", e.seq},
          {"team", e.team},
          {"objective", e.objective},
          {"item", e.item},
          {"kind", std::string(scoring::to_string(e.kind))},
          {"points", e.points},
          {"actor", e.actor},
          {"reason", e.reason},
          {"exercise_time_ms", e.exercise_time.count()}};
}

json playtest_json(const client::PlaytestResult& r) {
  json actions = json::array();
  for (const auto& a : r.actions)
    actions.push_back(
        {{"where", a.where}, {"description", a.description}, {"ok", a.ok}, {"detail", a.detail}});
  return {{"trainee", r.trainee}, {"completed", r.completed},     {"failure", r.failure},
          {"total", r.total},     {"hints_taken", r.hints_taken}, {"actions", actions}};
}

// The day's results name trainees: for the operator only, never through a planted link.
Status write_text(const fs::path& file, const std::string& text, std::vector<fs::path>& written) {
  if (Status st = write_private_file(file, text); !st) return st;
  written.push_back(file);
  return Status::success();
}

}  // namespace

Expected<std::vector<fs::path>> write_day_exports(const DayResult& result,
                                                  const std::string& database_uri,
                                                  const fs::path& dir) {
  std::vector<fs::path> written;
  fs::create_directories(dir / "terminals");
  const auto* entries = &result.ledger;

  json board = json::array();
  for (const auto& line : result.final_board.board)
    board.push_back({{"team", line.team}, {"total", line.total}, {"rank", line.rank}});
  json objectives = json::array();
  for (const auto& [key, seconds] : solve_times(*entries))
    objectives.push_back(
        {{"team", key.first}, {"objective", key.second}, {"solved_at_seconds", seconds}});
  json hints = json::array();
  json ledger_json = json::array();
  for (const auto& e : *entries) {
    ledger_json.push_back(entry_json(e));
    if (e.kind == scoring::EntryKind::hint)
      hints.push_back({{"team", e.team},
                       {"objective", e.objective},
                       {"hint", e.item},
                       {"points", e.points},
                       {"exercise_time_ms", e.exercise_time.count()}});
  }
  json trainees = json::array();
  for (const auto& t : result.trainees) trainees.push_back(playtest_json(t));
  const json after_action = {{"exercise", result.exercise},     {"scoreboard", board},
                             {"solve_times", objectives},       {"hints", hints},
                             {"max_points", result.max_points}, {"trainees", trainees}};
  if (auto st = write_text(dir / "after-action.json", after_action.dump(2) + "\n", written); !st)
    return st.error();
  if (auto st = write_text(dir / "ledger.json", ledger_json.dump(2) + "\n", written); !st)
    return st.error();

  auto registry = exercise::RangeRegistry::open(database_uri);
  if (!registry) return registry.error();
  // Every terminal of the day leaves the database here: audited like `cyrange export terminal`.
  auto casts = exercise::export_exercise_recordings(**registry, result.exercise, dir / "terminals",
                                                    identity::host_operator_label());
  if (!casts) return casts.error();
  written.insert(written.end(), casts->begin(), casts->end());
  return written;
}

Status verify_playthrough(const DayResult& result) {
  int full_marks = 0;
  for (const auto& [objective, points] : result.max_points) full_marks += points;
  // The team's total on the final board: it includes what came after the script ended
  // (the instructor's report grades, downtime charged by availability checks).
  auto final_total = [&](const client::PlaytestResult& t) {
    auto team = result.team_of_trainee.find(t.trainee);
    for (const auto& s : result.final_board.board)
      if (team != result.team_of_trainee.end() && s.team == team->second) return s.total;
    return t.total;
  };
  std::string problems;
  for (const auto& t : result.trainees) {
    const bool ideal = t.trainee.find("ideal") != std::string::npos;
    const int total = final_total(t);
    if (ideal && !t.completed) problems += "the ideal trainee stopped: " + t.failure + "\n";
    if (ideal && total != full_marks)
      problems += "the ideal trainee's team scored " + std::to_string(total) + " of " +
                  std::to_string(full_marks) + "\n";
    if (!ideal && total >= full_marks)
      problems += "the careless trainee " + t.trainee + "'s team reached full marks (" +
                  std::to_string(total) + ")\n";
  }
  // The dry run of each script must have scored what the real day did (downtime aside).
  for (const auto& line : result.final_board.board) {
    auto dry = result.dry_run_totals.find(line.team);
    if (dry == result.dry_run_totals.end()) continue;
    const int downtime = downtime_of(result, line.team);
    if (line.total - downtime != dry->second)
      problems += "team " + line.team + " scored " + std::to_string(line.total) +
                  (downtime ? " (" + std::to_string(downtime) + " of it downtime)" : "") +
                  " on the real day, but " + std::to_string(dry->second) +
                  " in the dry run of its script (`cyrange scenario dry-run --script`) / チーム " +
                  line.team + " の実際の得点 " + std::to_string(line.total) + " が模擬実行の " +
                  std::to_string(dry->second) + " 点と一致しません\n";
  }
  if (problems.empty()) return Status::success();
  return make_error(ErrorCode::failed_precondition,
                    "The playthrough of exercise " + result.exercise + " failed:\n" + problems +
                        "Check the scenario's playtest/ scripts against its objectives, and the "
                        "exports above.");
}

void print_day_summary(const DayResult& result, std::ostream& out) {
  out << "\n== Summary / まとめ: " << result.exercise << " ==\n";
  int max_total = 0;
  for (const auto& [objective, points] : result.max_points) max_total += points;
  out << "final scoreboard / 最終順位 (full marks / 満点 " << max_total << ")\n";
  for (const auto& line : result.final_board.board) {
    std::string players;
    for (const auto& [trainee, team] : result.team_of_trainee)
      if (team == line.team) players += (players.empty() ? "" : ", ") + trainee;
    out << "  " << line.rank << ". " << std::left << std::setw(8) << line.team << std::right
        << std::setw(5) << line.total << "  " << players << "\n";
  }

  const auto solved = solve_times(result.ledger);
  std::vector<std::string> teams;
  for (const auto& line : result.final_board.board) teams.push_back(line.team);
  std::sort(teams.begin(), teams.end());
  out << "solve times on the exercise clock / 解答時刻 (演習時計)\n  " << std::left << std::setw(20)
      << "objective" << std::setw(6) << "max";
  for (const auto& team : teams) out << std::setw(12) << team;
  out << "\n";
  for (const auto& [objective, points] : result.max_points) {
    out << "  " << std::setw(20) << objective << std::setw(6) << points;
    for (const auto& team : teams) {
      auto at = solved.find({team, objective});
      out << std::setw(12)
          << (at == solved.end() ? std::string("-") : client::format_exercise_time(at->second));
    }
    out << "\n";
  }
  out << "hints taken / 使用したヒント\n";
  for (const auto& team : teams) {
    std::string hints;
    for (const auto& e : result.ledger)
      if (e.team == team && e.kind == scoring::EntryKind::hint)
        hints += (hints.empty() ? "" : ", ") + e.objective + "/" + e.item + " (" +
                 std::to_string(e.points) + ")";
    out << "  " << std::setw(8) << team << (hints.empty() ? "none / なし" : hints) << "\n";
  }
  out << "dry run of the same scripts / 同じスクリプトの模擬実行\n";
  for (const auto& line : result.final_board.board) {
    auto dry = result.dry_run_totals.find(line.team);
    if (dry == result.dry_run_totals.end()) continue;
    const int downtime = downtime_of(result, line.team);
    out << "  " << std::setw(8) << line.team << "real " << line.total;
    if (downtime) out << " (downtime " << downtime << ")";
    out << ", dry run " << dry->second
        << (line.total - downtime == dry->second ? "  equal / 一致" : "  DIFFERENT / 不一致")
        << "\n";
  }
  for (const auto& note : result.dry_run_notes) out << "  " << note << "\n";
  out << "scripted trainees / スクリプト受講者\n";
  for (const auto& t : result.trainees)
    out << "  " << std::setw(14) << t.trainee << std::setw(5) << t.total << " "
        << (t.completed ? "script completed / 完走" : "stopped: " + t.failure) << "\n";
  out << "exports / 出力ファイル\n";
  for (const auto& f : result.exports) out << "  " << f.string() << "\n";
  out << "training day finished in " << std::fixed << std::setprecision(1) << result.wall_seconds
      << " s / 演習日 完了\n";
}

}  // namespace cyrange::cli
