#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <variant>

#include <client-core/executor.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// The value of a call that returns nothing but success.
using Unit = std::monostate;

/// One asynchronous unary call to cyranged, started when the service client's `*_async`
/// method returned. The contract:
///  - the call carries the connection's deadline; it ends with a value, an Error, or
///    ErrorCode::cancelled after cancel();
///  - `then(done)` runs `done` exactly once on the connection's Executor, never on the
///    thread that called then() and never on a gRPC thread; register it at most once;
///  - `cancel()` never blocks and is safe from any thread, also inside `done`;
///  - `wait()` blocks until the result is there (the blocking forms the CLI and
///    scripts use); never call it on a GUI thread;
///  - dropping the Call does not cancel it (fire and forget with then()).
template <class T>
class Call {
 public:
  /// Shared state between the caller and the call in flight; for client-core's calls.
  struct State {
    std::shared_ptr<Executor> executor;
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Expected<T>> result;
    std::function<void(Expected<T>)> done;
    std::function<void()> cancel;  ///< set before the call starts; thread-safe
    bool cancelled = false;

    /// Stores the result and hands it to `done` if one is registered.
    void complete(Expected<T> value) {
      std::unique_lock lock(mu);
      result.emplace(std::move(value));
      cv.notify_all();
      if (!done) return;
      auto fn = std::move(done);
      done = nullptr;
      Expected<T> copy = *result;
      lock.unlock();
      executor->post(
          [fn = std::move(fn), copy = std::move(copy)]() mutable { fn(std::move(copy)); });
    }
  };

  /// For client-core: wraps the state of a started call.
  explicit Call(std::shared_ptr<State> state) : state_(std::move(state)) {}

  /// Asks the server to stop; the call then ends with ErrorCode::cancelled (unless its
  /// result was already there). Never blocks.
  void cancel() const {
    std::function<void()> fn;
    {
      std::lock_guard lock(state_->mu);
      if (state_->result || state_->cancelled) return;
      state_->cancelled = true;
      fn = state_->cancel;
    }
    if (fn) fn();
  }

  /// Runs `done` with the result on the connection's executor, once.
  const Call& then(std::function<void(Expected<T>)> done) const {
    std::unique_lock lock(state_->mu);
    if (!state_->result) {
      state_->done = std::move(done);
      return *this;
    }
    Expected<T> copy = *state_->result;
    lock.unlock();
    state_->executor->post(
        [done = std::move(done), copy = std::move(copy)]() mutable { done(std::move(copy)); });
    return *this;
  }

  /// Blocks until the call has ended and returns its result.
  Expected<T> wait() const {
    std::unique_lock lock(state_->mu);
    state_->cv.wait(lock, [&] { return state_->result.has_value(); });
    return *state_->result;
  }

  /// True once the result is there.
  bool finished() const {
    std::lock_guard lock(state_->mu);
    return state_->result.has_value();
  }

 private:
  std::shared_ptr<State> state_;
};

/// A Status from a Call<Unit>'s result, for the blocking forms.
inline Status to_status(const Expected<Unit>& result) {
  if (!result) return result.error();
  return Status::success();
}

}  // namespace cyrange::client
