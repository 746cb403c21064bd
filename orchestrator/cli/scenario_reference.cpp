// `cyrange scenario reference`: the scenario format reference in Markdown, generated
// from the JSON Schema embedded in the binary. docs/scenario-reference.md is its output
// (orchestrator/cli/tests/scenario_reference_test.cpp keeps the two equal).
#include <orchestrator/cli/scenario_reference.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include <orchestrator/cli/commands.h>
#include <orchestrator/inject/step_catalog.h>
#include <orchestrator/scenario/published_schema.h>

namespace cyrange::cli {
namespace {

// Ordered: sections and rows follow the order in which the schema's author wrote them.
using Json = nlohmann::ordered_json;

constexpr std::string_view kDefPrefix = "#/$defs/";
// How often a definition may enclose itself on one walked path.
constexpr long kRecursionDepth = 2;

/// The definition a "$ref" names; empty for anything else.
std::string ref_name(const Json& node) {
  if (!node.is_object() || !node.contains("$ref")) return {};
  const auto ref = node.at("$ref").get<std::string>();
  return ref.rfind(kDefPrefix, 0) == 0 ? ref.substr(kDefPrefix.size()) : std::string();
}

std::string code(const std::string& text) { return "`" + text + "`"; }

std::string scalar(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

/// "a", "a or b", "a, b or c".
std::string join_or(const std::vector<std::string>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " or " : ", ";
    out += parts[i];
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? separator : "") + parts[i];
  return out;
}

/// `text` inside a table cell: GitHub tables split at every unescaped pipe, even in code.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

/// The JSON type name of a literal, for const and enum values.
std::string literal_type(const Json& value) {
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "boolean";
  if (value.is_number_integer()) return "integer";
  if (value.is_number()) return "number";
  return "null";
}

/// What a node holds: "string", "array of [host](#host)", "`manual` or [trigger](#trigger)".
std::string type_of(const Json& node) {
  if (auto name = ref_name(node); !name.empty()) return "[" + name + "](#" + name + ")";
  if (node.contains("oneOf")) {
    std::vector<std::string> alternatives;
    for (const auto& alt : node.at("oneOf"))
      alternatives.push_back(alt.contains("const") ? code(scalar(alt.at("const"))) : type_of(alt));
    return join_or(alternatives);
  }
  if (node.contains("const")) return literal_type(node.at("const"));
  if (!node.contains("type")) {
    if (!node.contains("enum") || node.at("enum").empty()) return "any";
    return literal_type(node.at("enum").front());
  }
  const Json& type = node.at("type");
  if (type.is_array()) {
    std::vector<std::string> names;
    for (const auto& t : type) names.push_back(t.get<std::string>());
    return join_or(names);
  }
  const auto name = type.get<std::string>();
  if (name == "array")
    return "array of " + (node.contains("items") ? type_of(node.at("items")) : "any");
  if (name == "object" && !node.contains("properties") && node.contains("additionalProperties") &&
      node.at("additionalProperties").is_object())
    return "map of names to " + type_of(node.at("additionalProperties"));
  return name;
}

/// The values a node allows: constants, enumerations, patterns, bounds (of list items too).
std::string values_of(const Json& node) {
  std::vector<std::string> out;
  if (node.contains("const")) out.push_back(code(scalar(node.at("const"))));
  if (node.contains("enum")) {
    std::vector<std::string> values;
    for (const auto& v : node.at("enum")) values.push_back(code(scalar(v)));
    out.push_back(join(values, ", "));
  }
  if (node.contains("pattern")) out.push_back("matches " + code(scalar(node.at("pattern"))));
  if (node.contains("minLength")) {
    const int n = node.at("minLength").get<int>();
    out.push_back(n == 1 ? "not empty" : "at least " + std::to_string(n) + " characters");
  }
  if (node.contains("maxLength"))
    out.push_back("at most " + scalar(node.at("maxLength")) + " characters");
  const bool low = node.contains("minimum");
  const bool high = node.contains("maximum");
  if (low && high)
    out.push_back(scalar(node.at("minimum")) + " to " + scalar(node.at("maximum")));
  else if (low)
    out.push_back("at least " + scalar(node.at("minimum")));
  else if (high)
    out.push_back("at most " + scalar(node.at("maximum")));
  if (node.contains("items") && ref_name(node.at("items")).empty()) {
    if (auto items = values_of(node.at("items")); !items.empty()) out.push_back(items);
  }
  // Examples are what an editor offers while typing; the reference shows the same ones.
  if (node.contains("examples") && !node.at("examples").empty()) {
    std::vector<std::string> examples;
    for (const auto& e : node.at("examples")) examples.push_back(code(scalar(e)));
    out.push_back("e.g. " + join(examples, ", "));
  }
  return join(out, "; ");
}

std::string description_of(const Json& node) {
  return node.contains("description") ? scalar(node.at("description")) : std::string();
}

/// Every property path at which each definition is used, found by walking from the root.
/// A definition inside itself (an objective's parts) is walked one level deep, so the
/// paths below it appear once, and its next level is listed but not walked.
class UsageWalk {
 public:
  explicit UsageWalk(const Json& defs) : defs_(defs) {}

