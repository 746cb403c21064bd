#include <orchestrator/rpc/range_service.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <orchestrator/exercise/terminal_archive.h>
#include <orchestrator/rpc/queued_writer.h>
#include <orchestrator/rpc/range_terminal_reactor.h>

namespace cyrange::rpc {

namespace v1 = cyrange::v1;

namespace {

Error unavailable() {
  return make_error(
      ErrorCode::unavailable,
      "This cyranged runs without libvirt, so it has no ranges; start it with a reachable "
      "--libvirt-uri. 演習環境の機能が無効です。");
}

bool is_staff(const identity::Identity& caller) {
  return caller.role == identity::Role::instructor || caller.role == identity::Role::admin;
}

void fill(const exercise::TerminalSessionRow& row, v1::TerminalRecording& out) {
  out.set_session_id(row.id);
  out.set_exercise_id(row.exercise);
  out.set_team(row.team);
  out.set_host(row.host);
  out.set_user(row.user_name);
  out.mutable_size()->set_cols(static_cast<std::uint32_t>(row.width));
  out.mutable_size()->set_rows(static_cast<std::uint32_t>(row.height));
  out.set_started_at_ms(row.started_unix_ms);
  out.set_ended_at_ms(row.ended_unix_ms);
  out.set_duration_ms(row.duration_us / 1000);
  out.set_bytes(row.bytes);
  out.set_truncated(row.truncated);
}

void fill(const exercise::TerminalWatch& w, v1::TerminalWatch& out) {
  out.set_watch_id(w.id);
  out.set_exercise_id(w.exercise);
  out.set_team(w.team);
  out.set_instructor(w.instructor);
  out.set_state(std::string(exercise::to_string(w.state)));
  out.set_answered_by(w.answered_by);
  out.set_ended_by(w.ended_by);
  out.set_changed_at_ms(w.changed_unix_ms);
}

v1::TerminalWatches to_proto(const exercise::TerminalWatchUpdate& update) {
  v1::TerminalWatches out;
  for (const auto& w : update.open) fill(w, *out.add_open());
  if (update.changed) fill(*update.changed, *out.mutable_changed());
  return out;
}

// One FollowWatches stream: every update of the team's watch requests, the first being
// the state when it opened. Each message is the whole state, so nothing needs merging.
class WatchFollower final : public QueuedWriter<v1::TerminalWatches> {
 public:
  explicit WatchFollower(std::shared_ptr<exercise::TerminalWatchDesk> desk)
      : QueuedWriter(100, "The watch-request follower fell too far behind; follow again."),
        desk_(std::move(desk)) {}

  void start(const std::string& exercise, const std::string& team) {
    subscription_ = desk_->subscribe(
        exercise, team, [this](const exercise::TerminalWatchUpdate& u) { push(to_proto(u)); });
    ready({});
  }

  void OnDone() override {
    if (subscription_) desk_->unsubscribe(subscription_);
    delete this;
  }

 private:
  std::shared_ptr<exercise::TerminalWatchDesk> desk_;
  exercise::TerminalWatchDesk::SubscriptionId subscription_ = 0;
};

template <class Response>
class RejectWriter final : public grpc::ServerWriteReactor<Response> {
 public:
  explicit RejectWriter(grpc::Status status) { this->Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

// Streams range_progress rows as they change. A poller thread reads PostgreSQL
// (the provisioning may run in another process) and hands events to the reactor;
// the reactor writes one at a time. The thread is woken and joined in OnDone.
class ProgressWriter final : public grpc::ServerWriteReactor<v1::ProvisioningEvent> {
 public:
  ProgressWriter(std::shared_ptr<exercise::RangeRegistry> registry, std::string exercise)
      : registry_(std::move(registry)),
        exercise_(std::move(exercise)),
        poller_([this] { poll(); }) {}

  /// Keeps the stream under the token re-check until OnDone deletes the writer.
  void hold(StreamLease lease) { lease_ = std::move(lease); }

  void OnWriteDone(bool ok) override {
    std::unique_lock lock(mu_);
    writing_ = false;
    if (!ok) stop_ = true;
    next(lock);
  }

  void OnCancel() override {
    std::unique_lock lock(mu_);
    stop_ = true;
    cv_.notify_all();
    // Cancelled between two writes, nothing else would finish the stream, and the
    // server's shutdown would wait for it forever.
    next(lock);
  }

  void OnDone() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
      cv_.notify_all();
    }
    poller_.join();
    delete this;
  }

