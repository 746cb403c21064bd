#include <regex>

#include <orchestrator/scenario/schema_keys.h>
#include <orchestrator/scenario/validate_checks.h>

namespace cyrange::scenario::detail {
namespace {

void require_both_languages(const Text& text, const std::string& what, Findings& f) {
  if (!text.present) return;  // absence of a required text is a schema error
  if (text.ja.empty()) {
    f.error(text.loc, what + " has no Japanese text", "add `ja:` with the Japanese translation");
  }
  if (text.en.empty()) {
    f.error(text.loc, what + " has no English text", "add `en:` with the English translation");
  }
}

bool is_attack_id(const std::string& id) {
  static const std::regex pattern(R"(T\d{4}(\.\d{3})?)");
  return std::regex_match(id, pattern);
}

}  // namespace

void check_api_version(const Scenario& s, const NameIndex&, Findings& f) {
  if (!s.api_version.empty() && s.api_version != kApiVersion) {
    f.error(value_loc(s, "apiVersion"),
            both("unsupported apiVersion '" + s.api_version + "'",
                 "apiVersion '" + s.api_version + "' には対応していません"),
            both(std::string("this cyrange reads `apiVersion: ") + kApiVersion + "`",
                 std::string("`apiVersion: ") + kApiVersion + "` と書いてください"));
  }
}

void check_translations(const Scenario& s, const NameIndex&, Findings& f) {
  require_both_languages(s.metadata.title, "the title", f);
  require_both_languages(s.metadata.summary, "the summary", f);
  for (const auto& seg : s.topology.segments) {
    require_both_languages(seg.description, "segment '" + seg.name + "' description", f);
  }
  for (const auto& host : s.topology.hosts) {
    require_both_languages(host.description, "host '" + host.name + "' description", f);
  }
  for (const auto& d : s.workforce.departments) {
    require_both_languages(d.name, "department '" + d.id + "' name", f);
  }
  for (const auto& p : s.workforce.personas) {
    require_both_languages(p.name, "persona '" + p.id + "' name", f);
  }
  for (const auto& step : s.timeline) {
    require_both_languages(step.description, "step '" + step.id + "' description", f);
    for (const auto& option : step.options) {
      require_both_languages(option.label, "option '" + option.id + "' label", f);
    }
  }
  for_each_objective(s.objectives, [&](const Objective& o) {
    require_both_languages(o.question, "objective '" + o.id + "' question", f);
    for (const auto& hint : o.hints) {
      require_both_languages(hint.text, "a hint of objective '" + o.id + "'", f);
    }
    for (const auto& item : o.rubric) {
      require_both_languages(item.text, "rubric item '" + item.id + "' of '" + o.id + "'", f);
    }
    require_both_languages(o.solution, "the solution of objective '" + o.id + "'", f);
  });
  require_both_languages(s.briefing, "the briefing", f);
  for (const auto& m : s.messages) {
    require_both_languages(m.text, "message '" + m.id + "'", f);
  }
}

void check_attack_ids(const Scenario& s, const NameIndex&, Findings& f) {
  for (std::size_t i = 0; i < s.metadata.techniques.size(); ++i) {
    if (!is_attack_id(s.metadata.techniques[i])) {
      f.error(s.metadata.technique_locs[i],
              "'" + s.metadata.techniques[i] + "' is not an ATT&CK technique ID",
              "write it as T followed by four digits, optionally .NNN (e.g. T1566.001)");
    }
  }
  const std::set<std::string> listed(s.metadata.techniques.begin(), s.metadata.techniques.end());
  for (const auto& step : s.timeline) {
    if (step.technique.empty()) {
      if (step.category == "attack") {
        f.error(value_loc(step, "id"), "attack step '" + step.id + "' has no ATT&CK technique",
                "add `technique: TNNNN[.NNN]`, or set `category: inject` if it is not an attack");
      }
      continue;
    }
    if (!is_attack_id(step.technique)) {
      f.error(step.technique_loc, "'" + step.technique + "' is not an ATT&CK technique ID",
              "write it as T followed by four digits, optionally .NNN (e.g. T1566.001)");
    } else if (!listed.count(step.technique)) {
      f.warning(step.technique_loc,
                "technique " + step.technique + " is not listed in metadata.techniques",
                "add it there so that catalogues show it");
    }
  }
}

void check_variables(const Scenario& s, const NameIndex& names, Findings& f) {
  for (const auto& v : s.variables) {
    switch (v.kind) {
      case VariableKind::choice:
        if (v.choices.empty()) {
          f.error(value_loc(v, "name"), "variable '" + v.name + "' of type choice has no choices",
                  "list the candidate values under `choices:`");
        }
        break;
      case VariableKind::integer:
      case VariableKind::address:
        if (v.min > v.max) {
          f.error(value_loc(v, "min"), "variable '" + v.name + "' has min greater than max",
                  "make `min:` at most `max:`");
        }
        if (v.kind == VariableKind::address && !names.segments.count(v.segment)) {
          f.error(value_loc(v, "segment"),
                  "variable '" + v.name + "' refers to undefined segment '" + v.segment + "'",
                  "set `segment:` to one of the segments under topology.segments");
        }
        break;
      case VariableKind::word:
      case VariableKind::hex:
        if (v.length < 1 || v.length > 64) {
          f.error(value_loc(v, "length"), "variable '" + v.name + "' has a length outside 1..64",
                  "set `length:` between 1 and 64");
        }
        break;
    }
  }
}

void check_variable_refs(const Scenario& s, const NameIndex& names, Findings& f) {
  for (const auto& ref : s.variable_refs) {
    if (!names.variables.count(ref.name)) {
      f.error(ref.loc, "reference to undefined variable '" + ref.name + "'",
              "declare it under `variables:` or correct the name in ${vars." + ref.name + "}");
    }
  }
}

void check_workforce(const Scenario& s, const NameIndex& names, Findings& f) {
  static const std::regex hours(R"(([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d)");
  for (const auto& p : s.workforce.personas) {
    if (!p.department.empty() && !names.departments.count(p.department)) {
      f.error(value_loc(p, "department"),
              "persona '" + p.id + "' belongs to undefined department '" + p.department + "'",
              "add the department under workforce.departments or correct the id");
    }
    if (!p.workstation.empty() && !names.is_guest(p.workstation)) {
      f.error(value_loc(p, "workstation"),
              "persona '" + p.id + "' uses undefined workstation '" + p.workstation + "'",
              "name a host of topology.hosts, or remove `workstation:`");
    }
    if (!p.hours.empty() && !std::regex_match(p.hours, hours)) {
      f.error(value_loc(p, "hours"),
              "persona '" + p.id + "' has malformed working hours '" + p.hours + "'",
              "write them as HH:MM-HH:MM, e.g. 08:30-17:15");
    }
  }
  if (s.workforce.population < 0) {
    f.error(value_loc(s.workforce, "population"), "the workforce population is negative",
            "set `population:` to the number of simulated staff (0 or more)");
  }
}

}  // namespace cyrange::scenario::detail
