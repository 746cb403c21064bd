#include <orchestrator/identity/identity.h>

#include <array>

namespace cyrange::identity {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 4> kRoleNames{{
    {Role::admin, "admin"},
    {Role::instructor, "instructor"},
    {Role::designer, "designer"},
    {Role::trainee, "trainee"},
}};

}  // namespace

std::string_view to_string(Role role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "unknown";
}

Expected<Role> parse_role(std::string_view name) {
  for (const auto& [value, text] : kRoleNames) {
    if (text == name) return value;
  }
  return make_error(ErrorCode::invalid_argument,
                    "Unknown role '" + std::string(name) +
                        "': use one of admin, instructor, designer or trainee.");
}

bool in_exercise_scope(const Identity& caller, const std::string& exercise) {
  return static_cast<bool>(check_exercise_scope(caller, exercise));
}

Error exercise_not_found(const Identity& caller, const std::string& exercise) {
  if (caller.exercise_id)
    return make_error(ErrorCode::not_found,
                      "'" + caller.name + "' takes part in exercise '" + *caller.exercise_id +
                          "' only, so there is no exercise '" + exercise +
                          "' for them; a trainee of another run needs an account or a join "
                          "code of that run.",
                      "'" + caller.name + "' が参加できるのは演習 '" + *caller.exercise_id +
                          "' だけのため、演習 '" + exercise +
                          "' は見つかりません。別の演習にはその演習のアカウントか参加コードで"
                          "参加してください。");
  return make_error(ErrorCode::not_found,
                    "There is no exercise '" + exercise + "' that '" + caller.name +
                        "' takes part in; check the exercise id with your instructor.",
                    "'" + caller.name + "' が参加している演習 '" + exercise +
                        "' は見つかりません。演習 ID を講師に確認してください。");
}

Status check_exercise_scope(const Identity& caller, const std::string& exercise) {
  // not_found, not permission_denied: a trainee of one run learns nothing about another run,
  // not even that it exists (the same answer as for an exercise id nobody used).
  if (caller.exercise_id && *caller.exercise_id != exercise)
    return exercise_not_found(caller, exercise);
  const bool staff = caller.role == Role::admin || caller.role == Role::instructor;
  // A trainee without a run: whether their team plays there, asked before any component looks
  // the exercise up, so that another team's exercise answers as one nobody created.
  const bool runless = caller.role == Role::trainee && !caller.exercise_id;
  if ((staff || runless) && caller.oversight && *caller.oversight)
    return (*caller.oversight)(caller, exercise);
  return Status::success();
}

}  // namespace cyrange::identity
