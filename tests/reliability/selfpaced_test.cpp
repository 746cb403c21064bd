// Self-paced study end to end on real guests (issue 19): a trainee starts quick-check as a
// course, solves an objective, leaves a file in a guest's memory, pauses (no QEMU process
// of the run remains, libvirt holds a saved state for every guest), cyranged restarts,
// the trainee resumes: the file is there, the clock and the score go on from where they
// stopped, and the next objective can be solved. And a paused run whose expiry passes
// loses every libvirt object (saved states and disks too) while its results stay listed.
#include <libvirt/libvirt.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include <client-core/course_client.h>
#include <client-core/exercise_client.h>
#include <client-core/range_client.h>
#include <client-core/scoring_client.h>
#include <client-core/timeline_client.h>
#include <orchestrator/course/pg_course_store.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/scenario/variables.h>
#include <tests/reliability/live_exercise_fixture.h>

namespace cyrange::reliability {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// QEMU processes whose command line names a guest of `exercise` (libvirt passes
// "-name guest=cyr-<exercise>-...").
int qemu_processes_of(const std::string& exercise) {
  const std::string needle = "guest=" + range::exercise_prefix(exercise);
  int found = 0;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmdline = slurp(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(needle) != std::string::npos) ++found;
  }
  return found;
}

const char* kLibvirtUri = "qemu:///system";
const fs::path kPoolRoot = "/var/lib/cyrange/pools";     // as the fixture's cyranged
const fs::path kSaveDir = "/var/lib/libvirt/qemu/save";  // libvirt's managed saves
const fs::path kCli = fs::path(CYRANGE_BINARY_DIR) / "orchestrator/cli/cyrange";

// Everything libvirt (and the disk) still holds of `exercise`: domains, networks, pools,
// storage volumes in any pool whose name or path belongs to it, managed-save images and
// the exercise's pool folder.
std::vector<std::string> traces_of(const std::string& exercise) {
  const std::string prefix = range::exercise_prefix(exercise);
  const std::string folder = (kPoolRoot / exercise).string() + "/";
  std::vector<std::string> found;
  virConnectPtr conn = virConnectOpen(kLibvirtUri);
  if (!conn) return {"(cannot connect to " + std::string(kLibvirtUri) + ")"};
  auto starts = [&](const char* name) { return name && std::string(name).rfind(prefix, 0) == 0; };
  virDomainPtr* domains = nullptr;
  const int nd = virConnectListAllDomains(conn, &domains, 0);
  for (int i = 0; i < nd; ++i) {
    if (starts(virDomainGetName(domains[i])))
      found.push_back(std::string("domain ") + virDomainGetName(domains[i]));
    virDomainFree(domains[i]);
  }
  free(domains);
  virNetworkPtr* networks = nullptr;
  const int nn = virConnectListAllNetworks(conn, &networks, 0);
  for (int i = 0; i < nn; ++i) {
    if (starts(virNetworkGetName(networks[i])))
      found.push_back(std::string("network ") + virNetworkGetName(networks[i]));
    virNetworkFree(networks[i]);
  }
  free(networks);
  virStoragePoolPtr* pools = nullptr;
  const int np = virConnectListAllStoragePools(conn, &pools, 0);
  for (int i = 0; i < np; ++i) {
    const std::string pool = virStoragePoolGetName(pools[i]);
    if (starts(pool.c_str())) found.push_back("pool " + pool);
    // Volumes copied into a pool's folder (guests started from templates) are listed once
    // the pool is refreshed.
    if (virStoragePoolIsActive(pools[i]) == 1) (void)virStoragePoolRefresh(pools[i], 0);
    virStorageVolPtr* volumes = nullptr;
    const int nv = virStoragePoolListAllVolumes(pools[i], &volumes, 0);
    for (int j = 0; j < nv; ++j) {
      const std::string name = virStorageVolGetName(volumes[j]);
      char* path = virStorageVolGetPath(volumes[j]);
      const std::string where = path ? path : "";
      free(path);
      if (name.find(prefix) != std::string::npos || where.rfind(folder, 0) == 0)
        found.push_back("volume " + pool + "/" + name + " (" + where + ")");
      virStorageVolFree(volumes[j]);
    }
    free(volumes);
    virStoragePoolFree(pools[i]);
  }
  free(pools);
  virConnectClose(conn);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kSaveDir, ec))
    if (entry.path().filename().string().rfind(prefix, 0) == 0)
      found.push_back("saved state " + entry.path().string());
  if (fs::exists(kPoolRoot / exercise, ec)) found.push_back("folder " + folder);
  return found;
}

