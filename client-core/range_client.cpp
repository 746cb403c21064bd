#include <client-core/range_client.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>

#include <cyrange/v1/range.grpc.pb.h>

#include <client-core/internal/stream_watch.h>
#include <client-core/internal/unary_call.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;
using RangeAsync = v1::RangeService::StubInterface::async_interface;

Call<std::vector<TeamRangeView>> list_ranges_async(const Connection& connection,
                                                   const std::string& exercise) {
  v1::ListRangesRequest request;
  request.set_exercise_id(exercise);
  return start_call<std::vector<TeamRangeView>, v1::RangeService>(
      connection, &RangeAsync::ListRanges, std::move(request), [](const v1::ListRangesResponse& r) {
        std::vector<TeamRangeView> out;
        for (const auto& range : r.ranges()) {
          TeamRangeView view{range.exercise_id(), range.team(), range.state(), {}};
          for (const auto& h : range.hosts())
            view.hosts.push_back({h.name(),
                                  h.role(),
                                  {h.addresses().begin(), h.addresses().end()},
                                  h.trainee_terminal()});
          out.push_back(std::move(view));
        }
        return out;
      });
}

Expected<std::vector<TeamRangeView>> list_ranges(const Connection& connection,
                                                 const std::string& exercise) {
  return list_ranges_async(connection, exercise).wait();
}

Subscription watch_provisioning_async(const Connection& connection, const std::string& exercise,
                                      std::function<void(const ProvisioningStep&)> on_step,
                                      std::function<void(const StreamEnd&)> on_end) {
  v1::WatchProvisioningRequest request;
  request.set_exercise_id(exercise);
  StreamHooks<v1::WatchProvisioningRequest, v1::ProvisioningEvent> hooks;
  hooks.on_message = [on_step = std::move(on_step)](const v1::ProvisioningEvent& e) {
    if (on_step) on_step({e.team(), e.host(), e.state(), e.message(), e.percent()});
  };
  hooks.on_end = std::move(on_end);
  return start_stream<v1::RangeService>(connection, &RangeAsync::WatchProvisioning,
                                        std::move(request), std::move(hooks));
}

Status watch_provisioning(const Connection& connection, const std::string& exercise,
                          const std::function<void(const ProvisioningStep&)>& on_step) {
  std::promise<Status> ended;
  auto done = ended.get_future();
  Subscription watch =
      watch_provisioning_async(connection, exercise, on_step, [&ended](const StreamEnd& end) {
        ended.set_value(end.reason == StreamEnd::Reason::failed ? Status(end.error)
                                                                : Status::success());
      });
  return done.get();
}

// The stream and its state. Writes are queued and sent one at a time; reads loop
// until the server ends the stream. gRPC's reactions only copy and post: every callback
// of the caller runs on `strand`. The Impl keeps itself alive (`self`) until OnDone,
// because a reactor may not be freed before gRPC is done with it.
struct TerminalClient::Impl : grpc::ClientBidiReactor<v1::TerminalInput, v1::TerminalOutput> {
  ClientOptions options;
  std::shared_ptr<Connection::Impl> connection;
  std::unique_ptr<v1::RangeService::Stub> stub;
  grpc::ClientContext ctx;
  std::shared_ptr<Strand> strand;
  TerminalCallbacks callbacks;
  std::shared_ptr<Impl> self;
  std::atomic<bool> detached{false};  // the owner is gone: no callback may start

  mutable std::mutex mu;
  std::condition_variable cv;
  std::deque<v1::TerminalInput> queue;
  v1::TerminalInput writing_msg;
  v1::TerminalOutput reading_msg;
  bool writing = false;
  bool writes_done = false;  // no more writes after the queue drains
  bool sent_writes_done = false;
  bool opened = false;
  bool done = false;
  grpc::Status final_status;
  TerminalInfo info;

  void start(const TerminalTarget& target) {
    v1::TerminalInput open;
    open.mutable_open()->set_exercise_id(target.exercise);
    open.mutable_open()->set_team(target.team);
    open.mutable_open()->set_host(target.host);
    open.mutable_open()->mutable_size()->set_cols(static_cast<std::uint32_t>(target.cols));
    open.mutable_open()->mutable_size()->set_rows(static_cast<std::uint32_t>(target.rows));
    stub->async()->Terminal(&ctx, this);
    StartRead(&reading_msg);
    // A fresh session is never closed yet, so the first message is always queued.
    (void)enqueue(std::move(open));
    StartCall();
  }

  // Runs `fn` on the strand unless the owner has gone.
  void post(std::function<void()> fn) {
    strand->post([keep = self, fn = std::move(fn)] {
      if (!keep->detached) fn();
    });
  }

  Status enqueue(v1::TerminalInput msg) {
    std::unique_lock lock(mu);
    if (done || writes_done)
      return make_error(ErrorCode::failed_precondition,
                        "The terminal to '" + info.host + "' is closed.",
                        "ホスト '" + info.host + "' への端末は閉じています。");
    queue.push_back(std::move(msg));
    pump(lock);
    return Status::success();
  }

  // Starts the next write (or the final WritesDone); mu held.
  void pump(std::unique_lock<std::mutex>& lock) {
    if (writing || done) return;
    if (!queue.empty()) {
      writing_msg = std::move(queue.front());
      queue.pop_front();
      writing = true;
      lock.unlock();
      StartWrite(&writing_msg);
      lock.lock();
    } else if (writes_done && !sent_writes_done) {
      sent_writes_done = true;
      writing = true;
      lock.unlock();
      StartWritesDone();
      lock.lock();
    }
  }

