#include <orchestrator/recorder/pg_event_store.h>

#include <ctime>
#include <map>
#include <set>
#include <utility>

#include <orchestrator/common/log.h>
#include <orchestrator/store/database.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::recorder {

namespace internal = store::internal;

std::string format_wall_time(std::int64_t unix_us) {
  std::int64_t seconds = unix_us / 1000000;
  std::int64_t micros = unix_us % 1000000;
  if (micros < 0) {
    micros += 1000000;
    seconds -= 1;
  }
  // Events come in bursts within the same second: format the date part once.
  thread_local std::int64_t cached_seconds = -1;
  thread_local char cached[64];  // roomy: the compiler cannot bound tm's fields
  if (seconds != cached_seconds) {
    const std::time_t tt = static_cast<std::time_t>(seconds);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    std::snprintf(cached, sizeof cached, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    cached_seconds = seconds;
  }
  std::string text(cached);
  char fraction[8] = {'.', '0', '0', '0', '0', '0', '0', '\0'};
  for (int i = 6; i >= 1; --i, micros /= 10) fraction[i] = static_cast<char>('0' + micros % 10);
  text += fraction;
  text += "+00";
  return text;
}

EventRow to_row(const Submission& submission, const Event& event, std::uint64_t seq,
                const std::string& trainee) {
  return EventRow{event.exercise_id,
                  submission.client_id,
                  std::to_string(seq),
                  std::to_string(submission.team_id),
                  trainee,
                  std::string(to_string(event.kind)),
                  std::to_string(event.monotonic_ns),
                  format_wall_time(event.wall_unix_us),
                  event.data_json};
}

struct PgEventStore::Impl {
  std::string uri;
  std::unique_ptr<store::Database> db;
  // Caches of facts that do not change while an exercise runs; they save one
  // round trip per batch on the hot path.
  std::map<std::int64_t, std::string> pseudonyms;
  std::map<std::string, std::string> partitions;           // exercise -> partition table
  std::set<std::pair<std::string, std::int64_t>> allowed;  // (exercise, team)

  Status ensure_connected() {
    if (db) return Status::success();
    auto opened = store::Database::connect(uri);
    if (!opened) return opened.error();
    db = std::move(opened).value();
    return Status::success();
  }

  pqxx::connection& conn() { return internal::PqxxAccess::connection(*db); }

  bool team_plays(const std::string& exercise, std::int64_t team) {
    if (allowed.count({exercise, team}) != 0) return true;
    pqxx::read_transaction tx(conn());
    auto rows = tx.exec_params(
        "SELECT 1 FROM exercise_teams WHERE exercise_id = $1 AND team_id = $2", exercise, team);
    if (rows.empty()) return false;
    allowed.insert({exercise, team});
    return true;
  }

  const std::string& pseudonym(std::int64_t user_id) {
    auto it = pseudonyms.find(user_id);
    if (it != pseudonyms.end()) return it->second;
    pqxx::work tx(conn());
    tx.exec_params("INSERT INTO trainee_pseudonyms (user_id) VALUES ($1) ON CONFLICT DO NOTHING",
                   user_id);
    auto rows =
        tx.exec_params("SELECT pseudonym FROM trainee_pseudonyms WHERE user_id = $1", user_id);
    tx.commit();
    return pseudonyms[user_id] = rows.at(0).at(0).as<std::string>();
  }

  void ensure_partition(const std::string& exercise) {
    if (partitions.count(exercise) != 0) return;
    pqxx::work tx(conn());
    auto row = tx.exec_params1("SELECT recorder_ensure_partition($1)", exercise);
    tx.commit();
    partitions[exercise] = row[0].as<std::string>();
  }

  std::vector<Expected<std::uint64_t>> commit_once(const std::vector<const Submission*>& group);

  // The guard of consent: a submission whose trainee has no active scoring consent
  // for one of its exercises is refused whole. One query per group, inside the
  // commit transaction, and FOR SHARE: a withdrawal (UPDATE of the consent row,
  // then DELETE of the events, in one transaction) either waits until this group
  // committed and then deletes its rows too, or has committed first and this
  // query no longer finds the consent. So nothing is ever stored after a
  // withdrawal, whatever a cache upstream believed.
  void require_consent(pqxx::work& tx, const std::vector<const Submission*>& group,
                       std::vector<Expected<std::uint64_t>>& results, std::vector<bool>& eligible) {
    std::set<std::pair<std::int64_t, std::string>> wanted;
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!eligible[i]) continue;
      for (const Event& e : group[i]->events) wanted.insert({group[i]->user_id, e.exercise_id});
    }
    if (wanted.empty()) return;
    std::string pairs;
    for (const auto& [user, exercise] : wanted) {
      if (!pairs.empty()) pairs += ", ";
      pairs += "(" + std::to_string(user) + ", " + tx.quote(exercise) + ")";
    }
    std::set<std::pair<std::int64_t, std::string>> granted;
    for (const auto& row :
         tx.exec("SELECT user_id, exercise_id FROM consents WHERE purpose = 'scoring' AND "
                 "withdrawn_at IS NULL AND (user_id, exercise_id) IN (" +
                 pairs + ") FOR SHARE")) {
      granted.insert({row[0].as<std::int64_t>(), row[1].as<std::string>()});
    }
    for (std::size_t i = 0; i < group.size(); ++i) {
      if (!eligible[i]) continue;
      for (const Event& e : group[i]->events) {
        if (granted.count({group[i]->user_id, e.exercise_id}) != 0) continue;
        results[i] = missing_consent(e.exercise_id);
        eligible[i] = false;
        break;
      }
    }
  }
};