// Removes what a failed test left of a run's exercise (the fixture only knows its own id).
struct RemoveAtEnd {
  std::string exercise;
  ~RemoveAtEnd() {
    if (exercise.empty() || traces_of(exercise).empty()) return;
    if (auto hv = range::LibvirtHypervisor::connect(kLibvirtUri))
      (void)range::TeamRange::remove_orphans(**hv, range::exercise_prefix(exercise));
    std::error_code ignored;
    fs::remove_all(kPoolRoot / exercise, ignored);
  }
};

// `cyrange ARGS` as an operator runs it; stdout.
std::string cyrange_cli(const std::string& args) {
  std::string out;
  FILE* pipe = ::popen((kCli.string() + " " + args + " 2>&1").c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

// Terminal output gathered from the connection's executor.
struct Screen {
  std::mutex mutex;
  std::string text;
  bool contains(const std::string& what) {
    std::lock_guard lock(mutex);
    return text.find(what) != std::string::npos;
  }
};

bool wait_until(const std::function<bool()>& done, std::chrono::seconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(200ms);
  }
  return done();
}

class SelfPacedTest : public LiveExerciseTest {
 protected:
  SelfPacedTest() : LiveExerciseTest("selfpaced", /*create_in_setup=*/false) {}

  // The trainee's run as the server lists it.
  client::CourseRunInfo run_now(std::int64_t id) {
    auto runs = client::CourseClient(trainee()).runs();
    EXPECT_TRUE(runs) << runs.error().message;
    if (runs)
      for (const auto& r : *runs)
        if (r.id == id) return r;
    return {};
  }

  client::Connection with_token(const std::string& token) {
    client::ClientOptions options;
    options.target = address_;
    options.ca_file = ca_file();
    options.token = token;
    options.timeout = 30s;
    auto connection = client::Connection::open(options);
    EXPECT_TRUE(connection) << connection.error().message;
    return std::move(connection).value();
  }

  // Opens a terminal on ws01 of the run with `token`, types `line`, waits for `expect`.
  void type_and_see(const std::string& token, const std::string& exercise, const std::string& line,
                    const std::string& expect) {
    auto screen = std::make_shared<Screen>();
    auto terminal = client::TerminalClient::open(with_token(token), {exercise, "", "ws01"},
                                                 [screen](std::string_view bytes) {
                                                   std::lock_guard lock(screen->mutex);
                                                   screen->text.append(bytes);
                                                 });
    ASSERT_TRUE(terminal) << terminal.error().message;
    // The serial console shows a prompt once a line is entered.
    ASSERT_TRUE((*terminal)->send_keys("\r"));
    ASSERT_TRUE((*terminal)->send_keys(line + "\r"));
    EXPECT_TRUE(wait_until([&] { return screen->contains(expect); }, 60s))
        << "the guest never printed '" << expect << "'; the screen was:\n"
        << screen->text;
    (*terminal)->close();
  }

  double exercise_seconds(const std::string& token, const std::string& exercise,
                          const std::string& team) {
    auto listed = client::TimelineClient(with_token(token)).list(exercise, team);
    EXPECT_TRUE(listed) << listed.error().message;
    return listed ? listed->clock.now_seconds : -1;
  }
};

TEST_F(SelfPacedTest, ARunPausesToDiskSurvivesARestartAndGoesOnWhereItStopped) {
  // The operator publishes quick-check; ten exercise seconds pass per second.
  ASSERT_NO_FATAL_FAILURE(publish_course("quick", 10));

  client::CourseClient courses(trainee());
  auto listed = courses.courses();
  ASSERT_TRUE(listed) << listed.error().message;
  ASSERT_EQ(listed->size(), 1u);
  auto ticket = courses.start("quick");
  ASSERT_TRUE(ticket) << ticket.error().message;
  ASSERT_FALSE(ticket->token.empty());
  const std::int64_t run = ticket->run.id;
  const std::string exercise = ticket->run.exercise_id;
  const std::string team = ticket->run.team;
  ASSERT_FALSE(exercise.empty());
  RemoveAtEnd leftovers{exercise};

  ASSERT_TRUE(wait_until([&] { return run_now(run).state == client::RunState::running; }, 600s))
      << "the run did not start; its detail: " << run_now(run).detail;

  // The answers of this run, from the seed only staff see.
  auto info = client::ExerciseClient(instructor()).get(exercise);
  ASSERT_TRUE(info) << info.error().message;
  const auto vars = scenario::resolve_variables(*scenario_, info->seed, team);
  client::ScoringClient scoring(with_token(ticket->token));
  std::string verdict;
  ASSERT_TRUE(wait_until(
      [&] {
        auto answered = scoring.submit_answer(exercise, "recipient", "", vars.at("victim_mailbox"));
        verdict = answered ? answered->message.en : answered.error().message;
        return answered && answered->verdict == client::Verdict::correct;
      },
      120s))
      << "the first objective was never solved: " << verdict;

  // The shell computes the marker, so the echoed command line never matches what is awaited.
  type_and_see(ticket->token, exercise,
               "echo kept-$((6*7)) > /tmp/selfpaced-marker && echo written-$((6*7))", "written-42");

  // Pause: every guest saved by libvirt, no QEMU of the run left, the clock stopped.
  const double before_pause = exercise_seconds(ticket->token, exercise, team);
  auto paused = courses.pause(run);
  ASSERT_TRUE(paused) << paused.error().message;
  EXPECT_EQ(paused->state, client::RunState::paused);
  EXPECT_EQ(qemu_processes_of(exercise), 0);
  auto hv = range::LibvirtHypervisor::connect("qemu:///system");
  ASSERT_TRUE(hv) << hv.error().message;
  for (const char* host : {"mail", "ws01", "attacker"}) {
    auto state = (*hv)->run_state(range::exercise_prefix(exercise) + team + "-" + host);
    ASSERT_TRUE(state) << state.error().message;
    EXPECT_FALSE(state->running) << host;
    EXPECT_TRUE(state->saved) << host;
  }
  auto board = scoring.scoreboard(exercise);
  ASSERT_TRUE(board) << board.error().message;
  ASSERT_TRUE(board->own.has_value());
  const int score_before = board->own->total;
  EXPECT_GT(score_before, 0);

  // cyranged goes down and comes back; the run is still paused.
  ASSERT_EQ(daemon_->stop(15s), 0);
  daemon_.reset();
  start_daemon();
  EXPECT_EQ(run_now(run).state, client::RunState::paused);

  auto resumed = client::CourseClient(trainee()).resume(run);
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->run.state, client::RunState::running);
  ASSERT_FALSE(resumed->token.empty());
  EXPECT_GT(qemu_processes_of(exercise), 0);
  const double after_resume = exercise_seconds(resumed->token, exercise, team);
  // The clock stood still while paused and cyranged restarted (at x10 the restart alone
  // would have moved it by minutes): it goes on from where it stopped.
  EXPECT_GE(after_resume, before_pause);
  EXPECT_LT(after_resume, before_pause + 30);
  ASSERT_TRUE(wait_until(
      [&] { return exercise_seconds(resumed->token, exercise, team) > after_resume; }, 30s));

  // The guest's memory came back: the file written before the pause is there.
  type_and_see(resumed->token, exercise, "cat /tmp/selfpaced-marker", "kept-42");

  // The score goes on, and the next objective (open at 2:00 exercise time) is solved.
  client::ScoringClient again(with_token(resumed->token));
  ASSERT_TRUE(wait_until(
      [&] {
        auto answered = again.submit_answer(exercise, "attachment", "", vars.at("lure_file"));
        verdict = answered ? answered->message.en : answered.error().message;
        return answered && answered->verdict == client::Verdict::correct;
      },
      120s))
      << "the second objective was never solved: " << verdict;
  auto later = again.scoreboard(exercise);
  ASSERT_TRUE(later) << later.error().message;
  ASSERT_TRUE(later->own.has_value());
  EXPECT_GT(later->own->total, score_before);

  // Ending the run removes every libvirt object; the results stay.
  auto ended = client::CourseClient(trainee()).end(run);
  ASSERT_TRUE(ended) << ended.error().message;
  EXPECT_EQ(ended->state, client::RunState::finished);
  auto left = (*hv)->list(range::ObjectKind::domain, range::exercise_prefix(exercise));
  ASSERT_TRUE(left);
  EXPECT_TRUE(left->empty());
  EXPECT_EQ(query("SELECT count(*) FROM ledger_entries WHERE exercise_id = '" + exercise +
                  "' AND kind = 'solve'"),
            "2");
}

