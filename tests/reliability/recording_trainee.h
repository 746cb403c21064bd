#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include <client-core/connection.h>
#include <client-core/recorder_client.h>
#include <orchestrator/common/expected.h>

namespace cyrange::reliability {

/// A trainee client that keeps typing: one recorded event every `period` from its own
/// thread, through the durable buffer and RecorderService, whatever happens to the
/// server meanwhile. The buffer's sequence numbers are the ground truth of what was sent.
class RecordingTrainee {
 public:
  /// Opens the buffer in `buffer_dir` and starts recording for `exercise`.
  static Expected<std::unique_ptr<RecordingTrainee>> start(client::Connection connection,
                                                           const std::filesystem::path& buffer_dir,
                                                           std::string exercise,
                                                           std::chrono::milliseconds period);
  /// Stops typing and the sender; unacknowledged events stay in the buffer.
  ~RecordingTrainee();
  RecordingTrainee(const RecordingTrainee&) = delete;
  RecordingTrainee& operator=(const RecordingTrainee&) = delete;

  /// Stops recording new events (the sender goes on resending).
  void stop_typing();
  /// Waits until the server acknowledged every recorded event.
  bool wait_until_acked(std::chrono::milliseconds timeout);
  /// Events recorded so far (the buffer's last sequence number).
  std::uint64_t recorded() const;
  /// Highest sequence number the server acknowledged.
  std::uint64_t acked() const;
  /// The client id under which the server stores the events.
  const std::string& client_id() const;
  /// Events the buffer refused (it never should).
  std::uint64_t refused() const { return refused_; }
  /// Streams the recorder opened; more than one after a reconnect.
  std::uint64_t connections() const;
  /// Why the last stream ended, for failure messages.
  std::string last_error() const;

 private:
  RecordingTrainee(std::unique_ptr<client::RecorderClient> recorder, std::string exercise,
                   std::chrono::milliseconds period);
  void type();

  std::unique_ptr<client::RecorderClient> recorder_;
  std::string exercise_;
  std::chrono::milliseconds period_;
  std::string client_id_;
  std::atomic<bool> typing_{true};
  std::atomic<std::uint64_t> refused_{0};
  std::thread thread_;
};

}  // namespace cyrange::reliability
