// The fixture's life: a database, TLS, two people, cyranged, the exercise; at the end
// the exercise is ended whatever happened, and nothing of it may stay in libvirt.
#include <tests/reliability/live_exercise_fixture.h>

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

#include <client-core/exercise_client.h>
#include <orchestrator/certs/certs.h>
#include <orchestrator/course/pg_course_store.h>
#include <orchestrator/course/publish.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::reliability {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

const fs::path kSourceDir = CYRANGE_SOURCE_DIR;
const fs::path kDaemon = fs::path(CYRANGE_BINARY_DIR) / "orchestrator/daemon/cyranged";
const fs::path kScenario = kSourceDir / "scenarios/quick-check/scenario.yaml";
const char* kLibvirtUri = "qemu:///system";
const char* kImageCache = "/var/lib/cyrange/images";
const char* kPoolRoot = "/var/lib/cyrange/pools";
constexpr auto kProvisionBudget = 20min;

std::string slurp(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// A port the kernel had free a moment ago; both daemons of a test serve on it, so the
// trainee's channel reconnects to the restarted one as a real client would.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

// Every libvirt object whose name starts with `prefix`.
std::vector<std::string> libvirt_objects(const std::string& prefix) {
  auto hv = range::LibvirtHypervisor::connect(kLibvirtUri);
  if (!hv)
    return {"(cannot connect to " + std::string(kLibvirtUri) + ": " + hv.error().message + ")"};
  std::vector<std::string> names;
  for (auto kind :
       {range::ObjectKind::domain, range::ObjectKind::network, range::ObjectKind::pool}) {
    auto found = (*hv)->list(kind, prefix);
    if (!found) {
      names.push_back("(cannot list: " + found.error().message + ")");
      continue;
    }
    for (const auto& object : *found) names.push_back(object.name);
  }
  return names;
}

// Removes the objects of `exercise` straight through libvirt: what an earlier, killed
// run of this test left, or what a failed EndExercise did not remove.
Status remove_directly(const std::string& exercise) {
  auto hv = range::LibvirtHypervisor::connect(kLibvirtUri);
  if (!hv) return hv.error();
  if (auto st = range::TeamRange::remove_orphans(**hv, range::exercise_prefix(exercise)); !st)
    return st;
  std::error_code ignored;
  fs::remove_all(fs::path(kPoolRoot) / exercise, ignored);
  return Status::success();
}

std::string tail(const std::string& text, std::size_t size = 3000) {
  return text.size() > size ? text.substr(text.size() - size) : text;
}

}  // namespace

LiveExerciseTest::LiveExerciseTest(std::string exercise, bool create_in_setup)
    : exercise_(std::move(exercise)), create_in_setup_(create_in_setup) {}

fs::path LiveExerciseTest::ca_file() const { return dir_ / "tls" / certs::kCaCertFile; }

fs::path LiveExerciseTest::scenario_file() { return kScenario; }

void LiveExerciseTest::publish_course(const std::string& id, double clock_speed) {
  auto store = course::PgCourseStore::open(db_->uri());
  ASSERT_TRUE(store) << store.error().message;
  auto course = course::course_from_scenario(slurp(kScenario), kScenario.string(), id);
  ASSERT_TRUE(course) << course.error().message;
  course->clock_speed = clock_speed;
  course->published_by = "test";
  ASSERT_TRUE((*store)->publish(*course));
}

