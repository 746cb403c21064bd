#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <orchestrator/common/expected.h>

namespace cyrange::config {

/// Settings of cyranged and of the cyrange commands that talk to its database.
struct Config {
  std::string database_uri = "postgresql:///cyrange";      ///< libpq URI of the system of record
  std::string listen_address = "127.0.0.1:50051";          ///< host:port the gRPC server binds
  std::filesystem::path tls_dir = "/var/lib/cyrange/tls";  ///< ca.pem, server.pem, server.key
  bool plaintext = false;                      ///< serve without TLS (explicit opt-in only)
  std::string libvirt_uri = "qemu:///system";  ///< hypervisor connection for ranges
  std::filesystem::path state_dir = "/var/lib/cyrange";  ///< images, recordings, scratch
  std::string log_level = "info";                        ///< trace, debug, info, warn, error, off
  bool log_json = false;                                 ///< one JSON object per log line
};

/// Values given on a command line; each one set overrides file and environment.
struct ConfigOverrides {
  std::optional<std::string> database_uri;       ///< --db
  std::optional<std::string> listen_address;     ///< --listen
  std::optional<std::filesystem::path> tls_dir;  ///< --tls-dir
  std::optional<bool> plaintext;                 ///< --plaintext
  std::optional<std::string> log_level;          ///< --log-level
  std::optional<bool> log_json;                  ///< --log-json
};

/// Looks up an environment variable; injectable so tests need not touch the process.
using EnvLookup = std::function<std::optional<std::string>(std::string_view name)>;

/// The real process environment.
EnvLookup process_environment();

/// Where the configuration file is looked for when neither a flag nor
/// $CYRANGE_CONFIG names one (used only when it exists).
inline const std::filesystem::path kDefaultConfigFile = "/etc/cyrange/cyrange.yaml";

/// Loads the configuration: the YAML file (`path`, else $CYRANGE_CONFIG, else
/// `default_file` if it exists, else built-in defaults), then the environment
/// overrides CYRANGE_DB_URI, CYRANGE_LISTEN and CYRANGE_TLS_DIR. Errors name the
/// file, line and key.
Expected<Config> load_config(const std::optional<std::filesystem::path>& path,
                             const EnvLookup& env = process_environment(),
                             const std::filesystem::path& default_file = kDefaultConfigFile);

/// Parses YAML text; `origin` names the text in error messages (a file path).
Expected<Config> parse_config(std::string_view yaml, const std::string& origin);

/// Applies command-line values on top of a loaded configuration.
void apply_overrides(Config& config, const ConfigOverrides& overrides);

}  // namespace cyrange::config
