#include <client-core/range_client.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

#include <cyrange/v1/range.grpc.pb.h>

#include <client-core/internal/connection_impl.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

Expected<std::vector<TeamRangeView>> list_ranges(const Connection& connection,
                                                 const std::string& exercise) {
  auto stub = v1::RangeService::NewStub(connection.impl()->channel);
  grpc::ClientContext ctx;
  connection.impl()->prepare(ctx);
  v1::ListRangesRequest request;
  request.set_exercise_id(exercise);
  v1::ListRangesResponse response;
  grpc::Status status = stub->ListRanges(&ctx, request, &response);
  if (!status.ok()) return to_error(status, connection.options());
  std::vector<TeamRangeView> out;
  for (const auto& r : response.ranges()) {
    TeamRangeView view{r.exercise_id(), r.team(), r.state(), {}};
    for (const auto& h : r.hosts())
      view.hosts.push_back(
          {h.name(), h.role(), {h.addresses().begin(), h.addresses().end()}, h.trainee_terminal()});
    out.push_back(std::move(view));
  }
  return out;
}

Status watch_provisioning(const Connection& connection, const std::string& exercise,
                          const std::function<void(const ProvisioningStep&)>& on_step) {
  auto stub = v1::RangeService::NewStub(connection.impl()->channel);
  grpc::ClientContext ctx;
  const auto& token = connection.options().token;
  if (!token.empty()) ctx.AddMetadata("authorization", "Bearer " + token);
  v1::WatchProvisioningRequest request;
  request.set_exercise_id(exercise);
  auto reader = stub->WatchProvisioning(&ctx, request);
  v1::ProvisioningEvent e;
  while (reader->Read(&e)) on_step({e.team(), e.host(), e.state(), e.message(), e.percent()});
  grpc::Status status = reader->Finish();
  if (!status.ok()) return to_error(status, connection.options());
  return Status::success();
}

// The stream and its state. Writes are queued and sent one at a time; reads loop
// until the server ends the stream. All gRPC reactions run on gRPC threads.
struct TerminalClient::Impl : grpc::ClientBidiReactor<v1::TerminalInput, v1::TerminalOutput> {
  ClientOptions options;
  std::unique_ptr<v1::RangeService::Stub> stub;
  grpc::ClientContext ctx;
  TerminalOutputFn on_output;
  TerminalEndFn on_end;

  std::mutex mu;
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
  std::int64_t session_id = 0;
  bool recorded = false;
  std::string notice;
  std::string team, host;

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

  Status enqueue(v1::TerminalInput msg) {
    std::unique_lock lock(mu);
    if (done || writes_done)
      return make_error(ErrorCode::failed_precondition,
                        "The terminal to '" + host + "' is closed.");
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
      std::lock_guard lock(mu);
      opened = true;
      session_id = reading_msg.opened().session_id();
      team = reading_msg.opened().team();
      host = reading_msg.opened().host();
      recorded = reading_msg.opened().recorded();
      if (reading_msg.opened().has_notice())
        notice = reading_msg.opened().notice().en() + " / " + reading_msg.opened().notice().ja();
      cv.notify_all();
    } else if (reading_msg.has_data() && on_output) {
      on_output(reading_msg.data());
    }
    StartRead(&reading_msg);
  }

  void OnDone(const grpc::Status& status) override {
    TerminalEndFn end;
    {
      std::lock_guard lock(mu);
      done = true;
      final_status = status;
      end = on_end;
      cv.notify_all();
    }
    if (end) end(status.ok() ? Status::success() : Status(to_error(status, options)));
  }
};

TerminalClient::TerminalClient(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

TerminalClient::~TerminalClient() { close(); }

Expected<std::unique_ptr<TerminalClient>> TerminalClient::open(const Connection& connection,
                                                               const TerminalTarget& target,
                                                               TerminalOutputFn on_output,
                                                               TerminalEndFn on_end) {
  auto impl = std::make_shared<Impl>();
  impl->options = connection.options();
  impl->stub = v1::RangeService::NewStub(connection.impl()->channel);
  // No deadline: a terminal lives as long as the trainee keeps it open.
  if (!impl->options.token.empty())
    impl->ctx.AddMetadata("authorization", "Bearer " + impl->options.token);
  impl->on_output = std::move(on_output);
  impl->host = target.host;
  impl->start(target);
  std::unique_lock lock(impl->mu);
  bool settled =
      impl->cv.wait_for(lock, impl->options.timeout, [&] { return impl->opened || impl->done; });
  if (impl->opened) {
    impl->on_end = std::move(on_end);
    lock.unlock();
    return std::unique_ptr<TerminalClient>(new TerminalClient(std::move(impl)));
  }
  lock.unlock();
  if (!settled) impl->ctx.TryCancel();
  lock.lock();
  impl->cv.wait(lock, [&] { return impl->done; });  // the reactor must finish before it is freed
  if (impl->final_status.ok())
    return make_error(ErrorCode::unavailable,
                      "The server ended the terminal to '" + target.host + "' before opening it.");
  return to_error(impl->final_status, impl->options);
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

void TerminalClient::close() {
  if (!impl_) return;
  std::unique_lock lock(impl_->mu);
  if (!impl_->done) {
    impl_->writes_done = true;
    impl_->pump(lock);
    // The server closes the console and ends the stream; cancel if it does not.
    if (!impl_->cv.wait_for(lock, std::chrono::seconds(5), [&] { return impl_->done; })) {
      lock.unlock();
      impl_->ctx.TryCancel();
      lock.lock();
    }
  }
  impl_->cv.wait(lock, [&] { return impl_->done; });
}

std::int64_t TerminalClient::session_id() const { return impl_->session_id; }

bool TerminalClient::recorded() const {
  std::lock_guard lock(impl_->mu);
  return impl_->recorded;
}

std::string TerminalClient::notice() const {
  std::lock_guard lock(impl_->mu);
  return impl_->notice;
}
std::string TerminalClient::team() const { return impl_->team; }
std::string TerminalClient::host() const { return impl_->host; }

}  // namespace cyrange::client
