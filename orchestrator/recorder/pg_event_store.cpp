#include <orchestrator/recorder/pg_event_store.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <utility>

#include <orchestrator/common/log.h>
#include <orchestrator/recorder/copy_rows.h>
#include <orchestrator/recorder/libpq_connection.h>
#include <orchestrator/store/database.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::recorder {

namespace internal = store::internal;

namespace {

// Bytes of COPY data handed to libpq at a time: PostgreSQL stores one chunk
// while the writer encodes the next, and no group is ever held twice in memory.
constexpr std::size_t kCopyChunkBytes = 64u << 10;

// The distinct exercises of a submission's events (almost always one).
std::vector<std::string> exercises_of(const Submission& s) {
  std::vector<std::string> out;
  for (const Event& e : s.events) {
    if (!out.empty() && out.back() == e.exercise_id) continue;
    if (std::find(out.begin(), out.end(), e.exercise_id) == out.end()) out.push_back(e.exercise_id);
  }
  return out;
}

}  // namespace

struct PgEventStore::KnownFacts {
  std::mutex mutex;
  std::map<std::pair<std::int64_t, std::string>, std::string> pseudonyms;  // (user, exercise)
  std::map<std::string, std::string> partitions;           // exercise -> partition table
  std::set<std::pair<std::string, std::int64_t>> allowed;  // (exercise, team)
};

std::shared_ptr<PgEventStore::KnownFacts> PgEventStore::share_facts() {
  return std::make_shared<KnownFacts>();
}

struct PgEventStore::Impl {
  std::string uri;
  std::unique_ptr<LibpqConnection> pg;
  // Facts that do not change while an exercise runs; they save round trips on
  // the hot path. Looked up under the mutex, asked for without it (two writers
  // may ask at once; the answers are the same).
  std::shared_ptr<KnownFacts> facts;

  Status ensure_connected() {
    if (pg) return Status::success();
    auto opened = LibpqConnection::connect(uri);
    if (!opened) return opened.error();
    pg = std::move(opened).value();
    return Status::success();
  }

  // The error of a failed attempt. The connection is dropped and opened again on the
  // next attempt: after a failure it may be gone or stuck in the middle of a COPY.
  Error to_error(const std::exception& e, std::string_view doing) {
    pg.reset();
    const auto* failed = dynamic_cast<const LibpqError*>(&e);
    if (failed != nullptr && failed->lost()) {
      return make_error(ErrorCode::unavailable,
                        internal::unavailable_message(store::redact_uri(uri), e.what()));
    }
    return internal::to_error(e, doing, store::redact_uri(uri));
  }

  bool team_plays(const std::string& exercise, std::int64_t team) {
    {
      std::lock_guard lock(facts->mutex);
      if (facts->allowed.count({exercise, team}) != 0) return true;
    }
    if (pg->exec("SELECT 1 FROM exercise_teams WHERE exercise_id = $1 AND team_id = $2",
                 {exercise, std::to_string(team)})
            .empty())
      return false;
    std::lock_guard lock(facts->mutex);
    facts->allowed.insert({exercise, team});
    return true;
  }

  // A trainee's pseudonym is one of the exercise: recordings of two exercises cannot be
  // linked through it.
  std::string pseudonym(std::int64_t user_id, const std::string& exercise) {
    const auto key = std::make_pair(user_id, exercise);
    {
      std::lock_guard lock(facts->mutex);
      auto it = facts->pseudonyms.find(key);
      if (it != facts->pseudonyms.end()) return it->second;
    }
    const std::string user = std::to_string(user_id);
    pg->exec(
        "INSERT INTO trainee_pseudonyms (user_id, exercise_id) VALUES ($1, $2) "
        "ON CONFLICT DO NOTHING",
        {user, exercise});
    auto rows =
        pg->exec("SELECT pseudonym FROM trainee_pseudonyms WHERE user_id = $1 AND exercise_id = $2",
                 {user, exercise});
    if (rows.empty()) {
      throw LibpqError("The pseudonym of user " + user +
                           " is missing right after it was created; was the user deleted?",
                       false);
    }
    std::lock_guard lock(facts->mutex);
    return facts->pseudonyms[key] = rows[0][0];
  }

  std::string partition(const std::string& exercise) {
    {
      std::lock_guard lock(facts->mutex);
      auto it = facts->partitions.find(exercise);
      if (it != facts->partitions.end()) return it->second;
    }
    auto rows = pg->exec("SELECT recorder_ensure_partition($1)", {exercise});
    std::lock_guard lock(facts->mutex);
    return facts->partitions[exercise] = rows.at(0).at(0);
  }

  std::vector<Expected<std::uint64_t>> commit_once(const std::vector<const Submission*>& group);

