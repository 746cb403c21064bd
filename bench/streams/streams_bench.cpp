// `cyrange bench streams`: many concurrent recorder clients against ONE real cyranged.
// cyranged runs as a child process on a scratch database; every client is a trainee
// of its own with its own token, client id, stream and sequence space. Each sends its
// first batch, and the rest only once EVERY client has had its first batch
// acknowledged: at that moment all streams are open on the server at once. Clients
// resend after their last acknowledgement when a stream breaks, as the client
// library does. Lost and duplicated events are counted in PostgreSQL against what
// the clients sent; the memory is cyranged's peak resident set (VmHWM).
#include <bench/streams/streams_bench.h>

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include <cyrange/v1/recorder.grpc.pb.h>

#include <orchestrator/daemon/daemon_process.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::bench {
namespace {

namespace v1 = cyrange::v1;
using Clock = std::chrono::steady_clock;
constexpr const char* kExercise = "bench-streams";
constexpr std::size_t kTeams = 100;
constexpr std::size_t kWindowBatches = 4;  // batches a client has unacknowledged at most
constexpr int kMaxAttempts = 20;

class Stream;

// What the whole fleet shares: the release of the second phase and the end.
struct Fleet {
  std::mutex mu;
  std::condition_variable cv;
  std::size_t first_acks = 0;
  std::size_t finished = 0;
  std::size_t open = 0;
  std::size_t peak_open = 0;
  std::atomic<bool> released{false};
  std::vector<std::size_t> retry;  // clients whose stream broke before all was acked
  std::vector<Stream*> streams;    // each client's open stream; null once it ended
  std::size_t failed = 0;          // clients that gave up
  std::string last_error;
};

struct ClientState {
  std::string token;
  std::string client_id;
  std::uint64_t acked = 0;
  bool first_ack = false;
  int attempts = 0;
};

// One stream of one client. Writes start from the reactor's own callbacks, or from
// the releasing thread (resume), so a hold keeps the call open until writes end.
class Stream final : public grpc::ClientBidiReactor<v1::RecordBatch, v1::RecordAck> {
 public:
  Stream(Fleet& fleet, ClientState& client, std::size_t index, const StreamsBenchOptions& options)
      : fleet_(fleet), client_(client), index_(index), options_(options) {}

  void start(v1::RecorderService::Stub& stub) {
    ctx_.AddMetadata("authorization", "Bearer " + client_.token);
    ctx_.set_wait_for_ready(true);
    stub.async()->Record(&ctx_, this);
    next_ = client_.acked + 1;
    {
      std::lock_guard lock(fleet_.mu);
      fleet_.peak_open = std::max(fleet_.peak_open, ++fleet_.open);
    }
    AddHold();
    StartRead(&ack_);
    std::unique_lock lock(mu_);
    maybe_write(lock);
    lock.unlock();
    StartCall();
  }

  // The second phase began: send what the first-ack gate held back.
  void resume() {
    std::unique_lock lock(mu_);
    maybe_write(lock);
  }

  void OnWriteDone(bool ok) override {
    std::unique_lock lock(mu_);
    writing_ = false;
    if (!ok) {
      release_hold(lock);
      return;
    }
    maybe_write(lock);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      std::unique_lock lock(mu_);
      release_hold(lock);
      return;
    }
    bool first = false;
    {
      std::unique_lock lock(mu_);
      client_.acked = std::max(client_.acked, ack_.committed_seq());
      first = !client_.first_ack;
      client_.first_ack = true;
      maybe_write(lock);
    }
    if (first) {
      std::lock_guard lock(fleet_.mu);
      ++fleet_.first_acks;
      fleet_.cv.notify_all();
    }
    StartRead(&ack_);
  }

  void OnDone(const grpc::Status& status) override {
    {
      std::lock_guard lock(fleet_.mu);
      --fleet_.open;
      fleet_.streams[index_] = nullptr;
      if (client_.acked >= options_.events_per_client) {
        ++fleet_.finished;
      } else if (++client_.attempts < kMaxAttempts) {
        fleet_.retry.push_back(index_);
      } else {
        ++fleet_.failed;
        fleet_.last_error = status.error_message();
      }
      fleet_.cv.notify_all();
    }
    delete this;
  }

