#include <orchestrator/course/run_limits_flags.h>

#include <charconv>
#include <string>

namespace cyrange::course {
namespace {

// A whole number from 1 to `max`, with nothing around it.
CLI::Validator whole_number(int max) {
  const std::string top = std::to_string(max);
  return CLI::Validator(
      [max, top](std::string& text) -> std::string {
        int value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size() && value >= 1 && value <= max)
          return {};
        return "give a whole number from 1 to " + top + ", not '" + text + "' / 1 から " + top +
               " までの整数を指定してください（'" + text + "' は使えません）";
      },
      "[1-" + top + "]", "whole number 1-" + top);
}

}  // namespace

void add_run_limit_flags(CLI::App& app, RunLimits& limits) {
  app.add_option("--selfpaced-capacity", limits.capacity,
                 "Self-paced runs holding a range at once on this cyranged; more are queued / "
                 "同時に演習環境を持てる自習の実行の数（超えた分は待ち行列）")
      ->check(whole_number(kMaxRunCapacity))
      ->capture_default_str();
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(limits.idle_pause);
  app.add_option_function<int>(
         "--selfpaced-idle-pause-min",
         [&limits](const int& m) { limits.idle_pause = std::chrono::minutes(m); },
         "Minutes without activity (no KeepAlive) before a running self-paced run is paused to "
         "disk / 操作がないまま自習の実行をディスクへ一時停止するまでの分数")
      ->check(whole_number(kMaxIdlePauseMinutes))
      ->default_str(std::to_string(minutes.count()));
  const auto hours = std::chrono::duration_cast<std::chrono::hours>(limits.token_ttl);
  app.add_option_function<int>(
         "--selfpaced-token-ttl-hours",
         [&limits](const int& h) { limits.token_ttl = std::chrono::hours(h); },
         "Hours the token issued at each start or resume of a self-paced run stays valid / "
         "自習の実行の開始・再開で発行するトークンの有効時間")
      ->check(whole_number(kMaxRunTokenHours))
      ->default_str(std::to_string(hours.count()));
}

}  // namespace cyrange::course
