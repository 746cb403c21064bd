#include <orchestrator/scenario/time_placeholders.h>

#include <ctime>
#include <iomanip>
#include <locale>
#include <regex>
#include <sstream>

namespace cyrange::scenario {
namespace {

struct Layout {
  const char* name;
  const char* strftime;  // nullptr: seconds since the epoch
};

// The layouts behind time_formats(), in the same order.
constexpr Layout kLayouts[] = {
    {"iso", "%Y-%m-%dT%H:%M:%SZ"},
    {"syslog", "%b %e %H:%M:%S"},
    {"date", "%Y-%m-%d"},
    {"time", "%H:%M:%S"},
    {"mbox", "%a %b %e %H:%M:%S %Y"},
    {"rfc2822", "%a, %d %b %Y %H:%M:%S +0000"},
    {"clf", "%d/%b/%Y:%H:%M:%S +0000"},
    {"epoch", nullptr},
};

const Layout* find_layout(std::string_view name) {
  for (const auto& layout : kLayouts)
    if (name == layout.name) return &layout;
  return nullptr;
}

std::string format_names() {
  std::string out;
  for (const auto& layout : kLayouts) out += (out.empty() ? "" : ", ") + std::string(layout.name);
  return out;
}

Error bad(const std::string& inner, const std::string& what_en, const std::string& what_ja) {
  return make_error(ErrorCode::invalid_argument, "'${" + inner + "}' " + what_en,
                    "'${" + inner + "}' は" + what_ja);
}

}  // namespace

std::string time_placeholder_usage(bool japanese) {
  if (japanese)
    return "${time.start} か ${time.now} に、-5m・+1h30m・-2d のようなずれと | の後に形式（" +
           format_names() + "）を付けて書いてください（例: ${time.now-5m|syslog}）";
  return "write ${time.start} or ${time.now}, optionally with an offset such as -5m, +1h30m or "
         "-2d and a format after | (" +
         format_names() + "), e.g. ${time.now-5m|syslog}";
}

const std::vector<TimeFormat>& time_formats() {
  static const std::vector<TimeFormat> formats = {
      {"iso", "2026-12-07T09:30:05Z", "ISO 8601 (the default): JSON logs, web applications"},
      {"syslog", "Dec  7 09:30:05", "syslog and mail.log lines (BSD syslog)"},
      {"date", "2026-12-07", "a date alone"},
      {"time", "09:30:05", "a time of day alone"},
      {"mbox", "Mon Dec  7 09:30:05 2026", "the `From ` line of an mbox mailbox"},
      {"rfc2822", "Mon, 07 Dec 2026 09:30:05 +0000", "a mail's Date: header"},
      {"clf", "07/Dec/2026:09:30:05 +0000", "web server and proxy access logs (Common Log Format)"},
      {"epoch", "1796635805", "seconds since 1970 (Squid's native log, shell arithmetic)"},
  };
  return formats;
}

Expected<TimePlaceholder> parse_time_placeholder(std::string_view inner) {
  static const std::regex form(
      R"(time\.([a-z_]+)(?:([+-])((?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?))?(?:\|(.*))?)");
  const std::string text(inner);
  std::smatch m;
  if (!std::regex_match(text, m, form))
    return bad(text, "is not a time placeholder", "時刻の置換として読めません");
  TimePlaceholder out;
  if (m[1] == "start") {
    out.anchor = TimePlaceholder::Anchor::start;
  } else if (m[1] == "now") {
    out.anchor = TimePlaceholder::Anchor::now;
  } else {
    return bad(text, "names the unknown time '" + m[1].str() + "'",
               "未知の時刻 '" + m[1].str() + "' を指定しています");
  }
  if (m[2].matched) {
    static const std::regex units(R"((?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?)");
    std::smatch u;
    const std::string offset = m[3].str();
    if (offset.empty() || offset.size() > 12 || !std::regex_match(offset, u, units))
      return bad(text, "has an offset without a length", "ずれの長さがありません");
    auto part = [&](int i) { return u[i].matched ? std::stoll(u[i].str()) : 0LL; };
    out.offset_seconds = part(1) * 86400 + part(2) * 3600 + part(3) * 60 + part(4);
    if (m[2] == "-") out.offset_seconds = -out.offset_seconds;
  }
  if (m[4].matched) {
    out.format = m[4].str();
    if (!find_layout(out.format))
      return bad(text, "asks for the unknown format '" + out.format + "'",
                 "未知の形式 '" + out.format + "' を指定しています");
  }
  return out;
}

std::string format_time(std::chrono::system_clock::time_point at, std::string_view format) {
  const Layout* layout = find_layout(format);
  if (!layout) layout = &kLayouts[0];
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  if (!layout->strftime) return std::to_string(static_cast<long long>(seconds));
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::ostringstream out;
  out.imbue(std::locale::classic());  // month and day names in English, as logs write them
  out << std::put_time(&utc, layout->strftime);
  return out.str();
}

std::string fill_time_placeholders(std::string_view text, const TimeAnchors& anchors) {
  std::string out;
  std::size_t from = 0;
  while (true) {
    const std::size_t open = text.find("${time.", from);
    const std::size_t close = open == std::string_view::npos ? open : text.find('}', open);
    if (close == std::string_view::npos) break;
    auto placeholder = parse_time_placeholder(text.substr(open + 2, close - open - 2));
    out.append(text.substr(from, close + 1 - from));
    from = close + 1;
    if (!placeholder) continue;  // left as written: the validator reports it
    out.resize(out.size() - (close + 1 - open));
    const auto base =
        placeholder->anchor == TimePlaceholder::Anchor::start ? anchors.start : anchors.now;
    out +=
        format_time(base + std::chrono::seconds(placeholder->offset_seconds), placeholder->format);
  }
  out.append(text.substr(from));
  return out;
}

}  // namespace cyrange::scenario
