#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <client-core/internal/connection_impl.h>

namespace cyrange::client {

/// Reads one server stream on its own thread (simple, and a client has only a few
/// streams): `open` starts the call on the context, every message goes to
/// `on_message`, and `on_end` learns once why the stream ended (cancelled after
/// stop()). For client-core's watch classes.
template <class Message>
class StreamThread {
 public:
  using Open = std::function<std::unique_ptr<grpc::ClientReader<Message>>(grpc::ClientContext&)>;

  /// Starts reading at once; `ended` is the message when the server ends the stream.
  StreamThread(const Connection& connection, Open open,
               std::function<void(const Message&)> on_message,
               std::function<void(const Error&)> on_end, std::string ended) {
    const auto& impl = *connection.impl();
    // No deadline: a watch lasts as long as the exercise.
    if (!impl.options.token.empty()) {
      ctx_.AddMetadata("authorization", "Bearer " + impl.options.token);
    }
    thread_ = std::thread([this, open = std::move(open), on_message = std::move(on_message),
                           on_end = std::move(on_end), ended = std::move(ended),
                           options = impl.options] {
      auto reader = open(ctx_);
      Message message;
      while (reader->Read(&message)) {
        if (on_message) on_message(message);
      }
      grpc::Status status = reader->Finish();
      if (on_end) {
        on_end(status.ok() ? make_error(ErrorCode::unavailable, ended) : to_error(status, options));
      }
    });
  }
  ~StreamThread() { stop(); }
  StreamThread(const StreamThread&) = delete;
  StreamThread& operator=(const StreamThread&) = delete;

  /// Cancels the stream and waits until its callbacks have stopped.
  void stop() {
    ctx_.TryCancel();
    if (thread_.joinable()) thread_.join();
  }

 private:
  grpc::ClientContext ctx_;
  std::thread thread_;
};

/// A public watch interface (with a virtual stop()) served by a StreamThread.
template <class Interface, class Message>
class StreamWatch final : public Interface {
 public:
  /// See StreamThread.
  StreamWatch(const Connection& connection, typename StreamThread<Message>::Open open,
              std::function<void(const Message&)> on_message,
              std::function<void(const Error&)> on_end, std::string ended)
      : stream_(connection, std::move(open), std::move(on_message), std::move(on_end),
                std::move(ended)) {}
  void stop() override { stream_.stop(); }

 private:
  StreamThread<Message> stream_;
};

}  // namespace cyrange::client
