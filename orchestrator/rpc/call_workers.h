#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cyrange::rpc {

/// A few threads that run slow handlers (analytics over a whole exercise) off gRPC's callback
/// threads, with a bounded backlog: a call that finds the backlog full is refused, never given
/// a thread of its own nor queued without limit. Thread-safe.
class CallWorkers {
 public:
  /// `threads` workers, at most `max_queued` jobs waiting.
  CallWorkers(int threads, std::size_t max_queued);
  /// Runs every accepted job, then stops the workers.
  ~CallWorkers();
  CallWorkers(const CallWorkers&) = delete;
  CallWorkers& operator=(const CallWorkers&) = delete;

  /// Queues `job`; false when the backlog is full (the job is dropped).
  bool post(std::function<void()> job);

 private:
  void work();

  const std::size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cyrange::rpc
