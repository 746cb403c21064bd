#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <grpcpp/grpcpp.h>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/rpc/call_workers.h>
#include <orchestrator/rpc/sign_in_limit.h>
#include <orchestrator/rpc/stream_lease.h>
#include <orchestrator/rpc/user_rate_limit.h>

namespace cyrange::rpc {

/// Maps a domain error to the gRPC status sent to the client.
grpc::Status to_grpc(const Error& error);

/// What `caller` is told of `error` in `method`: a trainee gets, for a failure on the server's
/// side (internal, unavailable: a database error, a build log, a libvirt message), one generic
/// sentence in both languages with a reference, while the whole message goes to cyranged's
/// log under that reference; staff get the error as it is.
Error for_caller(const identity::Identity& caller, const Error& error, std::string_view method);

/// The refusal of a call that found the server's workers for `method` all busy and their
/// backlog full: resource_exhausted, in English and Japanese.
Error server_busy(std::string_view method);

/// Splits a message written "English sentence. / 日本語の文。" into its English and
/// Japanese halves (at the first " / " followed by non-ASCII text); a message without
/// such a half is all English. Older components glue both languages into one string;
/// the wire carries them apart (ErrorDetail), so each client shows one language.
std::pair<std::string, std::string> split_bilingual(const std::string& message);

/// The token of an `authorization: Bearer <token>` value; nothing if malformed.
std::optional<std::string_view> bearer_token(std::string_view header);

/// The caller's address without its port ("ipv4:10.0.0.7:51234" -> "ipv4:10.0.0.7"), so that
/// limits per address hold across the caller's connections.
std::string peer_address(std::string_view peer);

/// The calls limited together per user by CallGate::admit: SubmitAnswer and TakeHint.
inline constexpr const char* kAnswerCalls = "answers";

/// Name of the metadata key that carries the token (gRPC keys are lower case).
inline constexpr const char* kAuthorizationKey = "authorization";

/// The ONE place where calls are authenticated. Every RPC handler of every service
/// goes through unary() (or public_unary() for Health and Join alone), so a handler cannot
/// run without the caller's Identity. tests/ enumerates every method of the proto
/// to hold new services to this.
class CallGate {
 public:
  /// `authenticator` must outlive the gate.
  explicit CallGate(std::shared_ptr<const identity::Authenticator> authenticator);

  /// The caller's identity from the call metadata, or ErrorCode::unauthenticated
  /// with a message saying how to get a token (the token itself is never echoed).
  Expected<identity::Identity> authenticate(const grpc::CallbackServerContext& ctx,
                                            std::string_view method) const;

  /// Limits the calls of one kind (kAnswerCalls) per user, named in refusals by `what_en` /
  /// `what_ja`. Set before the server serves; a kind without a limit is never refused.
  void limit_per_user(std::string kind, UserRateLimit limit, std::string what_en,
                      std::string what_ja);

  /// Counts one call of `kind` by `caller`: success, or resource_exhausted in English and
  /// Japanese saying when to try again.
  Status admit(const identity::Identity& caller, std::string_view kind) const;

  /// Puts an authenticated stream under the token re-check: the stream's reactor keeps the
  /// lease until OnDone, and the call is cancelled once its token is revoked, expired or its
  /// user disabled (checked every `interval` of recheck_streams()).
  StreamLease watch_stream(grpc::CallbackServerContext* ctx) const;

  /// Limits failed sign-ins per caller address: past the limit, tokens the server has not
  /// accepted a moment ago are refused with resource_exhausted before any lookup. Set before
  /// the server serves; without it failures are not limited.
  void limit_failed_sign_ins(SignInFailureLimit limit);

  /// Which exercises staff may oversee, attached to every caller authenticated from now on
  /// (identity::check_exercise_scope consults it). Set before the server serves.
  void set_oversight(identity::ExerciseOversight oversight);

  /// Starts checking the tokens of open streams every `interval`.
  void recheck_streams(std::chrono::milliseconds interval);

  /// Authenticates, then runs `handler(identity) -> Status` and finishes the call.
  template <class Handler>
  grpc::ServerUnaryReactor* unary(grpc::CallbackServerContext* ctx, std::string_view method,
                                  Handler&& handler) const {
    auto* reactor = ctx->DefaultReactor();
    auto caller = authenticate(*ctx, method);
    if (!caller) {
      reactor->Finish(to_grpc(caller.error()));
      return reactor;
    }
    Status st = std::forward<Handler>(handler)(*caller);
    reactor->Finish(st ? grpc::Status::OK : to_grpc(for_caller(*caller, st.error(), method)));
    return reactor;
  }

  /// As unary(), but the handler runs on a thread of its own and finishes the call from there,
  /// so a slow handler (guest commands, a range's teardown) never holds one of gRPC's callback
  /// threads. The handler must capture by value: it outlives the method that started it.
  template <class Handler>
  grpc::ServerUnaryReactor* slow_unary(grpc::CallbackServerContext* ctx, std::string_view method,
                                       Handler handler) const {
    auto* reactor = ctx->DefaultReactor();
    auto caller = authenticate(*ctx, method);
    if (!caller) {
      reactor->Finish(to_grpc(caller.error()));
      return reactor;
    }
    // The server's shutdown waits for the call to finish, so the service outlives the thread.
    std::thread([reactor, handler = std::move(handler), who = std::move(*caller),
                 method = std::string(method)]() mutable {
      Status st = handler(who);
      reactor->Finish(st ? grpc::Status::OK : to_grpc(for_caller(who, st.error(), method)));
    }).detach();
    return reactor;
  }

  /// As slow_unary(), but the handler runs on one of `workers` (which must outlive the call);
  /// when their backlog is full the call is refused with resource_exhausted at once.
  template <class Handler>
  grpc::ServerUnaryReactor* pooled_unary(grpc::CallbackServerContext* ctx, std::string_view method,
                                         CallWorkers& workers, Handler handler) const {
    auto* reactor = ctx->DefaultReactor();
    auto caller = authenticate(*ctx, method);
    if (!caller) {
      reactor->Finish(to_grpc(caller.error()));
      return reactor;
    }
    const bool queued = workers.post([reactor, handler = std::move(handler),
                                      who = std::move(*caller), method = std::string(method)] {
      Status st = handler(who);
      reactor->Finish(st ? grpc::Status::OK : to_grpc(for_caller(who, st.error(), method)));
    });
    if (!queued) reactor->Finish(to_grpc(server_busy(method)));
    return reactor;
  }

  /// Runs `handler() -> Status` WITHOUT authentication. Only two calls may use this:
  /// Health (probed before anyone has a token) and Join (which is how a trainee gets one;
  /// it limits wrong codes per address itself). tests/ hold every other method to unary().
  template <class Handler>
  grpc::ServerUnaryReactor* public_unary(grpc::CallbackServerContext* ctx,
                                         Handler&& handler) const {
    auto* reactor = ctx->DefaultReactor();
    Status st = std::forward<Handler>(handler)();
    reactor->Finish(st ? grpc::Status::OK : to_grpc(st.error()));
    return reactor;
  }

 private:
  std::shared_ptr<const identity::Authenticator> authenticator_;
  std::unique_ptr<StreamRecheck> streams_;
  std::shared_ptr<const identity::ExerciseOversight> oversight_;
  std::unique_ptr<SignInFailureLimiter> sign_ins_;  // set before serving; locks itself
  // Written before serving only, so reading needs no lock; each limiter locks itself.
  std::map<std::string, std::unique_ptr<UserRateLimiter>, std::less<>> limiters_;
};

}  // namespace cyrange::rpc
