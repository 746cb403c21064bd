#include <client-core/script/trainee_script.h>

#include <fstream>
#include <functional>
#include <initializer_list>
#include <regex>
#include <set>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace cyrange::client {
namespace {

const std::set<std::string> kVerdicts = {"correct",        "part_correct",  "wrong",
                                         "already_solved", "already_given", "recorded"};

bool is_identifier(const std::string& name) {
  static const std::regex re("[A-Za-z_][A-Za-z0-9_]*");
  return std::regex_match(name, re);
}

// Every ${NAME} reference in `text`, in order.
std::vector<std::string> references(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t at = text.find("${"); at != std::string_view::npos;
       at = text.find("${", at + 2)) {
    const auto end = text.find('}', at);
    if (end == std::string_view::npos) break;
    out.emplace_back(text.substr(at + 2, end - at - 2));
  }
  return out;
}

// Walks the YAML tree, collecting every problem instead of stopping at the first.
class ScriptReader {
 public:
  explicit ScriptReader(std::string file) : file_(std::move(file)) {}

  void error(const YAML::Mark& mark, const std::string& what, const std::string& fix) {
    std::ostringstream out;
    out << file_ << ":" << mark.line + 1 << ":" << mark.column + 1 << ": error: " << what << "; "
        << fix;
    errors_.push_back(out.str());
  }

  const std::vector<std::string>& errors() const { return errors_; }

  // True when `node` is a map; reports keys outside `allowed`.
  bool map(const YAML::Node& node, const std::string& what,
           std::initializer_list<const char*> allowed) {
    if (!node.IsMap()) {
      error(node.Mark(), what + " must be a mapping of keys to values",
            "write it as `key: value` lines indented under it");
      return false;
    }
    for (const auto& entry : node) {
      const std::string key = entry.first.Scalar();
      bool known = false;
      std::string list;
      for (const char* k : allowed) {
        known = known || key == k;
        list += std::string(list.empty() ? "" : ", ") + k;
      }
      if (!known) {
        error(entry.first.Mark(), "unknown key '" + key + "' in " + what, "use one of: " + list);
      }
    }
    return true;
  }

  // The string under `key`; reports a missing (when required) or non-scalar value.
  std::string text(const YAML::Node& parent, const char* key, const std::string& what,
                   bool required) {
    const YAML::Node node = parent[key];
    if (!node.IsDefined() || node.IsNull()) {
      if (required) {
        error(parent.Mark(), what + " has no `" + key + ":`",
              std::string("add `") + key + ": ...` to it");
      }
      return {};
    }
    if (!node.IsScalar()) {
      error(node.Mark(), std::string("`") + key + ":` of " + what + " must be a single value",
            "write one string, not a list or a mapping");
      return {};
    }
    if (required && node.Scalar().empty()) {
      error(node.Mark(), std::string("`") + key + ":` of " + what + " is empty", "give it a value");
    }
    return node.Scalar();
  }

  // A number of seconds under `key` (> 0, or >= 0 when zero_ok); 0 when absent or wrong.
  double seconds(const YAML::Node& node, const std::string& what, bool zero_ok) {
    double value = -1;
    try {
      value = node.as<double>();
    } catch (const YAML::Exception&) {
    }
    if (value < 0 || (!zero_ok && value == 0)) {
      error(node.Mark(), what + " must be a number of seconds" + (zero_ok ? "" : " above 0"),
            "write e.g. `120`");
      return 0;
    }
    return value;
  }

  void when(const YAML::Node& node, WaitCondition& out) {
    if (!map(node, "`when:`", {"objective_open", "objective_solved", "after_seconds"})) return;
    int given = 0;
    if (node["objective_open"]) {
      out.kind = WaitCondition::Kind::objective_open;
      out.objective = text(node, "objective_open", "`when:`", true);
      ++given;
    }
    if (node["objective_solved"]) {
      out.kind = WaitCondition::Kind::objective_solved;
      out.objective = text(node, "objective_solved", "`when:`", true);
      ++given;
    }
    if (node["after_seconds"]) {
      out.kind = WaitCondition::Kind::exercise_time;
      out.seconds = seconds(node["after_seconds"], "`after_seconds:`", true);
      ++given;
    }
    if (given != 1) {
      error(node.Mark(), "`when:` needs exactly one condition",
            "write `{objective_open: ID}`, `{objective_solved: ID}` or `{after_seconds: N}`");
    }
  }

