#include <orchestrator/rpc/call_gate.h>

#include <atomic>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <random>

#include <cyrange/v1/common.pb.h>

#include <orchestrator/common/log.h>

namespace cyrange::rpc {
namespace {

constexpr const char* kHowToGetAToken =
    " Pass a token with --token, $CYRANGE_TOKEN or ~/.config/cyrange/token; an administrator "
    "issues one with `cyrange users add NAME --role ROLE` or `cyrange users token NAME`. "
    "トークンが必要です（cyrange users add / cyrange users token で発行）。";

grpc::StatusCode code_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return grpc::StatusCode::INVALID_ARGUMENT;
    case ErrorCode::not_found:
      return grpc::StatusCode::NOT_FOUND;
    case ErrorCode::already_exists:
      return grpc::StatusCode::ALREADY_EXISTS;
    case ErrorCode::permission_denied:
      return grpc::StatusCode::PERMISSION_DENIED;
    case ErrorCode::unauthenticated:
      return grpc::StatusCode::UNAUTHENTICATED;
    case ErrorCode::unavailable:
      return grpc::StatusCode::UNAVAILABLE;
    case ErrorCode::failed_precondition:
      return grpc::StatusCode::FAILED_PRECONDITION;
    case ErrorCode::internal:
      return grpc::StatusCode::INTERNAL;
    case ErrorCode::cancelled:
      return grpc::StatusCode::CANCELLED;
    case ErrorCode::resource_exhausted:
      return grpc::StatusCode::RESOURCE_EXHAUSTED;
    case ErrorCode::aborted:
      return grpc::StatusCode::ABORTED;
  }
  return grpc::StatusCode::INTERNAL;
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::pair<std::string, std::string> split_bilingual(const std::string& message) {
  for (std::size_t at = message.find(" / "); at != std::string::npos;
       at = message.find(" / ", at + 1)) {
    const std::size_t next = at + 3;
    if (next < message.size() && static_cast<unsigned char>(message[next]) >= 0xC0) {
      return {message.substr(0, at), message.substr(next)};
    }
  }
  // "English sentence. 日本語の文": a sentence's end followed by kana or kanji (UTF-8 lead
  // bytes E3-E9), never by an accented Latin letter or a quoted name.
  for (std::size_t at = message.find(". "); at != std::string::npos;
       at = message.find(". ", at + 1)) {
    const std::size_t next = at + 2;
    const auto lead = next < message.size() ? static_cast<unsigned char>(message[next]) : 0;
    if (lead >= 0xE3 && lead <= 0xE9) return {message.substr(0, at + 1), message.substr(next)};
  }
  return {message, {}};
}

Error for_caller(const identity::Identity& caller, const Error& error, std::string_view method) {
  const bool server_side =
      error.code == ErrorCode::internal || error.code == ErrorCode::unavailable;
  if (caller.role != identity::Role::trainee || !server_side) return error;
  static std::atomic<std::uint32_t> next{static_cast<std::uint32_t>(std::random_device{}())};
  char reference[9];
  std::snprintf(reference, sizeof reference, "%08x", next.fetch_add(0x9e3779b9u));
  log::get("rpc")->error("{} of trainee '{}' failed (reference {}): {}{}{}", method, caller.name,
                         reference, error.message, error.message_ja.empty() ? "" : " / ",
                         error.message_ja);
  return make_error(
      error.code,
      "The server could not do this because of a problem on its side; it is "
      "logged for the operator under reference " +
          std::string(reference) + ". Try again later, or tell your instructor the reference.",
      "サーバー側の問題のため処理できませんでした。参照番号 " + std::string(reference) +
          " で運用担当者向けに記録されています。しばらくしてから再度お試しいただくか、"
          "参照番号を講師に伝えてください。");
}

Error server_busy(std::string_view method) {
  return make_error(
      ErrorCode::resource_exhausted,
      std::string(method) + " is busy with other requests; try again in a few seconds.",
      std::string(method) + " は他の要求を処理中です。数秒後にもう一度お試しください。");
}

grpc::Status to_grpc(const Error& error) {
  auto [en, ja] = error.message_ja.empty() ? split_bilingual(error.message)
                                           : std::pair{error.message, error.message_ja};
  // The status message stays English for gRPC tools; clients read both languages
  // from the details.
  v1::ErrorDetail detail;
  detail.mutable_text()->set_en(en);
  detail.mutable_text()->set_ja(ja);
  return grpc::Status(code_of(error.code), en, detail.SerializeAsString());
}

std::string peer_address(std::string_view peer) {
  const auto colon = peer.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == peer.size()) return std::string(peer);
  for (char c : peer.substr(colon + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::string(peer);
  }
  return std::string(peer.substr(0, colon));
}

std::optional<std::string_view> bearer_token(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (!iequals_prefix(header, kScheme)) return std::nullopt;
  std::string_view token = header.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && (token.back() == ' ' || token.back() == '\r')) token.remove_suffix(1);
  if (token.empty() || token.find(' ') != std::string_view::npos) return std::nullopt;
  return token;
}

