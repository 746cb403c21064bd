#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <client-qt/recording/event_sink.h>
#include <client-qt/recording/pending_input.h>

namespace cyrange::qt::recording {

/// How the worker samples and how much it holds.
struct WorkerOptions {
  std::chrono::milliseconds move_interval{50};  ///< one mouse-move sample per window
  /// A window still open after this long without a new move is sent (the trailing
  /// sample of a gesture); twice the interval, so a short stall does not split a window.
  std::chrono::milliseconds move_idle{100};
  std::chrono::milliseconds waiting_poll{250};  ///< how often the sink's backlog is read
  /// How often the worker takes the queue while input arrives. The GUI thread never
  /// wakes it per input: on 2 busy cores a wake-up often handed the core to the worker
  /// in the middle of the filter (p99 of 177 us per mouse move instead of under 1 us).
  std::chrono::milliseconds drain_period{25};
  std::size_t wake_batch = 4096;    ///< a queue this long wakes the worker at once
  std::size_t max_queued = 200000;  ///< beyond this, inputs are dropped and counted
};

/// What the worker did so far, for the UI, tests and the benchmark.
struct RecordingCounters {
  std::uint64_t queued = 0;        ///< inputs pushed (raw moves included)
  std::uint64_t dropped = 0;       ///< pushed while the queue was full
  std::uint64_t raw_moves = 0;     ///< mouse moves before sampling
  std::uint64_t move_samples = 0;  ///< samples the moves became
  std::uint64_t delivered = 0;     ///< events the sink accepted
  std::uint64_t refused = 0;       ///< events the sink refused
};

/// The recorder's thread: takes inputs from the GUI thread through a short mutex-guarded
/// queue (the GUI thread never waits for anything else and does not wake the worker),
/// every drain_period while input arrives and every waiting_poll otherwise; samples mouse
/// moves, turns inputs into events in order and hands them to the sink; reads the sink's
/// backlog. Destroying it delivers what is queued, then joins.
class RecordingWorker {
 public:
  RecordingWorker(std::shared_ptr<EventSink> sink, WorkerOptions options);
  ~RecordingWorker();
  RecordingWorker(const RecordingWorker&) = delete;
  RecordingWorker& operator=(const RecordingWorker&) = delete;

  /// Queues one input (thread-safe; wakes the worker only when wake_batch are waiting).
  void push(PendingInput&& input);
  /// A snapshot of the counters (thread-safe).
  RecordingCounters counters() const;
  /// The sink's backlog as last read by the worker (thread-safe, lock-free).
  std::uint64_t waiting() const { return waiting_.load(std::memory_order_relaxed); }

 private:
  void run();
  void deliver(const PendingInput& input);
  void deliver_sample(const PendingInput& sample);

  const std::shared_ptr<EventSink> sink_;
  const WorkerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<PendingInput> queue_;  // guarded by mutex_
  bool stopping_ = false;            // guarded by mutex_
  std::atomic<std::uint64_t> queued_{0}, dropped_{0}, raw_moves_{0}, move_samples_{0},
      delivered_{0}, refused_{0}, waiting_{0};
  std::thread thread_;
};

}  // namespace cyrange::qt::recording
