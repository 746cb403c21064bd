#include <orchestrator/scenario/yaml_reader.h>

#include <algorithm>
#include <regex>
#include <set>

#include <orchestrator/scenario/schema_keys.h>
#include <orchestrator/scenario/time_placeholders.h>

namespace cyrange::scenario::detail {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::string quoted(const char* key) { return "'" + std::string(key) + "'"; }

/// What `node` is, for "expected ..., found ..." messages: {English, Japanese}.
std::pair<std::string, std::string> found(const YAML::Node& node) {
  if (node.IsSequence()) return {"found a list", "リストが書かれています"};
  if (node.IsMap()) return {"found a mapping", "マッピングが書かれています"};
  if (node.IsNull()) return {"found nothing", "何も書かれていません"};
  return {"found '" + node.Scalar() + "'", "'" + node.Scalar() + "' が書かれています"};
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

SourceLocation YamlReader::locate(const YAML::Node& node, const std::string& needle) const {
  const int first = node.Mark().line;
  if (first < 0 || needle.empty()) return loc(node);
  // A scalar's text is found where it was written: on its first line from its mark on,
  // or on the lines of a block scalar below it.
  std::size_t from = static_cast<std::size_t>(std::max(node.Mark().column, 0));
  const std::size_t lines = std::count(node.Scalar().begin(), node.Scalar().end(), '\n') + 2;
  for (std::size_t line = static_cast<std::size_t>(first);
       line < lines_.size() && line < static_cast<std::size_t>(first) + lines; ++line, from = 0) {
    const std::size_t at_byte = lines_[line].find(needle, from);
    if (at_byte == std::string::npos) continue;
    SourceLocation where = at(static_cast<int>(line), static_cast<int>(at_byte));
    where.end_line = static_cast<int>(line) + 1;
    where.end_column =
        at(static_cast<int>(line), static_cast<int>(at_byte + needle.size()) - 1).column;
    return where;
  }
  return loc(node);
}

SourceLocation YamlReader::loc(const YAML::Node& node) const {
  if (!node.IsDefined() || node.Mark().line < 0) return SourceLocation{file_, 1, 1, 0, 0};
  SourceLocation where = at(node.Mark().line, node.Mark().column);
  const int line = node.Mark().line;
  if (line < static_cast<int>(lines_.size()) && node.Mark().column >= 0) {
    const std::size_t end = end_of(node, line, static_cast<std::size_t>(node.Mark().column));
    where.end_line = line + 1;
    where.end_column = at(line, static_cast<int>(end)).column;
  }
  return where;
}

std::size_t YamlReader::end_of(const YAML::Node& node, int line, std::size_t start) const {
  const std::string& text = lines_[line];
  std::size_t line_end = text.size();
  while (line_end > start &&
         (text[line_end - 1] == ' ' || text[line_end - 1] == '\r' || text[line_end - 1] == '\t'))
    --line_end;
  if (start >= line_end) return line_end;
  const char first = text[start];
  // Past a quoted string that opens at `i`: its closing quote's next byte, or npos.
  auto past_quoted = [&](std::size_t i) -> std::size_t {
    const char quote = text[i];
    for (++i; i < line_end; ++i) {
      if (quote == '"' && text[i] == '\\') {
        ++i;
      } else if (text[i] == quote) {
        if (quote == '\'' && i + 1 < line_end && text[i + 1] == '\'') {
          ++i;
        } else {
          return i + 1;
        }
      }
    }
    return std::string::npos;
  };
  if (node.IsScalar()) {
    if (first == '"' || first == '\'') {
      const std::size_t end = past_quoted(start);
      return end == std::string::npos ? line_end : end;
    }
    const std::string& value = node.Scalar();
    if (!value.empty() && text.compare(start, value.size(), value) == 0)
      return start + value.size();
    return line_end;
  }
  if (first == '[' || first == '{') {
    int depth = 0;
    for (std::size_t i = start; i < line_end; ++i) {
      if (text[i] == '"' || text[i] == '\'') {
        const std::size_t end = past_quoted(i);
        if (end == std::string::npos) break;
        i = end - 1;
      } else if (text[i] == '[' || text[i] == '{') {
        ++depth;
      } else if ((text[i] == ']' || text[i] == '}') && --depth == 0) {
        return i + 1;
      }
    }
  }
  return line_end;
}

ValueLocations YamlReader::values(const YAML::Node& node) const {
  ValueLocations out;
  if (!node.IsMap()) return out;
  for (const auto& pair : node) {
    const std::string key = pair.first.Scalar();
    const YAML::Node& value = pair.second;
    // An empty value (`name:`) has no place of its own: its key's.
    out.by_key.emplace(key, value.IsNull() ? loc(pair.first) : loc(value));
    if (value.IsSequence()) {
      std::size_t index = 0;
      for (const auto& item : value)
        out.by_key.emplace(key + "." + std::to_string(index++), loc(item));
    } else if (value.IsMap()) {
      for (const auto& inner : value) {
        out.by_key.emplace(key + "." + inner.first.Scalar(),
                           inner.second.IsNull() ? loc(inner.first) : loc(inner.second));
      }
    }
  }
  return out;
}

SourceLocation YamlReader::at(int line, int byte_column) const {
  SourceLocation where{file_, line + 1, byte_column + 1, 0, 0};
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

void YamlReader::wrong_shape(const YAML::Node& node, const std::string& subject,
                             const std::string& expected_en, const std::string& expected_ja,
                             const std::string& fix_en, const std::string& fix_ja) {
  const auto [en, ja] = found(node);
  error(loc(node),
        both(subject + ": expected " + expected_en + ", " + en,
             subject + " には" + expected_ja + "を書きます（" + ja + "）"),
        both(fix_en, fix_ja));
}

void YamlReader::note(const SourceLocation& where, const std::string& text) {
  if (!scenario_.schema_diagnostics.empty())
    scenario_.schema_diagnostics.back().notes.push_back(make_note(where, text));
}

YAML::Node YamlReader::child(const YAML::Node& parent, const char* key) {
  if (!parent.IsDefined() || !parent.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& const_parent = parent;
  return const_parent[key];
}

bool YamlReader::object(const YAML::Node& node, const std::string& shape, const std::string& what,
                        ValueLocations& places) {
  if (!object(node, shape, what)) return false;
  places = values(node);
  return true;
}

bool YamlReader::object(const YAML::Node& node, const std::string& shape_name,
                        const std::string& what) {
  if (!node.IsMap()) {
    wrong_shape(node, what, "a mapping of keys to values", "キーと値のマッピング",
                "write it as `key: value` lines indented under it",
                "`キー: 値` の行を字下げして書いてください");
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
    } else if (inner.rfind("time.", 0) == 0) {
      // Planted evidence at the guest clock's time, filled in when a step runs.
      if (auto time = parse_time_placeholder(inner); !time)
        error(locate(node, (*it)[0].str()), both(time.error().message, time.error().message_ja),
              both(time_placeholder_usage(false), time_placeholder_usage(true)));
    } else {
      error(loc(node), "malformed reference '${" + inner + "}'",
            "write references as ${vars.NAME} with a variable declared under variables:, or a "
            "time as ${time.now-5m|syslog}");
    }
  }
}

std::string YamlReader::scalar(const YAML::Node& node, const std::string& what) {
  if (!node.IsScalar()) {
    wrong_shape(node, what, "a single value", "単一の値",
                "write it as plain text on one line (quote it if it starts with [ or {)",
                "1行のテキストで書いてください（[ や { で始まる場合は引用符で囲みます）");
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
    wrong_shape(node, quoted(key), "a whole number", "整数",
                "write digits only, for example `" + std::string(key) + ": 128`",
                "`" + std::string(key) + ": 128` のように数字だけで書いてください");
    return fallback;
  }
  return std::stoll(node.Scalar());
}

double YamlReader::number(const YAML::Node& parent, const char* key, double fallback) {
  static const std::regex decimal(R"(-?\d{1,15}(\.\d+)?)");
  const YAML::Node node = child(parent, key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  if (!node.IsScalar() || !std::regex_match(node.Scalar(), decimal)) {
    wrong_shape(node, quoted(key), "a number", "数値", "write a number such as 60 or 2.5",
                "60 や 2.5 のような数値を書いてください");
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
  wrong_shape(
      node, quoted(key), "true or false", "true か false",
      "write `" + std::string(key) + ": true` or `" + std::string(key) + ": false`",
      "`" + std::string(key) + ": true` か `" + std::string(key) + ": false` と書いてください");
  return fallback;
}

int YamlReader::duration(const YAML::Node& parent, const char* key, int fallback) {
  const YAML::Node node = child(parent, key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  const int seconds = node.IsScalar() ? parse_duration(node.Scalar()) : -1;
  if (seconds < 0) {
    wrong_shape(node, quoted(key), "a duration", "時間の長さ",
                "write whole seconds or a value such as 90s, 5m or 1h30m",
                "秒数か、90s・5m・1h30m のような値を書いてください");
    return fallback;
  }
  return seconds;
}

Text YamlReader::text(const YAML::Node& parent, const char* key) {
  Text out;
  const YAML::Node node = child(parent, key);
  out.loc = loc(node.IsDefined() ? node : parent);
  if (!node.IsDefined() || node.IsNull()) return out;
  // A text of the wrong shape is reported once, here, not again as missing languages.
  out.present = node.IsMap();
  if (!node.IsMap()) {
    wrong_shape(node, quoted(key), "a text in both languages (a mapping with ja: and en:)",
                "日本語と英語のテキスト", "write it as a mapping with `ja:` and `en:` keys",
                "`ja:` と `en:` のキーを持つマッピングで書いてください");
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
    wrong_shape(node, quoted(key), "a mapping of names to values", "名前と値のマッピング",
                "write it as `name: value` lines indented under it",
                "`名前: 値` の行を字下げして書いてください");
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
    wrong_shape(node, quoted(key), "a list", "リスト",
                "write each item on its own line starting with `- ` (or `[a, b]`)",
                "各項目を `- ` で始まる行に書いてください（または `[a, b]`）");
    return;
  }
  for (const auto& item : node) each(item);
}

}  // namespace cyrange::scenario::detail
