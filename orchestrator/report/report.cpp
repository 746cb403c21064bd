#include <orchestrator/report/report.h>

#include <array>
#include <utility>

namespace cyrange::report {
namespace {

using identity::Role;

bool is_staff(const identity::Identity& caller) {
  return caller.role == Role::instructor || caller.role == Role::admin;
}

Error denied(std::string en, std::string ja) {
  return make_error(ErrorCode::permission_denied, std::move(en), std::move(ja));
}

Status check_sizes(const ReportSections& s) {
  const std::array<std::pair<const char*, const std::string*>, 6> sections{{
      {"timeline", &s.timeline},
      {"scope", &s.scope},
      {"cause", &s.cause},
      {"measures", &s.measures},
      {"recommendations", &s.recommendations},
      {"free text", &s.free_text},
  }};
  for (const auto& [name, text] : sections) {
    if (text->size() <= kMaxSectionBytes) continue;
    const std::string size = std::to_string(text->size() / 1024);
    const std::string limit = std::to_string(kMaxSectionBytes / 1024);
    return make_error(ErrorCode::invalid_argument,
                      std::string("The ") + name + " section of the report holds " + size +
                          " KiB; at most " + limit +
                          " KiB fit in one section. Shorten it or move details elsewhere.",
                      std::string("報告書の「") + name + "」欄は " + size +
                          " KiB あります。1 欄は " + limit + " KiB までです。短くしてください。");
  }
  return Status::success();
}

}  // namespace

ReportDesk::ReportDesk(std::shared_ptr<ReportStore> store) : store_(std::move(store)) {}

Expected<std::string> ReportDesk::own_team(const identity::Identity& caller,
                                           const std::string& exercise) {
  if (Status scope = identity::check_exercise_scope(caller, exercise); !scope) return scope.error();
  if (!caller.team_id) {
    return denied("Trainee '" + caller.name + "' belongs to no team; ask an instructor.",
                  "訓練生 '" + caller.name + "' はどのチームにも所属していません。");
  }
  auto name = store_->team_name(*caller.team_id);
  if (!name) return name.error();
  auto plays = name->has_value() ? store_->plays_in(exercise, **name) : Expected<bool>(false);
  if (!plays) return plays.error();
  if (!*plays) {
    return denied(
        "The team of trainee '" + caller.name + "' does not play in exercise '" + exercise + "'.",
        "訓練生 '" + caller.name + "' のチームは演習 '" + exercise + "' に参加していません。");
  }
  return **name;
}

Expected<std::string> ReportDesk::readable_team(const identity::Identity& caller,
                                                const std::string& exercise,
                                                const std::string& team) {
  if (exercise.empty()) {
    return make_error(ErrorCode::invalid_argument, "Name the exercise of the report.",
                      "報告書の演習を指定してください。");
  }
  if (is_staff(caller)) {
    if (Status scope = identity::check_exercise_scope(caller, exercise); !scope)
      return scope.error();
    if (team.empty()) {
      return make_error(ErrorCode::invalid_argument, "Name the team whose report to read.",
                        "報告書を読むチームを指定してください。");
    }
    return team;
  }
  if (caller.role != Role::trainee) {
    return denied("User '" + caller.name + "' is " + std::string(identity::to_string(caller.role)) +
                      " and may not read incident reports; instructors and the team may.",
                  "'" + caller.name + "' には報告書を閲覧する権限がありません。");
  }
  auto own = own_team(caller, exercise);
  if (!own) return own.error();
  if (!team.empty() && team != *own) {
    return denied("Trainee '" + caller.name + "' may read only the report of team '" + *own +
                      "', not of team '" + team + "'.",
                  "他のチームの報告書は閲覧できません。");
  }
  return own;
}

Expected<ReportVersion> ReportDesk::save(const identity::Identity& caller,
                                         const std::string& exercise,
                                         const ReportSections& sections, int base_version,
                                         bool submit) {
  if (caller.role != Role::trainee) {
    return denied("Only trainees write incident reports, for their own team; '" + caller.name +
                      "' is " + std::string(identity::to_string(caller.role)) + ".",
                  "報告書を書けるのは訓練生（自チームのみ）です。");
  }
  if (exercise.empty()) {
    return make_error(ErrorCode::invalid_argument, "Name the exercise of the report.",
                      "報告書の演習を指定してください。");
  }
  if (base_version < 0) {
    return make_error(ErrorCode::invalid_argument,
                      "The base version of a report cannot be negative; give 0 for the first save.",
                      "元の版番号は 0 以上にしてください（最初の保存は 0）。");
  }
  auto team = own_team(caller, exercise);
  if (!team) return team.error();
  if (Status sizes = check_sizes(sections); !sizes) return sizes.error();
  return store_->append(ReportSave{exercise, *team, sections, base_version, submit, caller.name});
}

Expected<Report> ReportDesk::get(const identity::Identity& caller, const std::string& exercise,
                                 const std::string& team, int version) {
  auto shown = readable_team(caller, exercise, team);
  if (!shown) return shown.error();
  return store_->get(exercise, *shown, version);
}

Expected<std::vector<ReportVersion>> ReportDesk::versions(const identity::Identity& caller,
                                                          const std::string& exercise,
                                                          const std::string& team) {
  auto shown = readable_team(caller, exercise, team);
  if (!shown) return shown.error();
  return store_->versions(exercise, *shown);
}

}  // namespace cyrange::report
