#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/exercise_manager.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/state_checks.h>
#include <orchestrator/exercise/terminal.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/identity/join_desk.h>
#include <orchestrator/inbox/inbox.h>
#include <orchestrator/privacy/consent.h>
#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/report/report.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/scenario/scenario.h>
#include <orchestrator/scoring/ledger_follower.h>
#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/store/testing/temp_database.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::security {

/// The Japanese half of a refusal, from the details every cyranged error carries ("" when
/// the status has none).
std::string japanese_of(const grpc::Status& status);

/// The roles of the matrix. The trainee plays in team1; team2 has a trainee of its own.
enum class Who { admin, instructor, designer, trainee };

/// "admin", "instructor", "designer" or "trainee".
const char* to_string(Who who);

/// cyranged's gRPC server in this process on 127.0.0.1:0, over a throw-away PostgreSQL
/// database that it reaches as the daemon's restricted role (TempDatabase::daemon_uri: no DDL,
/// the audit log append-only), with the real stores: PgIdentityStore users and tokens, the
/// PostgreSQL ledger behind a ScoreHub, a TimelineHub on the PostgreSQL timeline store, the
/// recorder's ingest pipeline, the consent desk, a RangeRegistry with both exercises recorded and a
/// terminal broker on an in-memory hypervisor, the join desk and the report desk (each team
/// of kExercise has saved a first report). The ExerciseManager has no hypervisor, so
/// CreateExercise cannot succeed here; everything else can.
class AuthzStack {
 public:
  /// Both teams play here.
  static constexpr const char* kExercise = "authz";
  /// Only team2 plays here: the exercise of the other team.
  static constexpr const char* kOtherExercise = "authz_solo";
  /// Only team2 plays here too, as the personal exercise of team2's trainee's self-paced run
  /// (run_id(true)), paused.
  static constexpr const char* kRunExercise = "authz_run";
  /// A later run with a team named as the trainee's (team1) only: another cohort's. The
  /// trainee, added for kExercise, must find nothing of it (CohortMembershipTest).
  static constexpr const char* kLaterExercise = "authz_later";
  /// The trainee's team and the other one.
  static constexpr const char* kOwnTeam = "team1";
  static constexpr const char* kOtherTeam = "team2";
  /// The seed every team's variables were drawn from.
  static constexpr std::uint64_t kSeed = 7;
  /// A host of the scenario with a trainee terminal.
  static constexpr const char* kTerminalHost = "ws01";

  /// Builds everything; a failure names the step.
  Status start();
  ~AuthzStack();

  /// The server's channel; every call carries a token through bearer().
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  /// "Bearer <token>" of a role's user.
  std::string bearer(Who who) const { return "Bearer " + tokens_.at(who); }
  /// Calls as `who` carry `token` from now on (another user of that role); returns the token
  /// it replaces, to be put back.
  std::string set_token(Who who, std::string token) {
    std::swap(tokens_.at(who), token);
    return token;
  }
  /// The login name of a role's user.
  std::string login(Who who) const;
  /// The user id of a role's user.
  std::int64_t user_id(Who who) const { return user_ids_.at(who); }
  /// The user id of team2's trainee.
  std::int64_t other_trainee_id() const { return other_trainee_id_; }
  /// Identity id of a team ("team1" or "team2").
  std::int64_t team_id(const std::string& team) const { return team_ids_.at(team); }
  /// The scenario the exercises were built from, as text.
  const std::string& scenario_yaml() const { return scenario_yaml_; }
  /// A self-paced run of the course kCourse: the trainee's own, or team2's trainee's.
  std::int64_t run_id(bool others) const { return others ? other_run_ : own_run_; }
  /// The course the trainees' runs belong to.
  static constexpr const char* kCourse = "authz_course";
  /// The current version of the consent texts.
  int consent_version() const { return consent_version_; }

