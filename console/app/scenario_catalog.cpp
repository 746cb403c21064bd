#include <console/app/scenario_catalog.h>

#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/validate.h>
#include <orchestrator/scoring/from_scenario.h>

namespace cyrange::console {

namespace {

client::LocalizedText text_of(const scenario::Text& t) { return {t.ja, t.en}; }

// Hints and rubric items of `o` and its parts; hint ids as the scoring engine names them.
void collect(const scenario::Objective& o, const std::string& part, ObjectiveInfo& out) {
  for (std::size_t i = 0; i < o.hints.size(); ++i) {
    out.hints.push_back({scoring::hint_id(part, i), o.hints[i].penalty, text_of(o.hints[i].text)});
  }
  for (const auto& item : o.rubric)
    out.rubric.push_back({item.id, item.points, text_of(item.text)});
  for (const auto& p : o.parts) collect(p, p.id, out);
}

}  // namespace

const ObjectiveInfo* ScenarioCatalog::objective(const std::string& id) const {
  for (const auto& o : objectives) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

Expected<ScenarioCatalog> ScenarioCatalog::parse(const std::string& yaml, const std::string& file) {
  auto parsed = scenario::parse_scenario(yaml, file);
  if (!parsed) return parsed.error();
  ScenarioCatalog out;
  out.id = parsed->metadata.id;
  out.title = text_of(parsed->metadata.title);
  out.techniques = parsed->metadata.techniques;
  for (const auto& o : parsed->objectives) {
    ObjectiveInfo info{o.id, text_of(o.question), scenario::total_points(o), {},
                       {},   text_of(o.solution)};
    collect(o, "", info);
    out.objectives.push_back(std::move(info));
  }
  for (const auto& step : parsed->timeline) {
    out.attack_steps.push_back({step.id, step.type, step.technique, step.target});
  }
  return out;
}

std::vector<std::string> validate_scenario_text(const std::string& yaml, const std::string& file,
                                                int& errors) {
  errors = 0;
  auto parsed = scenario::parse_scenario(yaml, file);
  if (!parsed) {
    errors = 1;
    return {parsed.error().message};
  }
  std::vector<std::string> out;
  auto found = scenario::validate(*parsed);
  for (auto severity : {scenario::Severity::error, scenario::Severity::warning}) {
    for (const auto& d : found) {
      if (d.severity != severity) continue;
      if (severity == scenario::Severity::error) ++errors;
      out.push_back(d.format());
    }
  }
  return out;
}

}  // namespace cyrange::console
