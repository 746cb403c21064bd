#pragma once

#include <functional>
#include <memory>
#include <utility>

#include <client-core/call.h>
#include <client-core/internal/connection_impl.h>

namespace cyrange::client {

/// A unary method of `Service`'s callback API (`stub->async()->Method`).
template <class Service, class Request, class Response>
using AsyncUnaryMethod = void (Service::StubInterface::async_interface::*)(
    grpc::ClientContext*, const Request*, Response*, std::function<void(grpc::Status)>);

/// Starts one unary call of `Service` on `connection`, with its deadline and token,
/// through gRPC's callback API: nothing blocks. `map` turns the response into the
/// domain result (Result or Expected<Result>) on gRPC's thread (it must be quick); the
/// Call hands the result to the caller on the connection's executor.
template <class Result, class Service, class Request, class Response, class Map>
Call<Result> start_call(const Connection& connection,
                        AsyncUnaryMethod<Service, Request, Response> method, Request request,
                        Map map) {
  // What must live until gRPC has called back: the stub, the context, both messages.
  struct Flight {
    std::unique_ptr<typename Service::Stub> stub;
    grpc::ClientContext ctx;
    Request request;
    Response response;
  };
  const auto& impl = connection.impl();
  auto state = std::make_shared<typename Call<Result>::State>();
  state->executor = impl->executor;
  auto flight = std::make_shared<Flight>();
  flight->stub = Service::NewStub(impl->channel);
  flight->request = std::move(request);
  impl->prepare(flight->ctx);
  state->cancel = [weak = std::weak_ptr<Flight>(flight)] {
    if (auto f = weak.lock()) f->ctx.TryCancel();
  };
  Flight* raw = flight.get();
  // The callback holds the connection weakly: its last reference must never be dropped on
  // one of gRPC's threads (the channel would be destroyed inside its own callback).
  ((raw->stub->async())->*method)(
      &raw->ctx, &raw->request, &raw->response,
      [flight = std::move(flight), state, link = std::weak_ptr<Connection::Impl>(impl),
       options = impl->options, map = std::move(map)](grpc::Status status) mutable {
        if (auto alive = link.lock()) {
          alive->note_result(status);
          // Released on the executor, with the flight, never here.
          state->executor->post([a = std::move(alive)] {});
        }
        if (status.ok()) {
          state->complete(map(flight->response));
        } else {
          state->complete(to_error(status, options));
        }
        // The context is freed off gRPC's thread, after gRPC is done with the call.
        state->executor->post([f = std::move(flight)] {});
      });
  return Call<Result>(std::move(state));
}

/// The mapping of a call whose response carries nothing the caller needs.
struct ToUnit {
  template <class Response>
  Unit operator()(const Response&) const {
    return {};
  }
};

}  // namespace cyrange::client
