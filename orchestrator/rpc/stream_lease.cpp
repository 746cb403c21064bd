#include <orchestrator/rpc/stream_lease.h>

#include <map>

#include <grpcpp/grpcpp.h>

#include <orchestrator/common/log.h>

namespace cyrange::rpc {

// One open call: its context until the reactor lets go of it (OnDone), and its token.
struct WatchedStream {
  // Recursive: should gRPC run the reactor's OnDone inside TryCancel, its lease's release()
  // comes back here on the same thread.
  std::recursive_mutex mutex;
  grpc::CallbackServerContext* ctx = nullptr;  // null once released
  std::string token;

  void release() {
    std::lock_guard lock(mutex);
    ctx = nullptr;
  }
  // Cancels the call unless it is done already; true when it was still open.
  bool cancel() {
    std::lock_guard lock(mutex);
    if (ctx == nullptr) return false;
    ctx->TryCancel();
    ctx = nullptr;
    return true;
  }
};

StreamLease& StreamLease::operator=(StreamLease&& other) noexcept {
  if (this != &other) {
    release();
    stream_ = std::move(other.stream_);
  }
  return *this;
}

void StreamLease::release() {
  if (stream_) stream_->release();
  stream_.reset();
}

StreamRecheck::StreamRecheck(std::shared_ptr<const identity::Authenticator> authenticator)
    : authenticator_(std::move(authenticator)) {}

StreamRecheck::~StreamRecheck() { stop(); }

void StreamRecheck::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StreamRecheck::start(std::chrono::milliseconds interval) {
  stop();
  stopping_ = false;
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      check_now();
      lock.lock();
    }
  });
}

StreamLease StreamRecheck::watch(grpc::CallbackServerContext* ctx, std::string token) {
  auto stream = std::make_shared<WatchedStream>();
  stream->ctx = ctx;
  stream->token = std::move(token);
  std::lock_guard lock(mutex_);
  std::erase_if(streams_, [](const auto& weak) { return weak.expired(); });
  streams_.push_back(stream);
  return StreamLease(std::move(stream));
}

std::size_t StreamRecheck::check_now() {
  std::map<std::string, std::vector<std::shared_ptr<WatchedStream>>> by_token;
  {
    std::lock_guard lock(mutex_);
    std::erase_if(streams_, [](const auto& weak) { return weak.expired(); });
    for (const auto& weak : streams_)
      if (auto stream = weak.lock()) by_token[stream->token].push_back(std::move(stream));
  }
  std::size_t cancelled = 0;
  for (auto& [token, streams] : by_token) {
    auto who = authenticator_->authenticate(token);
    // Only a refused token ends streams; PostgreSQL being away says nothing about it.
    if (who || who.error().code != ErrorCode::unauthenticated) continue;
    std::size_t ended = 0;
    for (auto& stream : streams) ended += stream->cancel() ? 1 : 0;
    if (ended > 0) {
      log::get("rpc")->info("Ended {} open stream(s) whose token no longer passes: {}", ended,
                            who.error().message);
    }
    cancelled += ended;
  }
  return cancelled;
}

}  // namespace cyrange::rpc
