#include <orchestrator/exercise/terminal.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include <orchestrator/common/log.h>
#include <orchestrator/range/naming.h>

namespace cyrange::exercise {

// Terminals open per user (TerminalLimits::max_per_user); shared with the sessions,
// which give their place back when they close.
struct UserTerminals {
  std::mutex mu;
  std::map<std::int64_t, int> open;
  void release(std::int64_t user_id) {
    std::lock_guard lock(mu);
    if (auto it = open.find(user_id); it != open.end() && --it->second <= 0) open.erase(it);
  }
};

// Writes terminal chunks on its own thread, batched, so that keystrokes and output
// never wait for PostgreSQL. Sequence numbers are assigned here, per session.
class TerminalRecorder {
 public:
  TerminalRecorder(std::shared_ptr<RangeRegistry> registry, std::shared_ptr<TerminalFlow> flow)
      : registry_(std::move(registry)), flow_(std::move(flow)), worker_([this] { run(); }) {}

  ~TerminalRecorder() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    worker_.join();
  }

  // A session stores at most max_bytes_ of data; what comes after is not stored, and one
  // marker chunk says so (a guest printing without end must not fill the database).
  void append(std::int64_t session, TerminalChunk chunk) {
    std::lock_guard lock(mu_);
    if (truncated_.count(session)) return;
    auto& used = stored_bytes_[session];
    if (used + chunk.data.size() > max_bytes_) {
      truncated_.insert(session);
      ++flow_->truncated_recordings;
      chunk.direction = 'o';
      const std::string bytes = std::to_string(used);
      chunk.data = kTerminalTruncatedMarker;
      chunk.data.append(bytes).append(" bytes; nothing after this point was kept / 記録は ");
      chunk.data.append(bytes).append(" バイトで打ち切られました]\r\n");
    } else {
      used += chunk.data.size();
    }
    queue_[session].push_back(std::move(chunk));
    cv_.notify_one();
  }

  void set_max_bytes(std::size_t bytes) {
    std::lock_guard lock(mu_);
    max_bytes_ = bytes;
  }

  void close(std::int64_t session) {
    std::lock_guard lock(mu_);
    closing_.push_back(session);
    cv_.notify_one();
  }

  // A trainee's session: its chunks are stored only while `consent` still says
  // yes, asked at every flush (a cache answers it, see privacy::ConsentCache).
  void watch_consent(std::int64_t session, std::int64_t user_id, std::string exercise,
                     RecordingConsent consent) {
    std::lock_guard lock(mu_);
    consent_of_[session] = {user_id, std::move(exercise), std::move(consent)};
  }

 private:
  void run() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait_for(lock, std::chrono::milliseconds(100),
                   [&] { return stop_ || !closing_.empty(); });
      auto batch = std::move(queue_);
      queue_.clear();
      auto closing = std::move(closing_);
      closing_.clear();
      bool stop = stop_;
      lock.unlock();
      for (auto& [session, chunks] : batch) {
        if (!still_consented(session)) continue;
        int first = next_seq_[session];
        next_seq_[session] += static_cast<int>(chunks.size());
        if (auto s = registry_->append_terminal_chunks(session, first, chunks); !s)
          cyrange::log::get("terminal")
              ->error("terminal session {}: {}", session, s.error().message);
      }
      for (auto session : closing) {
        if (auto s = registry_->close_terminal(session); !s)
          cyrange::log::get("terminal")
              ->error("terminal session {}: {}", session, s.error().message);
        next_seq_.erase(session);
        std::lock_guard consent_lock(mu_);
        consent_of_.erase(session);
        stored_bytes_.erase(session);
        truncated_.erase(session);
      }
      lock.lock();
      if (stop && queue_.empty() && closing_.empty()) return;
    }
  }

  struct Watched {
    std::int64_t user_id = 0;
    std::string exercise;
    RecordingConsent consent;
    bool stopped = false;
  };

  // Worker thread only (consent_of_ under mu_).
  bool still_consented(std::int64_t session) {
    Watched watched;
    {
      std::lock_guard lock(mu_);
      auto it = consent_of_.find(session);
      if (it == consent_of_.end()) return true;  // an instructor's terminal
      if (it->second.stopped) return false;
      watched = it->second;
    }
    auto allowed = watched.consent(watched.user_id, watched.exercise);
    if (allowed && *allowed) return true;
    // Withdrawn (its rows are deleted already) or unknowable: store no more of it.
    cyrange::log::get("terminal")
        ->info("terminal session {}: recording stopped: {}", session,
               allowed ? "the trainee withdrew the scoring consent" : allowed.error().message);
    std::lock_guard lock(mu_);
    consent_of_[session].stopped = true;
    return false;
  }

  std::shared_ptr<RangeRegistry> registry_;
  std::shared_ptr<TerminalFlow> flow_;
  std::map<std::int64_t, std::size_t> stored_bytes_;  // under mu_
  std::set<std::int64_t> truncated_;                  // under mu_
  std::size_t max_bytes_ = TerminalLimits{}.max_recorded_bytes;
  std::map<std::int64_t, Watched> consent_of_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::int64_t, std::vector<TerminalChunk>> queue_;
  std::vector<std::int64_t> closing_;
  std::map<std::int64_t, int> next_seq_;  // worker thread only
  bool stop_ = false;
  std::thread worker_;
};

