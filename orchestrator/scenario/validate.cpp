#include <orchestrator/scenario/validate.h>
#include <orchestrator/scenario/validate_checks.h>

#include <algorithm>
#include <tuple>

namespace cyrange::scenario {
namespace detail {

NameIndex index_names(const Scenario& s) {
  NameIndex index;
  for (const auto& seg : s.topology.segments) index.segments.insert(seg.name);
  for (const auto& host : s.topology.hosts) index.hosts.insert(host.name);
  for (const auto& router : s.topology.routers) index.routers.insert(router.name);
  for (const auto& step : s.timeline) index.steps.insert(step.id);
  for_each_objective(s.objectives, [&](const Objective& o) { index.objectives.insert(o.id); });
  for (const auto& v : s.variables) index.variables.insert(v.name);
  for (const auto& d : s.workforce.departments) index.departments.insert(d.id);
  return index;
}

void for_each_objective(const std::vector<Objective>& objectives,
                        const std::function<void(const Objective&)>& visit) {
  for (const auto& o : objectives) {
    visit(o);
    for_each_objective(o.parts, visit);
  }
}

namespace {

const std::vector<Check>& all_checks() {
  static const std::vector<Check> checks = {
      check_api_version,     check_translations,    check_attack_ids,
      check_variables,       check_variable_refs,   check_workforce,
      check_duplicate_names, check_segments,        check_interface_segments,
      check_addresses,       check_images,          check_services,
      check_firewall_rules,  check_step_targets,    check_trigger_refs,
      check_trigger_cycles,  check_decisions,       check_objectives_scorable,
      check_answers,         check_variable_chains, check_expected_commands,
      check_rubrics,         check_score_shaping,   check_availability,
      check_live_personas,   check_persona_steps,   check_auto_at,
      check_default_options, check_self_paced,      check_step_types,
      check_router_checks,   check_system_names,
  };
  return checks;
}

}  // namespace
}  // namespace detail

std::vector<Diagnostic> validate(const Scenario& scenario) {
  detail::Findings findings;
  findings.out = scenario.schema_diagnostics;
  const detail::NameIndex index = detail::index_names(scenario);
  for (const detail::Check check : detail::all_checks()) check(scenario, index, findings);
  // The scenario's own file first, then each included template, each by position.
  auto included = [&](const Diagnostic& d) { return !d.file.empty() && d.file != scenario.file; };
  std::stable_sort(findings.out.begin(), findings.out.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) {
                     if (included(a) != included(b)) return included(b);
                     if (included(a) && a.file != b.file) return a.file < b.file;
                     return std::tie(a.line, a.column) < std::tie(b.line, b.column);
                   });
  return findings.out;
}

}  // namespace cyrange::scenario
