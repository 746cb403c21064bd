#pragma once

#include <client-core/internal/connection_impl.h>

namespace cyrange::client {

/// Runs one unary call of `Service` on `connection` (deadline and token set) and
/// maps a failure to a domain error; for client-core's own service clients.
template <class Service, class Response, class Request, class Method>
Expected<Response> unary_call(const Connection& connection, Method method, const Request& request) {
  const auto& impl = *connection.impl();
  auto stub = Service::NewStub(impl.channel);
  grpc::ClientContext ctx;
  impl.prepare(ctx);
  Response response;
  grpc::Status status = ((*stub).*method)(&ctx, request, &response);
  if (!status.ok()) return to_error(status, impl.options);
  return response;
}

}  // namespace cyrange::client
