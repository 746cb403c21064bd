// The score ledger on a real PostgreSQL (a throw-away database per test).
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include <orchestrator/identity/identity_store.h>
#include <orchestrator/scoring/pg_ledger_store.h>
#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/store/database.h>
#include <orchestrator/store/pqxx_access.h>
#include <orchestrator/store/testing/temp_database.h>

namespace cyrange::scoring {
namespace {

using identity::Identity;
using identity::Role;

ExerciseScoring setup(const std::vector<std::string>& teams) {
  ScoringRules rules;
  rules.objectives["flag"] = ObjectiveRules::single(AnswerRule::normalized("kakuu"), 100);
  rules.objectives["flag"].max_wrong_answers = 3;
  ExerciseScoring s;
  s.exercise_id = "ex-pg";
  s.teams = teams;
  for (const auto& team : teams) {
    s.team_rules[team] = rules;
    s.team_variables[team] = {};
  }
  return s;
}

std::unique_ptr<PgLedgerStore> open_store(const std::string& uri) {
  auto store = PgLedgerStore::open(uri);
  if (!store) ADD_FAILURE() << store.error().message;
  return std::move(store).value();
}

// Runs one statement on its own connection; returns the error text ("" on success).
std::string try_sql(const std::string& uri, const std::string& sql) {
  auto db = store::Database::connect(uri);
  if (!db) return db.error().message;
  try {
    pqxx::work tx(store::internal::PqxxAccess::connection(**db));
    tx.exec(sql);
    tx.commit();
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

Decision answer(const ScoringEngine& engine, const std::string& team, const std::string& value) {
  return [&engine, team, value](const ObjectiveState& state) {
    return engine.submit({team, "flag", "", value, "rin", std::chrono::milliseconds(1)}, state, {});
  };
}

TEST(PgLedgerStore, RowsCanBeAppendedButNeverChangedOrDeleted) {
  store::testing::TempDatabase db;
  auto store = open_store(db.uri());
  auto engine = ScoringEngine::create(setup({"red"}).team_rules.at("red")).value();
  auto appended = store->append_decided("ex-pg", "red", "flag", answer(engine, "red", "kakuu"));
  ASSERT_TRUE(appended) << appended.error().message;
  ASSERT_EQ(appended->entries.size(), 1u);
  EXPECT_GT(appended->entries[0].seq, 0);

  EXPECT_NE(try_sql(db.uri(), "UPDATE ledger_entries SET points = 1000").find("append-only"),
            std::string::npos);
  EXPECT_NE(try_sql(db.uri(), "DELETE FROM ledger_entries").find("append-only"), std::string::npos);
  EXPECT_NE(try_sql(db.uri(), "TRUNCATE ledger_entries").find("append-only"), std::string::npos);
  EXPECT_NE(try_sql(db.uri(),
                    "INSERT INTO ledger_entries (exercise_id, team, kind, points, actor, reason, "
                    "exercise_time_ms) VALUES ('ex-pg', 'red', 'adjustment', 5, 'x', ' ', 0)"),
            "");
  auto entries = store->entries("ex-pg");
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0], appended->entries[0]);
}

// Who acted and what a trainee typed are personal data kept only until withdrawal, retention
// or erase: ledger_redact() replaces them, and the trigger lets nothing else change a row.
TEST(PgLedgerStore, OnlyThePersonalFieldsCanBeRedactedAndTheSumsStay) {
  store::testing::TempDatabase db;
  auto store = open_store(db.uri());
  auto engine = ScoringEngine::create(setup({"red"}).team_rules.at("red")).value();
  ASSERT_TRUE(store->append_decided("ex-pg", "red", "flag", answer(engine, "red", "kitty")));
  ASSERT_TRUE(store->append_decided("ex-pg", "red", "flag", answer(engine, "red", "kakuu")));
  const std::string sums = "SELECT count(*) || '/' || sum(points) FROM ledger_entries";
  const std::string before = db.query_one(sums);

  // As cyranged's role: a rewrite of the actor or the points is refused.
  EXPECT_NE(try_sql(db.daemon_uri(), "UPDATE ledger_entries SET points = 0, redacted_at = now()"),
            "");
  EXPECT_NE(try_sql(db.daemon_uri(),
                    "UPDATE ledger_entries SET actor = 'someone-else', redacted_at = now()")
                .find("append-only"),
            std::string::npos);
  EXPECT_NE(try_sql(db.daemon_uri(),
                    "UPDATE ledger_entries SET reason = 'Correct answer.', redacted_at = now() "
                    "WHERE kind = 'wrong_answer'")
                .find("append-only"),
            std::string::npos);

  EXPECT_EQ(try_sql(db.daemon_uri(), "SELECT ledger_redact('rin', 'ex-pg', NULL, 'redacted')"), "");
  EXPECT_EQ(db.query_one(sums), before);
  EXPECT_EQ(db.query_one("SELECT string_agg(kind || ':' || actor || ':' || reason, ' | ' ORDER BY "
                         "seq) FROM ledger_entries"),
            "wrong_answer:redacted:Wrong answer (text removed). | solve:redacted:Correct answer.");
  EXPECT_EQ(db.query_one("SELECT count(*) FROM ledger_entries WHERE redacted_at IS NULL"), "0");
  auto entries = store->entries("ex-pg");
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->front().actor, "redacted");
}

TEST(PgLedgerStore, ConcurrentSubmissionsFromTwoConnectionsAwardOnce) {
  store::testing::TempDatabase db;
  auto first = open_store(db.uri());
  auto second = open_store(db.uri());
  auto engine = ScoringEngine::create(setup({"red"}).team_rules.at("red")).value();
  std::atomic<int> correct{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    PgLedgerStore* store = i % 2 ? first.get() : second.get();
    threads.emplace_back([&, store] {
      for (int round = 0; round < 3; ++round) {
        auto outcome =
            store->append_decided("ex-pg", "red", "flag", answer(engine, "red", "KAKUU"));
        if (outcome && outcome->verdict == Verdict::correct) ++correct;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(correct.load(), 1);
  auto entries = first->entries("ex-pg");
  ASSERT_TRUE(entries);
  EXPECT_EQ(entries->size(), 1u);
}

TEST(PgLedgerStore, WrongAnswerLimitHoldsUnderConcurrency) {
  store::testing::TempDatabase db;
  auto first = open_store(db.uri());
  auto second = open_store(db.uri());
  auto engine = ScoringEngine::create(setup({"red"}).team_rules.at("red")).value();
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    PgLedgerStore* store = i % 2 ? first.get() : second.get();
    threads.emplace_back([&, store] {
      for (int round = 0; round < 2; ++round) {
        (void)store->append_decided("ex-pg", "red", "flag", answer(engine, "red", "wrong"));
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(first->entries("ex-pg")->size(), 3u);  // max_wrong_answers
}

TEST(PgLedgerStore, BoardRecomputedFromTheLedgerEqualsTheLiveBoard) {
  store::testing::TempDatabase db;
  std::shared_ptr<PgLedgerStore> store = open_store(db.uri());
  auto identities = identity::PgIdentityStore::open(db.uri());
  ASSERT_TRUE(identities) << identities.error().message;
  const std::int64_t red_id = (*identities)->ensure_team("red").value();
  const std::int64_t blue_id = (*identities)->ensure_team("blue").value();
  const Identity red{1, "rin", Role::trainee, red_id};
  const Identity blue{2, "ben", Role::trainee, blue_id};
  const Identity instructor{3, "ida", Role::instructor, std::nullopt};

  ScoreHub hub(store);
  ASSERT_TRUE(hub.open(setup({"red", "blue"})));
  ASSERT_TRUE(hub.submit(blue, "ex-pg", "flag", "", "no"));
  ASSERT_TRUE(hub.submit(red, "ex-pg", "flag", "", "kakuu"));
  ASSERT_TRUE(hub.submit(blue, "ex-pg", "flag", "", "ｋａｋｕｕ"));
  ASSERT_TRUE(hub.adjust(instructor, "ex-pg", "red", "", -15, "Shared the answer in chat."));
  ASSERT_TRUE(hub.set_mode(instructor, "ex-pg", BoardMode::hidden));
  const Scoreboard live = hub.find("ex-pg").value()->scoreboard();

  auto entries = store->entries("ex-pg");
  ASSERT_TRUE(entries);
  auto rules = setup({"red", "blue"});
  const Scoreboard recomputed = derive(*entries, {&rules.team_rules.at("red"), rules.teams});
  ASSERT_EQ(live.standings.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(recomputed.standings[i].team, live.standings[i].team);
    EXPECT_EQ(recomputed.standings[i].total, live.standings[i].total);
    EXPECT_EQ(recomputed.standings[i].objectives.at("flag").state,
              live.standings[i].objectives.at("flag").state);
  }
  EXPECT_EQ(live.find("red")->total, 85);
  EXPECT_EQ(live.find("blue")->total, 100);

  // A restarted daemon replays the same ledger and keeps the board mode.
  ScoreHub restarted(open_store(db.uri()));
  ASSERT_TRUE(restarted.open(setup({"red", "blue"})));
  EXPECT_EQ(restarted.find("ex-pg").value()->scoreboard().find("red")->total, 85);
  auto view = restarted.board(blue, "ex-pg", "");
  ASSERT_TRUE(view);
  EXPECT_EQ(view->visibility.mode, BoardMode::hidden);
  EXPECT_TRUE(view->board.empty());
}

}  // namespace
}  // namespace cyrange::scoring
