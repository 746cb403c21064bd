#include <orchestrator/scenario/yaml_reader.h>

#include <algorithm>
#include <regex>
#include <set>

#include <orchestrator/scenario/schema_keys.h>

namespace cyrange::scenario::detail {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

int parse_duration(const std::string& value) {
  static const std::regex plain(R"(\d+)");
  static const std::regex units(R"((?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?)");
  if (value.empty()) return -1;
  if (std::regex_match(value, plain)) return std::stoi(value);
  std::smatch m;
  if (!std::regex_match(value, m, units)) return -1;
  auto part = [&](int i) { return m[i].matched ? std::stoi(m[i].str()) : 0; };
  return part(1) * 3600 + part(2) * 60 + part(3);
}

YamlReader::YamlReader(Scenario& scenario, const std::string& text, std::string file)
    : scenario_(scenario), file_(file.empty() ? scenario.file : std::move(file)) {
  std::string::size_type start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    lines_.push_back(
        text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
}

SourceLocation YamlReader::loc(const YAML::Node& node) const {
  if (!node.IsDefined() || node.Mark().line < 0) return SourceLocation{file_, 1, 1};
  return at(node.Mark().line, node.Mark().column);
}

SourceLocation YamlReader::at(int line, int byte_column) const {
  SourceLocation where{file_, line + 1, byte_column + 1};
  // yaml-cpp counts bytes; authors (and editors) count characters, so count
  // the UTF-8 lead bytes before the mark.
  if (line >= 0 && line < static_cast<int>(lines_.size())) {
    const std::string& text = lines_[line];
    int column = 0;
    for (int i = 0; i < byte_column && i < static_cast<int>(text.size()); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
    }
    where.column = column + 1;
  }
  return where;
}

void YamlReader::error(const SourceLocation& where, const std::string& what,
                       const std::string& fix) {
  scenario_.schema_diagnostics.push_back(make_diagnostic(where, Severity::error, what, fix));
}

YAML::Node YamlReader::child(const YAML::Node& parent, const char* key) {
  if (!parent.IsDefined() || !parent.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& const_parent = parent;
  return const_parent[key];
}

bool YamlReader::object(const YAML::Node& node, const std::string& shape_name,
                        const std::string& what) {
  if (!node.IsMap()) {
    error(loc(node), what + " must be a mapping of keys to values",
          "write it as `key: value` lines indented under it");
    return false;
  }
  const ObjectShape& shape = object_shapes().at(shape_name);
  std::set<std::string> seen;
  for (const auto& pair : node) {
    const std::string key = pair.first.Scalar();
    if (!seen.insert(key).second) {
      error(loc(pair.first), "duplicate key '" + key + "' in " + what,
            "keep only one '" + key + "' entry");
    } else if (std::find(shape.keys.begin(), shape.keys.end(), key) == shape.keys.end()) {
      error(loc(pair.first), "unknown key '" + key + "' in " + what,
            "remove it or correct its spelling (allowed: " + join(shape.keys) + ")");
    }
  }
  for (const auto& key : shape.required) {
    if (!seen.count(key)) {
      error(loc(node), what + " lacks the required key '" + key + "'", "add '" + key + ":' to it");
    }
  }
  return true;
}

void YamlReader::scan_refs(const std::string& text, const YAML::Node& node) {
  static const std::regex any_ref(R"(\$\{([^}]*)\})");
  static const std::regex var_ref(R"(vars\.([A-Za-z_][A-Za-z0-9_]*))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), any_ref);
       it != std::sregex_iterator(); ++it) {
    const std::string inner = (*it)[1].str();
    std::smatch m;
    if (std::regex_match(inner, m, var_ref)) {
      scenario_.variable_refs.push_back({m[1].str(), loc(node)});
    } else {
      error(loc(node), "malformed reference '${" + inner + "}'",
            "write references as ${vars.NAME} with a variable declared under variables:");
    }
  }
}

std::string YamlReader::scalar(const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) {
    error(loc(node), what + " must be a single value, not a list or mapping",
          "write it as plain text on one line");
    return {};
  }
  scan_refs(node.Scalar(), node);
  return node.Scalar();
}

std::string YamlReader::str(const YAML::Node& parent, const char* key,
                            const std::string& fallback) {
  const YAML::Node node = child(parent, key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  return scalar(node, "'" + std::string(key) + "'");
}

long long YamlReader::integer(const YAML::Node& parent, const char* key, long long fallback) {
  static const std::regex whole(R"(-?\d{1,15})");
  const YAML::Node node = child(parent, key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  if (!node.IsScalar() || !std::regex_match(node.Scalar(), whole)) {
    error(loc(node), "'" + std::string(key) + "' must be a whole number",
          "write digits only, for example `" + std::string(key) + ": 128`");
    return fallback;
  }
  return std::stoll(node.Scalar());
}

double YamlReader::number(const YAML::Node& parent, const char* key, double fallback) {
  static const std::regex decimal(R"(-?\d{1,15}(\.\d+)?)");
  const YAML::Node node = child(parent, key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  if (!node.IsScalar() || !std::regex_match(node.Scalar(), decimal)) {
    error(loc(node), "'" + std::string(key) + "' must be a number",
          "write a number such as 60 or 2.5");
    return fallback;
  }
  return std::stod(node.Scalar());
}

bool YamlReader::boolean(const YAML::Node& parent, const char* key, bool fallback) {
  const YAML::Node node = child(parent, key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
    return node.Scalar() == "true";
  }
  error(loc(node), "'" + std::string(key) + "' must be true or false",
        "write `" + std::string(key) + ": true` or `" + std::string(key) + ": false`");
  return fallback;
}

int YamlReader::duration(const YAML::Node& parent, const char* key, int fallback) {
  const YAML::Node node = child(parent, key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  const int seconds = node.IsScalar() ? parse_duration(node.Scalar()) : -1;
  if (seconds < 0) {
    error(loc(node), "'" + std::string(key) + "' is not a duration",
          "write whole seconds or a value such as 90s, 5m or 1h30m");
    return fallback;
  }
  return seconds;
}

Text YamlReader::text(const YAML::Node& parent, const char* key) {
  Text out;
  const YAML::Node node = child(parent, key);
  out.loc = loc(node.IsDefined() ? node : parent);
  if (!node.IsDefined() || node.IsNull()) return out;
  out.present = true;
  if (!node.IsMap()) {
    error(out.loc, "'" + std::string(key) + "' must give the text in both languages",
          "write it as a mapping with `ja:` and `en:` keys");
    return out;
  }
  // Missing ja/en are semantic (translation) errors, reported by the validator.
  const std::set<std::string> allowed{"ja", "en"};
  for (const auto& pair : node) {
    if (!allowed.count(pair.first.Scalar())) {
      error(loc(pair.first), "unknown language '" + pair.first.Scalar() + "' in '" + key + "'",
            "use only `ja:` and `en:`");
    }
  }
  out.ja = str(node, "ja");
  out.en = str(node, "en");
  return out;
}

std::vector<std::string> YamlReader::str_list(const YAML::Node& parent, const char* key) {
  std::vector<std::string> out;
  for_each(parent, key, [&](const YAML::Node& item) {
    out.push_back(scalar(item, "an item of '" + std::string(key) + "'"));
  });
  return out;
}

std::map<std::string, std::string> YamlReader::str_map(const YAML::Node& parent, const char* key) {
  std::map<std::string, std::string> out;
  const YAML::Node node = child(parent, key);
  if (!node.IsDefined() || node.IsNull()) return out;
  if (!node.IsMap()) {
    error(loc(node), "'" + std::string(key) + "' must be a mapping of names to values",
          "write it as `name: value` lines indented under it");
    return out;
  }
  for (const auto& pair : node) {
    out[pair.first.Scalar()] = scalar(pair.second, "'" + pair.first.Scalar() + "'");
  }
  return out;
}

void YamlReader::for_each(const YAML::Node& parent, const char* key,
                          const std::function<void(const YAML::Node&)>& each) {
  const YAML::Node node = child(parent, key);
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsSequence()) {
    error(loc(node), "'" + std::string(key) + "' must be a list",
          "write each item on its own line starting with `- `");
    return;
  }
  for (const auto& item : node) each(item);
}

}  // namespace cyrange::scenario::detail