 private:
  void poll() {
    std::int64_t version = 0;
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      auto rows = registry_->progress_since(exercise_, version);
      auto exercise = registry_->exercise(exercise_);
      lock.lock();
      if (!rows || !exercise) {
        done_ = to_grpc(!rows ? rows.error() : exercise.error());
        next(lock);
        return;
      }
      for (const auto& r : *rows) {
        version = std::max(version, r.version);
        if (!r.host.empty()) host_states_[{r.team, r.host}] = r.state;
        v1::ProvisioningEvent e;
        e.set_exercise_id(exercise_);
        e.set_team(r.team);
        e.set_host(r.host);
        e.set_state(r.state);
        e.set_percent(r.percent);
        e.set_message(r.message);
        queue_.push_back(std::move(e));
      }
      // A ready exercise may have a team's range being reset: its hosts are still on the way.
      const bool hosts_on_the_way =
          exercise->state == exercise::kStateReady &&
          std::any_of(host_states_.begin(), host_states_.end(),
                      [](const auto& h) { return h.second != "ready" && h.second != "failed"; });
      if (rows->empty() && exercise->state != exercise::kStateProvisioning && !hosts_on_the_way) {
        done_ = grpc::Status::OK;  // provisioning (or a reset) is over and everything was sent
        next(lock);
        return;
      }
      next(lock);
      cv_.wait_for(lock, std::chrono::milliseconds(300), [&] { return stop_; });
    }
  }

  // Starts the next write, or finishes once everything queued is written; mu_ held.
  void next(std::unique_lock<std::mutex>& lock) {
    if (writing_ || finished_) return;
    if (!queue_.empty() && !stop_) {
      current_ = std::move(queue_.front());
      queue_.pop_front();
      writing_ = true;
      lock.unlock();
      StartWrite(&current_);
      lock.lock();
      return;
    }
    if (done_ || stop_) {
      finished_ = true;
      auto status = done_ ? *done_ : grpc::Status::CANCELLED;
      lock.unlock();
      Finish(status);
      lock.lock();
    }
  }

  std::shared_ptr<exercise::RangeRegistry> registry_;
  std::string exercise_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<v1::ProvisioningEvent> queue_;
  std::map<std::pair<std::string, std::string>, std::string> host_states_;  // (team, host)
  v1::ProvisioningEvent current_;
  std::optional<grpc::Status> done_;
  bool writing_ = false;
  bool finished_ = false;
  bool stop_ = false;
  StreamLease lease_;
  std::thread poller_;  // last: starts once everything above exists
};

}  // namespace

RangeService::RangeService(const CallGate& gate, RangeServiceDeps deps)
    : gate_(gate),
      deps_(std::move(deps)),
      watches_(deps_.registry ? std::make_shared<exercise::TerminalWatchDesk>(deps_.registry)
                              : nullptr) {}

grpc::ServerUnaryReactor* RangeService::ListRanges(grpc::CallbackServerContext* ctx,
                                                   const v1::ListRangesRequest* request,
                                                   v1::ListRangesResponse* response) {
  return gate_.unary(
      ctx, "RangeService.ListRanges", [&](const identity::Identity& caller) -> Status {
        if (!deps_.terminals) return unavailable();
        auto ranges = deps_.terminals->list_ranges(caller);
        if (!ranges) return ranges.error();
        for (const auto& r : *ranges) {
          if (!request->exercise_id().empty() && r.exercise != request->exercise_id()) continue;
          auto* out = response->add_ranges();
          out->set_exercise_id(r.exercise);
          out->set_team(r.team);
          out->set_state(r.state);
          for (const auto& h : r.hosts) {
            auto* host = out->add_hosts();
            host->set_name(h.name);
            host->set_role(h.role);
            for (const auto& a : h.addresses) host->add_addresses(a);
            host->set_trainee_terminal(h.trainee_terminal);
          }
        }
        return Status::success();
      });
}

grpc::ServerWriteReactor<v1::ProvisioningEvent>* RangeService::WatchProvisioning(
    grpc::CallbackServerContext* ctx, const v1::WatchProvisioningRequest* request) {
  using Reject = RejectWriter<v1::ProvisioningEvent>;
  auto caller = gate_.authenticate(*ctx, "RangeService.WatchProvisioning");
  if (!caller) return new Reject(to_grpc(caller.error()));
  if (!is_staff(*caller))
    return new Reject(
        to_grpc(make_error(ErrorCode::permission_denied,
                           "Only instructors and admins watch provisioning; '" + caller->name +
                               "' is " + std::string(identity::to_string(caller->role)) + ".")));
  if (Status scope = identity::check_exercise_scope(*caller, request->exercise_id()); !scope)
    return new Reject(to_grpc(scope.error()));
  if (!deps_.registry) return new Reject(to_grpc(unavailable()));
  if (auto known = deps_.registry->exercise(request->exercise_id()); !known)
    return new Reject(to_grpc(known.error()));
  auto* writer = new ProgressWriter(deps_.registry, request->exercise_id());
  writer->hold(gate_.watch_stream(ctx));
  return writer;
}

