#include <orchestrator/timeline/compile.h>

#include <orchestrator/scenario/personas.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::timeline {
namespace {

TriggerSpec to_spec(const scenario::Trigger& t) {
  TriggerSpec spec;
  switch (t.kind) {
    case scenario::Trigger::Kind::at:
      spec.kind = TriggerSpec::Kind::at;
      break;
    case scenario::Trigger::Kind::after:
      spec.kind = TriggerSpec::Kind::after;
      break;
    case scenario::Trigger::Kind::event:
      spec.kind = TriggerSpec::Kind::event;
      break;
    case scenario::Trigger::Kind::objective:
      spec.kind = TriggerSpec::Kind::objective;
      break;
    case scenario::Trigger::Kind::manual:
      spec.kind = TriggerSpec::Kind::manual;
      break;
  }
  spec.at_seconds = t.at_seconds;
  spec.after = t.after;
  spec.delay_seconds = t.delay_seconds;
  spec.event = t.event;
  spec.objective = t.objective;
  spec.state = t.state;
  if (t.auto_at_seconds) spec.auto_at_seconds = *t.auto_at_seconds;
  return spec;
}

}  // namespace

std::vector<TimelineItem> compile_timeline(const scenario::Scenario& s,
                                           const std::map<std::string, std::string>& vars) {
  std::vector<TimelineItem> items;
  auto sub = [&](const std::string& text) { return scenario::substitute(text, vars); };
  for (const auto& m : s.messages) {
    TimelineItem item;
    item.id = m.id;
    item.kind = ItemKind::message;
    item.trigger = to_spec(m.trigger);
    item.text_ja = sub(m.text.ja);
    item.text_en = sub(m.text.en);
    items.push_back(std::move(item));
  }
  for (const auto& step : s.timeline) {
    TimelineItem item;
    item.id = step.id;
    item.kind = ItemKind::step;
    item.category = step.category;
    item.type = step.type;
    item.technique = step.technique;
    item.target = sub(step.target);
    item.trigger = to_spec(step.trigger);
    for (const auto& [key, value] : step.params) item.params[key] = sub(value);
    // A step acting as a persona runs on its workstation under its login (unless written).
    if (auto who = step.params.find("persona"); who != step.params.end())
      if (const scenario::Persona* p = scenario::find_persona(s, who->second)) {
        if (item.target.empty()) item.target = sub(p->workstation);
        item.params.try_emplace("user", sub(scenario::persona_user(s, *p)));
        if (!p->mailbox.empty()) item.params.try_emplace("mailbox", sub(p->mailbox));
      }
    item.text_ja = sub(step.description.ja);
    item.text_en = sub(step.description.en);
    for (const auto& option : step.options) item.options.push_back(option.id);
    item.default_option = step.default_option;
    items.push_back(std::move(item));
  }
  for (const auto& o : s.objectives) {
    TimelineItem item;
    item.id = o.id;
    item.kind = ItemKind::objective;
    if (o.has_opens) item.trigger = to_spec(o.opens);  // default: at 0
    item.text_ja = sub(o.question.ja);
    item.text_en = sub(o.question.en);
    items.push_back(std::move(item));
  }
  for (std::size_t i = 0; i < items.size(); ++i) items[i].seq = static_cast<int>(i);
  return items;
}

}  // namespace cyrange::timeline