  // The guard of consent: a submission whose trainee has no active scoring consent
  // for one of its exercises is refused whole. One query per group, for every
  // (trainee, exercise) pair in it, inside the commit transaction, and FOR SHARE:
  // a withdrawal (UPDATE of the consent row, then DELETE of the events, in one
  // transaction) either waits until this group committed and then deletes its
  // rows too, or has committed first and this query no longer finds the consent.
  // So nothing is ever stored after a withdrawal, whatever a cache upstream believed.
  void require_consent(const std::vector<const Submission*>& group,
                       const std::vector<std::vector<std::string>>& exercises,
                       std::vector<Expected<std::uint64_t>>& results, std::vector<bool>& eligible) {
    std::set<std::pair<std::int64_t, std::string>> wanted;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!eligible[i]) continue;
      for (const std::string& exercise : exercises[i]) wanted.insert({group[i]->user_id, exercise});
    }
    if (wanted.empty()) return;
    std::string pairs;
    std::vector<std::string> params;
    for (const auto& [user, exercise] : wanted) {
      if (!pairs.empty()) pairs += ", ";
      pairs += "($" + std::to_string(params.size() + 1) + "::bigint, $" +
               std::to_string(params.size() + 2) + ")";
      params.push_back(std::to_string(user));
      params.push_back(exercise);
    }
    std::set<std::pair<std::int64_t, std::string>> granted;
    for (const auto& row :
         pg->exec("SELECT user_id, exercise_id FROM consents WHERE purpose = 'scoring' AND "
                  "withdrawn_at IS NULL AND (user_id, exercise_id) IN (" +
                      pairs + ") FOR SHARE",
                  params)) {
      granted.insert({std::stoll(row[0]), row[1]});
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!eligible[i]) continue;
      for (const std::string& exercise : exercises[i]) {
        if (granted.count({group[i]->user_id, exercise}) != 0) continue;
        results[i] = missing_consent(exercise);
        eligible[i] = false;
        break;
      }
    }
  }

  // COPYs the events of `exercise` from index from[i] on of every eligible
  // submission into its partition, encoded straight into binary COPY chunks.
  void copy_events(const std::string& exercise, const std::vector<const Submission*>& group,
                   const std::vector<bool>& eligible, const std::vector<std::size_t>& from,
                   const std::vector<std::string>& client_uuids) {
    // Known since the preparation: no statement runs while the COPY is open.
    std::vector<std::string> trainees(group.size());
    for (std::size_t i = 0; i < group.size(); ++i)
      if (eligible[i]) trainees[i] = pseudonym(group[i]->user_id, exercise);
    pg->copy_begin(partition(exercise),
                   std::vector<std::string_view>(kEventColumns.begin(), kEventColumns.end()));
    std::string chunk(kCopyHeader);
    chunk.reserve(kCopyChunkBytes + 4096);
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!eligible[i]) continue;
      const Submission& s = *group[i];
      for (std::size_t k = from[i]; k < s.events.size(); ++k) {
        if (s.events[k].exercise_id != exercise) continue;
        append_copy_tuple(chunk, s, s.events[k], s.first_seq + k, trainees[i], client_uuids[i]);
        if (chunk.size() >= kCopyChunkBytes) {
          pg->copy_send(chunk);
          chunk.clear();
        }
      }
    }
    chunk += kCopyTrailer;
    pg->copy_send(chunk);
    pg->copy_end();
  }
};

