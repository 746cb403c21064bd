#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <orchestrator/common/expected.h>

namespace cyrange::identity {

/// The four roles of cyrange. A trainee also belongs to exactly one team.
enum class Role { admin, instructor, designer, trainee };

/// "admin", "instructor", "designer" or "trainee".
std::string_view to_string(Role role);

/// Parses a role name as written by to_string; the error lists the valid names.
Expected<Role> parse_role(std::string_view name);

struct Identity;

/// Whether a staff caller may oversee (see, steer, grade) an exercise: a self-paced run
/// belongs to its trainee's organisation; and whether a trainee without a run of their own
/// (Identity::exercise_id unset) plays in it: their team is one of its teams. Success, or the
/// refusal to send (for a trainee: exercise_not_found).
using ExerciseOversight =
    std::function<Status(const Identity& caller, const std::string& exercise)>;

/// An authenticated caller. Login name only: real names and e-mail addresses are
/// personal data and stay in the identity tables.
struct Identity {
  std::int64_t user_id = 0;
  std::string name;
  Role role = Role::trainee;
  std::optional<std::int64_t> team_id;  ///< set for trainees only
  /// The only exercise the caller may act in: the exercise run a trainee was added for, or the
  /// one a token was issued for (a join code, a self-paced run). Unset for staff and course
  /// trainees' course-wide tokens.
  std::optional<std::string> exercise_id{};
  /// Set by the server on every caller it authenticates; consulted by
  /// check_exercise_scope() for staff and for trainees without a run. Unset: staff may
  /// oversee every exercise, such trainees reach every exercise (each component then checks
  /// their team).
  std::shared_ptr<const ExerciseOversight> oversight{};
};

/// Success unless `caller` is bound to an exercise other than `exercise` (then not_found in
/// English and Japanese, as for an exercise that does not exist) or `caller` is staff whose
/// oversight refuses `exercise` (then its refusal, not_found for another organisation's
/// self-paced run). The one check every component runs where it authorises a call about an
/// exercise, for every role.
Status check_exercise_scope(const Identity& caller, const std::string& exercise);

/// The refusal of a call about `exercise` by a trainee who does not play in it: not_found,
/// and the same sentences whether that exercise exists or not, so that a trainee learns nothing
/// of other runs. check_exercise_scope() answers it, and every component answers it where a
/// trainee names an exercise it does not find or the trainee's team does not play in.
Error exercise_not_found(const Identity& caller, const std::string& exercise);

/// True when `caller` may see `exercise` at all: check_exercise_scope() succeeds.
bool in_exercise_scope(const Identity& caller, const std::string& exercise);

/// Turns a bearer token into the caller's identity. The one place where tokens
/// are checked; the RPC layer calls it for every call but Health.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  /// The identity for `token`; ErrorCode::unauthenticated when the token is
  /// unknown, revoked or expired (the message says which, never the token).
  virtual Expected<Identity> authenticate(std::string_view token) const = 0;
  /// The identity of `token` when it was accepted a moment ago and nothing changed since,
  /// known without asking the database; nothing otherwise (always nothing without a cache).
  virtual std::optional<Identity> recently_accepted(std::string_view /*token*/) const {
    return std::nullopt;
  }
};

}  // namespace cyrange::identity
