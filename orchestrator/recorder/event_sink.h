#pragma once

#include <cstdint>
#include <functional>

#include <orchestrator/common/expected.h>
#include <orchestrator/recorder/event.h>

namespace cyrange::recorder {

/// Called once per submission with the client's highest committed sequence (the
/// acknowledgement) or the error that prevented the commit.
using CommitCallback = std::function<void(Expected<std::uint64_t>)>;

/// Where the RPC layer hands validated event batches. The callback runs on a
/// writer thread only after the events are durable in PostgreSQL.
class EventSink {
 public:
  virtual ~EventSink() = default;
  /// Queues `submission`; never blocks (the caller bounds what it has in flight).
  virtual void submit(Submission submission, CommitCallback done) = 0;
};

}  // namespace cyrange::recorder
