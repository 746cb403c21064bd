#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::config {

/// One entry of the `hypervisors:` list; capacities left unset come from what the host reports.
struct HypervisorHost {
  std::string uri;                                 ///< libvirt URI, e.g. qemu+ssh://root@h2/system
  std::string name;                                ///< short name for reports; empty: the URI
  std::optional<int> vcpus;                        ///< guest vCPUs the host may carry
  std::optional<std::int64_t> memory_mib;          ///< guest memory the host may carry
  std::optional<int> max_guests;                   ///< guests the host may carry
  std::optional<int> vcpus_per_cpu;                ///< overcommit when vcpus is unset (16)
  std::optional<std::int64_t> reserve_memory_mib;  ///< kept free when memory_mib is unset (1024)
};

/// Settings of cyranged and of the cyrange commands that talk to its database.
struct Config {
  std::string database_uri = "postgresql:///cyrange";      ///< libpq URI of the system of record
  std::string listen_address = "127.0.0.1:50051";          ///< host:port the gRPC server binds
  std::filesystem::path tls_dir = "/var/lib/cyrange/tls";  ///< ca.pem, server.pem, server.key
  bool plaintext = false;                      ///< serve without TLS (explicit opt-in only)
  std::string libvirt_uri = "qemu:///system";  ///< hypervisor connection for ranges
  std::vector<HypervisorHost> hypervisors;     ///< several hosts; empty: libvirt_uri alone
  std::filesystem::path state_dir = "/var/lib/cyrange";  ///< images, recordings, scratch
  std::string log_level = "info";                        ///< trace, debug, info, warn, error, off
  bool log_json = false;                                 ///< one JSON object per log line
  /// cyranged runs image recipes for profiles missing from its cache; off: exercises
  /// created over the API use only images the operator built (`cyrange images build`).
  bool build_images = false;
  /// Answers (scoring::AnswerBackoff): wrong answers a team may give to one objective without
  /// a limit of its own before it must wait, the first wait and the longest one.
  int answer_free_wrong = 10;
  int answer_first_wait_s = 5;
  int answer_max_wait_s = 300;
  /// SubmitAnswer and TakeHint per user (rpc::UserRateLimit): at most answer_burst at once,
  /// then answer_rate_per_minute on average; 0 per minute: no limit.
  int answer_burst = 20;
  int answer_rate_per_minute = 30;
  /// Tokens: the longest lifetime one may have (older ones are refused whatever their expiry),
  /// and how often cyranged checks the token of every open stream again (revoked, disabled
  /// and expired tokens lose their streams within about that time).
  int token_max_lifetime_h = 24 * 30;
  int stream_recheck_s = 30;
  /// Cost before and after login (#17, 6): seconds an accepted token's identity is kept
  /// (emptied on every token or user change; 0: off), seconds Health answers from its last
  /// probe (0: off), failed sign-ins per address (sign_in_failure_burst at once, then
  /// sign_in_failures_per_minute; 0: no limit).
  int token_cache_s = 10;
  int health_cache_s = 2;
  int sign_in_failure_burst = 20;
  int sign_in_failures_per_minute = 30;
  /// gRPC server limits: streams per connection, the largest message received (KiB), the
  /// shortest interval between a client's keepalive pings (more often: the connection is
  /// closed), and the idle time and age after which a connection is closed (0: never).
  int grpc_max_concurrent_streams = 200;
  int grpc_max_receive_kb = 2048;
  int grpc_keepalive_min_s = 5;
  int grpc_max_connection_idle_s = 3600;
  int grpc_max_connection_age_s = 86400;
};

/// Values given on a command line; each one set overrides file and environment.
struct ConfigOverrides {
  std::optional<std::string> database_uri;       ///< --db
  std::optional<std::string> listen_address;     ///< --listen
  std::optional<std::filesystem::path> tls_dir;  ///< --tls-dir
  std::optional<bool> plaintext;                 ///< --plaintext
  std::optional<std::string> log_level;          ///< --log-level
  std::optional<bool> log_json;                  ///< --log-json
  std::optional<bool> build_images;              ///< --build-images
  std::vector<std::string> libvirt_uris;         ///< --libvirt-uri, repeatable: the hosts to use
};

/// The hosts team ranges are placed on: the `hypervisors:` list, else libvirt_uri alone.
std::vector<HypervisorHost> hypervisor_hosts(const Config& config);

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
