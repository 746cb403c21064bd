// exercise join-codes: one join code per team of an exercise, over gRPC from cyranged.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <client-core/exercise_client.h>
#include <orchestrator/cli/commands.h>
#include <orchestrator/cli/server_flags.h>
#include <orchestrator/identity/token.h>

namespace cyrange::cli {
namespace {

std::string utc(std::int64_t unix_ms) {
  return identity::format_utc(std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::milliseconds(unix_ms))));
}

std::string format_codes(const std::string& exercise,
                         const std::vector<client::JoinCodeInfo>& codes) {
  std::string out =
      "Join codes of exercise '" + exercise + "' / 演習 '" + exercise + "' の参加コード";
  if (!codes.empty()) {
    out += " (valid until / 有効期限 " + utc(codes.front().expires_at_unix_ms) + ")";
  }
  out += ":\n";
  char line[256];
  for (const auto& c : codes) {
    std::snprintf(line, sizeof line, "  %-20s %s\n", c.team.c_str(), c.code.c_str());
    out += line;
  }
  out +=
      "Trainees type their team's code in cyrange-trainee; older codes of this exercise no "
      "longer work.\n"
      "訓練生は cyrange-trainee にチームのコードを入力します。この演習の以前のコードは使えなく"
      "なりました。\n";
  return out;
}

}  // namespace

void add_exercise_commands(CLI::App& app) {
  auto* exercise = app.add_subcommand("exercise", "Running exercises / 実施中の演習");
  exercise->require_subcommand(1);
  auto* codes = exercise->add_subcommand(
      "join-codes",
      "Create one join code per team; older codes stop working / チームごとの参加コードを発行");
  auto flags = std::make_shared<ServerFlags>();
  flags->add_to(codes);
  auto id = std::make_shared<std::string>();
  auto ttl = std::make_shared<std::string>("12h");
  codes->add_option("EXERCISE", *id, "Exercise id")->required();
  codes->add_option("--ttl", *ttl, "How long the codes work: 30m, 12h, 2d...")
      ->capture_default_str();
  codes->callback([flags, id, ttl] {
    const auto lifetime = parse_ttl(*ttl);
    client::ExerciseClient client(flags->connect());
    auto created = client.create_join_codes(*id, lifetime);
    if (!created) {
      std::cerr << created.error().message << "\n";
      if (!created.error().message_ja.empty()) std::cerr << created.error().message_ja << "\n";
      throw CLI::RuntimeError(1);
    }
    std::cout << format_codes(*id, *created);
  });
}

}  // namespace cyrange::cli
