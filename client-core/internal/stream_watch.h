#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>

#include <client-core/internal/connection_impl.h>
#include <client-core/subscription.h>

namespace cyrange::client {

/// A server-streaming method of `Service`'s callback API.
template <class Service, class Request, class Message>
using AsyncStreamMethod = void (Service::StubInterface::async_interface::*)(
    grpc::ClientContext*, const Request*, grpc::ClientReadReactor<Message>*);

/// What a stream does with its messages; every function runs on the stream's strand
/// except `advance`.
template <class Request, class Message>
struct StreamHooks {
  std::function<void(const Message&)> on_message;
  std::function<void(const StreamEnd&)> on_end;
  /// Moves the resume cursor in the request past `message` (e.g. inbox after_id); runs
  /// on gRPC's thread, so it must be quick. Empty: a reconnect asks for a new snapshot.
  std::function<void(Request&, const Message&)> advance;
  /// Reconnect when the link is lost (false for streams that must not resume).
  bool resume = true;
};

/// One server stream with the Subscription contract of subscription.h: every attempt
/// is a ClientReadReactor (gRPC's callback API, nothing blocks); a lost link starts a
/// new attempt after a backoff with the request advanced past what was delivered.
template <class Service, class Request, class Message>
class ResumableStream final
    : public Subscription::Control,
      public std::enable_shared_from_this<ResumableStream<Service, Request, Message>> {
 public:
  using Method = AsyncStreamMethod<Service, Request, Message>;
  using Hooks = StreamHooks<Request, Message>;

  /// Opens the stream and returns its handle.
  static Subscription start(const Connection& connection, Method method, Request request,
                            Hooks hooks) {
    auto stream = std::shared_ptr<ResumableStream>(new ResumableStream);
    stream->impl_ = connection.impl();
    stream->strand_ = Strand::make(connection.executor());
    stream->method_ = method;
    stream->request_ = std::move(request);
    stream->hooks_ = std::move(hooks);
    stream->backoff_ = kFirstBackoff;
    stream->open_attempt();
    return Subscription(stream);
  }

  void cancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    if (attempt_) attempt_->ctx.TryCancel();
  }
  void wait_idle() override { strand_->wait_idle(); }
  bool ended() const override { return cancelled_ || ended_; }

 private:
  static constexpr std::chrono::milliseconds kFirstBackoff{200};

  // One call; deletes itself in OnDone as gRPC's callback API intends.
  struct Attempt final : grpc::ClientReadReactor<Message> {
    std::shared_ptr<ResumableStream> owner;
    std::unique_ptr<typename Service::Stub> stub;
    grpc::ClientContext ctx;
    Request request;
    Message message;

    void OnReadDone(bool ok) override {
      if (!ok) return;  // OnDone follows with the status
      owner->received(message);
      this->StartRead(&message);
    }
    void OnDone(const grpc::Status& status) override {
      auto keep = std::move(owner);
      keep->attempt_done(this, status);
      delete this;
      // The stream (and through it the connection) is released on its strand, never on
      // one of gRPC's threads.
      auto strand = keep->strand_;
      strand->post([k = std::move(keep)] {});
    }
  };

  ResumableStream() = default;

  void open_attempt() {
    auto* attempt = new Attempt;
    {
      std::lock_guard lock(mu_);
      if (cancelled_) {
        delete attempt;
        return;
      }
      attempt->owner = this->shared_from_this();
      attempt->stub = Service::NewStub(impl_->channel);
      attempt->request = request_;
      // No deadline: a watch lasts as long as the exercise.
      impl_->prepare(attempt->ctx, /*with_deadline=*/false);
      attempt_ = attempt;
    }
    ((attempt->stub->async())->*method_)(&attempt->ctx, &attempt->request, attempt);
    attempt->StartRead(&attempt->message);
    attempt->StartCall();
  }

  void received(const Message& message) {
    {
      std::lock_guard lock(mu_);
      if (hooks_.advance) hooks_.advance(request_, message);
      backoff_ = kFirstBackoff;  // the link works again: the next loss retries quickly
      lost_at_.reset();
    }
    strand_->post([self = this->shared_from_this(), message] {
      if (!self->cancelled_ && !self->ended_ && self->hooks_.on_message) {
        self->hooks_.on_message(message);
      }
    });
  }

  // After a lost link a restarted server may, for a little while, not know the stream's
  // subject yet (it reopens exercises from its database): such refusals are retried too.
  static constexpr std::chrono::seconds kRestartGrace{120};
  static bool restarting(const grpc::Status& status) {
    return status.error_code() == grpc::StatusCode::NOT_FOUND ||
           status.error_code() == grpc::StatusCode::FAILED_PRECONDITION;
  }

  static bool link_lost(const grpc::Status& status) {
    // UNAVAILABLE: the link broke; CANCELLED without our cancel(): the server shut down.
    return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
           status.error_code() == grpc::StatusCode::CANCELLED;
  }

  void attempt_done(Attempt* attempt, const grpc::Status& status) {
    std::chrono::milliseconds wait{0};
    {
      std::lock_guard lock(mu_);
      if (attempt_ == attempt) attempt_ = nullptr;
      if (cancelled_) return;  // the caller asked: no callback, not even the end
      impl_->note_result(status);
      const auto now = std::chrono::steady_clock::now();
      if (link_lost(status) && !lost_at_) lost_at_ = now;
      const bool retry =
          link_lost(status) || (restarting(status) && lost_at_ && now - *lost_at_ < kRestartGrace);
      if (hooks_.resume && retry) {
        wait = backoff_;
        backoff_ = std::min(backoff_ * 2, impl_->options.max_backoff);
      }
    }
    auto self = this->shared_from_this();
    if (wait.count() > 0) {
      strand_->post_after(wait, [self] { self->open_attempt(); });
      return;
    }
    StreamEnd end;
    if (!status.ok()) end = {StreamEnd::Reason::failed, to_error(status, impl_->options)};
    strand_->post([self, end = std::move(end)] {
      if (self->cancelled_ || self->ended_) return;
      self->ended_ = true;
      if (self->hooks_.on_end) self->hooks_.on_end(end);
    });
  }

  std::shared_ptr<Connection::Impl> impl_;
  std::shared_ptr<Strand> strand_;
  Method method_{};
  Hooks hooks_;
  std::mutex mu_;
  Request request_;
  Attempt* attempt_ = nullptr;
  std::chrono::milliseconds backoff_{};
  std::optional<std::chrono::steady_clock::time_point> lost_at_;  // when the link was lost
  std::atomic<bool> cancelled_{false};
  std::atomic<bool> ended_{false};
};

/// Starts a ResumableStream of `Service` (deduces the request and message types).
template <class Service, class Request, class Message>
Subscription start_stream(const Connection& connection,
                          AsyncStreamMethod<Service, Request, Message> method, Request request,
                          std::type_identity_t<StreamHooks<Request, Message>> hooks) {
  return ResumableStream<Service, Request, Message>::start(connection, method, std::move(request),
                                                           std::move(hooks));
}

}  // namespace cyrange::client