 private:
  // Under mu_: the next batch if the window and the phase allow, or the half-close.
  void maybe_write(std::unique_lock<std::mutex>& lock) {
    if (writing_ || hold_released_) return;
    const std::uint64_t total = options_.events_per_client;
    if (client_.acked >= total) {
      writing_ = true;
      hold_released_ = true;
      lock.unlock();
      StartWritesDone();
      RemoveHold();
      lock.lock();
      return;
    }
    if (next_ > total) return;
    if (next_ > 1 && !fleet_.released.load()) return;  // the first batch only, until all ack
    if (next_ - 1 - client_.acked >= kWindowBatches * options_.batch_events) return;
    const std::uint64_t count = std::min<std::uint64_t>(options_.batch_events, total - next_ + 1);
    batch_.Clear();
    batch_.set_client_id(client_.client_id);
    batch_.set_first_seq(next_);
    for (std::uint64_t i = 0; i < count; ++i) {
      auto* e = batch_.add_events();
      const std::uint64_t seq = next_ + i;
      e->set_exercise_id(kExercise);
      e->set_monotonic_ns(static_cast<std::int64_t>(seq) * 1000000);
      e->set_wall_unix_us(1714555800000000 + static_cast<std::int64_t>(seq) * 1000);
      e->mutable_key()->set_key(std::string(1, static_cast<char>('a' + seq % 26)));
      e->mutable_key()->set_text(e->key().key());
    }
    next_ += count;
    writing_ = true;
    lock.unlock();
    StartWrite(&batch_);
    lock.lock();
  }

  void release_hold(std::unique_lock<std::mutex>& lock) {
    if (hold_released_) return;
    hold_released_ = true;
    lock.unlock();
    RemoveHold();
    lock.lock();
  }

  Fleet& fleet_;
  ClientState& client_;
  const std::size_t index_;
  const StreamsBenchOptions& options_;
  grpc::ClientContext ctx_;
  std::mutex mu_;
  v1::RecordBatch batch_;
  v1::RecordAck ack_;
  std::uint64_t next_ = 1;
  bool writing_ = false;
  bool hold_released_ = false;
};

// Raises the soft limit of open files to the hard one; cyranged inherits it.
std::uint64_t raise_fd_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  limit.rlim_cur = limit.rlim_max;
  (void)setrlimit(RLIMIT_NOFILE, &limit);
  getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

double peak_rss_mib(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

Expected<std::vector<ClientState>> make_trainees(const std::string& uri, std::size_t clients) {
  auto opened = identity::PgIdentityStore::open(uri);
  if (!opened) return opened.error();
  auto& ids = **opened;
  std::vector<ClientState> states(clients);
  char name[32];
  for (std::size_t i = 0; i < clients; ++i) {
    std::snprintf(name, sizeof name, "s%05zu", i);
    char team[16];
    std::snprintf(team, sizeof team, "t%03zu", i % kTeams);
    if (auto added = ids.add_user({name, identity::Role::trainee, team, "", ""}); !added)
      return added.error();
    auto token = ids.issue_token(name, std::chrono::hours(2));
    if (!token) return token.error();
    states[i].token = token->token;
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012zx", i + 1);
    states[i].client_id = uuid;
  }
  return states;
}

}  // namespace