TEST_F(SelfPacedTest, AnExpiredRunLosesEveryLibvirtObjectAndKeepsItsResults) {
  // The operator publishes quick-check; ten exercise seconds pass per second.
  ASSERT_NO_FATAL_FAILURE(publish_course("quick", 10));
  client::CourseClient courses(trainee());
  auto ticket = courses.start("quick");
  ASSERT_TRUE(ticket) << ticket.error().message;
  const std::int64_t run = ticket->run.id;
  const std::string exercise = ticket->run.exercise_id;
  ASSERT_FALSE(exercise.empty());
  RemoveAtEnd leftovers{exercise};
  ASSERT_TRUE(wait_until([&] { return run_now(run).state == client::RunState::running; }, 600s))
      << "the run did not start; its detail: " << run_now(run).detail;

  // A result to keep: the first objective solved.
  auto info = client::ExerciseClient(instructor()).get(exercise);
  ASSERT_TRUE(info) << info.error().message;
  const auto vars = scenario::resolve_variables(*scenario_, info->seed, ticket->run.team);
  client::ScoringClient scoring(with_token(ticket->token));
  std::string verdict;
  ASSERT_TRUE(wait_until(
      [&] {
        auto answered = scoring.submit_answer(exercise, "recipient", "", vars.at("victim_mailbox"));
        verdict = answered ? answered->message.en : answered.error().message;
        return answered && answered->verdict == client::Verdict::correct;
      },
      120s))
      << "the objective was never solved: " << verdict;

  // The trainee leaves it paused: every guest's memory is on disk, next to its overlay.
  auto paused = courses.pause(run);
  ASSERT_TRUE(paused) << paused.error().message;
  ASSERT_EQ(paused->state, client::RunState::paused);
  const auto held = traces_of(exercise);
  auto count = [&](const std::string& kind) {
    return std::count_if(held.begin(), held.end(),
                         [&](const std::string& t) { return t.rfind(kind, 0) == 0; });
  };
  EXPECT_EQ(count("domain "), 3) << testing::PrintToString(held);
  EXPECT_EQ(count("saved state "), 3) << testing::PrintToString(held);
  EXPECT_GE(count("volume "), 3) << testing::PrintToString(held);
  EXPECT_GE(count("network "), 1) << testing::PrintToString(held);
  EXPECT_EQ(count("pool "), 1) << testing::PrintToString(held);
  const client::CourseRunInfo before = run_now(run);
  ASSERT_GT(before.score, 0);
  ASSERT_EQ(before.objectives_solved, 1);

  // The operator's days are over: cyranged's next pass of the runs (every 2 s) expires it.
  ASSERT_EQ(query("UPDATE course_runs SET expires_at = now() - interval '1 minute' WHERE id = " +
                  std::to_string(run) + " RETURNING id"),
            std::to_string(run));
  ASSERT_TRUE(wait_until([&] { return run_now(run).state == client::RunState::expired; }, 120s))
      << "the run was not expired; it is " << static_cast<int>(run_now(run).state) << " ("
      << run_now(run).detail << ")";

  // Nothing of its range is left in libvirt or on disk.
  const auto left = traces_of(exercise);
  EXPECT_TRUE(left.empty()) << testing::PrintToString(left);
  EXPECT_EQ(qemu_processes_of(exercise), 0);

  // Its results stay: for the trainee, for staff, and in `cyrange course results`.
  const client::CourseRunInfo after = run_now(run);
  EXPECT_EQ(after.exercise_id, exercise);
  EXPECT_EQ(after.score, before.score);
  EXPECT_EQ(after.objectives_solved, 1);
  EXPECT_GT(after.ended_at_unix_ms, 0);
  auto staff = client::CourseClient(instructor()).runs();
  ASSERT_TRUE(staff) << staff.error().message;
  ASSERT_EQ(staff->size(), 1u);
  EXPECT_EQ(staff->front().state, client::RunState::expired);
  EXPECT_EQ(staff->front().score, before.score);
  EXPECT_EQ(query("SELECT count(*) FROM ledger_entries WHERE exercise_id = '" + exercise +
                  "' AND kind = 'solve'"),
            "1");
  const std::string listed = cyrange_cli("course results --course quick --db '" + db_->uri() + "'");
  std::istringstream lines(listed);
  bool shown = false;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string id, course, user, state, started_day, started_time, score;
    fields >> id >> course >> user >> state >> started_day >> started_time >> score;
    if (id == std::to_string(run)) {
      shown = true;
      EXPECT_EQ(state, "expired") << line;
      EXPECT_EQ(score, std::to_string(before.score)) << line;
      EXPECT_NE(line.find(exercise), std::string::npos) << line;
    }
  }
  EXPECT_TRUE(shown) << "`cyrange course results` did not list run " << run << ":\n" << listed;
}