void LiveExerciseTest::SetUp() {
  char pattern[] = "/tmp/cyrange-reliab-XXXXXX";
  ASSERT_NE(::mkdtemp(pattern), nullptr);
  dir_ = pattern;
  ASSERT_TRUE(fs::exists(kDaemon)) << kDaemon << " is missing; build the cyranged target.";
  db_ = std::make_unique<store::testing::TempDatabase>();

  auto loaded = scenario::load_scenario(kScenario);
  ASSERT_TRUE(loaded) << loaded.error().message;
  scenario_ = std::move(*loaded);
  variables_ = scenario::resolve_variables(*scenario_, kSeed, team_);

  certs::InitOptions tls;
  tls.dir = dir_ / "tls";
  auto made = certs::init_certificates(tls);
  ASSERT_TRUE(made) << made.error().message;
  auto people = identity::PgIdentityStore::open(db_->uri());
  ASSERT_TRUE(people) << people.error().message;
  const std::string instructor_name = "rel-instructor";
  const std::string trainee_name = "rel-trainee";
  ASSERT_TRUE(
      (*people)->add_user({instructor_name, identity::Role::instructor, std::nullopt, "", ""}));
  ASSERT_TRUE((*people)->add_user({trainee_name, identity::Role::trainee, team_, "", ""}));
  auto instructor_token = (*people)->issue_token(instructor_name, std::chrono::hours(4));
  auto trainee_token = (*people)->issue_token(trainee_name, std::chrono::hours(4));
  ASSERT_TRUE(instructor_token && trainee_token);
  instructor_token_ = instructor_token->token;
  trainee_token_ = trainee_token->token;

  // An earlier run killed in its middle may have left guests of this very exercise id.
  ASSERT_TRUE(remove_directly(exercise_));
  const int port = free_port();
  ASSERT_GT(port, 0);
  address_ = "127.0.0.1:" + std::to_string(port);
  ASSERT_NO_FATAL_FAILURE(start_daemon());
  if (create_in_setup_) {
    ASSERT_NO_FATAL_FAILURE(create_exercise());
  }
}

