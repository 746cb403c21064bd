#include <orchestrator/exercise/terminal_archive.h>

#include <algorithm>

#include <orchestrator/exercise/terminal_watch.h>

namespace cyrange::exercise {

using identity::Role;

TerminalArchive::TerminalArchive(std::shared_ptr<RangeRegistry> registry, RecordingConsent consent,
                                 const TerminalWatchDesk* watches)
    : registry_(std::move(registry)), consent_(std::move(consent)), watches_(watches) {}

Expected<std::string> terminal_team(RangeRegistry& registry, const identity::Identity& caller,
                                    const std::string& exercise, const std::string& team) {
  if (Status scope = identity::check_exercise_scope(caller, exercise); !scope) return scope.error();
  if (caller.role == Role::designer)
    return make_error(ErrorCode::permission_denied,
                      "Terminal recordings are for instructors and the trainees who made them; '" +
                          caller.name + "' is a designer.",
                      "端末の記録は講師と記録した受講者だけが見られます。'" + caller.name +
                          "' はデザイナーです。");
  auto row = registry.exercise(exercise);
  if (!row) {
    if (caller.role != Role::trainee || row.error().code != ErrorCode::not_found)
      return row.error();
    // A trainee is not told whether an exercise of other teams exists.
    return make_error(
        ErrorCode::permission_denied,
        "Trainee '" + caller.name + "' does not play in exercise '" + exercise + "'.",
        "受講者 '" + caller.name + "' は演習 '" + exercise + "' に参加していません。");
  }
  if (caller.role != Role::trainee) return team;
  if (!caller.team_id)
    return make_error(ErrorCode::permission_denied,
                      "Trainee '" + caller.name + "' belongs to no team.",
                      "受講者 '" + caller.name + "' はどのチームにも属していません。");
  auto own = registry.team_name(*caller.team_id);
  if (!own) return own.error();
  if (std::find(row->teams.begin(), row->teams.end(), *own) == row->teams.end())
    return make_error(
        ErrorCode::permission_denied,
        "Trainee '" + caller.name + "' does not play in exercise '" + exercise + "'.",
        "受講者 '" + caller.name + "' は演習 '" + exercise + "' に参加していません。");
  if (!team.empty() && team != *own)
    return make_error(ErrorCode::permission_denied,
                      "Trainee '" + caller.name + "' plays in team '" + *own +
                          "' and cannot read the terminals of team '" + team + "'.",
                      "受講者 '" + caller.name + "' はチーム '" + *own + "' の一員で、チーム '" +
                          team + "' の端末の記録は見られません。");
  return *own;
}

Expected<bool> TerminalArchive::consented(const TerminalSessionRow& row) {
  if (!consent_ || row.user_role != "trainee") return true;
  auto allowed = consent_(row.user_id, row.exercise);
  // The trainee no longer plays there (moved team): their recording is not served either.
  if (!allowed && allowed.error().code == ErrorCode::permission_denied) return false;
  return allowed;
}

Expected<std::vector<TerminalSessionRow>> TerminalArchive::list(const identity::Identity& caller,
                                                                const std::string& exercise,
                                                                const std::string& team) {
  auto readable = terminal_team(*registry_, caller, exercise, team);
  if (!readable) return readable.error();
  auto rows = registry_->terminal_session_rows(exercise, *readable);
  if (!rows) return rows.error();
  std::vector<TerminalSessionRow> out;
  for (auto& row : *rows) {
    auto ok = consented(row);
    if (!ok) return ok.error();
    if (*ok) out.push_back(std::move(row));
  }
  return out;
}

Expected<RecordingPage> TerminalArchive::read(const identity::Identity& caller,
                                              const RecordingPageRequest& request) {
  if (request.from_seq < 0)
    return make_error(ErrorCode::invalid_argument, "from_seq must not be negative.",
                      "from_seq は 0 以上にしてください。");
  auto row = registry_->terminal_session_row(request.session);
  if (!row) return row.error();
  auto readable = terminal_team(*registry_, caller, row->exercise, row->team);
  if (!readable) return readable.error();
  if (caller.role != Role::trainee && row->ended_unix_ms == 0 &&
      (watches_ == nullptr || !watches_->watching(row->exercise, row->team)))
    return make_error(
        ErrorCode::permission_denied,
        "Team '" + row->team + "' has not accepted a live watch; terminal session " +
            std::to_string(request.session) +
            " is still open. Ask to watch it and wait until a trainee of the team accepts, or "
            "replay it once it has ended.",
        "チーム '" + row->team + "' はライブ視聴を承諾していません(端末の記録 " +
            std::to_string(request.session) +
            " はまだ開いています)。視聴を依頼してチームの受講者の承諾を待つか、終了後に再生して"
            "ください。");
  auto ok = consented(*row);
  if (!ok) return ok.error();
  if (!*ok)
    return make_error(
        ErrorCode::not_found,
        "Terminal session " + std::to_string(request.session) +
            " is not available: its trainee has not agreed to recording for this exercise.",
        "端末の記録 " + std::to_string(request.session) +
            " は見られません。受講者がこの演習の記録に同意していません。");
  const std::size_t bytes = request.max_bytes == 0
                                ? RecordingPageRequest::kDefaultPageBytes
                                : std::min(request.max_bytes, RecordingPageRequest::kMaxPageBytes);
  auto page =
      registry_->terminal_chunks(request.session, request.from_seq, bytes, request.include_input);
  if (!page) return page.error();
  return RecordingPage{std::move(*row), std::move(*page)};
}

}  // namespace cyrange::exercise
