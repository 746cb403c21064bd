#include <orchestrator/config/config.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

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

Status apply_key(Config& config, const std::string& key, const YAML::Node& value,
                 const std::string& origin, const YAML::Mark& key_mark) {
  if (key == "database_uri") return read_string(value, origin, key, config.database_uri);
  if (key == "listen_address") return read_string(value, origin, key, config.listen_address);
  if (key == "tls_dir") return read_path(value, origin, key, config.tls_dir);
  if (key == "plaintext") return read_bool(value, origin, key, config.plaintext);
  if (key == "libvirt_uri") return read_string(value, origin, key, config.libvirt_uri);
  if (key == "state_dir") return read_path(value, origin, key, config.state_dir);
  if (key == "log_json") return read_bool(value, origin, key, config.log_json);
  if (key == "log_level") {
    if (auto st = read_string(value, origin, key, config.log_level); !st) return st;
    return check_log_level(config.log_level, where(origin, value.Mark()) + ": key 'log_level'");
  }
  return make_error(ErrorCode::invalid_argument,
                    where(origin, key_mark) + ": unknown key '" + key +
                        "'; known keys are database_uri, listen_address, tls_dir, plaintext, "
                        "libvirt_uri, state_dir, log_level and log_json.");
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

void apply_overrides(Config& config, const ConfigOverrides& overrides) {
  if (overrides.database_uri) config.database_uri = *overrides.database_uri;
  if (overrides.listen_address) config.listen_address = *overrides.listen_address;
  if (overrides.tls_dir) config.tls_dir = *overrides.tls_dir;
  if (overrides.plaintext) config.plaintext = *overrides.plaintext;
  if (overrides.log_level) config.log_level = *overrides.log_level;
  if (overrides.log_json) config.log_json = *overrides.log_json;
}

}  // namespace cyrange::config
