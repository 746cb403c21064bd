#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include <client-core/connection.h>

namespace cyrange::cli {

/// Options shared by the commands that call cyranged: --server, --ca, --token,
/// --plaintext and --config for the defaults.
struct ServerFlags {
  std::string config_file;
  std::string server;
  std::string ca;
  std::string token;
  std::string token_file;
  bool plaintext = false;

  /// Adds the options to `cmd`.
  void add_to(CLI::App* cmd) {
    cmd->add_option("--server", server, "cyranged address host:port (default: listen_address)");
    cmd->add_option("--ca", ca, "CA certificate of the server (default: <tls_dir>/ca.pem)");
    cmd->add_option("--token", token,
                    "Access token (default: $CYRANGE_TOKEN, else ~/.config/cyrange/token); "
                    "prefer --token-file: other users see command lines in ps");
    cmd->add_option("--token-file", token_file,
                    "File whose first line is the access token (mode 0600, yours)");
    cmd->add_flag(
        "--plaintext", plaintext,
        "Connect without TLS (loopback or unix socket only, to a server started --plaintext)");
    cmd->add_option("--config", config_file, "Configuration file for the defaults");
  }

  /// The connection the options describe; prints why and throws CLI::RuntimeError(1)
  /// when it cannot be opened (e.g. an unreadable CA file).
  client::Connection connect() const;
};

}  // namespace cyrange::cli
