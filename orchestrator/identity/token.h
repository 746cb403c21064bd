#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include <orchestrator/common/expected.h>

namespace cyrange::identity {

/// Prefix of every cyrange API token, so leaked tokens are recognisable in logs and scans.
inline constexpr std::string_view kTokenPrefix = "cyr_";

/// A new bearer token: "cyr_" + 32 random bytes from OpenSSL, base64url without padding.
std::string generate_token();

/// SHA-256 of `token` as 64 lower-case hex digits; the only form that is stored.
std::string hash_token(std::string_view token);

/// `when` as "2025-01-31T12:00:00Z", the form used in token messages.
std::string format_utc(std::chrono::system_clock::time_point when);

/// ErrorCode::unauthenticated for a call that carried no token.
Error missing_token_error();

/// ErrorCode::unauthenticated for a token that is not known.
Error unknown_token_error();

/// ErrorCode::unauthenticated for a token that was revoked.
Error revoked_token_error();

/// ErrorCode::unauthenticated for a token that expired at `expired_at` (UTC text).
Error expired_token_error(std::string_view expired_at);

/// ErrorCode::unauthenticated for a token of a user an administrator disabled.
Error disabled_user_error();

}  // namespace cyrange::identity
