#include <client-core/executor.h>

namespace cyrange::client {

Executor::Executor(unsigned threads) {
  if (threads == 0) threads = 1;
  for (unsigned i = 0; i < threads; ++i) workers_.emplace_back([queue = queue_] { run(queue); });
}

Executor::~Executor() {
  {
    std::lock_guard lock(queue_->mu);
    queue_->stopping = true;
  }
  queue_->cv.notify_all();
  for (auto& w : workers_) {
    if (w.get_id() == std::this_thread::get_id()) {
      w.detach();  // the last owner let go from inside a task: this thread ends by itself
    } else if (w.joinable()) {
      w.join();
    }
  }
}

const std::shared_ptr<Executor>& Executor::shared() {
  static const auto* instance = new std::shared_ptr<Executor>(std::make_shared<Executor>(2));
  return *instance;
}

void Executor::post(std::function<void()> task) {
  post_after(std::chrono::milliseconds(0), std::move(task));
}

void Executor::post_after(std::chrono::milliseconds delay, std::function<void()> task) {
  {
    std::lock_guard lock(queue_->mu);
    queue_->tasks.emplace(std::chrono::steady_clock::now() + delay, std::move(task));
  }
  queue_->cv.notify_one();
}

bool Executor::in_worker() const {
  for (const auto& w : workers_) {
    if (w.get_id() == std::this_thread::get_id()) return true;
  }
  return false;
}

void Executor::run(const std::shared_ptr<Queue>& queue) {
  std::unique_lock lock(queue->mu);
  for (;;) {
    if (queue->tasks.empty()) {
      if (queue->stopping) return;
      queue->cv.wait(lock);
      continue;
    }
    auto first = queue->tasks.begin();
    const auto now = std::chrono::steady_clock::now();
    if (first->first > now) {
      // Delayed work (a reconnect backoff) is dropped at shutdown rather than waited for.
      if (queue->stopping) return;
      queue->cv.wait_until(lock, first->first);
      continue;
    }
    auto task = std::move(first->second);
    queue->tasks.erase(first);
    lock.unlock();
    task();
    task = nullptr;  // release what the task captured before taking the lock again
    lock.lock();
  }
}

std::shared_ptr<Strand> Strand::make(std::shared_ptr<Executor> executor) {
  return std::shared_ptr<Strand>(new Strand(std::move(executor)));
}

void Strand::post(std::function<void()> task) {
  std::lock_guard lock(mu_);
  queue_.push_back(std::move(task));
  if (scheduled_) return;
  scheduled_ = true;
  executor_->post([self = shared_from_this()] { self->drain(); });
}

void Strand::post_after(std::chrono::milliseconds delay, std::function<void()> task) {
  executor_->post_after(delay, [self = shared_from_this(), task = std::move(task)]() mutable {
    self->post(std::move(task));
  });
}

bool Strand::running_here() const {
  std::lock_guard lock(mu_);
  return running_on_ == std::this_thread::get_id();
}

void Strand::wait_idle() const {
  std::unique_lock lock(mu_);
  if (running_on_ == std::this_thread::get_id()) return;
  idle_.wait(lock, [&] { return running_on_ == std::thread::id{}; });
}

void Strand::drain() {
  std::unique_lock lock(mu_);
  while (!queue_.empty()) {
    auto task = std::move(queue_.front());
    queue_.pop_front();
    running_on_ = std::this_thread::get_id();
    lock.unlock();
    task();
    task = nullptr;
    lock.lock();
    running_on_ = {};
    idle_.notify_all();
  }
  scheduled_ = false;
}

}  // namespace cyrange::client
