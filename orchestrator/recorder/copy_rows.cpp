#include <orchestrator/recorder/copy_rows.h>

namespace cyrange::recorder {

namespace {

// PostgreSQL counts timestamps in microseconds from 2000-01-01 00:00:00 UTC.
constexpr std::uint64_t kPostgresEpochUnixUs = 946684800000000;
constexpr char kJsonbVersion = 1;

void append_be(std::string& out, std::uint64_t value, int bytes) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8)
    out += static_cast<char>((value >> shift) & 0xff);
}

void append_field(std::string& out, std::string_view bytes) {
  append_be(out, bytes.size(), 4);
  out.append(bytes);
}

void append_int8(std::string& out, std::uint64_t value) {
  append_be(out, 8, 4);
  append_be(out, value, 8);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string uuid_bytes(std::string_view text) {
  if (!is_uuid(text)) return {};
  std::string out;
  int high = -1;
  for (char c : text) {
    if (c == '-') continue;
    if (high < 0) {
      high = hex_value(c);
    } else {
      out += static_cast<char>(high * 16 + hex_value(c));
      high = -1;
    }
  }
  return out;
}

void append_copy_tuple(std::string& out, const Submission& submission, const Event& event,
                       std::uint64_t seq, std::string_view trainee, std::string_view client_uuid) {
  append_be(out, 9, 2);  // fields, as many as kEventColumns
  append_field(out, event.exercise_id);
  append_field(out, client_uuid);
  append_int8(out, seq);
  append_int8(out, static_cast<std::uint64_t>(submission.team_id));
  append_field(out, trainee);
  append_field(out, to_string(event.kind));
  append_int8(out, static_cast<std::uint64_t>(event.monotonic_ns));
  // Unsigned arithmetic: a wild client clock wraps instead of overflowing, and
  // PostgreSQL refuses a timestamp out of its range.
  append_int8(out, static_cast<std::uint64_t>(event.wall_unix_us) - kPostgresEpochUnixUs);
  append_be(out, event.data_json.size() + 1, 4);
  out += kJsonbVersion;
  out += event.data_json;
}

}  // namespace cyrange::recorder