  void OnWriteDone(bool ok) override {
    std::unique_lock lock(mu);
    writing = false;
    if (!ok) {
      queue.clear();
      return;
    }
    pump(lock);
  }

  void OnWritesDoneDone(bool) override {
    std::lock_guard lock(mu);
    writing = false;
  }

  void OnReadDone(bool ok) override {
    if (!ok) return;  // OnDone follows with the status
    if (reading_msg.has_opened()) {
      const auto& o = reading_msg.opened();
      TerminalInfo opened_info{
          o.team(), o.host(), o.session_id(), o.recorded(), {o.notice().ja(), o.notice().en()}};
      {
        std::lock_guard lock(mu);
        opened = true;
        info = opened_info;
        cv.notify_all();
      }
      post([this, opened_info] {
        if (callbacks.on_opened) callbacks.on_opened(opened_info);
      });
    } else if (reading_msg.has_data()) {
      post([this, data = reading_msg.data()] {
        if (callbacks.on_output) callbacks.on_output(data);
      });
    }
    StartRead(&reading_msg);
  }

  void OnDone(const grpc::Status& status) override {
    {
      std::lock_guard lock(mu);
      done = true;
      final_status = status;
      cv.notify_all();
    }
    connection->note_result(status);
    Status why = status.ok() ? Status::success() : Status(to_error(status, options));
    post([this, why] {
      if (callbacks.on_end) callbacks.on_end(why);
    });
    // The last task on the strand drops the self-reference, after every callback.
    strand->post([keep = std::move(self)] {});
  }
};

TerminalClient::TerminalClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

TerminalClient::~TerminalClient() {
  if (!impl_) return;
  impl_->detached = true;
  close_async();
  // A terminal nobody holds any more must not outlive its owner for long: if the server
  // has not ended it within the connection's timeout, cancel it.
  impl_->strand->post_after(impl_->options.timeout, [impl = impl_] { impl->ctx.TryCancel(); });
}

std::unique_ptr<TerminalClient> TerminalClient::open_async(const Connection& connection,
                                                           const TerminalTarget& target,
                                                           TerminalCallbacks callbacks) {
  auto impl = std::make_shared<Impl>();
  impl->options = connection.options();
  impl->connection = connection.impl();
  impl->stub = v1::RangeService::NewStub(connection.impl()->channel);
  impl->strand = Strand::make(connection.executor());
  impl->callbacks = std::move(callbacks);
  impl->info.host = target.host;
  impl->info.team = target.team;
  impl->self = impl;
  // No deadline: a terminal lives as long as the trainee keeps it open.
  connection.impl()->prepare(impl->ctx, /*with_deadline=*/false);
  impl->start(target);
  return std::unique_ptr<TerminalClient>(new TerminalClient(std::move(impl)));
}

Expected<std::unique_ptr<TerminalClient>> TerminalClient::open(const Connection& connection,
                                                               const TerminalTarget& target,
                                                               TerminalOutputFn on_output,
                                                               TerminalEndFn on_end) {
  auto client = open_async(connection, target, {{}, std::move(on_output), std::move(on_end)});
  Impl& impl = *client->impl_;
  std::unique_lock lock(impl.mu);
  bool settled =
      impl.cv.wait_for(lock, impl.options.timeout, [&] { return impl.opened || impl.done; });
  if (impl.opened) return client;
  lock.unlock();
  impl.detached = true;  // the caller never sees this terminal: no callbacks
  if (!settled) impl.ctx.TryCancel();
  lock.lock();
  impl.cv.wait(lock, [&] { return impl.done; });
  if (impl.final_status.ok())
    return make_error(ErrorCode::unavailable,
                      "The server ended the terminal to '" + target.host + "' before opening it.",
                      "サーバーが端末 '" + target.host + "' を開く前に終了しました。");
  return to_error(impl.final_status, impl.options);
}

Status TerminalClient::send_keys(std::string_view bytes) {
  v1::TerminalInput msg;
  msg.set_keys(std::string(bytes));
  return impl_->enqueue(std::move(msg));
}

Status TerminalClient::resize(int cols, int rows) {
  v1::TerminalInput msg;
  msg.mutable_resize()->set_cols(static_cast<std::uint32_t>(cols));
  msg.mutable_resize()->set_rows(static_cast<std::uint32_t>(rows));
  return impl_->enqueue(std::move(msg));
}

void TerminalClient::close_async() {
  std::unique_lock lock(impl_->mu);
  if (impl_->done) return;
  impl_->writes_done = true;
  impl_->pump(lock);
}

void TerminalClient::close() {
  close_async();
  std::unique_lock lock(impl_->mu);
  // The server closes the console and ends the stream; cancel if it does not.
  if (!impl_->cv.wait_for(lock, std::chrono::seconds(5), [&] { return impl_->done; })) {
    lock.unlock();
    impl_->ctx.TryCancel();
    lock.lock();
  }
  impl_->cv.wait(lock, [&] { return impl_->done; });
}

std::int64_t TerminalClient::session_id() const {
  std::lock_guard lock(impl_->mu);
  return impl_->info.session_id;
}

bool TerminalClient::recorded() const {
  std::lock_guard lock(impl_->mu);
  return impl_->info.recorded;
}

LocalizedText TerminalClient::notice() const {
  std::lock_guard lock(impl_->mu);
  return impl_->info.notice;
}

std::string TerminalClient::team() const {
  std::lock_guard lock(impl_->mu);
  return impl_->info.team;
}

std::string TerminalClient::host() const {
  std::lock_guard lock(impl_->mu);
  return impl_->info.host;
}

}  // namespace cyrange::client
