#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <grpcpp/grpcpp.h>

#include <client-core/connection.h>

namespace cyrange::client {

/// The gRPC side of a Connection; only client-core's .cpp files include this.
struct Connection::Impl {
  ClientOptions options;
  std::shared_ptr<grpc::Channel> channel;
  std::shared_ptr<Executor> executor;

  ~Impl();

  /// Sets the token and, when `with_deadline`, the connection's deadline on a fresh
  /// call context: the one place where calls are set up.
  void prepare(grpc::ClientContext& ctx, bool with_deadline = true) const;

  /// What the calls learn about the link: a refused token makes the state failed, a
  /// success after a failure connected again.
  void note_result(const grpc::Status& status);

  /// Starts the channel watcher once.
  void ensure_monitor();
  /// Publishes `next` to every watcher when it differs from the current state.
  void publish(ConnectivityState next);

  struct Watcher;
  std::mutex mu;
  ConnectivityState state;
  bool ever_connected = false;
  bool auth_failed = false;
  std::vector<std::weak_ptr<Watcher>> watchers;
  std::atomic<bool> stopping{false};
  std::thread monitor;
};

/// Maps a failed call to a domain error naming the server and what to do; the
/// Japanese text comes from the status details when the server sent them.
Error to_error(const grpc::Status& status, const ClientOptions& options);

}  // namespace cyrange::client