  void run(const YAML::Node& node, RunAction& out) {
    if (!map(node, "`run:`", {"host", "command", "capture", "timeout_seconds"})) return;
    out.host = text(node, "host", "`run:`", true);
    out.command = text(node, "command", "`run:`", true);
    if (out.command.find('\n') != std::string::npos) {
      error(node["command"].Mark(), "the command spans several lines",
            "type one line per run action (join commands with `;` or `&&`)");
    }
    if (node["timeout_seconds"])
      out.timeout_seconds = seconds(node["timeout_seconds"], "`timeout_seconds:`", false);
    const YAML::Node captures = node["capture"];
    if (!captures.IsDefined()) return;
    if (!captures.IsMap()) {
      error(captures.Mark(), "`capture:` must map names to regular expressions",
            "write e.g. `capture: {sender: 'from=<([^>]+)>'}`");
      return;
    }
    for (const auto& entry : captures) {
      capture(entry.first, entry.second, out);
    }
  }

  void capture(const YAML::Node& key, const YAML::Node& value, RunAction& out) {
    const std::string name = key.Scalar();
    if (!is_identifier(name)) {
      error(key.Mark(), "the capture name '" + name + "' is not an identifier",
            "use letters, digits and _ (e.g. c2_domain)");
      return;
    }
    if (auto seen = captured_.find(name); seen != captured_.end()) {
      error(key.Mark(),
            "the capture '" + name + "' is already defined at line " + std::to_string(seen->second),
            "give each capture its own name");
      return;
    }
    captured_[name] = key.Mark().line + 1;
    if (!value.IsScalar() || value.Scalar().empty()) {
      error(value.Mark(), "the capture '" + name + "' needs a regular expression",
            "write a pattern with one (...) group, e.g. 'from=<([^>]+)>'");
      return;
    }
    try {
      const std::regex re(value.Scalar());
      if (re.mark_count() != 1) {
        error(value.Mark(),
              "the capture '" + name + "' has " + std::to_string(re.mark_count()) +
                  " groups, not one",
              "keep exactly one (...) group around the value; write (?:...) for other groups");
        return;
      }
    } catch (const std::regex_error& e) {
      error(value.Mark(),
            "the capture '" + name + "' is not a valid regular expression (" + e.what() + ")",
            "write an ECMAScript regular expression with one (...) group");
      return;
    }
    out.captures.push_back({name, value.Scalar()});
  }

  void answer(const YAML::Node& node, AnswerAction& out) {
    if (!map(node, "`answer:`", {"objective", "part", "value", "expect"})) return;
    out.objective = text(node, "objective", "`answer:`", true);
    out.part = text(node, "part", "`answer:`", false);
    out.value = text(node, "value", "`answer:`", true);
    out.expect = text(node, "expect", "`answer:`", false);
    if (!out.expect.empty() && kVerdicts.count(out.expect) == 0) {
      error(node["expect"].Mark(), "unknown verdict '" + out.expect + "'",
            "use correct, part_correct, wrong, already_solved or already_given");
    }
    for (const auto& name : references(out.value)) {
      if (captured_.count(name) == 0) {
        error(node["value"].Mark(),
              "the answer uses ${" + name + "}, which no earlier run action captures",
              "add a capture named '" + name + "' to an earlier run action or fix the name");
      }
    }
  }

  void hint(const YAML::Node& node, HintAction& out) {
    if (!map(node, "`hint:`", {"objective", "hint"})) return;
    out.objective = text(node, "objective", "`hint:`", true);
    out.hint = text(node, "hint", "`hint:`", true);
  }

