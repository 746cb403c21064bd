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

Status check_exercise_scope(const Identity& caller, const std::string& exercise) {
  if (caller.exercise_id && *caller.exercise_id != exercise)
    return make_error(ErrorCode::permission_denied,
                      "The token of '" + caller.name + "' was issued for exercise '" +
                          *caller.exercise_id + "' and is not valid in exercise '" + exercise +
                          "'; join that exercise with its own join code.",
                      "'" + caller.name + "' のトークンは演習 '" + *caller.exercise_id +
                          "' 用に発行されたもので、演習 '" + exercise +
                          "' では使えません。その演習の参加コードで参加してください。");
  const bool staff = caller.role == Role::admin || caller.role == Role::instructor;
  if (staff && caller.oversight && *caller.oversight) return (*caller.oversight)(caller, exercise);
  return Status::success();
}

}  // namespace cyrange::identity