  void walk(const Json& node, const std::string& path) {
    if (!node.is_object()) return;
    if (auto name = ref_name(node); !name.empty()) {
      auto& paths = used_at_[name];
      if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
      if (std::count(stack_.begin(), stack_.end(), name) >= kRecursionDepth ||
          !defs_.contains(name))
        return;
      stack_.push_back(name);
      walk(defs_.at(name), path);
      stack_.pop_back();
      return;
    }
    if (node.contains("oneOf"))
      for (const auto& alt : node.at("oneOf")) walk(alt, path);
    if (node.contains("items")) walk(node.at("items"), path + "[]");
    if (node.contains("additionalProperties"))
      walk(node.at("additionalProperties"), path + ".NAME");
    if (node.contains("properties"))
      for (const auto& [key, property] : node.at("properties").items())
        walk(property, path.empty() ? key : path + "." + key);
  }

  std::vector<std::string> paths_of(const std::string& def) const {
    auto it = used_at_.find(def);
    return it == used_at_.end() ? std::vector<std::string>{} : it->second;
  }

 private:
  const Json& defs_;
  std::vector<std::string> stack_;
  std::map<std::string, std::vector<std::string>> used_at_;
};

/// The table of an object's keys, then what the object-level keywords add.
void write_object(std::ostream& out, const Json& object) {
  std::vector<std::string> required;
  if (object.contains("required"))
    for (const auto& key : object.at("required")) required.push_back(key.get<std::string>());
  out << "| key | type | required | values | description |\n|---|---|---|---|---|\n";
  for (const auto& [key, property] : object.at("properties").items()) {
    const bool is_required = std::find(required.begin(), required.end(), key) != required.end();
    out << "| " << code(key) << " | " << cell(type_of(property)) << " | "
        << (is_required ? "yes" : "") << " | " << cell(values_of(property)) << " | "
        << cell(description_of(property)) << " |\n";
  }
  if (object.contains("oneOf")) {
    std::vector<std::string> choices;
    for (const auto& alt : object.at("oneOf"))
      if (alt.contains("required"))
        for (const auto& key : alt.at("required")) choices.push_back(code(key.get<std::string>()));
    if (!choices.empty()) out << "\nExactly one of " << join_or(choices) << " must be given.\n";
  }
  if (object.contains("additionalProperties") && object.at("additionalProperties") == false)
    out << "\nNo other keys are allowed.\n";
}

void write_definition(std::ostream& out, const std::string& name, const Json& def,
                      const UsageWalk& usage) {
  out << "\n## " << name << "\n\n";
  if (auto text = description_of(def); !text.empty()) out << text << "\n\n";
  std::vector<std::string> paths;
  for (const auto& p : usage.paths_of(name)) paths.push_back(code(p));
  out << "Used at: " << (paths.empty() ? "nowhere" : join(paths, ", ")) << ".\n\n";
  if (def.contains("properties")) {
    write_object(out, def);
  } else if (def.contains("oneOf")) {
    out << "One of:\n\n";
    for (const auto& alt : def.at("oneOf")) {
      const auto values = values_of(alt);
      out << "- " << type_of(alt) << (values.empty() ? "" : ", " + values) << "\n";
    }
  } else {
    const auto values = values_of(def);
    out << "Type: " << type_of(def) << (values.empty() ? "" : ", " + values) << ".\n";
  }
}

/// The step types of the inject catalogue: what a `type:` of the timeline does, with what
/// parameters, where, as whom, and the evidence it leaves on each image profile.
void write_step_types(std::ostream& out) {
  out << "\n## Step types\n\n"
      << "What each `type:` of a `timeline` step does in the team's guests, generated from\n"
      << "`orchestrator/inject/step_catalog.h`, which the engine and `validate` read (a test\n"
      << "holds each type's parameters and defaults to what its executor reads).\n"
      << "各ステップ種類のパラメーター、実行場所、残る証跡の一覧です（ステップ実行部の定義から生成"
         "）。\n\n"
      << "For every type: the step acts on its `target:` host (required), through the QEMU guest\n"
      << "agent, as root, each command given at most 60 s. `params` values may use `${vars.NAME}`\n"
      << "and `${time.…}`, filled in when the step runs. `persona: ID` sets `user` (and "
         "`mailbox`)\n"
      << "from that persona and makes its workstation the target. A finished step leaves its "
         "marker\n"
      << "`/var/lib/cyrange/steps/EXECUTION` on the target (step id, type, technique, attempt, "
         "what\n"
      << "it did), so a re-run after a crash does nothing twice; trainees may find these files.\n"
      << "*tiny* guests (busybox) have no real mail, file or DNS server, so steps there write\n"
      << "those daemons' log lines in their formats; *standard* guests (Debian) run postfix,\n"
      << "squid, nginx, dnsmasq and Samba, whose own logs are the evidence\n"
      << "(`scenarios/images/standard/README.md`). A step that cannot do its work fails and the\n"
      << "instructor sees it `failed` with the reason.\n\n"
      << "| type | default technique | summary |\n|---|---|---|\n";
  for (const auto& spec : inject::step_catalog())
    out << "| [" << code(spec.type) << "](#" << spec.type << ") | "
        << (spec.technique.empty() ? "none" : spec.technique) << " | " << cell(spec.summary_ja)
        << " |\n";
  for (const auto& spec : inject::step_catalog()) {
    out << "\n### " << spec.type << "\n\n"
        << spec.summary_ja
        << " Default technique: " << (spec.technique.empty() ? "none" : spec.technique) << ".\n\n"
        << "| parameter | required | default | description |\n|---|---|---|---|\n";
    for (const auto& p : spec.params)
      out << "| " << code(p.name) << " | " << (p.required ? "yes" : "") << " | "
          << (p.required || p.fallback.empty() ? "" : code(p.fallback)) << " | " << cell(p.doc)
          << " |\n";
    out << "\n**Runs:** " << spec.runs << "\n\n"
        << "**Evidence on tiny guests:** " << spec.evidence_tiny << "\n\n"
        << "**Evidence on standard guests:** " << spec.evidence_standard << "\n";
  }
}

std::string render(const Json& schema) {
  static const Json kNoDefs = Json::object();
  const Json& defs = schema.contains("$defs") ? schema.at("$defs") : kNoDefs;
  UsageWalk usage(defs);
  usage.walk(schema, "");

  std::ostringstream out;
  out << "# Scenario format reference\n\n"
      << "<!-- Generated by `cyrange scenario reference` from "
         "scenarios/schema/scenario-v1.schema.json; do not edit by hand. -->\n\n"
      << "Generated from the JSON Schema of scenario files (`cyrange scenario schema`, the file\n"
      << "`scenarios/schema/scenario-v1.schema.json`). After changing the schema, regenerate "
         "it:\n\n"
      << "```sh\n"
      << kScenarioReferenceUpdate << "\n"
      << "```\n\n";
  if (schema.contains("title")) out << "**" << scalar(schema.at("title")) << "**. ";
  out << description_of(schema) << "\n\n"
      << "A path names where a key sits in the YAML file: `a.b` is key `b` inside mapping `a`,\n"
      << "`a[]` an item of list `a`, `a.NAME` a value under any key of mapping `a`. A section\n"
      << "describes one kind of mapping; its keys sit at each path listed under *Used at*.\n\n"
      << "## Contents\n\n- [Top level](#top-level)\n";
  for (const auto& [name, def] : defs.items()) out << "- [" << name << "](#" << name << ")\n";
  out << "- [Step types](#step-types)\n";
  out << "\n## Top level\n\nThe file itself.\n\n";
  write_object(out, schema);
  for (const auto& [name, def] : defs.items()) write_definition(out, name, def, usage);
  write_step_types(out);
  return out.str();
}

}  // namespace

Expected<std::string> scenario_reference_markdown(std::string_view schema_json) {
  const auto schema = Json::parse(schema_json, nullptr, false);
  if (schema.is_discarded() || !schema.is_object() || !schema.contains("properties")) {
    return make_error(ErrorCode::invalid_argument,
                      "The scenario JSON Schema is not a JSON object with `properties`; restore "
                      "scenarios/schema/scenario-v1.schema.json from git and rebuild.");
  }
  try {
    return render(schema);
  } catch (const nlohmann::json::exception& e) {
    return make_error(ErrorCode::invalid_argument,
                      std::string("The scenario JSON Schema has an unexpected shape (") + e.what() +
                          "); fix scenarios/schema/scenario-v1.schema.json and rebuild.");
  }
}

void add_scenario_reference_command(CLI::App& scenario) {
  auto* reference = scenario.add_subcommand(
      "reference",
      "Print the scenario format reference (Markdown) generated from the JSON Schema / "
      "JSON Schema から生成したシナリオ形式リファレンスを出力");
  reference->callback([] {
    auto markdown = scenario_reference_markdown(scenario::published_schema());
    if (!markdown) {
      std::cerr
          << markdown.error().message
          << " / 埋め込まれた JSON Schema を読めません。ファイルを復元して再ビルドしてください。\n";
      throw CLI::RuntimeError(1);
    }
    std::cout << *markdown;
  });
}

}  // namespace cyrange::cli
