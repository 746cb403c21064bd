#include <client-qt/terminal/asciicast.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include <client-qt/terminal/terminal_surface.h>

namespace cyrange::terminal {

namespace {

using nlohmann::json;

Error line_error(std::string_view origin, std::size_t line, const std::string& what) {
  return make_error(ErrorCode::invalid_argument,
                    std::string(origin) + ", line " + std::to_string(line) + ": " + what);
}

// Splits "COLSxROWS" of a resize event; false when malformed.
bool parse_size(std::string_view text, int& cols, int& rows) {
  const auto x = text.find('x');
  if (x == std::string_view::npos) return false;
  const auto a = text.substr(0, x);
  const auto b = text.substr(x + 1);
  const auto ra = std::from_chars(a.data(), a.data() + a.size(), cols);
  const auto rb = std::from_chars(b.data(), b.data() + b.size(), rows);
  return ra.ec == std::errc() && ra.ptr == a.data() + a.size() && rb.ec == std::errc() &&
         rb.ptr == b.data() + b.size() && cols > 0 && rows > 0;
}

Expected<AsciicastHeader> parse_header(const json& j, std::string_view origin) {
  if (!j.is_object())
    return line_error(origin, 1, "the header must be a JSON object with \"version\": 2.");
  const auto version = j.find("version");
  if (version == j.end() || !version->is_number_integer() || version->get<int>() != 2)
    return line_error(origin, 1,
                      "only asciicast version 2 is supported; the header has \"version\": " +
                          (version == j.end() ? std::string("none") : version->dump()) + ".");
  AsciicastHeader header;
  for (const char* key : {"width", "height"}) {
    const auto it = j.find(key);
    if (it == j.end() || !it->is_number_integer() || it->get<int>() <= 0 || it->get<int>() > 1000)
      return line_error(
          origin, 1,
          std::string("the header needs \"") + key + "\" as a positive integer of at most 1000.");
    (std::string_view(key) == "width" ? header.width : header.height) = it->get<int>();
  }
  if (const auto it = j.find("timestamp"); it != j.end() && it->is_number())
    header.timestamp = it->get<double>();
  if (const auto it = j.find("title"); it != j.end() && it->is_string())
    header.title = it->get<std::string>();
  return header;
}

Expected<AsciicastEvent> parse_event(const json& j, std::string_view origin, std::size_t line) {
  if (!j.is_array() || j.size() != 3 || !j[0].is_number() || !j[1].is_string() || !j[2].is_string())
    return line_error(origin, line,
                      "an event must be [time, code, data] with a number and two strings, "
                      "not " +
                          j.dump().substr(0, 80) + ".");
  AsciicastEvent event;
  event.time = j[0].get<double>();
  const auto code = j[1].get<std::string>();
  if (code.size() != 1 || std::string_view("oirm").find(code[0]) == std::string_view::npos)
    return line_error(
        origin, line,
        "unknown event code \"" + code + "\"; expected \"o\", \"i\", \"r\" or \"m\".");
  event.code = code[0];
  event.data = j[2].get<std::string>();
  if (event.time < 0)
    return line_error(origin, line, "the event time " + j[0].dump() + " is negative.");
  int cols = 0;
  int rows = 0;
  if (event.code == 'r' && !parse_size(event.data, cols, rows))
    return line_error(
        origin, line,
        "a resize event needs \"COLSxROWS\" such as \"80x24\", not \"" + event.data + "\".");
  return event;
}

}  // namespace

Expected<AsciicastRecording> parse_asciicast(std::string_view text, std::string_view origin) {
  AsciicastRecording recording;
  bool have_header = false;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;

    json j;
    try {
      j = json::parse(line);
    } catch (const json::parse_error& e) {
      return line_error(origin, line_number,
                        std::string("the line is not valid JSON (") + e.what() + ").");
    }
    if (!have_header) {
      if (line_number != 1) return line_error(origin, line_number, "the header must be on line 1.");
      auto header = parse_header(j, origin);
      if (!header) return header.error();
      recording.header = std::move(*header);
      have_header = true;
      continue;
    }
    auto event = parse_event(j, origin, line_number);
    if (!event) return event.error();
    if (!recording.events.empty() && event->time < recording.events.back().time)
      return line_error(origin, line_number,
                        "the event time " + std::to_string(event->time) +
                            " is earlier than the previous event's " +
                            std::to_string(recording.events.back().time) +
                            "; events must be in time order.");
    recording.events.push_back(std::move(*event));
  }
  if (!have_header)
    return make_error(ErrorCode::invalid_argument,
                      std::string(origin) +
                          " is empty; an asciicast v2 recording starts with a "
                          "JSON header line.");
  return recording;
}

Expected<AsciicastRecording> load_asciicast(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_error(ErrorCode::not_found,
                      "Cannot open the recording '" + path.string() + "'; check that it exists.");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return parse_asciicast(buffer.str(), path.string());
}

ReplayPlayer::ReplayPlayer(const AsciicastRecording& recording, TerminalSurface& surface)
    : recording_(recording), surface_(surface) {
  restart();
}

void ReplayPlayer::restart() {
  surface_.reset();
  surface_.resize(recording_.header.height, recording_.header.width);
  next_ = 0;
  position_ = 0;
}

void ReplayPlayer::seek(double t) {
  if (t < position_) restart();
  advance_to(t);
}

void ReplayPlayer::advance_to(double t) {
  while (next_ < recording_.events.size() && recording_.events[next_].time <= t)
    apply(recording_.events[next_++]);
  position_ = std::max(position_, t);
}

std::optional<double> ReplayPlayer::next_event_time() const {
  if (at_end()) return std::nullopt;
  return recording_.events[next_].time;
}

void ReplayPlayer::apply(const AsciicastEvent& event) {
  if (event.code == 'o') {
    surface_.feed(event.data);
  } else if (event.code == 'r') {
    int cols = 0;
    int rows = 0;
    if (parse_size(event.data, cols, rows)) surface_.resize(rows, cols);
  }
  // 'i' (keys the user typed) and 'm' (markers) do not change the screen.
}

}  // namespace cyrange::terminal
