#include <orchestrator/scenario/parser.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <openssl/evp.h>

#include <orchestrator/scenario/includes.h>
#include <orchestrator/scenario/parse_sections.h>
#include <orchestrator/scenario/schema_keys.h>
#include <orchestrator/scenario/source_text.h>
#include <orchestrator/scenario/topology_include.h>

namespace cyrange::scenario {
namespace detail {

Metadata parse_metadata(YamlReader& r, const YAML::Node& node) {
  Metadata m;
  m.loc = r.loc(node);
  // A missing section is reported once, as a required key of the file.
  if (!node.IsDefined() || !r.object(node, "metadata", "metadata", m.value_locs)) return m;
  m.id = r.str(node, "id");
  m.version = r.str(node, "version");
  m.title = r.text(node, "title");
  m.summary = r.text(node, "summary");
  m.audience = r.str_list(node, "audience");
  m.skill_tier = r.str(node, "skill_tier");
  m.sector = r.str(node, "sector");
  m.organisation_size = static_cast<int>(r.integer(node, "organisation_size", 0));
  m.duration_minutes = static_cast<int>(r.integer(node, "duration_minutes", 0));
  r.for_each(node, "techniques", [&](const YAML::Node& item) {
    m.techniques.push_back(r.scalar(item, "an ATT&CK technique"));
    m.technique_locs.push_back(r.loc(item));
  });
  return m;
}

std::vector<Variable> parse_variables(YamlReader& r, const YAML::Node& root) {
  static const std::map<std::string, VariableKind> kinds = {{"choice", VariableKind::choice},
                                                            {"word", VariableKind::word},
                                                            {"integer", VariableKind::integer},
                                                            {"hex", VariableKind::hex},
                                                            {"address", VariableKind::address}};
  std::vector<Variable> out;
  r.for_each(root, "variables", [&](const YAML::Node& node) {
    Variable v;
    v.loc = r.loc(node);
    if (!r.object(node, "variable", "a variable", v.value_locs)) return;
    v.name = r.str(node, "name");
    const std::string type = r.str(node, "type");
    if (auto it = kinds.find(type); it != kinds.end()) {
      v.kind = it->second;
    } else if (!type.empty()) {
      r.error(r.loc(YamlReader::child(node, "type")), "unknown variable type '" + type + "'",
              "use one of choice, word, integer, hex, address");
    }
    v.choices = r.str_list(node, "choices");
    v.prefix = r.str(node, "prefix");
    v.suffix = r.str(node, "suffix");
    v.length = static_cast<int>(r.integer(node, "length", 8));
    v.min = r.integer(node, "min", 0);
    v.max = r.integer(node, "max", 0);
    v.segment = r.str(node, "segment");
    out.push_back(std::move(v));
  });
  return out;
}

Workforce parse_workforce(YamlReader& r, const YAML::Node& node) {
  Workforce w;
  w.loc = r.loc(node);
  if (!node.IsDefined() || !r.object(node, "workforce", "workforce", w.value_locs)) return w;
  w.population = static_cast<int>(r.integer(node, "population", 0));
  r.for_each(node, "departments", [&](const YAML::Node& item) {
    Department d;
    d.loc = r.loc(item);
    if (!r.object(item, "department", "a department", d.value_locs)) return;
    d.id = r.str(item, "id");
    d.name = r.text(item, "name");
    d.staff = static_cast<int>(r.integer(item, "staff", 0));
    w.departments.push_back(std::move(d));
  });
  r.for_each(node, "personas", [&](const YAML::Node& item) {
    Persona p;
    p.loc = r.loc(item);
    if (!r.object(item, "persona", "a persona", p.value_locs)) return;
    p.id = r.str(item, "id");
    p.name = r.text(item, "name");
    p.department = r.str(item, "department");
    p.mailbox = r.str(item, "mailbox");
    p.workstation = r.str(item, "workstation");
    p.hours = r.str(item, "hours");
    p.habits = r.str_list(item, "habits");
    if (const YAML::Node live = YamlReader::child(item, "live"); live.IsDefined()) {
      p.has_live = true;
      p.live.loc = r.loc(live);
      if (r.object(live, "live_activity", "the persona's live activity", p.live.value_locs)) {
        p.live.every_seconds = r.duration(live, "every", p.live.every_seconds);
        p.live.every_loc = r.loc(
            YamlReader::child(live, "every").IsDefined() ? YamlReader::child(live, "every") : live);
        p.live.browse = r.str_list(live, "browse");
        p.live.mail_to = r.str_list(live, "mail_to");
      }
    }
    w.personas.push_back(std::move(p));
  });
  return w;
}

SelfPaced parse_self_paced(YamlReader& r, const YAML::Node& node) {
  SelfPaced p;
  p.loc = r.loc(node);
  p.clock_speed_loc = p.time_limit_loc = p.idle_pause_loc = p.loc;
  if (!r.object(node, "self_paced", "the self-paced settings", p.value_locs)) return p;
  // Each value's own place, so the validator points at the number that is wrong.
  auto place = [&](const char* key, SourceLocation& where) {
    if (const YAML::Node value = YamlReader::child(node, key); value.IsDefined()) {
      where = r.loc(value);
      return true;
    }
    return false;
  };
  p.enabled = r.boolean(node, "enabled", false);
  place("clock_speed", p.clock_speed_loc);
  p.clock_speed = r.number(node, "clock_speed", p.clock_speed);
  if (place("time_limit", p.time_limit_loc)) {
    if (const int limit = r.duration(node, "time_limit", -1); limit >= 0) {
      p.time_limit_seconds = limit;
    }
  }
  place("idle_pause", p.idle_pause_loc);
  p.idle_pause_seconds = r.duration(node, "idle_pause", p.idle_pause_seconds);
  return p;
}

}  // namespace detail

namespace {

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0xf];
  }
  return out;
}

