#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>

namespace cyrange::identity {

/// A user to create. display_name and email are personal data and are stored
/// apart from the login record (table user_personal_data).
struct NewUser {
  std::string name;  ///< login name: letters, digits, '.', '_', '-'
  Role role = Role::trainee;
  std::optional<std::string> team;  ///< required for trainees, forbidden for others
  std::string display_name;
  std::string email;
  /// The exercise run a trainee plays in: the trainee may act in it only (Identity::exercise_id).
  /// It need not exist yet (ids are never reused); if it does, it lists `team` and has not
  /// ended. Unset: course trainees, whose self-paced runs' tokens are bound each to its run.
  std::optional<std::string> exercise{};
};

/// A freshly issued token. The plain token exists only here: the store keeps its hash.
struct IssuedToken {
  std::string token;
  std::chrono::system_clock::time_point expires_at;
  std::int64_t id = 0;  ///< what `cyrange users revoke TOKEN-ID` takes
};

/// The longest lifetime of a token unless the operator sets another (token_max_lifetime_h).
inline constexpr std::chrono::seconds kDefaultMaxTokenLifetime = std::chrono::hours(24 * 30);

/// "operator <system user>@<host>": who acts when a program on this host changes identities
/// or recordings without a signed-in caller (the audit log's actor).
std::string host_operator_label();

/// Users, teams and API tokens in PostgreSQL, and the Authenticator the daemon
/// uses. Thread-safe: one connection behind a mutex, reopened once when it broke
/// (e.g. after a PostgreSQL restart).
class PgIdentityStore : public Authenticator {
 public:
  /// Connects to `uri` and checks the schema is migrated (failed_precondition
  /// telling to run `cyrange db migrate` otherwise).
  static Expected<std::unique_ptr<PgIdentityStore>> open(const std::string& uri);

  ~PgIdentityStore() override;
  PgIdentityStore(const PgIdentityStore&) = delete;
  PgIdentityStore& operator=(const PgIdentityStore&) = delete;

  /// The id of team `name`, creating the team when it does not exist yet (audited with
  /// `actor`, who asked; empty: host_operator_label()).
  Expected<std::int64_t> ensure_team(const std::string& name, const std::string& actor = {});

  /// Creates a user (and a trainee's team if missing); returns the user id. Audited with
  /// `actor` as ensure_team(). Duplicate name: already_exists; team rule broken, or an
  /// exercise that does not list the team: invalid_argument; an ended exercise:
  /// failed_precondition.
  Expected<std::int64_t> add_user(const NewUser& user, const std::string& actor = {});

  /// The longest a token may live: issue_token refuses a longer `ttl`, authenticate refuses a
  /// token issued longer ago whatever its own expiry says (tokens from before the limit).
  void set_max_token_lifetime(std::chrono::seconds max);

  /// Issues a new token for `user_name` valid for `ttl` (> 0, at most the maximum lifetime),
  /// bound to `exercise` when given (Identity::exercise_id); not_found for an unknown user,
  /// failed_precondition for a disabled one. Audited with `actor` as ensure_team().
  Expected<IssuedToken> issue_token(const std::string& user_name, std::chrono::seconds ttl,
                                    const std::optional<std::string>& exercise = std::nullopt,
                                    const std::string& actor = {});

  /// Revokes every active token of `user_name`; not_found for an unknown user. Audited with
  /// `actor` (who asked: "cli:<login>" for the command line).
  Status revoke_tokens(const std::string& user_name, const std::string& actor = {});

  /// Revokes one token by its id (IssuedToken::id); not_found for an unknown id. Audited.
  Status revoke_token(std::int64_t token_id, const std::string& actor);

  /// Disables `user_name`: every token is revoked, none is accepted or issued any more.
  /// Audited with `actor`; disabling twice is not an error.
  Status disable_user(const std::string& user_name, const std::string& actor);

  /// Erases the personal data of `user_name`: disabled as above, display name and e-mail
  /// removed, the login name replaced by a pseudonym ("erased-<id>") in users, in the audit
  /// log's objects and details, as the actor of score ledger entries (whose wrong answers'
  /// texts and self-assessment notes are redacted; points stay), as who set a scoreboard's
  /// mode, saved a report version or published a course. A running cyranged rereads the
  /// redacted ledger at once (migration 0018). Returns the pseudonym.
  /// Audited (under the pseudonym).
  Expected<std::string> erase_user(const std::string& user_name, const std::string& actor);

  /// Keeps accepted tokens' identities for `ttl` (TokenCache: emptied by every change to a
  /// token or user, here or in another process); 0 turns the cache off. Before serving.
  void cache_tokens(std::chrono::milliseconds ttl);

  /// See Authenticator: unknown, revoked and expired tokens and disabled accounts each get
  /// their own message. Served from the token cache when one is on.
  Expected<Identity> authenticate(std::string_view token) const override;

  /// See Authenticator: from the token cache only.
  std::optional<Identity> recently_accepted(std::string_view token) const override;

 private:
  struct Impl;
  explicit PgIdentityStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::identity