CallGate::CallGate(std::shared_ptr<const identity::Authenticator> authenticator)
    : authenticator_(std::move(authenticator)),
      streams_(std::make_unique<StreamRecheck>(authenticator_)) {}

StreamLease CallGate::watch_stream(grpc::CallbackServerContext* ctx) const {
  const auto& metadata = ctx->client_metadata();
  auto it = metadata.find(kAuthorizationKey);
  if (it == metadata.end()) return {};
  auto token = bearer_token(std::string_view(it->second.data(), it->second.size()));
  if (!token) return {};
  return streams_->watch(ctx, std::string(*token));
}

void CallGate::recheck_streams(std::chrono::milliseconds interval) { streams_->start(interval); }

void CallGate::limit_per_user(std::string kind, UserRateLimit limit, std::string what_en,
                              std::string what_ja) {
  limiters_[std::move(kind)] =
      std::make_unique<UserRateLimiter>(limit, std::move(what_en), std::move(what_ja));
}

Status CallGate::admit(const identity::Identity& caller, std::string_view kind) const {
  auto limiter = limiters_.find(kind);
  if (limiter == limiters_.end()) return Status::success();
  Status admitted = limiter->second->take(caller.user_id, caller.name);
  if (!admitted)
    log::get("rpc")->info("Refused {} of user '{}': over the limit.", kind, caller.name);
  return admitted;
}

Expected<identity::Identity> CallGate::authenticate(const grpc::CallbackServerContext& ctx,
                                                    std::string_view method) const {
  const auto& metadata = ctx.client_metadata();
  auto it = metadata.find(kAuthorizationKey);
  auto reject = [&](const std::string& reason) -> Error {
    log::get("rpc")->info("Rejected {} from {}: {}", method, ctx.peer(), reason);
    return make_error(ErrorCode::unauthenticated, reason + kHowToGetAToken);
  };
  if (it == metadata.end()) {
    return reject("The call " + std::string(method) + " carries no token.");
  }
  auto token = bearer_token(std::string_view(it->second.data(), it->second.size()));
  if (!token) {
    return reject("The authorization metadata of " + std::string(method) +
                  " must read 'Bearer <token>'.");
  }
  // A token accepted a moment ago passes without a lookup, even from an address that failed
  // too often (a user behind the same address as a script guessing tokens keeps working).
  if (auto known = authenticator_->recently_accepted(*token)) {
    known->oversight = oversight_;
    return std::move(*known);
  }
  const std::string peer = peer_address(ctx.peer());
  if (sign_ins_) {
    if (Status admitted = sign_ins_->admit(peer); !admitted) {
      log::get("rpc")->info("Refused {} from {}: too many failed sign-ins.", method, ctx.peer());
      return admitted.error();
    }
  }
  auto who = authenticator_->authenticate(*token);
  if (!who && who.error().code != ErrorCode::unauthenticated) {
    // PostgreSQL down is not the caller's fault: say so instead of rejecting the token.
    log::get("rpc")->warn("Cannot authenticate {} from {}: {}", method, ctx.peer(),
                          who.error().message);
    return make_error(ErrorCode::unavailable,
                      "The server cannot check tokens right now; retry in a moment.");
  }
  if (!who) {
    if (sign_ins_) sign_ins_->failed(peer);
    // The authenticator's message says unknown, revoked or expired; keep only
    // that sentence and never the token.
    return reject(who.error().message);
  }
  who->oversight = oversight_;
  return who;
}

void CallGate::limit_failed_sign_ins(SignInFailureLimit limit) {
  sign_ins_ = std::make_unique<SignInFailureLimiter>(limit);
}

void CallGate::set_oversight(identity::ExerciseOversight oversight) {
  oversight_ = std::make_shared<const identity::ExerciseOversight>(std::move(oversight));
}

}  // namespace cyrange::rpc
