#pragma once

#include <memory>

#include <grpcpp/grpcpp.h>

#include <client-core/connection.h>

namespace cyrange::client {

/// The gRPC side of a Connection; only client-core's .cpp files include this.
struct Connection::Impl {
  ClientOptions options;
  std::shared_ptr<grpc::Channel> channel;

  /// Sets deadline and token on a fresh call context.
  void prepare(grpc::ClientContext& ctx) const;
};

/// Maps a failed call to a domain error naming the server and what to do.
Error to_error(const grpc::Status& status, const ClientOptions& options);

}  // namespace cyrange::client