namespace {

// BEGIN now, ROLLBACK unless committed: a failed statement never leaves the
// connection inside a transaction.
class Transaction {
 public:
  explicit Transaction(LibpqConnection& pg) : pg_(pg) { pg_.exec("BEGIN"); }
  ~Transaction() {
    if (!open_) return;
    try {
      pg_.exec("ROLLBACK");
    } catch (const std::exception&) {
      // The connection is gone; the server rolls back by itself.
    }
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void commit() {
    open_ = false;
    pg_.exec("COMMIT");
  }

 private:
  LibpqConnection& pg_;
  bool open_ = true;
};

}  // namespace

std::vector<Expected<std::uint64_t>> PgEventStore::Impl::commit_once(
    const std::vector<const Submission*>& group) {
  const Error pending = make_error(ErrorCode::internal, "The batch was not processed.");
  std::vector<Expected<std::uint64_t>> results(group.size(), Expected<std::uint64_t>(pending));
  std::vector<bool> eligible(group.size(), true);
  std::vector<std::vector<std::string>> exercises(group.size());
  std::vector<std::string> client_uuids(group.size());

  // Authorisation and preparation, each in short transactions of their own (and
  // only the first time a writer of the pipeline meets the exercise or trainee).
  for (std::size_t i = 0; i < group.size(); ++i) {
    const Submission& s = *group[i];
    client_uuids[i] = uuid_bytes(s.client_id);
    if (client_uuids[i].empty()) {
      results[i] = make_error(ErrorCode::invalid_argument,
                              "The recorder client id '" + s.client_id.substr(0, 64) +
                                  "' is not a UUID; the client library creates one in its buffer "
                                  "directory.");
      eligible[i] = false;
      continue;
    }
    exercises[i] = exercises_of(s);
    for (const std::string& exercise : exercises[i]) {
      if (team_plays(exercise, s.team_id)) continue;
      results[i] = make_error(ErrorCode::permission_denied,
                              "Exercise '" + exercise + "' does not include your team (id " +
                                  std::to_string(s.team_id) +
                                  "); a trainee can record only in their own team's exercises. "
                                  "自分のチームの演習以外には記録できません。");
      eligible[i] = false;
      break;
    }
    if (!eligible[i]) continue;
    for (const std::string& exercise : exercises[i]) {
      pseudonym(s.user_id, exercise);
      partition(exercise);
    }
  }

  Transaction tx(*pg);
  require_consent(group, exercises, results, eligible);
  // Lock each client's watermark row in a fixed order, so concurrent writers that
  // hold the same clients cannot deadlock.
  struct ClientState {
    std::int64_t owner = 0;
    std::uint64_t committed = 0;
    std::uint64_t initial = 0;
  };
  std::map<std::string, ClientState> clients;
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (eligible[i]) clients[group[i]->client_id].owner = group[i]->user_id;
  }
  for (auto& [client_id, state] : clients) {
    pg->exec(
        "INSERT INTO recorder_clients (client_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        {client_id, std::to_string(state.owner)});
    auto rows = pg->exec(
        "SELECT COALESCE(user_id, 0), highest_committed_seq FROM recorder_clients "
        "WHERE client_id = $1 FOR UPDATE",
        {client_id});
    state.owner = std::stoll(rows.at(0).at(0));
    state.committed = state.initial = std::stoull(rows.at(0).at(1));
  }

  // What each submission adds: its events after the client's watermark (the ones
  // up to it are a replay after a lost ack and already stored). Submissions of one
  // client are taken in group order, so the watermark moves as they are.
  std::vector<std::size_t> from(group.size(), 0);
  std::vector<std::string> targets;  // exercises that get rows, in first-seen order
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (!eligible[i]) continue;
    const Submission& s = *group[i];
    ClientState& state = clients[s.client_id];
    if (state.owner != s.user_id) {
      results[i] = make_error(ErrorCode::permission_denied,
                              "The recorder client id " + s.client_id +
                                  " belongs to another user; start the client with a fresh buffer "
                                  "directory. 別のユーザーのクライアント ID です。");
      eligible[i] = false;
      continue;
    }
    if (s.events.empty() || s.last_seq() <= state.committed) {
      from[i] = s.events.size();
      continue;
    }
    from[i] = state.committed >= s.first_seq ? state.committed - s.first_seq + 1 : 0;
    state.committed = s.last_seq();
    for (const std::string& exercise : exercises[i]) {
      if (std::find(targets.begin(), targets.end(), exercise) == targets.end())
        targets.push_back(exercise);
    }
  }
  // Rows go straight into each exercise's partition: COPY into the partitioned
  // parent would route every row again.
  for (const std::string& exercise : targets) {
    copy_events(exercise, group, eligible, from, client_uuids);
  }
  for (const auto& [client_id, state] : clients) {
    if (state.committed == state.initial) continue;
    pg->exec(
        "UPDATE recorder_clients SET highest_committed_seq = $2, updated_at = now() "
        "WHERE client_id = $1",
        {client_id, std::to_string(state.committed)});
  }
  tx.commit();
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (eligible[i]) results[i] = clients[group[i]->client_id].committed;
  }
  return results;
}

PgEventStore::PgEventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgEventStore::~PgEventStore() = default;

Expected<std::unique_ptr<PgEventStore>> PgEventStore::open(const std::string& uri,
                                                           std::shared_ptr<KnownFacts> facts) {
  auto impl = std::make_unique<Impl>();
  impl->uri = uri;
  impl->facts = facts ? std::move(facts) : share_facts();
  if (Status st = impl->ensure_connected(); !st) return st.error();
  return std::unique_ptr<PgEventStore>(new PgEventStore(std::move(impl)));
}

std::vector<Expected<std::uint64_t>> PgEventStore::commit(
    const std::vector<const Submission*>& group) {
  for (int attempt = 0;; ++attempt) {
    Error failure;
    try {
      if (Status st = impl_->ensure_connected(); !st) {
        failure = st.error();
      } else {
        return impl_->commit_once(group);
      }
    } catch (const std::exception& e) {
      failure = impl_->to_error(e, "writing recorded events");
    }
    // A lost connection is retried once on a fresh one; a replay of events that
    // did commit is harmless because the watermark skips them.
    if (failure.code == ErrorCode::unavailable && attempt == 0) continue;
    if (failure.code == ErrorCode::internal && group.size() > 1) {
      // One bad submission must not sink the others of its group: commit them alone.
      std::vector<Expected<std::uint64_t>> results;
      for (const Submission* s : group) results.push_back(std::move(commit({s}).front()));
      return results;
    }
    log::get("recorder")->warn("{}", failure.message);
    return std::vector<Expected<std::uint64_t>>(group.size(), Expected<std::uint64_t>(failure));
  }
}

Expected<std::string> PgEventStore::pseudonym_of(std::int64_t user_id,
                                                 const std::string& exercise) {
  try {
    if (Status st = impl_->ensure_connected(); !st) return st.error();
    return impl_->pseudonym(user_id, exercise);
  } catch (const std::exception& e) {
    return impl_->to_error(e, "reading the pseudonym of a trainee");
  }
}

}  // namespace cyrange::recorder