void LiveExerciseTest::TearDown() {
  if (db_) {
    end_exercise();
    const auto left = libvirt_objects(range::exercise_prefix(exercise_));
    EXPECT_TRUE(left.empty()) << "libvirt objects of " << exercise_
                              << " are still there: " << testing::PrintToString(left);
  }
  if (HasFailure()) {
    for (int run = 1; run <= daemon_runs_; ++run) {
      const fs::path log = dir_ / ("cyranged-" + std::to_string(run) + ".log");
      std::cerr << "---- end of " << log.string() << " ----\n" << tail(slurp(log)) << "\n";
    }
    std::cerr << "Logs and the trainee's buffer are kept in " << dir_.string() << "\n";
  } else if (!dir_.empty()) {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
}

void LiveExerciseTest::start_daemon() {
  ASSERT_FALSE(daemon_running()) << "the previous cyranged still runs";
  const fs::path log = dir_ / ("cyranged-" + std::to_string(++daemon_runs_) + ".log");
  auto spawned = daemon::DaemonProcess::spawn(
      kDaemon,
      {"--listen", address_, "--db", db_->uri(), "--tls-dir", (dir_ / "tls").string(),
       "--libvirt-uri", kLibvirtUri, "--image-cache", kImageCache, "--pool-root", kPoolRoot,
       "--build-images"},
      log);
  ASSERT_TRUE(spawned) << spawned.error().message;
  daemon_.emplace(std::move(*spawned));
  auto listening = daemon_->wait_listening(std::chrono::seconds(120));
  ASSERT_TRUE(listening) << listening.error().message;
  ASSERT_EQ(*listening, address_);
}

void LiveExerciseTest::kill_daemon() {
  ASSERT_TRUE(daemon_running()) << "cyranged ended before it could be killed";
  daemon_->signal(SIGKILL);
  const auto status = daemon_->wait_exit(10s);
  ASSERT_TRUE(status.has_value()) << "cyranged survived SIGKILL for 10 s";
  EXPECT_EQ(*status, 128 + SIGKILL);
}

bool LiveExerciseTest::daemon_running() {
  return daemon_.has_value() && !daemon_->wait_exit(0ms).has_value();
}

client::Connection LiveExerciseTest::instructor(std::chrono::milliseconds timeout) {
  client::ClientOptions options;
  options.target = address_;
  options.ca_file = dir_ / "tls" / certs::kCaCertFile;
  options.token = instructor_token_;
  options.timeout = timeout;
  auto opened = client::Connection::open(options);
  if (!opened) throw std::runtime_error(opened.error().message);
  return *opened;
}

client::Connection LiveExerciseTest::trainee() {
  client::ClientOptions options;
  options.target = address_;
  options.ca_file = dir_ / "tls" / certs::kCaCertFile;
  options.token = trainee_token_;
  options.timeout = 15s;
  auto opened = client::Connection::open(options);
  if (!opened) throw std::runtime_error(opened.error().message);
  return *opened;
}

void LiveExerciseTest::create_exercise() {
  client::ExerciseClient exercises(instructor());
  client::NewExercise request;
  request.id = exercise_;
  request.scenario_yaml = slurp(kScenario);
  request.scenario_file = kScenario.string();
  request.teams = {team_};
  request.seed = kSeed;
  auto created = exercises.create(request);
  ASSERT_TRUE(created) << created.error().message;
  const auto deadline = std::chrono::steady_clock::now() + kProvisionBudget;
  for (;;) {
    auto e = exercises.get(exercise_);
    ASSERT_TRUE(e) << e.error().message;
    if (e->state == client::ExerciseState::ready) return;
    ASSERT_NE(e->state, client::ExerciseState::failed) << e->detail;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << exercise_ << " was not ready after 20 minutes (state " << static_cast<int>(e->state)
        << ")";
    std::this_thread::sleep_for(1s);
  }
}

// EndExercise through the daemon (restarted if the test left none running), else
// straight through libvirt; the daemon then stops with SIGTERM and must exit cleanly.
void LiveExerciseTest::end_exercise() {
  if (!daemon_running()) {
    daemon_.reset();
    start_daemon();
  }
  bool ended = false;
  if (daemon_running()) {
    auto end = client::ExerciseClient(instructor(std::chrono::minutes(10))).end(exercise_);
    // A test that creates its exercises itself may never have created this one.
    if (!create_in_setup_ && !end && end.error().code == ErrorCode::not_found) {
      EXPECT_EQ(daemon_->stop(15s), 0) << "cyranged did not stop cleanly on SIGTERM";
      return;
    }
    EXPECT_TRUE(end) << "EndExercise failed: " << end.error().message;
    ended = end && end->state == client::ExerciseState::ended;
    EXPECT_TRUE(!end || ended) << "EndExercise left " << exercise_ << " in state "
                               << static_cast<int>(end->state);
    EXPECT_EQ(daemon_->stop(15s), 0) << "cyranged did not stop cleanly on SIGTERM";
  }
  if (!ended) {
    auto removed = remove_directly(exercise_);
    EXPECT_TRUE(removed) << removed.error().message;
  }
}

std::string LiveExerciseTest::query(const std::string& sql) const { return db_->query_one(sql); }

std::map<std::int64_t, ExecutionRow> LiveExerciseTest::executions() const {
  const std::string text = query(
      "SELECT string_agg(concat_ws('|', id, item_id, state, coalesce(definition->>'kind', ''), "
      "coalesce(definition->>'type', ''), coalesce(definition->>'target', ''), attempts, "
      "coalesce(fired_at::text, ''), coalesce(finished_at::text, '')), E'\\n' ORDER BY id) "
      "FROM timeline_executions WHERE exercise_id = '" +
      exercise_ + "'");
  std::map<std::int64_t, ExecutionRow> rows;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> f;
    std::istringstream fields(line);
    for (std::string field; std::getline(fields, field, '|');) f.push_back(field);
    f.resize(9);
    ExecutionRow row{std::stoll(f[0]), f[1], f[2], f[3], f[4], f[5], std::stoi(f[6]), f[7], f[8]};
    rows[row.id] = row;
  }
  return rows;
}

}  // namespace cyrange::reliability