  void action(const YAML::Node& node, ScriptAction& out) {
    out.line = node.Mark().line + 1;
    out.column = node.Mark().column + 1;
    if (!map(node, "an action", {"when", "run", "answer", "hint", "wait_seconds"})) return;
    if (node["when"]) when(node["when"], out.when);
    int kinds = 0;
    if (node["run"]) {
      out.kind = ScriptAction::Kind::run;
      run(node["run"], out.run);
      ++kinds;
    }
    if (node["answer"]) {
      out.kind = ScriptAction::Kind::answer;
      answer(node["answer"], out.answer);
      ++kinds;
    }
    if (node["hint"]) {
      out.kind = ScriptAction::Kind::hint;
      hint(node["hint"], out.hint);
      ++kinds;
    }
    if (node["wait_seconds"]) {
      out.kind = ScriptAction::Kind::pause;
      out.pause_seconds = seconds(node["wait_seconds"], "`wait_seconds:`", false);
      ++kinds;
    }
    if (kinds > 1) {
      error(node.Mark(), "an action does more than one thing",
            "split it: one of run, answer, hint or wait_seconds per action");
    } else if (kinds == 0 && !node["when"]) {
      error(node.Mark(), "an action does nothing",
            "give it one of when, run, answer, hint or wait_seconds");
    }
  }

  void script(const YAML::Node& root, TraineeScript& out) {
    if (!map(root, "the trainee script",
             {"apiVersion", "trainee", "scenario", "description", "actions", "report_grades",
              "decisions"})) {
      return;
    }
    const std::string api = text(root, "apiVersion", "the trainee script", true);
    if (!api.empty() && api != kTraineeScriptApiVersion) {
      error(root["apiVersion"].Mark(), "unsupported apiVersion '" + api + "'",
            "write `apiVersion: " + std::string(kTraineeScriptApiVersion) + "`");
    }
    out.trainee = text(root, "trainee", "the trainee script", true);
    if (!out.trainee.empty() && !std::regex_match(out.trainee, std::regex("[a-z0-9][a-z0-9_-]*"))) {
      error(root["trainee"].Mark(), "the trainee name '" + out.trainee + "' is not a plain name",
            "use lower-case letters, digits, - and _ (e.g. ideal)");
    }
    out.scenario = text(root, "scenario", "the trainee script", false);
    if (!out.scenario.empty()) {
      out.scenario_line = root["scenario"].Mark().line + 1;
      out.scenario_column = root["scenario"].Mark().column + 1;
    }
    const YAML::Node description = root["description"];
    if (!description) {
      error(root.Mark(), "the trainee script has no `description:`",
            "add `description: {ja: ..., en: ...}` saying how this trainee plays");
    } else if (map(description, "`description:`", {"ja", "en"})) {
      out.description_ja = text(description, "ja", "`description:`", true);
      out.description_en = text(description, "en", "`description:`", true);
    }
    const YAML::Node actions = root["actions"];
    if (!actions || !actions.IsSequence() || actions.size() == 0) {
      error(actions ? actions.Mark() : root.Mark(), "the trainee script has no actions",
            "add `actions:` with a list of run, answer, hint and wait_seconds steps");
      return;
    }
    for (const auto& node : actions) {
      out.actions.emplace_back();
      action(node, out.actions.back());
    }
    report_grades(root["report_grades"], out);
    decisions(root["decisions"], out);
  }

  // Calls `each` for every mapping of the list `node` (absent: none) whose keys are
  // `keys`; a value that is not a list is one error, with `form` as the line to write.
  void each_mapping(const YAML::Node& node, const std::string& list, const std::string& form,
                    const char* what, std::initializer_list<const char*> keys,
                    const std::function<void(const YAML::Node&)>& each) {
    if (!node) return;
    if (!node.IsSequence()) {
      error(node.Mark(), "`" + list + ":` must be a list", "write `- " + form + "` lines under it");
      return;
    }
    for (const auto& item : node)
      if (map(item, what, keys)) each(item);
  }

