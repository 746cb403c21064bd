#include <orchestrator/scenario/schema_keys.h>

namespace cyrange::scenario {

const std::map<std::string, ObjectShape>& object_shapes() {
  static const std::map<std::string, ObjectShape> shapes = {
      {"scenario",
       {{"apiVersion", "metadata", "variables", "topology", "workforce", "timeline", "objectives",
         "briefing", "messages"},
        {"apiVersion", "metadata", "topology"}}},
      {"text", {{"ja", "en"}, {"ja", "en"}}},
      {"metadata",
       {{"id", "version", "title", "summary", "audience", "skill_tier", "sector",
         "organisation_size", "duration_minutes", "techniques"},
        {"id", "version", "title", "summary"}}},
      {"variable",
       {{"name", "type", "choices", "prefix", "suffix", "length", "min", "max", "segment"},
        {"name", "type"}}},
      {"topology", {{"segments", "routers", "hosts"}, {"segments"}}},
      {"segment", {{"name", "cidr", "zone", "description"}, {"name", "cidr"}}},
      {"interface", {{"segment", "address", "gateway"}, {"segment", "address"}}},
      {"host",
       {{"name", "image_profile", "role", "services", "interfaces", "memory_mib", "vcpus",
         "trainee_terminal", "config", "description"},
        {"name", "role", "interfaces"}}},
      {"router",
       {{"name", "kind", "image_profile", "interfaces", "rules", "memory_mib", "vcpus"},
        {"name", "interfaces"}}},
      {"rule", {{"action", "from", "to", "protocol", "ports"}, {"action"}}},
      {"workforce", {{"population", "departments", "personas"}, {}}},
      {"department", {{"id", "name", "staff"}, {"id", "name"}}},
      {"persona",
       {{"id", "name", "department", "mailbox", "workstation", "hours", "habits"},
        {"id", "name", "department"}}},
      {"step",
       {{"id", "category", "type", "technique", "target", "trigger", "params", "description",
         "options"},
        {"id", "type", "trigger"}}},
      {"trigger", {{"at", "after", "delay", "on_event", "on_objective", "state"}, {}}},
      {"option", {{"id", "label"}, {"id", "label"}}},
      {"objective",
       {{"id", "question", "points", "answer", "check", "hints", "parts", "opens"},
        {"id", "question"}}},
      {"answer",
       {{"type", "value", "values", "pattern", "variable", "min", "max", "center", "tolerance"},
        {"type"}}},
      {"check", {{"host", "command", "expect"}, {"host", "command", "expect"}}},
      {"hint", {{"text", "penalty"}, {"text"}}},
      {"message", {{"id", "trigger", "text"}, {"id", "trigger", "text"}}},
  };
  return shapes;
}

}  // namespace cyrange::scenario
