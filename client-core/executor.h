#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace cyrange::client {

/// A small pool of threads owned by a Connection on which every completion and stream
/// callback of client-core runs, so that no callback ever runs on the caller's thread
/// and gRPC's own threads never wait for application code.
class Executor {
 public:
  /// Starts `threads` worker threads.
  explicit Executor(unsigned threads = 2);
  /// Runs what is already due, then joins the workers (detaches one that destroys its
  /// own executor from inside a task).
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  /// Runs `task` on a worker as soon as one is free.
  void post(std::function<void()> task);
  /// Runs `task` on a worker once `delay` has passed (reconnect backoff).
  void post_after(std::chrono::milliseconds delay, std::function<void()> task);
  /// True on one of this executor's worker threads.
  bool in_worker() const;

  /// The process-wide executor every Connection uses. It is never destroyed: its idle
  /// threads outlive the last connection, so no gRPC object is ever released by a thread
  /// that is being torn down while the process exits.
  static const std::shared_ptr<Executor>& shared();

 private:
  // What the workers use. They hold it themselves, so that a worker whose task dropped
  // the last reference to the Executor (and so detached itself) still finds it.
  struct Queue {
    std::mutex mu;
    std::condition_variable cv;
    std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> tasks;
    bool stopping = false;
  };
  static void run(const std::shared_ptr<Queue>& queue);

  std::shared_ptr<Queue> queue_ = std::make_shared<Queue>();
  std::vector<std::thread> workers_;
};

/// Tasks posted to a Strand run one at a time and in order on its Executor: the
/// callbacks of one subscription or terminal never overlap. Create with make().
class Strand : public std::enable_shared_from_this<Strand> {
 public:
  /// A strand on `executor`.
  static std::shared_ptr<Strand> make(std::shared_ptr<Executor> executor);

  /// Queues `task` behind the strand's earlier tasks.
  void post(std::function<void()> task);
  /// Queues `task` after `delay`.
  void post_after(std::chrono::milliseconds delay, std::function<void()> task);
  /// True while the calling thread is running one of this strand's tasks.
  bool running_here() const;
  /// Blocks until no task of this strand is running (returns at once when called from
  /// inside one); for blocking callers that must outlive the callbacks they gave.
  void wait_idle() const;

 private:
  explicit Strand(std::shared_ptr<Executor> executor) : executor_(std::move(executor)) {}
  void drain();

  std::shared_ptr<Executor> executor_;
  mutable std::mutex mu_;
  mutable std::condition_variable idle_;
  std::deque<std::function<void()>> queue_;
  bool scheduled_ = false;
  std::thread::id running_on_{};
};

}  // namespace cyrange::client
