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

}  // namespace cyrange::identity