Expected<StreamsBenchResult> run_streams_bench(const StreamsBenchOptions& options,
                                               std::ostream& out) {
  if (options.clients == 0 || options.events_per_client == 0 || options.batch_events == 0)
    return make_error(ErrorCode::invalid_argument,
                      "--clients, --events and --batch must each be at least 1.");
  const std::size_t channels =
      options.channels == 0 ? options.clients : std::min(options.channels, options.clients);
  const std::uint64_t fds = raise_fd_limit();
  if (fds < 2 * channels + 256)
    out << "warning: only " << fds << " open files allowed; " << channels
        << " connections may not fit. Raise `ulimit -n` or pass --channels.\n";
  std::unique_ptr<store::testing::TempDatabase> db;
  try {
    db = std::make_unique<store::testing::TempDatabase>();
  } catch (const std::exception& e) {
    return make_error(ErrorCode::unavailable, e.what());
  }
  out << "bench streams: scratch database " << db->name() << ", " << options.clients
      << " trainees in " << std::min(kTeams, options.clients) << " teams\n";
  auto trainees = make_trainees(db->uri(), options.clients);
  if (!trainees) return trainees.error();
  std::vector<ClientState>& clients = *trainees;
  db->query_one("INSERT INTO exercises (id, scenario_id, scenario_hash, state) VALUES ('" +
                std::string(kExercise) +
                "', 'bench', '-', 'running');"
                "INSERT INTO exercise_teams SELECT '" +
                kExercise +
                "', id FROM teams;"
                "INSERT INTO consents (user_id, exercise_id, purpose, version) SELECT id, '" +
                kExercise +
                "', 'scoring', (SELECT max(version) FROM consent_texts WHERE purpose = "
                "'scoring') FROM users WHERE role = 'trainee'");

  const auto log_file =
      std::filesystem::temp_directory_path() / ("cyrange-bench-streams-" + db->name() + ".log");
  auto daemon = daemon::DaemonProcess::spawn(
      daemon::find_daemon_binary(),
      {"--db", db->uri(), "--listen", "127.0.0.1:0", "--plaintext", "--libvirt-uri", "none"},
      log_file);
  if (!daemon) return daemon.error();
  auto address = daemon->wait_listening(std::chrono::seconds(60));
  if (!address) return address.error();
  out << "cyranged pid " << daemon->pid() << " serves " << *address << " (log " << log_file.string()
      << ")\n";

  std::vector<std::unique_ptr<v1::RecorderService::Stub>> stubs;
  for (std::size_t c = 0; c < channels; ++c) {
    grpc::ChannelArguments args;
    args.SetInt("cyrange.bench.channel", static_cast<int>(c));  // its own TCP connection
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    stubs.push_back(v1::RecorderService::NewStub(
        grpc::CreateCustomChannel(*address, grpc::InsecureChannelCredentials(), args)));
  }
  out << options.clients << " clients, each its own trainee, token, client id, stream and "
      << "sequence space, over " << channels << " TCP connections ("
      << (channels == options.clients
              ? "one per client"
              : "streams multiplexed, about " + std::to_string(options.clients / channels) +
                    " per connection")
      << ")\n";

  Fleet fleet;
  fleet.streams.assign(options.clients, nullptr);
  const auto open_stream = [&](std::size_t i) {
    auto* stream = new Stream(fleet, clients[i], i, options);
    {
      std::lock_guard guard(fleet.mu);
      fleet.streams[i] = stream;
    }
    stream->start(*stubs[i % channels]);
  };
  const auto started = Clock::now();
  for (std::size_t i = 0; i < options.clients; ++i) open_stream(i);
  const auto deadline = started + std::chrono::minutes(10);
  std::unique_lock lock(fleet.mu);
  bool released = false;
  std::size_t open_at_release = 0;
  for (;;) {
    fleet.cv.wait_until(lock, deadline, [&] {
      return !fleet.retry.empty() || fleet.finished + fleet.failed == options.clients ||
             (!released && fleet.first_acks == options.clients);
    });
    if (Clock::now() >= deadline) break;
    if (!released && fleet.first_acks == options.clients) {
      released = true;
      open_at_release = fleet.open;
      fleet.released = true;
      out << "all " << options.clients << " streams acknowledged their first batch after "
          << std::chrono::duration<double>(Clock::now() - started).count() << " s; "
          << open_at_release << " open at once\n";
      lock.unlock();
      // A stream may have ended meanwhile (and deleted itself): only resume open ones.
      // Lock order: fleet.mu, then a stream's own; OnDone waits for fleet.mu.
      for (std::size_t i = 0; i < options.clients; ++i) {
        std::lock_guard guard(fleet.mu);
        if (fleet.streams[i] != nullptr) fleet.streams[i]->resume();
      }
      lock.lock();
    }
    auto retry = std::move(fleet.retry);
    fleet.retry.clear();
    if (!retry.empty()) {
      lock.unlock();
      for (std::size_t i : retry) open_stream(i);
      lock.lock();
    }
    if (fleet.finished + fleet.failed == options.clients) break;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  const bool complete = fleet.finished == options.clients;
  lock.unlock();

  StreamsBenchResult result;
  result.clients = options.clients;
  result.channels = channels;
  result.peak_open_streams = std::max(fleet.peak_open, open_at_release);
  result.events_sent = options.clients * options.events_per_client;
  result.seconds = seconds;
  result.rss_mib = peak_rss_mib(daemon->pid());
  const std::string stored = db->query_one("SELECT count(*) FROM recorder_events");
  const std::string distinct = db->query_one(
      "SELECT count(*) FROM (SELECT DISTINCT client_id, seq FROM recorder_events WHERE seq "
      "BETWEEN 1 AND " +
      std::to_string(options.events_per_client) + ") d");
  const std::uint64_t stored_n = std::stoull(stored), distinct_n = std::stoull(distinct);
  result.lost = result.events_sent - std::min<std::uint64_t>(distinct_n, result.events_sent);
  result.duplicated = stored_n - distinct_n;
  daemon->stop(std::chrono::seconds(10));
  if (!complete) {
    return make_error(ErrorCode::unavailable,
                      std::to_string(options.clients - fleet.finished) + " of " +
                          std::to_string(options.clients) +
                          " clients were not fully acknowledged within 10 minutes (last error: " +
                          fleet.last_error + "); see " + log_file.string() + ".");
  }
  out << result.events_sent << " events acknowledged in " << seconds << " s ("
      << static_cast<double>(result.events_sent) / seconds << " events/s), peak "
      << result.peak_open_streams << " streams open at once\n";
  return result;
}

std::string summary_line(const StreamsBenchResult& r) {
  char line[200];
  std::snprintf(line, sizeof line,
                "streams: clients=%zu events=%llu lost=%llu dup=%llu rss_mib=%.0f", r.clients,
                static_cast<unsigned long long>(r.events_sent),
                static_cast<unsigned long long>(r.lost),
                static_cast<unsigned long long>(r.duplicated), r.rss_mib);
  return line;
}

}  // namespace cyrange::bench
