// The client foundation the Qt apps stand on: asynchronous calls with deadlines and
// cancel, one subscription type that may be cancelled or destroyed from anywhere
// (also inside its own callback), connectivity, and streams that resume after the
// server restarts without delivering anything twice.
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <client-core/scoring_client.h>
#include <client-core/system_client.h>
#include <client-core/testing/loopback_server.h>

namespace cyrange::client {
namespace {

using namespace std::chrono_literals;

// Collects what a callback saw, and lets the test wait for it.
template <class T>
class Seen {
 public:
  void add(const T& value) {
    std::lock_guard lock(mu_);
    values_.push_back(value);
    cv_.notify_all();
  }
  // Waits up to 10 s until `pred(values)` holds; the values then.
  template <class Pred>
  std::vector<T> wait_until(Pred pred) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 10s, [&] { return pred(values_); });
    return values_;
  }
  std::vector<T> wait_for(std::size_t n) {
    return wait_until([n](const std::vector<T>& v) { return v.size() >= n; });
  }
  std::size_t size() {
    std::lock_guard lock(mu_);
    return values_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<T> values_;
};

// A TCP port that accepts connections (the kernel completes the handshake) but never
// speaks: a server that never answers.
class SilentPort {
 public:
  SilentPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 16), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  }
  ~SilentPort() { ::close(fd_); }
  std::string target() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  int fd_ = -1;
  int port_ = 0;
};

Connection silent_connection(const SilentPort& port, std::chrono::milliseconds timeout) {
  ClientOptions options;
  options.target = port.target();
  options.plaintext = true;
  options.token = "x";
  options.timeout = timeout;
  return *Connection::open(options);
}

TEST(AsyncCall, ADeadlineIsHonouredByAServerThatNeverAnswers) {
  SilentPort port;
  ScoringClient client(silent_connection(port, 700ms));
  auto result = client.submit_answer_async("ex", "q1", "", "kakuu").wait();
  // gRPC ends it either at the deadline or when the connection attempt (bounded by the
  // deadline) times out; both are "unavailable", with a sentence in both languages.
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::unavailable) << result.error().message;
  EXPECT_NE(result.error().message.find("127.0.0.1"), std::string::npos) << result.error().message;
  EXPECT_FALSE(result.error().message_ja.empty());
}

TEST(AsyncCall, CancelEndsACallAtOnceLongBeforeItsDeadline) {
  SilentPort port;
  // An hour's deadline: only cancel() can end this call within the test's time limit.
  ScoringClient client(silent_connection(port, std::chrono::hours(1)));
  auto call = client.submit_answer_async("ex", "q1", "", "kakuu");
  std::promise<Expected<ScoringReply>> delivered;
  call.then([&](Expected<ScoringReply> r) { delivered.set_value(std::move(r)); });
  EXPECT_FALSE(call.finished());
  call.cancel();
  auto result = delivered.get_future().get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::cancelled);
  call.cancel();  // a second cancel after the end is harmless
}

TEST(AsyncCall, CompletionRunsOnTheExecutorNeverOnTheCallersThread) {
  testing::LoopbackServer server;
  ScoringClient red(server.connect("red"));
  std::promise<std::thread::id> ran_on;
  std::promise<Verdict> verdict;
  red.submit_answer_async("ex", "q1", "", "Kakuu").then([&](Expected<ScoringReply> r) {
    ran_on.set_value(std::this_thread::get_id());
    verdict.set_value(r ? r->verdict : Verdict::unknown);
  });
  EXPECT_NE(ran_on.get_future().get(), std::this_thread::get_id());
  EXPECT_EQ(verdict.get_future().get(), Verdict::correct);
  // The blocking form is the same call, waited for.
  auto again = red.submit_answer("ex", "q1", "", "kakuu");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->verdict, Verdict::already_solved);
  EXPECT_FALSE(again->message.ja.empty());
  EXPECT_FALSE(again->message.en.empty());
  EXPECT_EQ(again->message.en.find("達成"), std::string::npos) << "languages are not glued";
}

TEST(Subscription, CancelInsideItsOwnCallbackStopsEveryLaterCallback) {
  testing::LoopbackServer server;
  ScoringClient staff(server.connect("staff"));
  Seen<ScoreboardMessage> cancelled_one, witness;
  auto handle = std::make_shared<Subscription>();
  std::atomic<int> ends{0};
  // The first message may arrive before watch() has returned and the handle is filled in.
  std::promise<void> handle_set;
  auto handle_ready = handle_set.get_future().share();
  *handle = staff.watch(
      "ex", "",
      [&, handle, handle_ready](const ScoreboardMessage& m) {
        handle_ready.wait();
        handle->cancel();  // inside its own callback
        cancelled_one.add(m);
      },
      [&](const StreamEnd&) { ++ends; });
  handle_set.set_value();
  ASSERT_EQ(cancelled_one.wait_for(1).size(), 1u);
  EXPECT_FALSE(handle->active());
  // A second watcher sees the next change; the cancelled one must not.
  auto other = staff.watch("ex", "", [&](const ScoreboardMessage& m) { witness.add(m); });
  ASSERT_TRUE(ScoringClient(server.connect("red")).submit_answer("ex", "q2", "", "x"));
  auto seen = witness.wait_until(
      [](const std::vector<ScoreboardMessage>& v) { return v.size() >= 2 && !v.back().snapshot; });
  ASSERT_GE(seen.size(), 2u);
  other.cancel_and_wait();
  EXPECT_EQ(cancelled_one.size(), 1u);
  EXPECT_EQ(ends, 0) << "no end callback after the caller cancelled";
}

