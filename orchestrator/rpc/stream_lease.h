#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <orchestrator/identity/identity.h>

namespace grpc {
class CallbackServerContext;
}

namespace cyrange::rpc {

struct WatchedStream;

/// An open stream's place under the token re-check (StreamRecheck). The stream's reactor
/// keeps it until OnDone: once it is released or destroyed the call is never touched again.
class StreamLease {
 public:
  StreamLease() = default;
  /// For StreamRecheck::watch.
  explicit StreamLease(std::shared_ptr<WatchedStream> stream) : stream_(std::move(stream)) {}
  ~StreamLease() { release(); }
  StreamLease(StreamLease&& other) noexcept = default;
  /// Releases the stream held so far, then takes `other`'s.
  StreamLease& operator=(StreamLease&& other) noexcept;
  StreamLease(const StreamLease&) = delete;
  StreamLease& operator=(const StreamLease&) = delete;

  /// Takes the stream out of the re-check (idempotent).
  void release();

 private:
  std::shared_ptr<WatchedStream> stream_;
};

/// Terminals, the recorder and the watches run for hours on the token they were opened with.
/// This checks every open stream's token again at an interval and cancels the streams whose
/// token no longer passes (revoked, expired, its user disabled or erased), so that
/// `cyrange users revoke` ends them within about one interval. A database that cannot be
/// reached cancels nothing. Thread-safe.
class StreamRecheck {
 public:
  /// `authenticator` must be the one the gate uses.
  explicit StreamRecheck(std::shared_ptr<const identity::Authenticator> authenticator);
  ~StreamRecheck();
  StreamRecheck(const StreamRecheck&) = delete;
  StreamRecheck& operator=(const StreamRecheck&) = delete;

  /// Starts (or restarts with a new interval) the thread that calls check_now().
  void start(std::chrono::milliseconds interval);

  /// Puts the call `ctx`, opened with `token`, under the re-check.
  StreamLease watch(grpc::CallbackServerContext* ctx, std::string token);

  /// Checks the token of every open stream once (each token once) and cancels the streams
  /// whose token is refused; returns how many it cancelled.
  std::size_t check_now();

 private:
  void stop();

  std::shared_ptr<const identity::Authenticator> authenticator_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::vector<std::weak_ptr<WatchedStream>> streams_;
  std::thread thread_;
};

}  // namespace cyrange::rpc
