#include <orchestrator/timeline/item_json.h>

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace cyrange::timeline {
namespace {

using Json = nlohmann::json;

constexpr std::array<std::pair<TriggerSpec::Kind, const char*>, 5> kTriggerKinds{
    {{TriggerSpec::Kind::at, "at"},
     {TriggerSpec::Kind::after, "after"},
     {TriggerSpec::Kind::event, "event"},
     {TriggerSpec::Kind::objective, "objective"},
     {TriggerSpec::Kind::manual, "manual"}}};

const char* trigger_name(TriggerSpec::Kind kind) {
  for (const auto& [k, name] : kTriggerKinds) {
    if (k == kind) return name;
  }
  return "manual";
}

}  // namespace

std::string item_to_json(const TimelineItem& item) {
  const TriggerSpec& t = item.trigger;
  Json j = {
      {"id", item.id},
      {"kind", std::string(to_string(item.kind))},
      {"category", item.category},
      {"type", item.type},
      {"technique", item.technique},
      {"target", item.target},
      {"trigger",
       {{"kind", trigger_name(t.kind)},
        {"at_seconds", t.at_seconds},
        {"after", t.after},
        {"delay_seconds", t.delay_seconds},
        {"event", t.event},
        {"objective", t.objective},
        {"state", t.state},
        {"auto_at_seconds", t.auto_at_seconds ? Json(*t.auto_at_seconds) : Json()}}},
      {"params", item.params},
      {"text", {{"ja", item.text_ja}, {"en", item.text_en}}},
      {"options", item.options},
      {"default_option", item.default_option},
      {"seq", item.seq},
  };
  return j.dump();
}

Expected<TimelineItem> item_from_json(const std::string& text) {
  try {
    const Json j = Json::parse(text);
    TimelineItem item;
    item.id = j.at("id").get<std::string>();
    auto kind = parse_item_kind(j.at("kind").get<std::string>());
    if (!kind) return kind.error();
    item.kind = *kind;
    item.category = j.at("category").get<std::string>();
    item.type = j.at("type").get<std::string>();
    item.technique = j.at("technique").get<std::string>();
    item.target = j.at("target").get<std::string>();
    const Json& t = j.at("trigger");
    const std::string trigger_kind = t.at("kind").get<std::string>();
    bool known = false;
    for (const auto& [k, name] : kTriggerKinds) {
      if (trigger_kind == name) {
        item.trigger.kind = k;
        known = true;
      }
    }
    if (!known) {
      return make_error(ErrorCode::invalid_argument,
                        "Stored timeline item '" + item.id + "' has unknown trigger kind '" +
                            trigger_kind + "'; was it written by a newer cyrange?");
    }
    item.trigger.at_seconds = t.at("at_seconds").get<double>();
    item.trigger.after = t.at("after").get<std::string>();
    item.trigger.delay_seconds = t.at("delay_seconds").get<double>();
    item.trigger.event = t.at("event").get<std::string>();
    item.trigger.objective = t.at("objective").get<std::string>();
    item.trigger.state = t.at("state").get<std::string>();
    // Absent in items stored before `auto_at:` existed: those wait for the instructor.
    if (t.contains("auto_at_seconds") && !t.at("auto_at_seconds").is_null()) {
      item.trigger.auto_at_seconds = t.at("auto_at_seconds").get<double>();
    }
    item.params = j.at("params").get<std::map<std::string, std::string>>();
    item.text_ja = j.at("text").at("ja").get<std::string>();
    item.text_en = j.at("text").at("en").get<std::string>();
    item.options = j.at("options").get<std::vector<std::string>>();
    // Absent in items stored before `default_option:` reached the engine: nobody decides.
    if (j.contains("default_option"))
      item.default_option = j.at("default_option").get<std::string>();
    item.seq = j.at("seq").get<int>();
    return item;
  } catch (const Json::exception& error) {
    return make_error(ErrorCode::invalid_argument,
                      "A stored timeline item is not valid JSON of the expected shape (" +
                          std::string(error.what()) + "); was the database edited by hand?");
  }
}

}  // namespace cyrange::timeline