namespace {

std::int64_t micros_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               start)
      .count();
}

Error not_found(const std::string& what) { return make_error(ErrorCode::not_found, what); }

}  // namespace

TerminalSession::TerminalSession(std::int64_t id, std::shared_ptr<TerminalRecorder> recorder)
    : id_(id), recorder_(std::move(recorder)) {}

TerminalSession::~TerminalSession() { close(); }

void TerminalSession::record(char direction, std::string_view data) {
  if (!recorded()) return;
  recorder_->append(id_, {micros_since(started_), direction, std::string(data)});
}

Status TerminalSession::write(std::string_view bytes) {
  if (closed_) return make_error(ErrorCode::failed_precondition, "The terminal is closed.");
  std::string recordable;
  secrets_->input(micros_since(started_), bytes,
                  [&](std::int64_t at_us, char direction, std::string_view data) {
                    if (direction == 'i') recordable = data;
                    if (recorded()) recorder_->append(id_, {at_us, direction, std::string(data)});
                  });
  if (typed_sink_ && *typed_sink_)
    for (const auto& line : typed_.feed(recordable)) (*typed_sink_)(exercise_, team_, host_, line);
  return console_->write(bytes);
}

void TerminalSession::resize(int cols, int rows) {
  record('r', std::to_string(cols) + "x" + std::to_string(rows));
}

void TerminalSession::set_output_paused(bool paused) {
  if (console_ && !closed_) console_->set_output_paused(paused);
}

void TerminalSession::close() {
  if (closed_.exchange(true)) return;
  if (console_) console_->close();
  if (recorded()) {
    // Output still held back for a line being typed is recorded before the end.
    secrets_->finish([&](std::int64_t at_us, char direction, std::string_view data) {
      recorder_->append(id_, {at_us, direction, std::string(data)});
    });
    recorder_->close(id_);
  }
  if (counted_) counted_->release(user_id_);
}

TerminalBroker::TerminalBroker(range::Hypervisor& hv, std::shared_ptr<RangeRegistry> registry)
    : hv_(hv),
      registry_(registry),
      recorder_(std::make_shared<TerminalRecorder>(registry, flow_)),
      open_by_user_(std::make_shared<UserTerminals>()) {}

TerminalBroker::~TerminalBroker() = default;

