// The training day: cyranged as a child process, the exercise created over gRPC
// by an instructor, two scripted trainees playing it through the same client core
// the Qt apps use, the scoreboard streamed live, and a summary at the end.
#include <orchestrator/cli/training_day.h>

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <sstream>
#include <thread>

#include <client-core/exercise_client.h>
#include <client-core/script/grpc_trainee_session.h>
#include <client-core/privacy_client.h>
#include <client-core/range_client.h>
#include <client-core/timeline_client.h>
#include <orchestrator/certs/certs.h>
#include <orchestrator/cli/training_day_decisions.h>
#include <orchestrator/cli/training_day_inbox.h>
#include <orchestrator/daemon/daemon_process.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/playtest/script_dry_run.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/validate.h>
#include <orchestrator/scoring/pg_ledger_store.h>
#include <orchestrator/store/migrations.h>

namespace cyrange::cli {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kProvisionBudget = std::chrono::minutes(20);

void heading(std::ostream& out, int number, const std::string& en, const std::string& ja) {
  out << "\n== " << number << ". " << en << " / " << ja << " ==\n" << std::flush;
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

/// The scenario, checked: any error stops the day before a guest boots.
Expected<scenario::Scenario> checked(const fs::path& file, std::ostream& out) {
  auto loaded = scenario::load_scenario(file);
  if (!loaded) return loaded.error();
  const auto diagnostics = scenario::validate(*loaded);
  std::string errors;
  for (const auto& d : diagnostics)
    if (d.severity == scenario::Severity::error) errors += d.format() + "\n";
  if (!errors.empty())
    return make_error(ErrorCode::invalid_argument,
                      errors + file.string() + " has errors (above); fix them and run again.");
  const auto& meta = loaded->metadata;
  out << meta.title.ja << " / " << meta.title.en << "\n  " << file.string() << ": "
      << loaded->topology.hosts.size() + loaded->topology.routers.size() << " guests per team, "
      << loaded->timeline.size() << " timeline steps, " << loaded->objectives.size()
      << " objectives, " << scenario::count(diagnostics, scenario::Severity::warning)
      << " warnings: valid / 検証 OK\n";
  return std::move(*loaded);
}

/// The three people of the day, each with a fresh token (valid one day).
struct DayPeople {
  std::string instructor_token;
  std::map<std::string, std::string> trainee_tokens;  // user -> token
};

Expected<DayPeople> enrol(const std::string& database_uri, const std::string& exercise,
                          const std::vector<DayTrainee>& trainees) {
  auto store = identity::PgIdentityStore::open(database_uri);
  if (!store) return store.error();
  auto ensure = [&](const identity::NewUser& user) -> Status {
    auto added = (*store)->add_user(user);
    if (!added && added.error().code != ErrorCode::already_exists) return added.error();
    return Status::success();
  };
  DayPeople people;
  const identity::NewUser instructor{"day-instructor", identity::Role::instructor, std::nullopt, "",
                                     ""};
  if (Status added = ensure(instructor); !added) return added.error();
  auto token = (*store)->issue_token(instructor.name, std::chrono::hours(24));
  if (!token) return token.error();
  people.instructor_token = token->token;
  for (const auto& t : trainees) {
    if (Status added = ensure({t.user, identity::Role::trainee, t.team, "", "", exercise}); !added)
      return added.error();
  }
  return people;
}

// The trainees' tokens, once the day's exercise exists. The trainees of an earlier day are
// reused; their tokens are bound to today's run, so they act in it only (the user's own run,
// an earlier one, does not count for these tokens), and a token bound to a run needs the run.
Status issue_trainee_tokens(const std::string& database_uri, const std::string& exercise,
                            const std::vector<DayTrainee>& trainees, DayPeople& people) {
  auto store = identity::PgIdentityStore::open(database_uri);
  if (!store) return store.error();
  for (const auto& t : trainees) {
    auto token = (*store)->issue_token(t.user, std::chrono::hours(24), exercise);
    if (!token) return token.error();
    people.trainee_tokens[t.user] = token->token;
  }
  return Status::success();
}

Expected<client::Connection> connect(const std::string& target, const fs::path& ca,
                                     const std::string& token,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  client::ClientOptions options;
  options.target = target;
  options.ca_file = ca;
  options.token = token;
  options.timeout = timeout;
  return client::Connection::open(options);
}

/// Provisioning progress: redrawn in place on a terminal; in a log, one line each
/// time a host is ready or fails.
Status show_provisioning(const client::Connection& instructor, const std::string& exercise,
                         std::ostream& out) {
  const bool tty = ::isatty(STDOUT_FILENO) != 0;
  std::map<std::string, int> percent;
  int hosts_done = 0;
  auto shown = watch_provisioning(instructor, exercise, [&](const client::ProvisioningStep& s) {
    if (s.host.empty()) percent[s.team] = s.percent;
    const bool settled = !s.host.empty() && (s.state == "ready" || s.state == "failed");
    hosts_done += settled;
    if (tty) {
      std::ostringstream line;
      for (const auto& [team, p] : percent) line << team << " " << std::setw(3) << p << "%  ";
      if (!s.host.empty()) line << s.team << "/" << s.host << ": " << s.state;
      out << "\r" << std::left << std::setw(78) << line.str() << std::flush;
    } else if (settled) {
      out << "  " << s.team << "/" << s.host << " " << s.state << " (" << hosts_done
          << " hosts settled)\n"
          << std::flush;
    }
  });
  if (tty) out << "\n";
  return shown;
}

/// Waits until the exercise is ready (ranges up, timeline armed, board open).
Expected<client::ExerciseSummary> wait_ready(const client::ExerciseClient& exercises,
                                             const std::string& id) {
  const auto deadline = SteadyClock::now() + kProvisionBudget;
  for (;;) {
    auto e = exercises.get(id);
    if (!e) return e.error();
    if (e->state == client::ExerciseState::ready) return e;
    if (e->state == client::ExerciseState::failed)
      return make_error(ErrorCode::failed_precondition,
                        "Exercise '" + id + "' failed to provision: " + e->detail);
    if (SteadyClock::now() > deadline)
      return make_error(
          ErrorCode::unavailable,
          "Exercise '" + id + "' was not ready within 20 minutes; see cyranged's log.");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

/// Prints every ledger entry as it arrives on the instructor's stream.
class LiveBoard {
 public:
  LiveBoard(const client::ScoringClient& scoring, const std::string& exercise, std::ostream& out)
      : out_(out) {
    watch_ = scoring.watch(exercise, "", [this](const client::ScoreboardMessage& m) { show(m); });
  }
  ~LiveBoard() { watch_.cancel_and_wait(); }

 private:
  void show(const client::ScoreboardMessage& m) {
    if (m.snapshot) return;
    std::lock_guard lock(mutex_);
    for (const auto& s : m.standings) totals_[s.team] = s.total;
    for (const auto& e : m.entries) {
      out_ << "  [score] T+" << client::format_exercise_time(e.exercise_time_ms / 1000.0) << "  "
           << std::left << std::setw(7) << e.team << std::setw(20) << e.objective << std::setw(13)
           << client::to_string(e.kind) << std::right << std::setw(5) << std::showpos << e.points
           << std::noshowpos << "  total " << totals_[e.team] << "\n";
    }
    out_ << std::flush;
  }
  std::ostream& out_;
  std::mutex mutex_;
  std::map<std::string, int> totals_;
  client::Subscription watch_;
};

// The instructor grades each team's incident report. The scripts do not type a report;
// each states which rubric items its persona's report meets, and the instructor submits
// those grades with a note and a pointer to the team's recordings.
std::vector<std::string> grade_reports(
    const client::ScoringClient& scoring, const std::string& exercise,
    const std::vector<DayTrainee>& trainees,
    const std::map<std::string, client::TraineeScript>& scripts) {
  std::vector<std::string> lines;
  for (const auto& t : trainees) {
    for (const auto& grade : scripts.at(t.user).report_grades) {
      const std::string evidence =
          "report of " + t.user + "; terminal recordings of " + t.team + " (terminals/*.cast)";
      auto graded =
          scoring.grade_rubric(exercise, t.team, grade.objective, grade.item, grade.note, evidence);
      std::string line = "instructor grades / 講師採点 " + t.team + " " + grade.objective + "/" +
                         grade.item + ": ";
      if (!graded) {
        lines.push_back(line + "refused: " + graded.error().message);
        continue;
      }
      int points = 0;
      for (const auto& e : graded->entries) points += e.points;
      lines.push_back(line + std::string(client::to_string(graded->verdict)) + " (+" +
                      std::to_string(points) + ") \"" + grade.note + "\"");
    }
  }
  return lines;
}

/// Every libvirt object of the exercise still present (empty after a clean end).
std::vector<std::string> leftovers(const std::string& libvirt_uri, const std::string& exercise) {
  std::vector<std::string> names;
  auto hv = range::LibvirtHypervisor::connect(libvirt_uri);
  if (!hv) return {"(cannot connect to " + libvirt_uri + ": " + hv.error().message + ")"};
  for (auto kind :
       {range::ObjectKind::domain, range::ObjectKind::network, range::ObjectKind::pool}) {
    auto found = (*hv)->list(kind, range::exercise_prefix(exercise));
    if (found)
      for (const auto& object : *found) names.push_back(object.name);
  }
  return names;
}

}  // namespace

Expected<DayResult> run_training_day(const TrainingDayOptions& options, std::ostream& out) {
  const auto started = SteadyClock::now();
  DayResult result;
  // The id gets "_" and 8 digits of the clock so that every run is a new exercise.
  if (options.exercise.empty() || options.exercise.size() > 15)
    return make_error(ErrorCode::invalid_argument,
                      "The exercise id prefix '" + options.exercise +
                          "' must have 1-15 characters: the day appends '_' and 8 digits and ids "
                          "have at most 24. Pass a shorter --exercise. / 演習IDの接頭辞は15文字以内"
                          "にしてください。");
  result.exercise = options.exercise + "_" + std::to_string(std::time(nullptr) % 100000000);
  const fs::path scenario_dir = options.scenario.parent_path();
  const std::vector<DayTrainee> trainees = {
      {"day-ideal", "team1", scenario_dir / "playtest/ideal.yaml"},
      {"day-careless", "team2", scenario_dir / "playtest/careless.yaml"}};

  heading(out, 1, "Scenario", "シナリオ");
  auto scenario = checked(options.scenario, out);
  if (!scenario) return scenario.error();
  result.max_points = playtest::objective_points(*scenario);
  for (const auto& t : trainees) result.team_of_trainee[t.user] = t.team;
  std::map<std::string, client::TraineeScript> scripts;
  for (const auto& t : trainees) {
    auto script = client::load_trainee_script(t.script);
    if (!script) return script.error();
    scripts[t.user] = std::move(*script);
  }
  if (auto schema = store::verify_schema(options.database_uri); !schema) return schema.error();

  heading(out, 2, "cyranged, TLS and people", "cyranged・TLS・参加者");
  certs::InitOptions tls;
  tls.dir = options.state_dir / "tls";
  if (auto made = certs::init_certificates(tls); !made) return made.error();
  auto people = enrol(options.database_uri, result.exercise, trainees);
  if (!people) return people.error();
  const fs::path run_dir = fs::absolute(options.output_dir / result.exercise);
  fs::create_directories(run_dir);
  // The operator runs the day on this machine with the shipped scenario, so this daemon may
  // build the images it lacks (cyranged refuses by default: see --build-images).
  auto daemon = daemon::DaemonProcess::spawn(
      daemon::find_daemon_binary(),
      {"--listen", "127.0.0.1:0", "--db", options.database_uri, "--tls-dir", tls.dir.string(),
       "--libvirt-uri", options.libvirt_uri, "--image-cache",
       (options.state_dir / "images").string(), "--pool-root",
       (options.state_dir / "pools").string(), "--build-images"},
      run_dir / "cyranged.log");
  if (!daemon) return daemon.error();
  auto address = daemon->wait_listening(std::chrono::seconds(60));
  if (!address) return address.error();
  const fs::path ca = tls.dir / certs::kCaCertFile;
  out << "cyranged serves TLS on " << *address << " (log " << daemon->log_file().string()
      << "); instructor day-instructor, trainees day-ideal (team1), day-careless (team2)\n";
  auto instructor = connect(*address, ca, people->instructor_token);
  if (!instructor) return instructor.error();
  client::ExerciseClient exercises(*instructor);

  heading(out, 3, "Exercise and team ranges", "演習とチーム環境の構築");
  client::NewExercise request;
  request.id = result.exercise;
  request.scenario_yaml = read_file(options.scenario);
  request.scenario_file = options.scenario.string();
  request.teams = {"team1", "team2"};
  request.seed = options.seed;
  auto created = exercises.create(request);
  if (!created) return created.error();
  if (Status issued =
          issue_trainee_tokens(options.database_uri, result.exercise, trainees, *people);
      !issued)
    return issued.error();
  out << "exercise / 演習 " << created->id << ": " << created->title.ja << " / "
      << created->title.en << ", teams team1 team2\n";
  const auto provision_started = SteadyClock::now();
  if (auto shown = show_provisioning(*instructor, result.exercise, out); !shown)
    out << "(progress stream ended: " << shown.error().message << ")\n";
  auto ready = wait_ready(exercises, result.exercise);
  if (!ready) return ready.error();
  out << "both team ranges ready in " << std::fixed << std::setprecision(1)
      << std::chrono::duration<double>(SteadyClock::now() - provision_started).count()
      << " s / 両チームの環境準備完了\n";

  heading(out, 4, "The exercise runs", "演習の実施");
  client::TimelineClient timeline(*instructor);
  if (auto clock =
          timeline.control_clock(result.exercise, client::ClockAction::set_speed, options.speed);
      !clock)
    return clock.error();
  if (auto clock = timeline.control_clock(result.exercise, client::ClockAction::start); !clock)
    return clock.error();
  out << "clock started at x" << options.speed << " / 演習時計を " << options.speed
      << " 倍速で開始; trainees play through gRPC:\n";
  client::ScoringClient scoring(*instructor);
  std::vector<std::string> instructor_lines;
  {
    LiveBoard board(scoring, result.exercise, out);
    // The instructor makes the choices the scripts state in decision steps, if any.
    std::map<std::string, std::vector<client::DecisionChoice>> choices;
    for (const auto& t : trainees)
      if (!scripts.at(t.user).decisions.empty()) choices[t.team] = scripts.at(t.user).decisions;
    std::unique_ptr<DecisionDesk> decisions;
    if (!choices.empty())
      decisions =
          std::make_unique<DecisionDesk>(*instructor, result.exercise, std::move(choices), out);
    // Each trainee reads its own team's inbox: the briefing, then messages as they come.
    std::vector<std::unique_ptr<InboxTicker>> inboxes;
    for (const auto& t : trainees)
      if (auto reader = connect(*address, ca, people->trainee_tokens.at(t.user)))
        inboxes.push_back(std::make_unique<InboxTicker>(*reader, result.exercise, out));
    std::mutex results_mutex;
    std::vector<std::thread> players;
    for (const auto& t : trainees) {
      players.emplace_back([&, t] {
        client::PlaytestResult played;
        played.trainee = t.user;
        auto connection = connect(*address, ca, people->trainee_tokens.at(t.user));
        // Recording needs the trainee's consent: the scripted trainee reads the current
        // scoring consent text and agrees over gRPC, as a person does in the client.
        if (connection) {
          auto consent = client::PrivacyClient(*connection)
                             .give_current(result.exercise, client::ConsentPurpose::scoring);
          if (!consent) connection = consent.error();
        }
        client::GrpcSessionOptions session_options;
        session_options.exercise = result.exercise;
        session_options.recorder_dir = run_dir / ("buffer-" + t.user);
        auto session =
            connection ? client::GrpcTraineeSession::open(*connection, session_options)
                       : Expected<std::unique_ptr<client::GrpcTraineeSession>>(connection.error());
        if (!session) {
          played.failure = session.error().message;
        } else {
          played = client::run_scripted_trainee(**session, scripts.at(t.user));
          played.trainee = t.user;  // the login, as the board and the exports name people
          (*session)->close(std::chrono::seconds(10));
        }
        std::lock_guard lock(results_mutex);
        result.trainees.push_back(std::move(played));
      });
    }
    for (auto& p : players) p.join();
    instructor_lines = grade_reports(scoring, result.exercise, trainees, scripts);
    // Checks still unsolved run once more on the instructor's request, not the schedule.
    auto checks = exercises.run_checks(result.exercise);
    if (!checks) return checks.error();
    for (const auto& c : *checks)
      instructor_lines.push_back(
          "instructor runs check / 環境チェック即時実行 " + c.team + " " + c.objective + ": " +
          (c.passed ? "passed / 合格" : "not passed / 不合格") + " (" + c.detail + ")");
  }
  // Printed once the live board has stopped, so the two never interleave.
  for (const auto& line : instructor_lines) out << line << "\n";
  auto final_board = scoring.scoreboard(result.exercise);
  if (!final_board) return final_board.error();
  result.final_board = std::move(*final_board);
  auto ledger = scoring::PgLedgerStore::open(options.database_uri);
  if (!ledger) return ledger.error();
  auto entries = (*ledger)->entries(result.exercise);
  if (!entries) return entries.error();
  result.ledger = std::move(*entries);
  // The same scripts on the simulated day: a dry run must score what the real one did.
  if (Status dry = dry_run_day(*scenario, options.seed, trainees, scripts, result); !dry)
    return dry.error();

  heading(out, 5, "After-action data", "事後分析データ");
  auto written = write_day_exports(result, options.database_uri, run_dir);
  if (!written) return written.error();
  result.exports = std::move(*written);

  heading(out, 6, "End of the day", "演習終了");
  if (options.keep) {
    const int status = daemon->stop(std::chrono::seconds(15));
    out << "cyranged stopped (exit " << status << "); exercise " << result.exercise
        << " and its ranges are kept: a restarted cyranged adopts them. Remove them with "
           "`cyrange range down --exercise "
        << result.exercise << "`.\n";
  } else {
    // Tearing down every guest of every team takes a while under TCG.
    auto patient = connect(*address, ca, people->instructor_token, std::chrono::minutes(10));
    if (!patient) return patient.error();
    auto ended = client::ExerciseClient(*patient).end(result.exercise);
    if (!ended) return ended.error();
    const int status = daemon->stop(std::chrono::seconds(15));
    const auto left = leftovers(options.libvirt_uri, result.exercise);
    out << "exercise ended, cyranged stopped (exit " << status
        << "), libvirt objects left: " << left.size() << (left.empty() ? " / 後片付け完了" : "")
        << "\n";
    for (const auto& name : left) out << "  still there: " << name << "\n";
  }
  result.wall_seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  print_day_summary(result, out);
  return result;
}

}  // namespace cyrange::cli
