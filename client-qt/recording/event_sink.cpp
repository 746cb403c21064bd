#include <client-qt/recording/event_sink.h>

#include <utility>

namespace cyrange::qt::recording {

bool RecorderClientSink::deliver(client::TraineeEvent event) {
  // A refusal (full buffer) is logged by the buffer itself; the worker counts it.
  return recorder_.record(std::move(event)).has_value();
}

std::uint64_t RecorderClientSink::waiting() const {
  const client::EventBuffer& buffer = recorder_.buffer();
  const std::uint64_t last = buffer.last_seq();
  const std::uint64_t acked = buffer.acked_seq();
  return last > acked ? last - acked : 0;
}

}  // namespace cyrange::qt::recording