  void decisions(const YAML::Node& node, TraineeScript& out) {
    const char* what = "a decision";
    each_mapping(
        node, "decisions", "{step: DECISION_STEP, option: OPTION}", what, {"step", "option"},
        [&](const YAML::Node& item) {
          out.decisions.push_back({text(item, "step", what, true), text(item, "option", what, true),
                                   item.Mark().line + 1, item.Mark().column + 1});
        });
  }

  void report_grades(const YAML::Node& node, TraineeScript& out) {
    const char* what = "a report grade";
    each_mapping(node, "report_grades", "{objective: ID, item: RUBRIC_ITEM, note: WHY}", what,
                 {"objective", "item", "note"}, [&](const YAML::Node& item) {
                   out.report_grades.push_back({text(item, "objective", what, true),
                                                text(item, "item", what, true),
                                                text(item, "note", what, true),
                                                item.Mark().line + 1, item.Mark().column + 1});
                 });
  }

 private:
  std::string file_;
  std::vector<std::string> errors_;
  std::map<std::string, int> captured_;  // capture name -> line it is defined on
};

}  // namespace

std::string TraineeScript::where(std::size_t index) const {
  const auto& a = actions.at(index);
  return file + ":" + std::to_string(a.line) + ":" + std::to_string(a.column);
}

std::string TraineeScript::describe(std::size_t index) const {
  const auto& a = actions.at(index);
  switch (a.kind) {
    case ScriptAction::Kind::run:
      return "run on " + a.run.host + ": " + a.run.command;
    case ScriptAction::Kind::answer:
      return "answer " + a.answer.objective + (a.answer.part.empty() ? "" : "/" + a.answer.part) +
             " = " + a.answer.value;
    case ScriptAction::Kind::hint:
      return "hint " + a.hint.objective + "/" + a.hint.hint;
    case ScriptAction::Kind::pause:
      return "think for " + std::to_string(static_cast<long>(a.pause_seconds)) + " s";
    case ScriptAction::Kind::wait:
      break;
  }
  switch (a.when.kind) {
    case WaitCondition::Kind::objective_open:
      return "wait for " + a.when.objective + " to open";
    case WaitCondition::Kind::objective_solved:
      return "wait for " + a.when.objective + " to be solved";
    case WaitCondition::Kind::exercise_time:
      return "wait until T+" + std::to_string(static_cast<long>(a.when.seconds)) + " s";
    case WaitCondition::Kind::none:
      break;
  }
  return "nothing";
}

Expected<TraineeScript> parse_trainee_script(std::string_view text, const std::string& file) {
  TraineeScript script;
  script.file = file;
  ScriptReader reader(file);
  try {
    reader.script(YAML::Load(std::string(text)), script);
  } catch (const YAML::Exception& e) {
    reader.error(e.mark, "the file is not valid YAML (" + e.msg + ")",
                 "fix the indentation or quoting at this place");
  }
  if (reader.errors().empty()) return script;
  std::string message;
  for (const auto& line : reader.errors()) message += (message.empty() ? "" : "\n") + line;
  return make_error(ErrorCode::invalid_argument, message);
}

Expected<TraineeScript> load_trainee_script(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::not_found, "Cannot read the trainee script " + path.string() +
                                                "; check the path and its permissions.");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_trainee_script(text.str(), path.string());
}

std::string substitute_captures(std::string_view text,
                                const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t from = 0;
  for (std::size_t at = text.find("${"); at != std::string_view::npos;
       at = text.find("${", at + 2)) {
    const auto end = text.find('}', at);
    if (end == std::string_view::npos) break;
    const auto it = values.find(std::string(text.substr(at + 2, end - at - 2)));
    if (it == values.end()) continue;
    out.append(text.substr(from, at - from));
    out += it->second;
    from = end + 1;
  }
  out.append(text.substr(from));
  return out;
}

}  // namespace cyrange::client
