#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include <orchestrator/scenario/diagnostic.h>
#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario::detail {

// Internal to the validator. A check is one function `void(const Scenario&,
// const NameIndex&, Findings&)`; adding a check means writing the function and
// listing it in all_checks() (validate.cpp).

/// Collects the diagnostics of one validation run.
struct Findings {
  std::vector<Diagnostic> out;
  /// Records an error at `loc`; notes may be added to the returned diagnostic.
  Diagnostic& error(const SourceLocation& loc, const std::string& what, const std::string& fix) {
    out.push_back(make_diagnostic(loc, Severity::error, what, fix));
    return out.back();
  }
  /// Records a warning at `loc`; notes may be added to the returned diagnostic.
  Diagnostic& warning(const SourceLocation& loc, const std::string& what, const std::string& fix) {
    out.push_back(make_diagnostic(loc, Severity::warning, what, fix));
    return out.back();
  }
};

/// The names a reference may point at, gathered once per run.
struct NameIndex {
  std::set<std::string> segments, hosts, routers, steps, objectives, variables, departments;
  /// Host or router (both are guests of the range).
  bool is_guest(const std::string& name) const { return hosts.count(name) || routers.count(name); }
};

/// True when `text` holds a `${...}` variable reference (its value is known only per team).
inline bool is_reference(const std::string& text) { return text.find("${") != std::string::npos; }

/// Builds the index of declared names.
NameIndex index_names(const Scenario& s);

/// Calls `visit` for every objective, including nested parts.
void for_each_objective(const std::vector<Objective>& objectives,
                        const std::function<void(const Objective&)>& visit);

using Check = void (*)(const Scenario&, const NameIndex&, Findings&);

// validate_general.cpp
void check_api_version(const Scenario&, const NameIndex&, Findings&);
void check_translations(const Scenario&, const NameIndex&, Findings&);
void check_attack_ids(const Scenario&, const NameIndex&, Findings&);
void check_variables(const Scenario&, const NameIndex&, Findings&);
void check_variable_refs(const Scenario&, const NameIndex&, Findings&);
void check_workforce(const Scenario&, const NameIndex&, Findings&);
// validate_variables.cpp
void check_variable_chains(const Scenario&, const NameIndex&, Findings&);
// validate_topology.cpp
void check_duplicate_names(const Scenario&, const NameIndex&, Findings&);
void check_segments(const Scenario&, const NameIndex&, Findings&);
void check_interface_segments(const Scenario&, const NameIndex&, Findings&);
void check_addresses(const Scenario&, const NameIndex&, Findings&);
void check_images(const Scenario&, const NameIndex&, Findings&);
void check_services(const Scenario&, const NameIndex&, Findings&);
void check_firewall_rules(const Scenario&, const NameIndex&, Findings&);
// validate_timeline.cpp
void check_step_targets(const Scenario&, const NameIndex&, Findings&);
void check_trigger_refs(const Scenario&, const NameIndex&, Findings&);
void check_trigger_cycles(const Scenario&, const NameIndex&, Findings&);
void check_decisions(const Scenario&, const NameIndex&, Findings&);
void check_objectives_scorable(const Scenario&, const NameIndex&, Findings&);
void check_answers(const Scenario&, const NameIndex&, Findings&);
// validate_personas.cpp
void check_live_personas(const Scenario&, const NameIndex&, Findings&);
void check_persona_steps(const Scenario&, const NameIndex&, Findings&);
// validate_scoring.cpp
void check_expected_commands(const Scenario&, const NameIndex&, Findings&);
void check_rubrics(const Scenario&, const NameIndex&, Findings&);
void check_score_shaping(const Scenario&, const NameIndex&, Findings&);
void check_availability(const Scenario&, const NameIndex&, Findings&);
// validate_steps.cpp
void check_step_types(const Scenario&, const NameIndex&, Findings&);
void check_router_checks(const Scenario&, const NameIndex&, Findings&);
// validate_names.cpp
void check_system_names(const Scenario&, const NameIndex&, Findings&);
// validate_self_paced.cpp
void check_auto_at(const Scenario&, const NameIndex&, Findings&);
void check_default_options(const Scenario&, const NameIndex&, Findings&);
void check_self_paced(const Scenario&, const NameIndex&, Findings&);

}  // namespace cyrange::scenario::detail
