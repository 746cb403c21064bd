#include <orchestrator/scenario/topology_include.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <orchestrator/scenario/includes.h>
#include <orchestrator/scenario/parse_sections.h>
#include <orchestrator/scenario/source_text.h>

namespace cyrange::scenario::detail {
namespace {

namespace fs = std::filesystem;

std::string quoted(const std::string& text) { return "'" + text + "'"; }

/// Where a path really points: symbolic links followed when the file exists.
fs::path real(const fs::path& path) {
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(path, ec);
  return ec ? path.lexically_normal() : resolved;
}

/// True when `path` (absolute, normal) lies inside `folder`.
bool inside(const fs::path& path, const fs::path& folder) {
  const fs::path relative = path.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

std::string place(const SourceLocation& loc) {
  return loc.file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.column);
}

/// An included file found and read: where it is, as messages name it, and its bytes.
struct TemplateFile {
  fs::path absolute;
  std::string shown;
  std::string library_relative;
  std::string bytes;
};

/// Finds the file `include` names and checks the rules of the library; reports and
/// returns nothing when it may not or cannot be read.
std::optional<TemplateFile> locate(YamlReader& r, const YAML::Node& include,
                                   const IncludeContext& context) {
  const SourceLocation where = r.loc(include);
  if (!include.IsScalar() || include.Scalar().empty()) {
    r.error(where,
            both("'include' must be the path of one topology template file",
                 "'include' には取り込むトポロジーテンプレートのファイルパスを1つ書きます"),
            both("write it as `include: ../templates/NAME.yaml`",
                 "`include: ../templates/NAME.yaml` のように書いてください"));
    return std::nullopt;
  }
  const std::string written = include.Scalar();
  if (!context.library) {
    r.error(where,
            both("the topology includes " + quoted(written) +
                     ", but this scenario was given as text without its scenario library, so "
                     "the template cannot be read",
                 "トポロジーが " + quoted(written) +
                     " を取り込んでいますが、シナリオがライブラリなしのテキストとして渡されたため"
                     "テンプレートを読めません"),
            both("read the scenario from its file in the library (cyrange scenario validate "
                 "FILE), or write the template's segments, routers and hosts into the scenario",
                 "ライブラリ内のファイルとして読み込むか（cyrange scenario validate FILE）、"
                 "テンプレートの内容をシナリオに直接書いてください"));
    return std::nullopt;
  }
  if (fs::path(written).is_absolute()) {
    r.error(where,
            both("include path " + quoted(written) +
                     " is absolute; includes are relative to the including file so that a "
                     "scenario library works wherever it is copied",
                 "取り込みパス " + quoted(written) +
                     " は絶対パスです。ライブラリをどこへ複製しても動くよう、取り込みは取り込む側の"
                     "ファイルからの相対パスで書きます"),
            both("write it relative to this file, e.g. `../templates/NAME.yaml`",
                 "このファイルからの相対パスで書いてください（例 `../templates/NAME.yaml`）"));
    return std::nullopt;
  }
  const fs::path& library = *context.library;
  TemplateFile file;
  file.absolute = (context.chain.back().parent_path() / written).lexically_normal();
  file.shown =
      (fs::path(context.shown_chain.back()).parent_path() / written).lexically_normal().string();
  if (!inside(file.absolute, library) || !inside(real(file.absolute), real(library))) {
    r.error(where,
            both("include path " + quoted(written) + " leads outside the scenario library " +
                     library.string() +
                     "; templates must live inside it so that the library is self-contained "
                     "and a scenario cannot read arbitrary files",
                 "取り込みパス " + quoted(written) + " はシナリオライブラリ " + library.string() +
                     " の外を指しています。ライブラリが自己完結し任意のファイルを読めないよう、"
                     "テンプレートはライブラリ内に置きます"),
            both("move the template into the library (e.g. templates/) and include it from "
                 "there",
                 "テンプレートをライブラリ内（例 templates/）に移し、そこから取り込んでください"));
    return std::nullopt;
  }
  file.library_relative = file.absolute.lexically_relative(library).generic_string();
  const fs::path target = real(file.absolute);
  for (std::size_t i = 0; i < context.chain.size(); ++i) {
    if (real(context.chain[i]) != target) continue;
    std::string cycle;
    for (std::size_t j = i; j < context.shown_chain.size(); ++j)
      cycle += context.shown_chain[j] + " -> ";
    cycle += file.shown;
    r.error(where, both("include cycle: " + cycle, "取り込みが循環しています: " + cycle),
            both("remove one of these includes; a template cannot include itself, directly "
                 "or through others",
                 "いずれかの取り込みを削除してください。テンプレートは直接にも間接にも自分自身を"
                 "取り込めません"));
    return std::nullopt;
  }
  if (static_cast<int>(context.chain.size()) > kMaxIncludeDepth) {
    const std::string limit = std::to_string(kMaxIncludeDepth);
    r.error(where,
            both("includes nest more than " + limit + " files deep below the scenario",
                 "取り込みの入れ子がシナリオから " + limit + " 段を超えています"),
            both("flatten the templates: include fewer levels and write the rest directly",
                 "テンプレートの段数を減らし、残りは直接書いてください"));
    return std::nullopt;
  }
  std::ifstream in(file.absolute, std::ios::binary);
  if (!fs::is_regular_file(file.absolute) || !in) {
    r.error(where,
            both("included file " + quoted(written) + " does not exist or cannot be read (" +
                     file.shown + ")",
                 "取り込むファイル " + quoted(written) + " が存在しないか読めません（" +
                     file.shown + "）"),
            both("check the spelling; the path is relative to the folder of " +
                     context.shown_chain.back(),
                 "綴りを確認してください。パスは " + context.shown_chain.back() +
                     " のあるフォルダからの相対パスです"));
    return std::nullopt;
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  file.bytes = bytes.str();
  return file;
}

/// The top-level node of an included file, when it is a topology template; reported
/// at the include (the file is fine YAML of the wrong kind) or inside it (bad YAML).
std::optional<YAML::Node> template_root(YamlReader& r, YamlReader& inner, const YAML::Node& include,
                                        const TemplateFile& file) {
  auto read = read_yaml_file(file.bytes);
  if (auto* problem = std::get_if<TextProblem>(&read)) {
    inner.error(SourceLocation{inner.file(), problem->line, problem->column, 0, 0}, problem->what,
                problem->fix);
    return std::nullopt;
  }
  const YAML::Node root = std::get<YAML::Node>(read);
  const std::string fix = both(
      "include a topology template: a file whose top level holds `segments:`, `routers:` and "
      "`hosts:` (see scenarios/templates/)",
      "トップレベルに `segments:`・`routers:`・`hosts:` を持つトポロジーテンプレートを取り込んで"
      "ください（scenarios/templates/ を参照）");
  if (root.IsMap() && (root["apiVersion"].IsDefined() || root["metadata"].IsDefined())) {
    r.error(r.loc(include),
            both("the included file is a scenario, not a topology template (" + file.shown + ")",
                 "取り込んだファイルはシナリオであり、トポロジーテンプレートではありません（" +
                     file.shown + "）"),
            fix);
    return std::nullopt;
  }
  if (!root.IsMap()) {
    r.error(r.loc(include),
            both("the included file is not a topology template: its top level is not a "
                 "mapping (" +
                     file.shown + ")",
                 "取り込んだファイルはトポロジーテンプレートではありません。トップレベルが"
                 "マッピングではありません（" +
                     file.shown + "）"),
            fix);
    return std::nullopt;
  }
  return root;
}

/// Reads the template `include` names, with its own includes resolved.
std::optional<Topology> read_template(YamlReader& r, const YAML::Node& include,
                                      IncludeContext& context, Scenario& scenario) {
  auto file = locate(r, include, context);
  if (!file) return std::nullopt;
  context.included += "\n--- " + file->library_relative + "\n" + file->bytes;
  YamlReader inner(scenario, strip_bom(file->bytes), file->shown);
  auto root = template_root(r, inner, include, *file);
  if (!root) return std::nullopt;
  context.chain.push_back(file->absolute);
  context.shown_chain.push_back(file->shown);
  Topology topology = read_topology(inner, *root, context);
  context.chain.pop_back();
  context.shown_chain.pop_back();
  return topology;
}

/// `extend_routers:`: interfaces appended to, and rules put before, the template's router.
void extend_routers(YamlReader& r, const YAML::Node& node, const std::string& shown,
                    Topology& base) {
  r.for_each(node, "extend_routers", [&](const YAML::Node& item) {
    if (!r.object(item, "router_extension", "a router extension")) return;
    const std::string name = r.str(item, "name");
    auto router = std::find_if(base.routers.begin(), base.routers.end(),
                               [&](const Router& x) { return x.name == name; });
    auto interfaces = parse_interfaces(r, item);
    auto rules = parse_rules(r, item);
    if (router == base.routers.end()) {
      std::string known;
      for (const auto& x : base.routers) known += (known.empty() ? "" : ", ") + x.name;
      if (known.empty()) known = "none";
      r.error(r.loc(YamlReader::child(item, "name")),
              both("router " + quoted(name) + " is not a router of the included template " + shown,
                   "ルーター " + quoted(name) + " は取り込んだテンプレート " + shown +
                       " のルーターではありません"),
              both("extend one of its routers (" + known +
                       "), or list a router of your own under `routers:`",
                   "テンプレートのルーター（" + known +
                       "）を指定するか、独自のルーターは `routers:` に書いてください"));
      return;
    }
    router->interfaces.insert(router->interfaces.end(), interfaces.begin(), interfaces.end());
    // This file's rules come first, so it can open (or close) a flow the template's
    // closing rules would decide otherwise.
    rules.insert(rules.end(), router->rules.begin(), router->rules.end());
    router->rules = std::move(rules);
  });
}

/// Appends `own` to `base`, refusing names the template already has: the error at this
/// file's `name:` value, a note at the template's.
void merge(YamlReader& r, Topology& base, Topology own, const std::string& shown) {
  std::map<std::string, SourceLocation> segments, guests;
  for (const auto& x : base.segments) segments.emplace(x.name, value_loc(x, "name"));
  for (const auto& x : base.routers) guests.emplace(x.name, value_loc(x, "name"));
  for (const auto& x : base.hosts) guests.emplace(x.name, value_loc(x, "name"));
  auto conflicts = [&](const std::map<std::string, SourceLocation>& names, const std::string& name,
                       const SourceLocation& loc, const std::string& en, const std::string& ja,
                       const std::string& fix) {
    auto it = names.find(name);
    if (it == names.end()) return false;
    r.error(loc,
            both(en + " " + quoted(name) + " is already defined by the included template " + shown +
                     " (at " + place(it->second) + ")",
                 ja + " " + quoted(name) + " は取り込んだテンプレート " + shown +
                     " で定義済みです（" + place(it->second) + "）"),
            fix);
    r.note(it->second, both(quoted(name) + " is defined here in the template",
                            quoted(name) + " はテンプレートのここで定義されています"));
    return true;
  };
  const std::string rename =
      both("rename it here, or delete it here and use the template's",
           "ここで名前を変えるか、ここから削除してテンプレートのものを使ってください");
  for (auto& x : own.segments)
    if (!conflicts(segments, x.name, value_loc(x, "name"), "segment", "セグメント", rename))
      base.segments.push_back(std::move(x));
  for (auto& x : own.routers) {
    const std::string fix = both(
        "rename it, or to add interfaces or rules to the template's router write them under "
        "`extend_routers:` with `name: " +
            x.name + "`",
        "名前を変えるか、テンプレートのルーターにインターフェースやルールを足すには "
        "`extend_routers:` に `name: " +
            x.name + "` として書いてください");
    if (!conflicts(guests, x.name, value_loc(x, "name"), "host or router", "ホストまたはルーター",
                   fix))
      base.routers.push_back(std::move(x));
  }
  for (auto& x : own.hosts)
    if (!conflicts(guests, x.name, value_loc(x, "name"), "host or router", "ホストまたはルーター",
                   rename))
      base.hosts.push_back(std::move(x));
}

}  // namespace

IncludeContext include_context(const std::string& shown,
                               const std::optional<std::filesystem::path>& library,
                               const std::optional<std::filesystem::path>& located) {
  IncludeContext context;
  if (library) context.library = fs::absolute(*library).lexically_normal();
  context.chain.push_back(fs::absolute(located ? *located : fs::path(shown)).lexically_normal());
  context.shown_chain.push_back(shown);
  return context;
}

bool looks_like_template(const YAML::Node& root) {
  if (!root.IsMap() || root["apiVersion"].IsDefined() || root["metadata"].IsDefined()) return false;
  for (const char* key : {"include", "segments", "routers", "hosts"})
    if (root[key].IsDefined()) return true;
  return false;
}

Topology read_topology(YamlReader& r, const YAML::Node& node, IncludeContext& context) {
  Topology own = parse_topology(r, node);
  if (!node.IsDefined() || !node.IsMap()) return own;
  const Text description = r.text(node, "description");
  if (description.present && (description.ja.empty() || description.en.empty())) {
    r.error(description.loc,
            both("the topology description lacks a language",
                 "トポロジーの説明に日本語または英語がありません"),
            both("give both `ja:` and `en:`", "`ja:` と `en:` の両方を書いてください"));
  }
  const YAML::Node include = YamlReader::child(node, "include");
  const YAML::Node extensions = YamlReader::child(node, "extend_routers");
  if (!include.IsDefined() || include.IsNull()) {
    if (!YamlReader::child(node, "segments").IsDefined()) {
      r.error(
          r.loc(node),
          both("the topology lacks the required key 'segments'",
               "トポロジーに必須のキー 'segments' がありません"),
          both("add 'segments:' to it, or `include:` a topology template that has them",
               "'segments:' を書くか、それを持つトポロジーテンプレートを `include:` で取り込んで"
               "ください"));
    }
    if (extensions.IsDefined() && !extensions.IsNull()) {
      r.error(r.loc(extensions),
              both("'extend_routers' extends the routers of an included template, but this "
                   "topology includes none",
                   "'extend_routers' は取り込んだテンプレートのルーターを拡張するものですが、"
                   "このトポロジーは何も取り込んでいません"),
              both("add `include:` or move these routers under `routers:`",
                   "`include:` を書くか、これらのルーターを `routers:` に移してください"));
    }
    return own;
  }
  auto base = read_template(r, include, context, r.scenario());
  if (!base) return own;
  const SourceLocation written_at = own.loc;
  const std::string shown =
      (std::filesystem::path(context.shown_chain.back()).parent_path() / include.Scalar())
          .lexically_normal()
          .string();
  extend_routers(r, node, shown, *base);
  merge(r, *base, std::move(own), shown);
  base->loc = written_at;
  return std::move(*base);
}

}  // namespace cyrange::scenario::detail
