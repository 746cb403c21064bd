#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/store/pg_session.h>

namespace cyrange::store {

/// A few PgSessions shared by calls that may run at once: a call borrows an idle session
/// (opened on first need, at most `size` of them), waits while all are busy, and gives it back,
/// so a stream of calls reuses the same connections instead of opening one each. Thread-safe.
class SessionPool {
 public:
  /// Sessions to `uri`, logged as `log_subsystem`; nothing is opened yet.
  SessionPool(std::string uri, std::string log_subsystem, std::size_t size);
  ~SessionPool();
  SessionPool(const SessionPool&) = delete;
  SessionPool& operator=(const SessionPool&) = delete;

  /// Runs `body` in one transaction on a borrowed session; as PgSession::run.
  Status run(std::string_view doing, const std::function<Status(pqxx::work&)>& body);

 private:
  Expected<PgSession*> borrow();
  void give_back(PgSession* session);

  const std::string uri_, log_subsystem_;
  const std::size_t size_;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<PgSession>> sessions_;  // every session opened
  std::vector<PgSession*> idle_;
  std::size_t opening_ = 0;  // sessions being opened, counted against size_
};

}  // namespace cyrange::store
