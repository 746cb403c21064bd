// course publish | list | withdraw | results: self-paced courses, by the operator on the
// host (the database of the system of record directly, every change audited); course
// join-codes over gRPC with the caller's token.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <client-core/course_client.h>
#include <orchestrator/cli/commands.h>
#include <orchestrator/cli/db_flags.h>
#include <orchestrator/cli/server_flags.h>
#include <orchestrator/identity/token.h>
#include <orchestrator/course/pg_course_store.h>
#include <orchestrator/course/publish.h>

namespace cyrange::cli {
namespace {

std::shared_ptr<course::CourseStore> open_store(const DbFlags& db) {
  return need(course::PgCourseStore::open(db.resolve()));
}

std::string read_scenario(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    stop(make_error(ErrorCode::not_found,
                    "Cannot read scenario file '" + path + "'; check the path.",
                    "シナリオファイル '" + path + "' を読めません。パスを確認してください。"));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string day_text(std::optional<course::TimePoint> when) {
  if (!when) return "-";
  const std::time_t t = std::chrono::system_clock::to_time_t(*when);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[24];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

void add_publish(CLI::App* course) {
  auto* cmd = course->add_subcommand(
      "publish", "Publish a scenario as a self-paced course / シナリオを自習コースとして公開");
  auto db = std::make_shared<DbFlags>();
  auto file = std::make_shared<std::string>();
  auto id = std::make_shared<std::string>();
  auto orgs = std::make_shared<std::vector<std::string>>();
  auto days = std::make_shared<int>(14);
  auto speed = std::make_shared<double>(0);
  db->add_to(cmd);
  cmd->add_option("SCENARIO", *file, "Scenario file / シナリオファイル")->required();
  cmd->add_option("--id", *id, "Course id (default: the scenario's id) / コース ID");
  cmd->add_option("--org", *orgs,
                  "Open to this organisation only; repeat for several (default: everyone) / "
                  "公開先の組織（省略時は全員）");
  cmd->add_option("--expires-days", *days,
                  "A run's range is removed this many days after it starts / 実行の有効日数")
      ->capture_default_str();
  cmd->add_option("--clock-speed", *speed,
                  "Exercise seconds per second of the run's clock (default: the scenario's "
                  "self_paced.clock_speed) / 演習時計の速さ");
  cmd->callback([=] {
    auto c = need(course::course_from_scenario(read_scenario(*file), *file, *id));
    c.organisations = *orgs;
    c.expires_after_days = *days;
    if (*speed > 0) c.clock_speed = *speed;
    c.published_by = "operator";
    if (auto st = open_store(*db)->publish(c); !st) stop(st.error());
    std::cout << "published course '" << c.id << "' (" << c.title_en << ")"
              << (c.organisations.empty() ? " to every trainee" : " to its organisations")
              << "\nコース '" << c.id << "' を公開しました。\n";
  });
}

void add_list(CLI::App* course) {
  auto* cmd = course->add_subcommand("list", "List the courses / コースの一覧");
  auto db = std::make_shared<DbFlags>();
  db->add_to(cmd);
  cmd->callback([db] {
    auto courses = need(open_store(*db)->courses());
    std::cout << std::left << std::setw(20) << "course" << std::setw(10) << "state" << std::setw(8)
              << "days"
              << "title / organisations\n";
    for (const auto& c : courses) {
      std::string orgs;
      for (const auto& o : c.organisations) orgs += (orgs.empty() ? "" : ", ") + o;
      std::cout << std::left << std::setw(20) << c.id << std::setw(10)
                << (c.withdrawn ? "withdrawn" : "open") << std::setw(8) << c.expires_after_days
                << c.title_en << " / " << c.title_ja << " [" << (orgs.empty() ? "all" : orgs)
                << "]\n";
    }
  });
}

void add_course_withdraw(CLI::App* course) {
  auto* cmd = course->add_subcommand(
      "withdraw", "Withdraw a course: no new runs, open runs go on / コースの公開停止");
  auto db = std::make_shared<DbFlags>();
  auto id = std::make_shared<std::string>();
  db->add_to(cmd);
  cmd->add_option("COURSE", *id, "Course id / コース ID")->required();
  cmd->callback([db, id] {
    if (auto st = open_store(*db)->withdraw(*id, "operator"); !st) stop(st.error());
    std::cout << "withdrew course '" << *id << "'\nコース '" << *id << "' の公開を停止しました。\n";
  });
}

void add_results(CLI::App* course) {
  auto* cmd = course->add_subcommand(
      "results", "Every trainee's runs of the courses / 受講者ごとの自習の実行");
  auto db = std::make_shared<DbFlags>();
  auto only = std::make_shared<std::string>();
  db->add_to(cmd);
  cmd->add_option("--course", *only, "One course only / 1 コースのみ");
  cmd->callback([db, only] {
    auto runs = need(open_store(*db)->runs(0));
    std::cout << std::left << std::setw(6) << "run" << std::setw(20) << "course" << std::setw(20)
              << "trainee" << std::setw(10) << "state" << std::setw(18) << "started" << std::setw(7)
              << "score" << std::setw(8) << "solved" << std::setw(7) << "hints"
              << "exercise\n";
    for (const auto& r : runs) {
      if (!only->empty() && r.course != *only) continue;
      std::cout << std::left << std::setw(6) << r.id << std::setw(20) << r.course << std::setw(20)
                << r.user << std::setw(10) << course::to_string(r.state) << std::setw(18)
                << day_text(r.started_at) << std::setw(7) << r.results.score << std::setw(8)
                << r.results.objectives_solved << std::setw(7) << r.results.hints_taken
                << (r.exercise.empty() ? "-" : r.exercise) << "\n";
    }
  });
}

}  // namespace

// Over gRPC, as the caller's token allows: admins for any organisation, instructors for
// their own (the code's creation is audited under their name).
void add_join_codes(CLI::App* course) {
  auto* cmd = course->add_subcommand(
      "join-codes",
      "Create a course's join code for one organisation; its older code stops working / "
      "組織向けのコース参加コードを発行");
  auto flags = std::make_shared<ServerFlags>();
  flags->add_to(cmd);
  auto id = std::make_shared<std::string>();
  auto org = std::make_shared<std::string>();
  auto ttl = std::make_shared<std::string>("7d");
  cmd->add_option("COURSE", *id, "Course id / コース ID")->required();
  cmd->add_option("--org", *org, "The organisation whose trainees use it / 組織")->required();
  cmd->add_option("--ttl", *ttl, "How long the code works: 12h, 7d... / 有効期間")
      ->capture_default_str();
  cmd->callback([=] {
    const auto lifetime = parse_ttl(*ttl);
    auto made =
        client::CourseClient(flags->connect()).create_join_code_async(*id, *org, lifetime).wait();
    if (!made) stop(made.error());
    const std::string until = identity::format_utc(std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::milliseconds(made->expires_at_unix_ms))));
    std::cout << "Join code of course '" << made->course_id << "' for '" << made->organisation
              << "' (valid until " << until << "): " << made->code
              << "\nTrainees type it in cyrange-trainee; each becomes a pseudonymous trainee of "
                 "the organisation who may take this course. The older code no longer works.\n"
              << "コース '" << made->course_id << "' の組織 '" << made->organisation
              << "' 向け参加コード（有効期限 " << until << "）: " << made->code
              << "\n受講者は cyrange-trainee に入力します。各受講者は組織の仮名の受講者となり、"
                 "このコースを受講できます。以前のコードは使えなくなりました。\n";
  });
}

void add_course_commands(CLI::App& app) {
  auto* course = app.add_subcommand(
      "course", "Self-paced courses: publish, list, withdraw, results / 自習コース");
  course->require_subcommand(1);
  add_publish(course);
  add_list(course);
  add_course_withdraw(course);
  add_results(course);
  add_join_codes(course);
}

}  // namespace cyrange::cli