Expected<std::unique_ptr<TerminalSession>> TerminalBroker::open(const identity::Identity& caller,
                                                                const TerminalRequest& request,
                                                                range::ConsoleOutput on_output,
                                                                range::ConsoleClosed on_closed) {
  using identity::Role;
  std::string team = request.team;
  if (Status scope = identity::check_exercise_scope(caller, request.exercise); !scope)
    return scope.error();
  if (caller.role == Role::trainee) {
    if (!caller.team_id)
      return make_error(ErrorCode::permission_denied,
                        "Trainee '" + caller.name + "' belongs to no team.");
    auto own = registry_->team_name(*caller.team_id);
    if (!own) return own.error();
    if (!team.empty() && team != *own)
      return make_error(ErrorCode::permission_denied,
                        "Trainee '" + caller.name + "' plays in team '" + *own +
                            "' and cannot open a terminal in team '" + team +
                            "'. 他のチームの端末は開けません。");
    team = *own;
  } else if (caller.role != Role::instructor && caller.role != Role::admin) {
    return make_error(ErrorCode::permission_denied,
                      "Only trainees and instructors open range terminals; '" + caller.name +
                          "' is " + std::string(identity::to_string(caller.role)) +
                          ". 端末を開く権限がありません。");
  } else if (team.empty()) {
    return make_error(ErrorCode::invalid_argument, "Name the team whose terminal to open.");
  }
  if (request.cols <= 0 || request.rows <= 0 || request.cols > 1000 || request.rows > 1000)
    return make_error(ErrorCode::invalid_argument, "A terminal needs 1-1000 columns and rows.");

  // A trainee hears the same of another team's exercise as of no exercise at all.
  const bool trainee = caller.role == Role::trainee;
  auto exercise = registry_->exercise(request.exercise);
  if (!exercise || exercise->state == kStateEnded) {
    if (trainee) return identity::exercise_not_found(caller, request.exercise);
    return not_found("Exercise '" + request.exercise +
                     "' has no live range. 演習が見つかりません。");
  }
  auto specs = registry_->team_specs(request.exercise);
  if (!specs) return specs.error();
  const range::RangeSpec* spec = nullptr;
  for (const auto& s : *specs)
    if (s.team == team) spec = &s;
  if (!spec) {
    if (trainee) return identity::exercise_not_found(caller, request.exercise);
    return not_found("Exercise '" + request.exercise + "' has no range for team '" + team + "'.");
  }
  const range::HostSpec* host = nullptr;
  for (const auto& h : spec->hosts)
    if (h.name == request.host) host = &h;
  if (!host || !host->trainee_terminal)
    return not_found("Team '" + team + "' has no host '" + request.host +
                     "' with a trainee terminal. この端末は利用できません。");

  // One place per open terminal: a user cannot tie up the daemon with console streams.
  {
    std::lock_guard lock(open_by_user_->mu);
    int& open = open_by_user_->open[caller.user_id];
    if (open >= limits_.max_per_user) {
      ++flow_->refused_over_limit;
      const std::string most = std::to_string(limits_.max_per_user);
      return make_error(ErrorCode::resource_exhausted,
                        "'" + caller.name + "' has " + most +
                            " terminals open, the most one person may have; close one and open "
                            "this one again. 同時に開ける端末は " +
                            most + " 個までです。ほかの端末を閉じてから開き直してください。");
    }
    ++open;
  }
  auto counted = open_by_user_;
  std::int64_t counted_user = caller.user_id;
  std::unique_ptr<UserTerminals, std::function<void(UserTerminals*)>> place(
      counted.get(), [counted_user](UserTerminals* users) { users->release(counted_user); });

  // A trainee who has not agreed to recording still gets the terminal: the consent
  // text promises that taking part does not depend on it, and an exercise a
  // trainee cannot play is no choice. So nothing is recorded (not even that the
  // terminal was opened), and the client is told (TerminalOpened.recorded).
  bool record = true;
  if (caller.role == Role::trainee && consent_) {
    auto allowed = consent_(caller.user_id, request.exercise);
    if (!allowed) return allowed.error();
    record = *allowed;
  }
  Expected<std::int64_t> id = std::int64_t{0};
  if (record)
    id = registry_->open_terminal(request.exercise, team, host->name, caller.user_id, request.cols,
                                  request.rows);
  if (!id) return id.error();
  if (record && caller.role == Role::trainee && consent_)
    recorder_->watch_consent(*id, caller.user_id, request.exercise, consent_);
  std::unique_ptr<TerminalSession> session(new TerminalSession(*id, recorder_));
  session->counted_ = std::move(counted);  // the session gives the place back from now on
  session->user_id_ = counted_user;
  place.release();
  session->exercise_ = request.exercise;
  session->team_ = team;
  session->host_ = host->name;
  {
    std::lock_guard lock(typed_mutex_);
    session->typed_sink_ = typed_sink_;
  }
  auto recorder = recorder_;
  auto started = session->started_;
  auto secrets = session->secrets_;
  std::int64_t sid = *id;
  auto console = hv_.open_console(
      range::domain_object_name(*spec, *host),
      [recorder, started, sid, secrets, on_output = std::move(on_output)](std::string_view bytes) {
        secrets->output(micros_since(started), bytes,
                        [&](std::int64_t at_us, char direction, std::string_view data) {
                          if (sid != 0)
                            recorder->append(sid, {at_us, direction, std::string(data)});
                        });
        if (on_output) on_output(bytes);
      },
      std::move(on_closed));
  if (!console) {
    session->close();  // ends the recording and gives the user's place back
    return console.error();
  }
  session->console_ = std::move(*console);
  cyrange::log::get("terminal")
      ->info("terminal {} opened by '{}' on {}/{}/{}{}", sid, caller.name, request.exercise, team,
             host->name, record ? "" : " (not recorded: no scoring consent)");
  return session;
}