TEST(Subscription, DestroyingItInsideItsOwnCallbackIsSafe) {
  testing::LoopbackServer server;
  ScoringClient staff(server.connect("staff"));
  auto holder = std::make_shared<std::optional<Subscription>>();
  std::promise<bool> destroyed;
  *holder = staff.watch("ex", "", [holder, &destroyed](const ScoreboardMessage&) {
    if (!holder->has_value()) return;
    holder->reset();  // runs ~Subscription inside the callback
    destroyed.set_value(true);
  });
  EXPECT_TRUE(destroyed.get_future().get());
  // The stream's state outlives its handle until gRPC is done; a change now reaches
  // nobody and must not crash anything.
  ASSERT_TRUE(ScoringClient(server.connect("red")).submit_answer("ex", "q2", "", "x"));
  auto board = staff.scoreboard("ex");
  ASSERT_TRUE(board) << board.error().message;
}

TEST(Subscription, ARefusedStreamEndsOnceWithTheReason) {
  testing::LoopbackServer server;
  Seen<StreamEnd> ends;
  Seen<ScoreboardMessage> messages;
  auto watch = ScoringClient(server.connect("red"))
                   .watch(
                       "ex", "blue", [&](const ScoreboardMessage& m) { messages.add(m); },
                       [&](const StreamEnd& e) { ends.add(e); });
  auto end = ends.wait_for(1);
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0].reason, StreamEnd::Reason::failed);
  EXPECT_EQ(end[0].error.code, ErrorCode::permission_denied);
  EXPECT_FALSE(watch.active());
  EXPECT_EQ(messages.size(), 0u);
}

TEST(Subscription, ResumesAfterTheServerRestartsWithASnapshotAndNoDuplicateDeltas) {
  testing::LoopbackServer server;
  Connection staff_link = server.connect("staff");
  Seen<ScoreboardMessage> board;
  Seen<Connectivity> states;
  auto link =
      staff_link.watch_connectivity([&](const ConnectivityState& s) { states.add(s.state); });
  auto watch =
      ScoringClient(staff_link).watch("ex", "", [&](const ScoreboardMessage& m) { board.add(m); });
  ASSERT_EQ(board.wait_for(1).size(), 1u);
  ASSERT_TRUE(ScoringClient(server.connect("red")).submit_answer("ex", "q1", "", "kakuu"));
  board.wait_for(2);

  server.stop();
  states.wait_until([](const std::vector<Connectivity>& v) {
    return !v.empty() && v.back() == Connectivity::reconnecting;
  });
  server.start();
  auto seen = states.wait_until([](const std::vector<Connectivity>& v) {
    return v.size() >= 2 && v[v.size() - 2] == Connectivity::reconnecting &&
           v.back() == Connectivity::connected;
  });
  ASSERT_GE(seen.size(), 2u);
  EXPECT_EQ(seen.back(), Connectivity::connected);

  // After the restart: a fresh snapshot with what happened before, then new deltas.
  auto after = board.wait_until(
      [](const std::vector<ScoreboardMessage>& v) { return v.size() >= 3 && v.back().snapshot; });
  ASSERT_GE(after.size(), 3u);
  ASSERT_TRUE(after.back().snapshot);
  int red_total = -1;
  for (const auto& t : after.back().standings)
    if (t.team == "red") red_total = t.total;
  EXPECT_EQ(red_total, 100);
  ASSERT_TRUE(ScoringClient(server.connect("blue")).submit_answer("ex", "q2", "", "x"));
  auto all = board.wait_until([](const std::vector<ScoreboardMessage>& v) {
    return !v.empty() && !v.back().snapshot && !v.back().entries.empty() &&
           v.back().entries.back().team == "blue";
  });
  std::set<std::int64_t> delta_seqs;
  std::size_t deltas = 0;
  for (const auto& m : all) {
    if (m.snapshot) continue;
    for (const auto& e : m.entries) {
      ++deltas;
      delta_seqs.insert(e.seq);
    }
  }
  EXPECT_EQ(deltas, 2u);
  EXPECT_EQ(delta_seqs.size(), deltas) << "a delta was delivered twice";
}

TEST(Connectivity, ARefusedTokenMakesTheConnectionFailedWithTheReason) {
  testing::LoopbackServer server;
  Connection wrong = server.connect("not-a-token");
  Seen<ConnectivityState> states;
  auto link = wrong.watch_connectivity([&](const ConnectivityState& s) { states.add(s); });
  auto who = SystemClient(wrong).whoami();
  ASSERT_FALSE(who);
  EXPECT_EQ(who.error().code, ErrorCode::unauthenticated);
  auto seen = states.wait_until([](const std::vector<ConnectivityState>& v) {
    return !v.empty() && v.back().state == Connectivity::failed;
  });
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().state, Connectivity::failed);
  EXPECT_FALSE(seen.back().reason.en.empty());
}

}  // namespace
}  // namespace cyrange::client