// The console's review queue after a restart: a paused run and an ended one each have an item
// `graded_by: review` waiting; the cyranged that was running when they were recorded has not
// loaded their scores, and a restarted one lists both runs' items (no run left unavailable).
// Their exercises are recorded as cyranged records a paused and an ended run's (no guests:
// the scores come from the database alone).
TEST_F(SelfPacedTest, AfterARestartTheReviewItemsOfPausedAndEndedRunsAreListed) {
  ASSERT_NO_FATAL_FAILURE(publish_course("quick", 10));
  std::string yaml = slurp(scenario_file());
  const std::string reviewed =
      "  - id: report\n"
      "    question: {ja: 報告書を書いてください, en: Write the report}\n"
      "    rubric:\n"
      "      - {id: summary, text: {ja: 要約, en: Summary}, points: 50, graded_by: review}\n";
  const auto briefing = yaml.find("\nbriefing:");
  ASSERT_NE(briefing, std::string::npos);
  yaml.insert(briefing + 1, reviewed + "\n");
  auto registry = exercise::RangeRegistry::open(db_->uri());
  ASSERT_TRUE(registry) << registry.error().message;
  auto store = course::PgCourseStore::open(db_->uri());
  ASSERT_TRUE(store) << store.error().message;
  const std::int64_t trainee_id =
      std::stoll(query("SELECT id FROM users WHERE name = 'rel-trainee'"));
  std::vector<std::int64_t> runs;
  for (const auto& [exercise, state] :
       {std::pair<std::string, course::RunState>{"selfrev_ended", course::RunState::finished},
        {"selfrev_paused", course::RunState::paused}}) {
    ASSERT_TRUE((*registry)->begin_exercise(exercise, "quick-check", "h", {"r1"}));
    ASSERT_TRUE((*registry)->save_setup(exercise, {"quick.yaml", yaml, kSeed}));
    if (state == course::RunState::paused)
      ASSERT_TRUE((*registry)->set_state(exercise, exercise::kStateSuspended));
    else
      ASSERT_TRUE((*registry)->end_exercise(exercise));
    auto run = (*store)->add_run("quick", trainee_id,
                                 std::chrono::system_clock::now() + std::chrono::hours(24));
    ASSERT_TRUE(run) << run.error().message;
    run->exercise = exercise;
    run->team = "r1";
    run->state = state;
    ASSERT_TRUE((*store)->update(*run));
    runs.push_back(run->id);
  }
  std::sort(runs.begin(), runs.end());
  // Items per run, and the runs the server cannot list, as the console reads them.
  auto queue = [&] {
    auto listed = client::CourseClient(instructor()).reviews_async(0).wait();
    EXPECT_TRUE(listed) << listed.error().message;
    std::pair<std::vector<std::int64_t>, std::vector<std::int64_t>> out;
    if (!listed) return out;
    for (const auto& r : listed->reviews) {
      EXPECT_EQ(r.objective + "/" + r.item, "report/summary");
      out.first.push_back(r.run_id);
    }
    out.second = listed->unavailable_runs;
    std::sort(out.first.begin(), out.first.end());
    std::sort(out.second.begin(), out.second.end());
    return out;
  };
  EXPECT_EQ(queue().second, runs) << "this cyranged started before the runs were recorded";

  ASSERT_EQ(daemon_->stop(15s), 0);
  daemon_.reset();
  start_daemon();
  const auto after = queue();
  EXPECT_EQ(after.first, runs);
  EXPECT_TRUE(after.second.empty()) << testing::PrintToString(after.second);
}

}  // namespace
}  // namespace cyrange::reliability