std::vector<Expected<std::uint64_t>> PgEventStore::Impl::commit_once(
    const std::vector<const Submission*>& group) {
  const Error pending = make_error(ErrorCode::internal, "The batch was not processed.");
  std::vector<Expected<std::uint64_t>> results(group.size(), Expected<std::uint64_t>(pending));
  std::vector<bool> eligible(group.size(), true);

  // Authorisation and preparation, each in short transactions of their own.
  for (std::size_t i = 0; i < group.size(); ++i) {
    const Submission& s = *group[i];
    std::set<std::string> exercises;
    for (const Event& e : s.events) exercises.insert(e.exercise_id);
    for (const std::string& exercise : exercises) {
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
    pseudonym(s.user_id);
    for (const std::string& exercise : exercises) ensure_partition(exercise);
  }

  pqxx::work tx(conn());
  require_consent(tx, group, results, eligible);
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
    tx.exec_params(
        "INSERT INTO recorder_clients (client_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        client_id, state.owner);
    auto row = tx.exec_params1(
        "SELECT user_id, highest_committed_seq FROM recorder_clients WHERE client_id = $1 FOR "
        "UPDATE",
        client_id);
    state.owner = row[0].is_null() ? 0 : row[0].as<std::int64_t>();
    state.committed = state.initial = row[1].as<std::uint64_t>();
  }

  // Rows go straight into each exercise's partition: COPY into the partitioned
  // parent would route every row again.
  std::map<std::string, std::vector<EventRow>> rows_by_exercise;
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
    const std::string& trainee = pseudonyms.at(s.user_id);
    for (std::size_t k = 0; k < s.events.size(); ++k) {
      const std::uint64_t seq = s.first_seq + k;
      if (seq <= state.committed) continue;  // a replay after a lost ack: already stored
      rows_by_exercise[s.events[k].exercise_id].push_back(to_row(s, s.events[k], seq, trainee));
      state.committed = seq;
    }
  }
  for (const auto& [exercise, rows] : rows_by_exercise) {
    pqxx::stream_to copy(tx, partitions.at(exercise), kEventColumns);
    for (const EventRow& row : rows) copy << row;
    copy.complete();
  }
  for (const auto& [client_id, state] : clients) {
    if (state.committed == state.initial) continue;
    tx.exec_params(
        "UPDATE recorder_clients SET highest_committed_seq = $2, updated_at = now() "
        "WHERE client_id = $1",
        client_id, state.committed);
  }
  tx.commit();
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (eligible[i]) results[i] = clients[group[i]->client_id].committed;
  }
  return results;
}

PgEventStore::PgEventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgEventStore::~PgEventStore() = default;

Expected<std::unique_ptr<PgEventStore>> PgEventStore::open(const std::string& uri) {
  auto impl = std::make_unique<Impl>();
  impl->uri = uri;
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
      failure = internal::to_error(e, "writing recorded events", store::redact_uri(impl_->uri));
      if (internal::is_connection_lost(e)) impl_->db.reset();
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

Expected<std::string> PgEventStore::pseudonym_of(std::int64_t user_id) {
  try {
    if (Status st = impl_->ensure_connected(); !st) return st.error();
    return impl_->pseudonym(user_id);
  } catch (const std::exception& e) {
    if (internal::is_connection_lost(e)) impl_->db.reset();
    return internal::to_error(e, "reading the pseudonym of a trainee",
                              store::redact_uri(impl_->uri));
  }
}

}  // namespace cyrange::recorder
