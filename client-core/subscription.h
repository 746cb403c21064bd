#pragma once

#include <functional>
#include <memory>

#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// Why a subscription ended.
struct StreamEnd {
  enum class Reason {
    completed,  ///< the server ended the stream (e.g. provisioning finished, exercise ended)
    failed,     ///< it cannot go on: `error` says why (permission, not found, bad token, ...)
  };
  Reason reason = Reason::completed;
  Error error;  ///< set when failed
};

/// A running server stream (scoreboard, timeline, inbox, provisioning, connectivity).
/// The contract, the same for every stream of client-core:
///  - callbacks never run on the thread that subscribed, never on a gRPC thread and
///    never two at once: they run in order on the connection's Executor;
///  - when the connection is lost the stream resumes by itself (with backoff) where it
///    was: snapshot streams send a fresh snapshot that replaces the old state, cursor
///    streams (inbox) continue after the last message delivered; nothing is delivered
///    twice within one subscription except by a new snapshot;
///  - the end callback runs at most once and nothing runs after it; it says why;
///  - cancel() never blocks and is safe from any thread, also inside a callback; after
///    it returns no callback starts, not even the end callback (a callback already
///    running on another thread finishes); destroying the Subscription cancels it,
///    also inside its own callback;
///  - cancel_and_wait() additionally waits for a running callback to return (for
///    blocking callers; from inside a callback it does not wait).
class Subscription {
 public:
  /// What a stream implementation exposes to its handle; for client-core.
  class Control {
   public:
    virtual ~Control() = default;
    /// Stops callbacks and the stream; never blocks.
    virtual void cancel() = 0;
    /// Waits until no callback is running (not from inside one).
    virtual void wait_idle() = 0;
    /// True once the end callback ran or cancel() was called.
    virtual bool ended() const = 0;
  };

  Subscription() = default;
  /// For client-core: the handle of a started stream.
  explicit Subscription(std::shared_ptr<Control> control) : control_(std::move(control)) {}
  ~Subscription() { cancel(); }
  Subscription(Subscription&&) noexcept = default;
  Subscription& operator=(Subscription&& other) noexcept {
    if (this != &other) {
      cancel();
      control_ = std::move(other.control_);
    }
    return *this;
  }
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  /// Stops the stream; never blocks.
  void cancel() {
    if (control_) control_->cancel();
  }
  /// Stops the stream and waits for a running callback to return.
  void cancel_and_wait() {
    if (!control_) return;
    control_->cancel();
    control_->wait_idle();
  }
  /// True while the stream runs (also while it reconnects).
  bool active() const { return control_ && !control_->ended(); }

 private:
  std::shared_ptr<Control> control_;
};

}  // namespace cyrange::client
