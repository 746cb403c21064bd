#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// How a client reaches cyranged. Shared by the CLI, the Qt apps and scripted trainees.
struct ClientOptions {
  std::string target = "127.0.0.1:50051";    ///< host:port of cyranged
  std::filesystem::path ca_file;             ///< CA that signed the server (empty: system roots)
  std::string token;                         ///< bearer token; empty for Health only
  bool plaintext = false;                    ///< no TLS (only against a --plaintext server)
  std::chrono::milliseconds timeout{10000};  ///< deadline of each call
};

/// ~/.config/cyrange/token, where `cyrange users token --save` puts a token.
std::filesystem::path default_token_file();

/// $CYRANGE_TOKEN, else the first line of default_token_file(), else nothing.
std::optional<std::string> find_token();

/// Writes `token` to `file` with mode 0600, creating its directory.
Status save_token(const std::string& token, const std::filesystem::path& file);

/// A channel to cyranged; cheap to copy (copies share the channel).
class Connection {
 public:
  /// Prepares the channel (TLS with options.ca_file, or insecure when plaintext);
  /// an unreadable CA file is an error naming it. Connects lazily on first call.
  static Expected<Connection> open(const ClientOptions& options);

  /// The options the connection was opened with.
  const ClientOptions& options() const;

  struct Impl;  ///< defined in client-core/internal; keeps grpc out of this header
  /// The shared state; for client-core's own service clients.
  const std::shared_ptr<Impl>& impl() const { return impl_; }

 private:
  explicit Connection(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace cyrange::client