void TerminalBroker::require_consent(RecordingConsent consent) { consent_ = std::move(consent); }

void TerminalBroker::set_limits(const TerminalLimits& limits) {
  limits_ = limits;
  recorder_->set_max_bytes(limits.max_recorded_bytes);
}

void TerminalBroker::on_typed_line(TypedLineSink sink) {
  std::lock_guard lock(typed_mutex_);
  typed_sink_ = std::make_shared<const TypedLineSink>(std::move(sink));
}

Expected<std::vector<RangeInfo>> TerminalBroker::list_ranges(const identity::Identity& caller) {
  std::string only_team;
  if (caller.role == identity::Role::trainee) {
    if (!caller.team_id) return std::vector<RangeInfo>{};
    auto own = registry_->team_name(*caller.team_id);
    if (!own) return own.error();
    only_team = *own;
  }
  auto exercises = registry_->exercises(/*include_ended=*/false);
  if (!exercises) return exercises.error();
  std::vector<RangeInfo> out;
  for (const auto& e : *exercises) {
    if (!identity::in_exercise_scope(caller, e.id)) continue;
    auto specs = registry_->team_specs(e.id);
    if (!specs) return specs.error();
    for (const auto& spec : *specs) {
      if (!only_team.empty() && spec.team != only_team) continue;
      RangeInfo info{e.id, e.state, spec.team, {}};
      for (const auto& h : spec.hosts) {
        // A trainee sees the hosts it may open and nothing else: the roles and the other
        // hosts (the attacker's C2 and its address) are what the exercise asks them to find.
        if (!only_team.empty() && !h.trainee_terminal) continue;
        RangeHostInfo hi{
            h.name, only_team.empty() ? h.role : std::string(), {}, h.trainee_terminal};
        for (const auto& n : h.nics) hi.addresses.push_back(n.network + ":" + n.address);
        info.hosts.push_back(std::move(hi));
      }
      out.push_back(std::move(info));
    }
  }
  return out;
}

namespace {

// Length of the longest prefix of `s` that does not end inside a UTF-8 sequence.
std::size_t complete_utf8_prefix(const std::string& s) {
  std::size_t n = s.size();
  for (std::size_t back = 1; back <= 3 && back <= n; ++back) {
    unsigned char c = static_cast<unsigned char>(s[n - back]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte: look further back
    std::size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

}  // namespace

Expected<std::string> export_asciicast(RangeRegistry& registry, std::int64_t session_id) {
  auto rec = registry.terminal_recording(session_id);
  if (!rec) return rec.error();
  nlohmann::json header = {{"version", 2},
                           {"width", rec->width},
                           {"height", rec->height},
                           {"timestamp", rec->started_unix},
                           {"title", rec->exercise + "/" + rec->team + "/" + rec->host}};
  std::string out = header.dump() + "\n";
  // A character split across two chunks is carried over, so it is not replaced.
  std::map<char, std::string> carry;
  for (const auto& c : rec->chunks) {
    std::string data = carry[c.direction] + c.data;
    std::size_t keep = c.direction == 'r' ? data.size() : complete_utf8_prefix(data);
    carry[c.direction] = data.substr(keep);
    data.resize(keep);
    if (data.empty()) continue;
    nlohmann::json event = nlohmann::json::array(
        {static_cast<double>(c.offset_us) / 1e6, std::string(1, c.direction), data});
    out += event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return out;
}

}  // namespace cyrange::exercise
