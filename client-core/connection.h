#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <client-core/executor.h>
#include <client-core/localized_text.h>
#include <client-core/subscription.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// How a client reaches cyranged. Shared by the CLI, the Qt apps and scripted trainees.
struct ClientOptions {
  std::string target = "127.0.0.1:50051";  ///< host:port of cyranged
  std::filesystem::path ca_file;           ///< CA that signed the server (empty: system roots)
  std::string token;                       ///< bearer token; empty for Health and Join only
  bool plaintext = false;  ///< no TLS: only to a loopback target or unix socket (open() refuses)
  std::chrono::milliseconds timeout{10000};  ///< deadline of each unary call
  /// Keepalive ping interval: a silent dead link is noticed within about twice this.
  std::chrono::milliseconds keepalive{10000};
  /// Longest wait between reconnection attempts (gRPC's backoff and the streams').
  std::chrono::milliseconds max_backoff{2000};
};

/// ~/.config/cyrange/token, where `cyrange users token --save` puts a token.
std::filesystem::path default_token_file();

/// $CYRANGE_TOKEN, else the first line of default_token_file(), else nothing. A token file
/// that others may read is not used (read_token_file says why on stderr). $CYRANGE_TOKEN is
/// removed from this process's environment once read, so that no program it starts inherits
/// the token.
std::optional<std::string> find_token();

/// The token on the first line of `file`. Refused, like ssh refuses an unprotected key, when
/// the file is a symbolic link, is not the caller's or can be read or written by its group or
/// others (`chmod 600 FILE`): a token there may already be someone else's too.
Expected<std::string> read_token_file(const std::filesystem::path& file);

/// Writes `token` to `file` with mode 0600, creating its directory.
Status save_token(const std::string& token, const std::filesystem::path& file);

/// Where the connection to cyranged stands.
enum class Connectivity {
  connecting,    ///< never connected yet
  connected,     ///< the channel is up
  reconnecting,  ///< it was up and was lost; gRPC and the streams try again with backoff
  failed,        ///< it cannot work as configured (token refused, certificate untrusted)
};

/// A connectivity state with the reason a person reads (empty when connected).
struct ConnectivityState {
  Connectivity state = Connectivity::connecting;
  LocalizedText reason;
};

/// A channel to cyranged; cheap to copy (copies share the channel, the executor that
/// runs every callback, and the connectivity state).
class Connection {
 public:
  /// Prepares the channel (TLS with options.ca_file, or insecure when plaintext) with
  /// keepalive; an unreadable CA file is an error naming it, plaintext to a target that is
  /// not loopback (is_loopback_target) is refused. Connects lazily.
  static Expected<Connection> open(const ClientOptions& options);

  /// The options the connection was opened with.
  const ClientOptions& options() const;
  /// The executor on which completions and stream callbacks run.
  const std::shared_ptr<Executor>& executor() const;

  /// The current state; starts watching the channel on first use.
  ConnectivityState connectivity() const;
  /// Calls `on_change` with the current state, then on every change, on the executor
  /// (the Subscription contract of subscription.h).
  Subscription watch_connectivity(std::function<void(const ConnectivityState&)> on_change) const;

  struct Impl;  ///< defined in client-core/internal; keeps grpc out of this header
  /// The shared state; for client-core's own service clients.
  const std::shared_ptr<Impl>& impl() const { return impl_; }

 private:
  explicit Connection(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace cyrange::client
