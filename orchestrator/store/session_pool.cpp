#include <orchestrator/store/session_pool.h>

namespace cyrange::store {

SessionPool::SessionPool(std::string uri, std::string log_subsystem, std::size_t size)
    : uri_(std::move(uri)), log_subsystem_(std::move(log_subsystem)), size_(size > 0 ? size : 1) {}

SessionPool::~SessionPool() = default;

Expected<PgSession*> SessionPool::borrow() {
  std::unique_lock lock(mutex_);
  returned_.wait(lock, [&] { return !idle_.empty() || sessions_.size() + opening_ < size_; });
  if (!idle_.empty()) {
    PgSession* session = idle_.back();
    idle_.pop_back();
    return session;
  }
  ++opening_;
  lock.unlock();
  auto opened = PgSession::open(uri_, log_subsystem_);  // not under the lock: it connects
  lock.lock();
  --opening_;
  if (!opened) {
    returned_.notify_one();  // another caller may try
    return opened.error();
  }
  sessions_.push_back(std::move(opened).value());
  return sessions_.back().get();
}

void SessionPool::give_back(PgSession* session) {
  {
    std::lock_guard lock(mutex_);
    idle_.push_back(session);
  }
  returned_.notify_one();
}

Status SessionPool::run(std::string_view doing, const std::function<Status(pqxx::work&)>& body) {
  auto session = borrow();
  if (!session) return session.error();
  Status status = (*session)->run(doing, body);
  give_back(*session);
  return status;
}

}  // namespace cyrange::store
