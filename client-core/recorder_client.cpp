// RecorderClient: streams the durable EventBuffer to RecorderService and resends
// everything after the last acknowledgement whenever the stream is re-opened.
#include <client-core/recorder_client.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <google/protobuf/arena.h>

#include <cyrange/v1/recorder.grpc.pb.h>

#include <client-core/internal/connection_impl.h>
#include <client-core/log_sink.h>

namespace cyrange::client {

namespace v1 = cyrange::v1;

struct RecorderClient::Impl {
  explicit Impl(Connection c) : connection(std::move(c)) {}

  Connection connection;
  std::unique_ptr<EventBuffer> buffer;
  RecorderOptions options;

  mutable std::mutex mutex;
  std::condition_variable changed;  // new events, acks, stream ends, stop
  bool stopping = false;
  grpc::ClientContext* live_ctx = nullptr;  // the open stream, cancelled by stop
  Error last_error{ErrorCode::internal, ""};
  std::atomic<std::uint64_t> connections{0};
  std::thread sender;

  void notify() {
    { std::lock_guard lock(mutex); }  // orders the change before a waiter's predicate check
    changed.notify_all();
  }

  // One stream from open to end; true when the server acknowledged something.
  bool stream_once() {
    const auto& conn = *connection.impl();
    grpc::ClientContext ctx;
    // No deadline: the stream lives as long as the exercise. wait_for_ready lets
    // the channel reconnect (server restart) instead of failing every attempt.
    ctx.set_wait_for_ready(true);
    if (!conn.options.token.empty())
      ctx.AddMetadata("authorization", "Bearer " + conn.options.token);
    {
      std::lock_guard lock(mutex);
      if (stopping) return false;
      live_ctx = &ctx;
    }
    auto stub = v1::RecorderService::NewStub(conn.channel);
    auto stream = stub->Record(&ctx);
    connections.fetch_add(1);

    std::atomic<bool> ended{false};
    std::atomic<bool> progressed{false};
    std::thread reader([&] {
      v1::RecordAck ack;
      while (stream->Read(&ack)) {
        if (Status st = buffer->acknowledge(ack.committed_seq()); !st) {
          client_log(LogLevel::warning, "recorder", st.error().message);
        }
        progressed = true;
        notify();
      }
      ended = true;
      notify();
    });

    std::uint64_t sent = buffer->acked_seq();
    for (;;) {
      {
        std::unique_lock lock(mutex);
        auto ready = [&] { return stopping || ended || buffer->last_seq() > sent; };
        changed.wait(lock, ready);
        // Linger briefly for a fuller batch: fewer, larger batches are cheaper to
        // commit than many tiny ones.
        changed.wait_for(lock, options.linger, [&] {
          return stopping || ended || buffer->last_seq() >= sent + options.max_batch_events;
        });
        if (stopping || ended) break;
      }
      sent = std::max(sent, buffer->acked_seq());
      // One fsync covers several batches: the disk, not the network, is the slow
      // part of a send cycle when the trainee produces events faster than it syncs.
      EventBuffer::Slice slice =
          buffer->unacked_after(sent, options.max_batch_events * options.batches_per_sync);
      if (slice.events.empty()) continue;
      if (Status st = buffer->sync(); !st)
        client_log(LogLevel::warning, "recorder", st.error().message);
      bool written = true;
      for (std::size_t begin = 0; written && begin < slice.events.size();
           begin += options.max_batch_events) {
        const std::size_t end = std::min(slice.events.size(), begin + options.max_batch_events);
        // An arena per batch: its hundreds of small messages are freed at once.
        google::protobuf::Arena arena;
        auto& batch = *google::protobuf::Arena::CreateMessage<v1::RecordBatch>(&arena);
        batch.set_client_id(buffer->client_id());
        batch.set_first_seq(slice.first_seq + begin);
        for (std::size_t i = begin; i < end; ++i)
          batch.add_events()->ParseFromString(slice.events[i]);
        written = stream->Write(batch);  // blocks while the server applies back-pressure
        if (written) sent = slice.first_seq + end - 1;
      }
      if (!written) break;
    }
    // Cancel only a stream the server has not ended: cancelling one it ended would
    // replace its status (e.g. FAILED_PRECONDITION, no consent) with CANCELLED.
    if (!ended) ctx.TryCancel();
    reader.join();
    grpc::Status status = stream->Finish();
    std::lock_guard lock(mutex);
    live_ctx = nullptr;
    if (!stopping && !status.ok() && status.error_code() != grpc::StatusCode::CANCELLED) {
      Error error = to_error(status, conn.options);
      // A refusal repeats at every retry (e.g. no consent yet): say it once.
      if (error.message != last_error.message)
        client_log(LogLevel::warning, "recorder", "Recording stream ended: " + error.message);
      last_error = std::move(error);
    }
    return progressed;
  }

  void run() {
    auto backoff = std::chrono::milliseconds(50);
    for (;;) {
      const bool progressed = stream_once();
      std::unique_lock lock(mutex);
      if (stopping) return;
      if (progressed) backoff = std::chrono::milliseconds(50);
      changed.wait_for(lock, backoff, [&] { return stopping; });
      if (stopping) return;
      backoff = std::min(backoff * 2, options.max_backoff);
    }
  }
};

RecorderClient::RecorderClient(Connection connection, std::unique_ptr<EventBuffer> buffer,
                               RecorderOptions options)
    : impl_(std::make_unique<Impl>(std::move(connection))) {
  impl_->buffer = std::move(buffer);
  impl_->options = options;
  if (impl_->options.max_batch_events == 0) impl_->options.max_batch_events = 1;
  if (impl_->options.batches_per_sync == 0) impl_->options.batches_per_sync = 1;
  impl_->sender = std::thread([impl = impl_.get()] { impl->run(); });
}

RecorderClient::~RecorderClient() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    if (impl_->live_ctx != nullptr) impl_->live_ctx->TryCancel();
  }
  impl_->changed.notify_all();
  impl_->sender.join();
  if (Status st = impl_->buffer->sync(); !st)
    client_log(LogLevel::warning, "recorder", st.error().message);
}

Expected<std::uint64_t> RecorderClient::record(TraineeEvent event) {
  auto seq = impl_->buffer->append(std::move(event));
  if (seq) impl_->notify();
  return seq;
}

bool RecorderClient::wait_until_acked(std::chrono::milliseconds timeout) {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(
      lock, timeout, [&] { return impl_->buffer->acked_seq() >= impl_->buffer->last_seq(); });
}

const EventBuffer& RecorderClient::buffer() const { return *impl_->buffer; }

Error RecorderClient::last_error() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_error;
}

bool RecorderClient::refused_for_consent() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->last_error.code == ErrorCode::failed_precondition &&
         impl_->buffer->acked_seq() < impl_->buffer->last_seq();
}

std::uint64_t RecorderClient::connections() const { return impl_->connections.load(); }

}  // namespace cyrange::client