grpc::ServerBidiReactor<v1::TerminalInput, v1::TerminalOutput>* RangeService::Terminal(
    grpc::CallbackServerContext* ctx) {
  auto caller = gate_.authenticate(*ctx, "RangeService.Terminal");
  if (!caller) return reject_terminal(to_grpc(caller.error()));
  if (!deps_.terminals) return reject_terminal(to_grpc(unavailable()));
  return make_terminal_reactor(std::move(caller).value(), deps_.terminals, gate_.watch_stream(ctx));
}

exercise::TerminalArchive RangeService::archive() const {
  return exercise::TerminalArchive(deps_.registry, deps_.terminals->recording_consent(),
                                   watches_.get());
}

grpc::ServerUnaryReactor* RangeService::ListTerminalSessions(
    grpc::CallbackServerContext* ctx, const v1::ListTerminalSessionsRequest* request,
    v1::ListTerminalSessionsResponse* response) {
  return gate_.unary(ctx, "RangeService.ListTerminalSessions",
                     [&](const identity::Identity& caller) -> Status {
                       if (!deps_.terminals || !deps_.registry) return unavailable();
                       auto rows = archive().list(caller, request->exercise_id(), request->team());
                       if (!rows) return rows.error();
                       for (const auto& row : *rows) fill(row, *response->add_sessions());
                       return Status::success();
                     });
}

grpc::ServerUnaryReactor* RangeService::ReadTerminalSession(
    grpc::CallbackServerContext* ctx, const v1::ReadTerminalSessionRequest* request,
    v1::ReadTerminalSessionResponse* response) {
  return gate_.unary(ctx, "RangeService.ReadTerminalSession",
                     [&](const identity::Identity& caller) -> Status {
                       if (!deps_.terminals || !deps_.registry) return unavailable();
                       exercise::RecordingPageRequest ask;
                       ask.session = request->session_id();
                       ask.from_seq = request->from_seq();
                       ask.max_bytes = request->max_bytes();
                       ask.include_input = request->include_input();
                       auto page = archive().read(caller, ask);
                       if (!page) return page.error();
                       fill(page->session, *response->mutable_session());
                       for (const auto& c : page->page.chunks) {
                         auto* out = response->add_chunks();
                         out->set_seq(c.seq);
                         out->set_offset_us(c.chunk.offset_us);
                         out->set_direction(std::string(1, c.chunk.direction));
                         out->set_data(c.chunk.data);
                       }
                       response->set_next_seq(page->page.next_seq);
                       response->set_complete(page->page.complete);
                       return Status::success();
                     });
}

grpc::ServerUnaryReactor* RangeService::watch_step(
    grpc::CallbackServerContext* ctx, const char* method, v1::TerminalWatch* response,
    const std::function<Expected<exercise::TerminalWatch>(const identity::Identity&)>& step) {
  return gate_.unary(ctx, method, [&](const identity::Identity& caller) -> Status {
    if (!watches_ || !deps_.terminals) return unavailable();
    auto watch = step(caller);
    if (!watch) return watch.error();
    fill(*watch, *response);
    return Status::success();
  });
}

grpc::ServerUnaryReactor* RangeService::AskToWatch(grpc::CallbackServerContext* ctx,
                                                   const v1::AskToWatchRequest* request,
                                                   v1::TerminalWatch* response) {
  return watch_step(ctx, "RangeService.AskToWatch", response, [&](const auto& caller) {
    return watches_->ask(caller, request->exercise_id(), request->team());
  });
}

grpc::ServerUnaryReactor* RangeService::AnswerWatch(grpc::CallbackServerContext* ctx,
                                                    const v1::AnswerWatchRequest* request,
                                                    v1::TerminalWatch* response) {
  return watch_step(ctx, "RangeService.AnswerWatch", response, [&](const auto& caller) {
    return watches_->answer(caller, request->watch_id(), request->accept());
  });
}

grpc::ServerUnaryReactor* RangeService::EndWatch(grpc::CallbackServerContext* ctx,
                                                 const v1::EndWatchRequest* request,
                                                 v1::TerminalWatch* response) {
  return watch_step(ctx, "RangeService.EndWatch", response,
                    [&](const auto& caller) { return watches_->end(caller, request->watch_id()); });
}

grpc::ServerWriteReactor<v1::TerminalWatches>* RangeService::FollowWatches(
    grpc::CallbackServerContext* ctx, const v1::FollowWatchesRequest* request) {
  using Reject = RejectWriter<v1::TerminalWatches>;
  auto caller = gate_.authenticate(*ctx, "RangeService.FollowWatches");
  if (!caller) return new Reject(to_grpc(caller.error()));
  if (!watches_ || !deps_.terminals) return new Reject(to_grpc(unavailable()));
  auto team = watches_->followable_team(*caller, request->exercise_id(), request->team());
  if (!team) return new Reject(to_grpc(team.error()));
  auto* follower = new WatchFollower(watches_);
  follower->hold(gate_.watch_stream(ctx));
  follower->start(request->exercise_id(), *team);
  return follower;
}

}  // namespace cyrange::rpc
