#include <client-qt/recording/recording_worker.h>

#include <algorithm>
#include <optional>
#include <utility>

#include <client-qt/recording/move_sampler.h>

namespace cyrange::qt::recording {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRelaxed = std::memory_order_relaxed;

}  // namespace

RecordingWorker::RecordingWorker(std::shared_ptr<EventSink> sink, WorkerOptions options)
    : sink_(std::move(sink)), options_(options) {
  queue_.reserve(1024);
  thread_ = std::thread([this] { run(); });
}

RecordingWorker::~RecordingWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void RecordingWorker::push(PendingInput&& input) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= options_.max_queued) {
      dropped_.fetch_add(1, kRelaxed);
      return;
    }
    queue_.push_back(std::move(input));
    wake = queue_.size() == options_.wake_batch;
  }
  queued_.fetch_add(1, kRelaxed);
  if (wake) wake_.notify_one();
}

RecordingCounters RecordingWorker::counters() const {
  RecordingCounters c;
  c.queued = queued_.load(kRelaxed);
  c.dropped = dropped_.load(kRelaxed);
  c.raw_moves = raw_moves_.load(kRelaxed);
  c.move_samples = move_samples_.load(kRelaxed);
  c.delivered = delivered_.load(kRelaxed);
  c.refused = refused_.load(kRelaxed);
  return c;
}

void RecordingWorker::deliver(const PendingInput& input) {
  if (sink_->deliver(to_trainee_event(input))) {
    delivered_.fetch_add(1, kRelaxed);
  } else {
    refused_.fetch_add(1, kRelaxed);
  }
}

void RecordingWorker::deliver_sample(const PendingInput& sample) {
  move_samples_.fetch_add(1, kRelaxed);
  deliver(sample);
}

void RecordingWorker::run() {
  MoveSampler sampler(options_.move_interval);
  std::vector<PendingInput> batch;
  batch.reserve(1024);
  Clock::time_point last_move;  // when the newest held move reached the filter
  Clock::time_point next_poll = Clock::now();
  bool busy = false;  // the last drain found input: more is likely to follow soon
  std::unique_lock lock(mutex_);
  for (;;) {
    Clock::time_point deadline = next_poll;
    if (busy) deadline = std::min(deadline, Clock::now() + options_.drain_period);
    if (sampler.holding()) deadline = std::min(deadline, last_move + options_.move_idle);
    wake_.wait_until(lock, deadline,
                     [this] { return stopping_ || queue_.size() >= options_.wake_batch; });
    batch.swap(queue_);
    busy = !batch.empty();
    const bool stopping = stopping_;
    lock.unlock();

    for (const PendingInput& input : batch) {
      if (input.kind == client::TraineeEventKind::mouse_move) {
        raw_moves_.fetch_add(input.count == 0 ? 1 : input.count, kRelaxed);
        last_move = Clock::time_point(std::chrono::nanoseconds(input.monotonic_ns));
        if (auto closed = sampler.add(input)) deliver_sample(*closed);
        continue;
      }
      // Any other event closes the window first, so the stored order is the real one.
      if (auto held = sampler.take()) deliver_sample(*held);
      deliver(input);
    }
    batch.clear();

    const Clock::time_point now = Clock::now();
    if (sampler.holding() && (stopping || now >= last_move + options_.move_idle)) {
      if (auto held = sampler.take()) deliver_sample(*held);
    }
    if (stopping || now >= next_poll) {
      waiting_.store(sink_->waiting(), kRelaxed);
      next_poll = now + options_.waiting_poll;
    }
    lock.lock();
    if (stopping && queue_.empty()) return;
  }
}

}  // namespace cyrange::qt::recording
