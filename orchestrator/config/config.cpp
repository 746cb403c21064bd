#include <orchestrator/config/config.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <utility>

#include <yaml-cpp/yaml.h>

namespace cyrange::config {
namespace {

std::string where(const std::string& origin, const YAML::Mark& mark) {
  // yaml-cpp counts lines from 0; people and editors count from 1.
  if (mark.line < 0) return origin;
  return origin + ":" + std::to_string(mark.line + 1);
}

Error key_error(const std::string& origin, const YAML::Node& node, const std::string& key,
                const std::string& expectation) {
  return make_error(ErrorCode::invalid_argument, where(origin, node.Mark()) + ": the value of '" +
                                                     key + "' must be " + expectation +
                                                     "; fix the configuration file and retry.");
}

Status read_string(const YAML::Node& value, const std::string& origin, const std::string& key,
                   std::string& out) {
  if (!value.IsScalar()) return key_error(origin, value, key, "a string");
  out = value.Scalar();
  return Status::success();
}

Status read_bool(const YAML::Node& value, const std::string& origin, const std::string& key,
                 bool& out) {
  bool parsed = false;
  if (!value.IsScalar() || !YAML::convert<bool>::decode(value, parsed)) {
    return key_error(origin, value, key, "true or false");
  }
  out = parsed;
  return Status::success();
}

Status read_path(const YAML::Node& value, const std::string& origin, const std::string& key,
                 std::filesystem::path& out) {
  std::string text;
  if (auto st = read_string(value, origin, key, text); !st) return st;
  out = text;
  return Status::success();
}

Status check_log_level(const std::string& level, const std::string& context) {
  static const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
  for (const char* known : kLevels) {
    if (level == known) return Status::success();
  }
  return make_error(ErrorCode::invalid_argument,
                    context + ": unknown log level '" + level +
                        "'; use trace, debug, info, warn, error, critical or off.");
}

template <class Int>
Status read_count(const YAML::Node& value, const std::string& origin, const std::string& key,
                  std::int64_t minimum, std::optional<Int>& out) {
  std::int64_t parsed = 0;
  if (!value.IsScalar() || !YAML::convert<std::int64_t>::decode(value, parsed) || parsed < minimum)
    return key_error(origin, value, key, "a whole number of at least " + std::to_string(minimum));
  out = static_cast<Int>(parsed);
  return Status::success();
}

Status read_host_key(HypervisorHost& host, const std::string& key, const YAML::Node& value,
                     const std::string& origin, const YAML::Mark& key_mark) {
  const std::string full = "hypervisors[]." + key;
  if (key == "uri") return read_string(value, origin, full, host.uri);
  if (key == "name") return read_string(value, origin, full, host.name);
  if (key == "vcpus") return read_count(value, origin, full, 1, host.vcpus);
  if (key == "memory_mib") return read_count(value, origin, full, 1, host.memory_mib);
  if (key == "max_guests") return read_count(value, origin, full, 1, host.max_guests);
  if (key == "vcpus_per_cpu") return read_count(value, origin, full, 1, host.vcpus_per_cpu);
  if (key == "reserve_memory_mib")
    return read_count(value, origin, full, 0, host.reserve_memory_mib);
  return make_error(ErrorCode::invalid_argument,
                    where(origin, key_mark) + ": unknown key '" + key +
                        "' in a hypervisor host; known keys are uri, name, vcpus, memory_mib, "
                        "max_guests, vcpus_per_cpu and reserve_memory_mib.");
}

// `hypervisors:` is a list of hosts, each a URI or a mapping with `uri` and optional capacity.
Status read_hypervisors(const YAML::Node& value, const std::string& origin,
                        std::vector<HypervisorHost>& out) {
  if (!value.IsSequence() || value.size() == 0)
    return key_error(origin, value, "hypervisors",
                     "a non-empty list of hosts (`- uri: qemu:///system`)");
  out.clear();
  for (const auto& item : value) {
    HypervisorHost host;
    if (item.IsScalar()) {
      host.uri = item.Scalar();
    } else if (item.IsMap()) {
      for (const auto& entry : item)
        if (auto st = read_host_key(host, entry.first.as<std::string>(), entry.second, origin,
                                    entry.first.Mark());
            !st)
          return st;
    } else {
      return key_error(origin, item, "hypervisors[]", "a URI or a mapping with `uri`");
    }
    if (host.uri.empty())
      return key_error(origin, item, "hypervisors[].uri", "a libvirt URI (it is missing)");
    for (const auto& other : out)
      if (other.uri == host.uri)
        return key_error(origin, item, "hypervisors[].uri",
                         "different for every host ('" + host.uri + "' is listed twice)");
    out.push_back(std::move(host));
  }
  return Status::success();
}

// The abuse and token limits: each key with its smallest value and its field.
std::optional<std::pair<std::int64_t, int*>> abuse_limit(Config& config, const std::string& key) {
  if (key == "answer_free_wrong") return std::pair{0, &config.answer_free_wrong};
  if (key == "answer_first_wait_s") return std::pair{1, &config.answer_first_wait_s};
  if (key == "answer_max_wait_s") return std::pair{1, &config.answer_max_wait_s};
  if (key == "answer_burst") return std::pair{1, &config.answer_burst};
  if (key == "answer_rate_per_minute") return std::pair{0, &config.answer_rate_per_minute};
  if (key == "token_max_lifetime_h") return std::pair{1, &config.token_max_lifetime_h};
  if (key == "stream_recheck_s") return std::pair{1, &config.stream_recheck_s};
  if (key == "token_cache_s") return std::pair{0, &config.token_cache_s};
  if (key == "health_cache_s") return std::pair{0, &config.health_cache_s};
  if (key == "sign_in_failure_burst") return std::pair{1, &config.sign_in_failure_burst};
  if (key == "sign_in_failures_per_minute")
    return std::pair{0, &config.sign_in_failures_per_minute};
  if (key == "grpc_max_concurrent_streams")
    return std::pair{1, &config.grpc_max_concurrent_streams};
  if (key == "grpc_max_receive_kb") return std::pair{64, &config.grpc_max_receive_kb};
  if (key == "grpc_keepalive_min_s") return std::pair{1, &config.grpc_keepalive_min_s};
  if (key == "grpc_max_connection_idle_s") return std::pair{0, &config.grpc_max_connection_idle_s};
  if (key == "grpc_max_connection_age_s") return std::pair{0, &config.grpc_max_connection_age_s};
  return std::nullopt;
}

Status read_limit(const YAML::Node& value, const std::string& origin, const std::string& key,
                  std::int64_t minimum, int& out) {
  std::optional<std::int64_t> parsed;
  if (auto st = read_count(value, origin, key, minimum, parsed); !st) return st;
  if (*parsed > 1000000) return key_error(origin, value, key, "at most 1000000");
  out = static_cast<int>(*parsed);
  return Status::success();
}

Status apply_key(Config& config, const std::string& key, const YAML::Node& value,
                 const std::string& origin, const YAML::Mark& key_mark) {
  if (key == "hypervisors") return read_hypervisors(value, origin, config.hypervisors);
  if (key == "database_uri") return read_string(value, origin, key, config.database_uri);
  if (key == "listen_address") return read_string(value, origin, key, config.listen_address);
  if (key == "tls_dir") return read_path(value, origin, key, config.tls_dir);
  if (key == "plaintext") return read_bool(value, origin, key, config.plaintext);
  if (key == "libvirt_uri") return read_string(value, origin, key, config.libvirt_uri);
  if (key == "state_dir") return read_path(value, origin, key, config.state_dir);
  if (key == "log_json") return read_bool(value, origin, key, config.log_json);
  if (key == "build_images") return read_bool(value, origin, key, config.build_images);
  if (auto limit = abuse_limit(config, key))
    return read_limit(value, origin, key, limit->first, *limit->second);
  if (key == "log_level") {
    if (auto st = read_string(value, origin, key, config.log_level); !st) return st;
    return check_log_level(config.log_level, where(origin, value.Mark()) + ": key 'log_level'");
  }
  return make_error(ErrorCode::invalid_argument,
                    where(origin, key_mark) + ": unknown key '" + key +
                        "'; known keys are database_uri, listen_address, tls_dir, plaintext, "
                        "libvirt_uri, hypervisors, state_dir, log_level, log_json, build_images, "
                        "answer_free_wrong, answer_first_wait_s, answer_max_wait_s, answer_burst, "
                        "answer_rate_per_minute, token_max_lifetime_h, stream_recheck_s, "
                        "token_cache_s, health_cache_s, sign_in_failure_burst, "
                        "sign_in_failures_per_minute, grpc_max_concurrent_streams, "
                        "grpc_max_receive_kb, grpc_keepalive_min_s, grpc_max_connection_idle_s "
                        "and grpc_max_connection_age_s.");
}

}  // namespace

EnvLookup process_environment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

Expected<Config> parse_config(std::string_view yaml, const std::string& origin) {
  Config config;
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (root.IsNull()) return config;  // an empty file means all defaults
    if (!root.IsMap()) {
      return make_error(ErrorCode::invalid_argument,
                        where(origin, root.Mark()) +
                            ": the configuration must be a mapping of keys to values "
                            "(for example `listen_address: 127.0.0.1:50051`).");
    }
    for (const auto& entry : root) {
      const std::string key = entry.first.as<std::string>();
      if (auto st = apply_key(config, key, entry.second, origin, entry.first.Mark()); !st) {
        return st.error();
      }
    }
    if (root["hypervisors"] && root["libvirt_uri"])
      return make_error(ErrorCode::invalid_argument,
                        where(origin, root["libvirt_uri"].Mark()) +
                            ": give either 'libvirt_uri' (one host) or 'hypervisors' (a list), "
                            "not both; move the URI into the list.");
    if (!config.hypervisors.empty()) config.libvirt_uri = config.hypervisors.front().uri;
  } catch (const YAML::Exception& e) {
    return make_error(
        ErrorCode::invalid_argument,
        where(origin, e.mark) + ": the file is not valid YAML (" + e.msg + "); fix it and retry.");
  }
  return config;
}