  /// Records an active research consent of `user_id` for kExercise (idempotent).
  Status ensure_research_consent(std::int64_t user_id);
  /// A finished terminal recording of `team` in `exercise` (made by the instructor, so no
  /// consent is involved), recorded on first use.
  Expected<std::int64_t> recorded_session(const std::string& exercise, const std::string& team);
  /// Records a new, ready exercise that `team` plays in, for a call that ends it.
  Expected<std::string> disposable_exercise(const std::string& team);
  /// Everything a call could change, as one line: ledger, recordings, terminals,
  /// consents, exercises, timeline executions and clocks, board modes, audit log.
  std::string fingerprint() const;
  /// Runs `sql` on the test database and returns the first field (for side-effect checks).
  std::string query(const std::string& sql) const { return db_.query_one(sql); }
  /// The test database's URI as its owner (the migrator).
  const std::string& owner_uri() const { return db_.uri(); }
  /// Runs `sql` as the role the server uses; a refusal throws std::runtime_error.
  std::string query_as_daemon(const std::string& sql) const { return db_.query_one_as_daemon(sql); }
  /// A fresh join code of `team` in kExercise (the exercise's older codes stop working).
  Expected<std::string> join_code(const std::string& team);
  /// host:port of the server (plaintext), for client-core connections.
  std::string address() const { return server_->address(); }
  /// The test database's URI as the role cyranged connects as (everything of the server here
  /// uses it; query() runs as the owner).
  const std::string& database_uri() const { return db_.daemon_uri(); }
  /// The identity store the server authenticates with (its token cache is on: token_cache_s 60).
  identity::PgIdentityStore& identities() { return *identities_; }
  /// The terminal broker the server opens terminals with (limits, flow counters).
  exercise::TerminalBroker& terminals() { return *terminals_; }
  /// The score hub the server judges answers with (its attempt policy).
  scoring::ScoreHub& scores() { return *scores_; }
  /// A new trainee `name` of kOwnTeam who agreed to scoring and recording in kExercise (or,
  /// without `consent`, refused it), with a token valid for `ttl`: for tests that revoke,
  /// disable or erase a user of their own.
  Expected<std::string> extra_trainee(const std::string& name,
                                      std::chrono::seconds ttl = std::chrono::hours(1),
                                      bool consent = true);
  /// A new trainee `name` of kOwnTeam added for run `exercise` (as `cyrange users add --exercise`)
  /// who agreed to scoring and recording there, with a token valid for an hour.
  Expected<std::string> run_trainee(const std::string& name, const std::string& exercise);
  /// The user id of `name`.
  std::int64_t user_id_of(const std::string& name) const;
  /// Lines typed in terminals opened from now on solve `commands` of kExercise as cyranged's
  /// checks do (exercise::match_typed_line, every objective open).
  void solve_typed_commands(std::vector<exercise::TeamCommand> commands);
  /// The tables of the database (as its owner sees them) with `needle` anywhere in a row,
  /// comma-separated; empty when no row holds it. Terminal chunks are searched as bytes.
  std::string tables_containing(const std::string& needle) const;

 private:
  Status add_users();
  Status record_exercise(const std::string& id, const std::vector<std::string>& teams);
  Status start_timelines();
  Status start_scoring();
  Status start_reports();
  Status start_courses(rpc::ServerDeps& deps);

  store::testing::TempDatabase db_;
  std::string scenario_yaml_;
  std::optional<scenario::Scenario> scenario_;
  std::shared_ptr<identity::PgIdentityStore> identities_;
  std::shared_ptr<exercise::RangeRegistry> registry_;
  std::shared_ptr<range::FakeHypervisor> hypervisor_;
  std::shared_ptr<exercise::TerminalBroker> terminals_;
  std::shared_ptr<timeline::TimelineHub> timelines_;
  std::shared_ptr<inbox::Inbox> inbox_;
  std::shared_ptr<scoring::ScoreHub> scores_;
  std::unique_ptr<scoring::LedgerFollower> ledger_follower_;  // as cyranged: CLI redactions
  std::shared_ptr<privacy::ConsentStore> consents_;
  std::shared_ptr<exercise::ExerciseManager> exercises_;
  std::shared_ptr<identity::JoinDesk> join_;
  std::shared_ptr<report::ReportDesk> reports_;
  std::int64_t own_run_ = 0, other_run_ = 0;
  std::unique_ptr<rpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::map<Who, std::string> tokens_;
  std::map<Who, std::int64_t> user_ids_;
  std::map<std::string, std::int64_t> team_ids_;
  std::int64_t other_trainee_id_ = 0;
  int consent_version_ = 0;
  int disposable_count_ = 0;
  std::map<std::string, std::int64_t> recorded_sessions_;  // by "exercise/team"
};

/// A started stack for a test suite, or nullptr with `error` saying why (PostgreSQL
/// missing, a failed step); the suite's tests then fail with that sentence.
AuthzStack* start_stack(std::string& error);

}  // namespace cyrange::security
