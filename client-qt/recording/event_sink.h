#pragma once

#include <cstdint>

#include <client-core/recorder_client.h>

namespace cyrange::qt::recording {

/// Where the recording worker puts finished events; called on the worker thread only.
class EventSink {
 public:
  virtual ~EventSink() = default;
  /// Stores one event; false when it was refused (e.g. the disk buffer is full).
  virtual bool deliver(client::TraineeEvent event) = 0;
  /// Events stored here that the server has not acknowledged yet (0 when unknown).
  virtual std::uint64_t waiting() const { return 0; }
};

/// The production sink: RecorderClient::record, i.e. the durable disk buffer that the
/// client's sender streams to cyranged exactly once. `recorder` must outlive the sink.
class RecorderClientSink final : public EventSink {
 public:
  explicit RecorderClientSink(client::RecorderClient& recorder) : recorder_(recorder) {}
  bool deliver(client::TraineeEvent event) override;
  /// The buffer's last sequence minus its acknowledged one (takes the buffer's lock,
  /// which an fsync may hold: hence read on the worker, never on the GUI thread).
  std::uint64_t waiting() const override;

 private:
  client::RecorderClient& recorder_;
};

}  // namespace cyrange::qt::recording
