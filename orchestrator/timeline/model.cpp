#include <orchestrator/timeline/model.h>

#include <array>
#include <utility>

namespace cyrange::timeline {
namespace {

constexpr std::array<std::pair<ItemKind, std::string_view>, 3> kKinds{
    {{ItemKind::message, "message"}, {ItemKind::step, "step"}, {ItemKind::objective, "objective"}}};

constexpr std::array<std::pair<ExecState, std::string_view>, 6> kStates{
    {{ExecState::pending, "pending"},
     {ExecState::due, "due"},
     {ExecState::firing, "firing"},
     {ExecState::done, "done"},
     {ExecState::failed, "failed"},
     {ExecState::skipped, "skipped"}}};

}  // namespace

std::string_view to_string(ItemKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "step";
}

Expected<ItemKind> parse_item_kind(std::string_view text) {
  for (const auto& [k, name] : kKinds) {
    if (name == text) return k;
  }
  return make_error(ErrorCode::invalid_argument, "Unknown timeline item kind '" +
                                                     std::string(text) +
                                                     "'; expected message, step or objective.");
}

std::string_view to_string(ExecState state) {
  for (const auto& [s, name] : kStates) {
    if (s == state) return name;
  }
  return "pending";
}

Expected<ExecState> parse_exec_state(std::string_view text) {
  for (const auto& [s, name] : kStates) {
    if (name == text) return s;
  }
  return make_error(ErrorCode::invalid_argument,
                    "Unknown execution state '" + std::string(text) +
                        "'; expected pending, due, firing, done, failed or skipped.");
}

bool visible_to_trainees(const TimelineItem& item) {
  return item.kind != ItemKind::step || item.category == "decision";
}

}  // namespace cyrange::timeline
