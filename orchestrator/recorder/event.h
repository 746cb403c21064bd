#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::recorder {

/// The kinds of trainee actions the recorder stores (the `kind` column).
enum class EventKind {
  key,
  mouse_move,
  click,
  scroll,
  focus,
  command,
  answer,
  hint,
  report_edit,
  idle
};

/// "key", "mouse_move", ...: the stored name of a kind.
std::string_view to_string(EventKind kind);

/// One event as it is stored, transport-free. `data_json` holds the kind's fields
/// as a JSON object; secrets have been removed before it gets here.
struct Event {
  std::string exercise_id;
  EventKind kind = EventKind::key;
  std::int64_t monotonic_ns = 0;
  std::int64_t wall_unix_us = 0;
  std::string data_json = "{}";
};

/// Consecutive events of one client, from one authenticated trainee: events[i]
/// has sequence first_seq + i.
struct Submission {
  std::int64_t user_id = 0;
  std::int64_t team_id = 0;
  std::string client_id;  ///< lower-case UUID text
  std::uint64_t first_seq = 1;
  std::vector<Event> events;

  /// Sequence of the last event (first_seq - 1 when empty).
  std::uint64_t last_seq() const { return first_seq + events.size() - 1; }
};

/// failed_precondition: the trainee has no active scoring consent for `exercise`,
/// so nothing of theirs is stored; the bilingual message says how to give it.
Error missing_consent(const std::string& exercise);

/// True for the canonical 8-4-4-4-12 hexadecimal UUID text.
bool is_uuid(std::string_view text);

/// Builds the small JSON objects of Event::data_json without a DOM, because it
/// runs once per recorded event.
class JsonObject {
 public:
  /// Adds "name": "value" with JSON escaping.
  JsonObject& str(std::string_view name, std::string_view value);
  /// Adds "name": number.
  JsonObject& num(std::string_view name, std::int64_t value);
  /// Adds "name": true|false.
  JsonObject& boolean(std::string_view name, bool value);
  /// The finished object text (moves it out; call once).
  std::string done();

 private:
  void key(std::string_view name);
  std::string text_ = "{";
};

}  // namespace cyrange::recorder
