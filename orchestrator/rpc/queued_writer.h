#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>

#include <grpcpp/grpcpp.h>

#include <orchestrator/rpc/stream_lease.h>

namespace cyrange::rpc {

/// A server stream that writes messages queued from any thread, one write at a time,
/// never blocking inside a reaction. Nothing is written before ready() (the watch's
/// snapshot goes first); a reader that falls more than `limit` messages behind is cut
/// off with RESOURCE_EXHAUSTED rather than growing memory without bound. Subclasses
/// subscribe to their source, call ready() with the snapshot, and override OnDone() to
/// unsubscribe and delete themselves.
template <class Message>
class QueuedWriter : public grpc::ServerWriteReactor<Message> {
 public:
  /// `overflow` is the message the client gets when it is cut off.
  QueuedWriter(std::size_t limit, std::string overflow)
      : limit_(limit), overflow_(std::move(overflow)) {}

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mutex_);
    writing_ = false;
    if (!ok) {
      finish_locked(grpc::Status(grpc::StatusCode::CANCELLED, "The watcher went away."));
      return;
    }
    write_next_locked();
  }

  void OnCancel() override {
    std::lock_guard lock(mutex_);
    finish_locked(grpc::Status::CANCELLED);
  }

  /// Keeps the stream under the token re-check until the reactor is deleted (in OnDone).
  void hold(StreamLease lease) { lease_ = std::move(lease); }

 protected:
  /// Queues `message` behind everything before it.
  void push(Message message) {
    std::lock_guard lock(mutex_);
    if (finished_) return;
    if (queue_.size() >= limit_) {
      finish_locked(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, overflow_));
      return;
    }
    queue_.push_back(std::move(message));
    write_next_locked();
  }

  /// Writes `snapshot`, then what was pushed meanwhile, then every later push.
  void ready(std::deque<Message> snapshot) {
    std::lock_guard lock(mutex_);
    snapshot.insert(snapshot.end(), queue_.begin(), queue_.end());
    queue_.swap(snapshot);
    ready_ = true;
    write_next_locked();
  }

  /// Ends the stream with `status` (once).
  void finish(const grpc::Status& status) {
    std::lock_guard lock(mutex_);
    finish_locked(status);
  }

  /// Called under the queue's lock just before `message` is written; false drops it
  /// (e.g. a message the snapshot already carried).
  virtual bool should_write(const Message& /*message*/) { return true; }

 private:
  void write_next_locked() {
    while (ready_ && !writing_ && !finished_ && !queue_.empty()) {
      current_ = std::move(queue_.front());
      queue_.pop_front();
      if (!should_write(current_)) continue;
      writing_ = true;
      this->StartWrite(&current_);
    }
  }

  void finish_locked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    queue_.clear();
    this->Finish(status);
  }

  const std::size_t limit_;
  const std::string overflow_;
  std::mutex mutex_;
  std::deque<Message> queue_;
  Message current_;
  bool ready_ = false;
  bool writing_ = false;
  bool finished_ = false;
  StreamLease lease_;
};

}  // namespace cyrange::rpc