Expected<Config> load_config(const std::optional<std::filesystem::path>& path, const EnvLookup& env,
                             const std::filesystem::path& default_file) {
  std::optional<std::filesystem::path> file = path;
  if (!file) {
    if (auto from_env = env("CYRANGE_CONFIG")) file = *from_env;
  }
  if (!file) {
    std::error_code ec;
    if (std::filesystem::exists(default_file, ec)) file = default_file;
  }

  Config config;
  if (file) {
    std::ifstream in(*file);
    if (!in) {
      return make_error(ErrorCode::not_found,
                        "Cannot read the configuration file '" + file->string() +
                            "'; check the path given by --config or $CYRANGE_CONFIG.");
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = parse_config(text.str(), file->string());
    if (!parsed) return parsed.error();
    config = std::move(parsed).value();
  }

  if (auto v = env("CYRANGE_DB_URI")) config.database_uri = *v;
  if (auto v = env("CYRANGE_LISTEN")) config.listen_address = *v;
  if (auto v = env("CYRANGE_TLS_DIR")) config.tls_dir = *v;
  return config;
}

std::vector<HypervisorHost> hypervisor_hosts(const Config& config) {
  if (!config.hypervisors.empty()) return config.hypervisors;
  HypervisorHost only;
  only.uri = config.libvirt_uri;
  return {only};
}

void apply_overrides(Config& config, const ConfigOverrides& overrides) {
  if (!overrides.libvirt_uris.empty()) {
    // The flags choose the hosts; a host also in the file keeps its configured capacity.
    const auto configured = hypervisor_hosts(config);
    std::vector<HypervisorHost> hosts;
    for (const auto& uri : overrides.libvirt_uris) {
      HypervisorHost host;
      host.uri = uri;
      for (const auto& c : configured)
        if (c.uri == uri) host = c;
      hosts.push_back(std::move(host));
    }
    config.libvirt_uri = hosts.front().uri;
    config.hypervisors = std::move(hosts);
  }
  if (overrides.database_uri) config.database_uri = *overrides.database_uri;
  if (overrides.listen_address) config.listen_address = *overrides.listen_address;
  if (overrides.tls_dir) config.tls_dir = *overrides.tls_dir;
  if (overrides.plaintext) config.plaintext = *overrides.plaintext;
  if (overrides.log_level) config.log_level = *overrides.log_level;
  if (overrides.log_json) config.log_json = *overrides.log_json;
  if (overrides.build_images) config.build_images = *overrides.build_images;
}

}  // namespace cyrange::config
