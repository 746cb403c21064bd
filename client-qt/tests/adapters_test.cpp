// The Qt adapters over client-core, on the offscreen platform against cyranged's
// server on loopback: results and stream messages arrive as typed signals on the GUI
// thread, a destroyed adapter emits nothing more, and the session shows a server
// restart as reconnecting, then connected, while the board comes back by itself.
#include <memory>

#include <QApplication>
#include <QPointer>
#include <QSignalSpy>
#include <QThread>

#include <gtest/gtest.h>

#include <client-core/testing/loopback_server.h>
#include <client-qt/scoring_adapter.h>
#include <client-qt/session.h>

namespace cyrange::qt {
namespace {

using client::Connectivity;

// Waits (processing events) until `spy` has at least `n` signals.
bool wait_for(QSignalSpy& spy, int n, int ms = 10000) {
  while (spy.count() < n) {
    if (!spy.wait(ms)) return spy.count() >= n;
  }
  return true;
}

// Waits until the session reports `state`.
bool wait_for_state(Session& session, Connectivity state) {
  QSignalSpy spy(&session, &Session::connectivityChanged);
  while (session.connectivity().state != state) {
    if (!spy.wait(10000)) return session.connectivity().state == state;
  }
  return true;
}

TEST(ScoringAdapter, RepliesAndBoardUpdatesArriveAsSignalsOnTheGuiThread) {
  client::testing::LoopbackServer server;
  Session staff(server.connect("staff"));
  Session red(server.connect("red"));
  ScoringAdapter board(&staff);
  ScoringAdapter answers(&red);
  QSignalSpy updates(&board, &ScoringAdapter::boardUpdated);
  QSignalSpy replies(&answers, &ScoringAdapter::replied);
  bool on_gui_thread = true;
  QObject::connect(&board, &ScoringAdapter::boardUpdated, [&] {
    on_gui_thread = on_gui_thread && QThread::currentThread() == qApp->thread();
  });

  board.watch("ex");
  ASSERT_TRUE(wait_for(updates, 1));
  EXPECT_TRUE(updates.at(0).at(0).value<client::ScoreboardMessage>().snapshot);

  const quint64 ticket = answers.submitAnswer("ex", "q1", "", "kakuu");
  ASSERT_TRUE(wait_for(replies, 1));
  EXPECT_EQ(replies.at(0).at(0).value<quint64>(), ticket);
  const auto reply = replies.at(0).at(1).value<client::ScoringReply>();
  EXPECT_EQ(reply.verdict, client::Verdict::correct);
  EXPECT_FALSE(reply.message.ja.empty());

  ASSERT_TRUE(wait_for(updates, 2));
  const auto delta = updates.at(1).at(0).value<client::ScoreboardMessage>();
  EXPECT_FALSE(delta.snapshot);
  ASSERT_EQ(delta.entries.size(), 1u);
  EXPECT_EQ(delta.entries[0].kind, client::EntryKind::solve);
  EXPECT_TRUE(on_gui_thread);
}

TEST(ScoringAdapter, ADestroyedAdapterEmitsNothingMore) {
  client::testing::LoopbackServer server;
  Session staff(server.connect("staff"));
  Session red(server.connect("red"));
  ScoringAdapter witness(&staff);
  QSignalSpy witnessed(&witness, &ScoringAdapter::boardUpdated);
  witness.watch("ex");
  ASSERT_TRUE(wait_for(witnessed, 1));

  auto* doomed = new ScoringAdapter(&red);
  QSignalSpy doomed_replies(doomed, &ScoringAdapter::replied);
  QSignalSpy doomed_updates(doomed, &ScoringAdapter::boardUpdated);
  doomed->watch("ex");
  doomed->submitAnswer("ex", "q2", "", "x");
  delete doomed;  // a call and a stream are in flight

  // The answer went through (the witness sees it), but the gone adapter says nothing.
  ASSERT_TRUE(wait_for(witnessed, 2));
  QCoreApplication::processEvents();
  EXPECT_EQ(doomed_replies.count(), 0);
  EXPECT_EQ(doomed_updates.count(), 0);
}

TEST(Session, AServerRestartShowsAsReconnectingThenConnectedAndTheBoardComesBack) {
  client::testing::LoopbackServer server;
  Session staff(server.connect("staff"));
  ScoringAdapter board(&staff);
  QSignalSpy updates(&board, &ScoringAdapter::boardUpdated);
  QSignalSpy ended(&board, &ScoringAdapter::watchEnded);
  board.watch("ex");
  ASSERT_TRUE(wait_for(updates, 1));
  ASSERT_TRUE(wait_for_state(staff, Connectivity::connected));

  server.stop();
  ASSERT_TRUE(wait_for_state(staff, Connectivity::reconnecting));
  EXPECT_FALSE(staff.connectivity().reason.ja.empty());
  server.start();
  ASSERT_TRUE(wait_for_state(staff, Connectivity::connected));
  ASSERT_TRUE(wait_for(updates, 2));
  EXPECT_TRUE(updates.at(1).at(0).value<client::ScoreboardMessage>().snapshot);
  EXPECT_EQ(ended.count(), 0) << "a lost link is not the end of the stream";
}

}  // namespace
}  // namespace cyrange::qt
