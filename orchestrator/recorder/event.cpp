#include <orchestrator/recorder/event.h>

#include <cctype>

namespace cyrange::recorder {

std::string_view to_string(EventKind kind) {
  switch (kind) {
    case EventKind::key:
      return "key";
    case EventKind::mouse_move:
      return "mouse_move";
    case EventKind::click:
      return "click";
    case EventKind::scroll:
      return "scroll";
    case EventKind::focus:
      return "focus";
    case EventKind::command:
      return "command";
    case EventKind::answer:
      return "answer";
    case EventKind::hint:
      return "hint";
    case EventKind::report_edit:
      return "report_edit";
    case EventKind::idle:
      return "idle";
  }
  return "unknown";
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : std::isxdigit(static_cast<unsigned char>(text[i])) == 0)
      return false;
  }
  return true;
}

void JsonObject::key(std::string_view name) {
  if (text_.size() > 1) text_ += ',';
  text_ += '"';
  text_ += name;  // names are our own identifiers, never user input
  text_ += "\":";
}

JsonObject& JsonObject::str(std::string_view name, std::string_view value) {
  key(name);
  text_ += '"';
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        text_ += "\\\"";
        break;
      case '\\':
        text_ += "\\\\";
        break;
      case '\n':
        text_ += "\\n";
        break;
      case '\r':
        text_ += "\\r";
        break;
      case '\t':
        text_ += "\\t";
        break;
      default:
        if (u == 0) {
          // PostgreSQL's jsonb rejects \u0000; a NUL carries no information here.
        } else if (u < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          text_ += "\\u00";
          text_ += kHex[u >> 4];
          text_ += kHex[u & 15];
        } else {
          text_ += c;
        }
    }
  }
  text_ += '"';
  return *this;
}

JsonObject& JsonObject::num(std::string_view name, std::int64_t value) {
  key(name);
  text_ += std::to_string(value);
  return *this;
}

JsonObject& JsonObject::boolean(std::string_view name, bool value) {
  key(name);
  text_ += value ? "true" : "false";
  return *this;
}

std::string JsonObject::done() {
  text_ += '}';
  return std::move(text_);
}

Error missing_consent(const std::string& exercise) {
  return make_error(
      ErrorCode::failed_precondition,
      "Your actions in exercise '" + exercise +
          "' are not stored because you have not agreed to their recording for scoring and "
          "the debrief; read the consent text in the trainee client and agree to it "
          "(PrivacyService.GiveConsent, purpose scoring). Events recorded so far stay on your "
          "machine and are sent once you agree.",
      "演習 '" + exercise +
          "' の操作は、採点と振り返りのための記録に同意していないため保存されません。"
          "受講者クライアントで同意文を読み、同意してください（PrivacyService.GiveConsent、"
          "目的 scoring）。それまでの記録はお使いの端末に保持され、同意後に送信されます。");
}

}  // namespace cyrange::recorder