void parse_root(detail::YamlReader& r, const YAML::Node& root, Scenario& s,
                detail::IncludeContext& includes) {
  s.loc = r.loc(root);
  if (!r.object(root, "scenario", "the scenario file", s.value_locs)) return;
  s.api_version = r.str(root, "apiVersion");
  s.metadata = detail::parse_metadata(r, detail::YamlReader::child(root, "metadata"));
  s.variables = detail::parse_variables(r, root);
  s.topology = detail::read_topology(r, detail::YamlReader::child(root, "topology"), includes);
  s.workforce = detail::parse_workforce(r, detail::YamlReader::child(root, "workforce"));
  s.timeline = detail::parse_timeline(r, root);
  s.objectives = detail::parse_objectives(r, root);
  s.availability = detail::parse_availability(r, root);
  s.briefing = r.text(root, "briefing");
  s.messages = detail::parse_messages(r, root);
  if (const YAML::Node self_paced = detail::YamlReader::child(root, "self_paced");
      self_paced.IsDefined()) {
    s.self_paced = detail::parse_self_paced(r, self_paced);
  }
}

/// Parses `text` read from `file`; includes are read inside `library`, refused without one,
/// relative to `located` when the text does not stand at `file`.
Expected<Scenario> parse_in(const std::string& text, const std::string& file,
                            const std::optional<std::filesystem::path>& library,
                            const std::optional<std::filesystem::path>& located = {}) {
  Scenario s;
  s.file = file;
  s.content_hash = sha256_hex(text);
  auto read = read_yaml_file(text);
  if (auto* problem = std::get_if<TextProblem>(&read)) {
    return make_error(ErrorCode::invalid_argument, format_problem(file, *problem));
  }
  const YAML::Node root = std::get<YAML::Node>(read);
  if (detail::looks_like_template(root)) {
    return make_error(
        ErrorCode::invalid_argument,
        file +
            ":1:1: error: this file is a topology template, not a scenario / このファイルは"
            "シナリオではなくトポロジーテンプレートです; include it from a scenario "
            "(`topology: {include: ...}`); `cyrange scenario validate` checks it on its own / "
            "シナリオの `topology: {include: ...}` から取り込んでください（単独の検査は "
            "`cyrange scenario validate`）");
  }
  detail::YamlReader reader(s, strip_bom(text));
  auto includes = detail::include_context(file, library, located);
  try {
    if (!root.IsDefined() || root.IsNull()) {
      reader.error(reader.loc(root), "the file is empty",
                   "start it with `apiVersion: " + std::string(kApiVersion) + "`");
    } else {
      parse_root(reader, root, s, includes);
    }
  } catch (const YAML::Exception& e) {
    // Defensive: the reader checks node types before use, so this means a bug.
    reader.error(reader.loc(root), std::string("the file could not be read: ") + e.what(),
                 "report this as a bug in cyrange with the file attached");
  }
  // A changed template changes the scenario: exercises compare hashes.
  if (!includes.included.empty()) s.content_hash = sha256_hex(text + includes.included);
  return s;
}

}  // namespace

Expected<Scenario> parse_scenario(const std::string& text, const std::string& file) {
  return parse_in(text, file, std::nullopt);
}

Expected<Scenario> parse_scenario(const std::string& text, const std::string& file,
                                  const std::filesystem::path& library_root) {
  return parse_in(text, file, library_root);
}

Expected<Scenario> parse_submitted_scenario(const std::string& text, const std::string& file,
                                            const std::filesystem::path& library_root) {
  const std::filesystem::path name = std::filesystem::path(file).filename();
  return parse_in(text, file, library_root,
                  library_root / "submitted" / (name.empty() ? "scenario.yaml" : name));
}

std::filesystem::path default_scenario_library() {
  if (const char* env = std::getenv("CYRANGE_SCENARIO_LIBRARY"); env != nullptr && *env != 0)
    return env;
  return CYRANGE_SCENARIO_LIBRARY_DIR;
}

Expected<Scenario> load_scenario(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::not_found, path.string() +
                                                ":1:1: error: the scenario file cannot be opened; "
                                                "check the path and that it is readable");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return parse_in(bytes.str(), path.string(), library_root_of(path));
}

}  // namespace cyrange::scenario
