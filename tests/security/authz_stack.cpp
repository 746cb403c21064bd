#include <tests/security/authz_stack.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>

#include <cyrange/v1/common.pb.h>

#include <orchestrator/config/config.h>
#include <orchestrator/course/exercise_engine.h>
#include <orchestrator/course/pg_course_store.h>
#include <orchestrator/inbox/inbox_executor.h>
#include <orchestrator/inbox/pg_inbox_store.h>
#include <orchestrator/analytics/analytics_desk.h>
#include <orchestrator/privacy/consent_desk.h>
#include <orchestrator/privacy/pg_consent_store.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/recorder/ingest_pipeline.h>
#include <orchestrator/report/pg_report_store.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/to_range.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/scoring/from_scenario.h>
#include <orchestrator/scoring/pg_ledger_store.h>
#include <orchestrator/timeline/pg_store.h>

namespace cyrange::security {

std::string japanese_of(const grpc::Status& status) {
  cyrange::v1::ErrorDetail detail;
  return detail.ParseFromString(status.error_details()) ? detail.text().ja() : "";
}
namespace {

constexpr std::uint64_t kSeed = AuthzStack::kSeed;
constexpr const char* kLibvirtUri = "test:///authz";

Error setup_failed(const std::string& step, const Error& why) {
  return make_error(why.code,
                    "Cannot set up the authorisation matrix stack (" + step + "): " + why.message);
}

}  // namespace

const char* to_string(Who who) {
  switch (who) {
    case Who::admin:
      return "admin";
    case Who::instructor:
      return "instructor";
    case Who::designer:
      return "designer";
    case Who::trainee:
      return "trainee";
  }
  return "?";
}

std::string AuthzStack::login(Who who) const { return std::string("matrix-") + to_string(who); }

Status AuthzStack::add_users() {
  auto ids = identity::PgIdentityStore::open(db_.daemon_uri());
  if (!ids) return setup_failed("identity store", ids.error());
  identities_ = std::move(ids).value();
  const std::map<Who, identity::Role> roles = {{Who::admin, identity::Role::admin},
                                               {Who::instructor, identity::Role::instructor},
                                               {Who::designer, identity::Role::designer},
                                               {Who::trainee, identity::Role::trainee}};
  for (const auto& [who, role] : roles) {
    std::optional<std::string> team, run;
    if (who == Who::trainee) team = kOwnTeam, run = kExercise;
    auto id = identities_->add_user({login(who), role, team, "", "", run});
    if (!id) return setup_failed("user " + login(who), id.error());
    user_ids_[who] = *id;
    auto token = identities_->issue_token(login(who), std::chrono::hours(1));
    if (!token) return setup_failed("token of " + login(who), token.error());
    tokens_[who] = token->token;
  }
  auto other = identities_->add_user(
      {"matrix-other-trainee", identity::Role::trainee, std::string(kOtherTeam), "", ""});
  if (!other) return setup_failed("team2's trainee", other.error());
  other_trainee_id_ = *other;
  for (const char* team : {kOwnTeam, kOtherTeam}) {
    auto id = identities_->ensure_team(team);
    if (!id) return setup_failed("team " + std::string(team), id.error());
    team_ids_[team] = *id;
  }
  return Status::success();
}

// As ExerciseManager::create records an exercise, without provisioning: every team's
// range spec is saved, and the hosts with a trainee terminal exist in the fake hypervisor.
Status AuthzStack::record_exercise(const std::string& id, const std::vector<std::string>& teams) {
  if (auto st =
          registry_->begin_exercise(id, scenario_->metadata.id, scenario_->content_hash, teams);
      !st)
    return setup_failed("exercise " + id, st.error());
  if (auto st = registry_->save_setup(id, {"scenario.yaml", scenario_yaml_, kSeed}); !st)
    return setup_failed("setup of " + id, st.error());
  for (const auto& team : teams) {
    auto vars = scenario::resolve_variables(*scenario_, kSeed, team);
    auto spec = scenario::to_range_spec(*scenario_, vars, id, team);
    if (auto st = registry_->save_team_spec(spec, kLibvirtUri); !st)
      return setup_failed("range of " + id + "/" + team, st.error());
    for (const auto& host : spec.hosts) {
      if (!host.trainee_terminal) continue;
      if (auto st = hypervisor_->create_domain(range::domain_object_name(spec, host), "<domain/>");
          !st)
        return setup_failed("guest " + host.name, st.error());
    }
    if (auto st = registry_->record_progress(id, {team, "", "ready", "ready", 100, 0}); !st)
      return setup_failed("progress of " + id, st.error());
  }
  if (auto st = registry_->set_state(id, exercise::kStateReady); !st)
    return setup_failed("state of " + id, st.error());
  return Status::success();
}

// Armed and started, so that the kickoff message (at 0 s) is delivered to every team:
// a trainee's timeline and inbox then always have something to show.
Status AuthzStack::start_timelines() {
  auto store = timeline::PgTimelineStore::open(db_.daemon_uri());
  if (!store) return setup_failed("timeline store", store.error());
  auto inbox_store = inbox::PgInboxStore::open(db_.daemon_uri());
  if (!inbox_store) return setup_failed("inbox store", inbox_store.error());
  inbox_ = std::make_shared<inbox::Inbox>(
      std::shared_ptr<inbox::InboxStore>(std::move(inbox_store).value()));
  timelines_ = std::make_shared<timeline::TimelineHub>(
      std::shared_ptr<timeline::TimelineStore>(std::move(store).value()),
      std::make_shared<inbox::InboxExecutor>(std::make_shared<timeline::RecordingExecutor>(),
                                             inbox_),
      std::make_shared<timeline::ManualTimeSource>());
  const std::map<std::string, std::vector<std::string>> exercises = {
      {kExercise, {kOwnTeam, kOtherTeam}},
      {kOtherExercise, {kOtherTeam}},
      {kRunExercise, {kOtherTeam}},
      {kLaterExercise, {kOwnTeam}}};
  for (const auto& [id, teams] : exercises) {
    if (auto st = timelines_->arm(id, *scenario_, teams, kSeed); !st)
      return setup_failed("timeline of " + id, st.error());
    auto timeline = timelines_->find(id);
    if (!timeline) return setup_failed("timeline of " + id, timeline.error());
    if (auto st = (*timeline)->start(); !st) return setup_failed("clock of " + id, st.error());
  }
  if (auto st = timelines_->tick_all(); !st) return setup_failed("first tick", st.error());
  return Status::success();
}

Status AuthzStack::start_scoring() {
  auto ledger = scoring::PgLedgerStore::open(db_.daemon_uri());
  if (!ledger) return setup_failed("ledger", ledger.error());
  scores_ = std::make_shared<scoring::ScoreHub>(
      std::shared_ptr<scoring::LedgerStore>(std::move(ledger).value()));
  ledger_follower_ = std::make_unique<scoring::LedgerFollower>(db_.daemon_uri(), scores_);
  const std::map<std::string, std::vector<std::string>> exercises = {
      {kExercise, {kOwnTeam, kOtherTeam}},
      {kOtherExercise, {kOtherTeam}},
      {kRunExercise, {kOtherTeam}},
      {kLaterExercise, {kOwnTeam}}};
  for (const auto& [id, teams] : exercises) {
    auto setup = scoring::exercise_scoring(*scenario_, id, teams, kSeed);
    if (!setup) return setup_failed("scoring of " + id, setup.error());
    if (auto st = scores_->open(std::move(*setup)); !st)
      return setup_failed("scoreboard of " + id, st.error());
  }
  return Status::success();
}

// Both teams of kExercise saved a first report (written by the store directly, as a
// trainee's save would be), so that staff have something to read in either column.
Status AuthzStack::start_reports() {
  auto store = report::PgReportStore::open(db_.daemon_uri());
  if (!store) return setup_failed("report store", store.error());
  std::shared_ptr<report::ReportStore> shared = std::move(store).value();
  for (const char* team : {kOwnTeam, kOtherTeam}) {
    report::ReportSave first{kExercise, team, {}, 0, false, "matrix-set-up"};
    first.sections.timeline = std::string("first draft of ") + team;
    if (auto saved = shared->append(first); !saved)
      return setup_failed("report of " + std::string(team), saved.error());
  }
  report::ReportSave later{kLaterExercise, kOwnTeam, {}, 0, false, "matrix-set-up"};
  later.sections.timeline = "the later cohort's draft";
  if (auto saved = shared->append(later); !saved)
    return setup_failed("report of the later run", saved.error());
  reports_ = std::make_shared<report::ReportDesk>(shared);
  auto join = identity::JoinDesk::open(db_.daemon_uri(), identities_);
  if (!join) return setup_failed("join desk", join.error());
  join_ = std::move(join).value();
  return Status::success();
}

// A published course with one queued run for each trainee (nothing placed: pausing or
// ending one touches no exercise the other calls use).
Status AuthzStack::start_courses(rpc::ServerDeps& deps) {
  auto store = course::PgCourseStore::open(db_.daemon_uri());
  if (!store) return setup_failed("course store", store.error());
  std::shared_ptr<course::CourseStore> shared = std::move(store).value();
  course::Course published;
  published.id = kCourse;
  published.scenario_id = scenario_->metadata.id;
  published.scenario_file = "targeted-email.yaml";
  published.scenario_yaml = scenario_yaml_;
  published.published_by = "matrix-set-up";
  if (auto st = shared->publish(published); !st) return setup_failed("course", st.error());
  const auto expires = std::chrono::system_clock::now() + std::chrono::hours(24);
  auto own = shared->add_run(kCourse, user_id(Who::trainee), expires);
  auto other = shared->add_run(kCourse, other_trainee_id_, expires);
  if (!own || !other) return setup_failed("runs", own ? other.error() : own.error());
  own_run_ = own->id;
  other_run_ = other->id;
  // team2's trainee's run was placed on kRunExercise and paused there.
  other->exercise = kRunExercise;
  other->team = kOtherTeam;
  other->state = course::RunState::paused;
  other->paused_at = std::chrono::system_clock::now();
  if (auto st = shared->update(*other); !st) return setup_failed("paused run", st.error());
  deps.courses = std::make_shared<course::RunDesk>(
      shared, std::make_shared<course::ExerciseEngine>(exercises_, timelines_),
      course::RunLimits{});
  return Status::success();
}

Expected<std::string> AuthzStack::join_code(const std::string& team) {
  auto codes = join_->create_codes(kExercise, std::chrono::hours(1), std::nullopt);
  if (!codes) return codes.error();
  for (const auto& c : *codes)
    if (c.team == team) return c.code;
  return make_error(ErrorCode::not_found, "No join code was made for team '" + team + "'.");
}

Status AuthzStack::start() {
  const auto file =
      std::filesystem::path(CYRANGE_SOURCE_DIR) / "scenarios" / "targeted-email" / "scenario.yaml";
  std::ifstream in(file);
  scenario_yaml_.assign(std::istreambuf_iterator<char>(in), {});
  // The report's last item is self-assessed here, so the matrix covers the one rubric
  // item a trainee may grade (graded_by: self) beside the instructors' ones.
  const std::string measures = "      - id: measures\n";
  if (const auto at = scenario_yaml_.find(measures); at != std::string::npos) {
    scenario_yaml_.insert(at + measures.size(), "        graded_by: self\n");
  } else {
    return setup_failed("scenario", make_error(ErrorCode::not_found,
                                               "targeted-email has no rubric item 'measures' "
                                               "to make self-assessed; pick another item"));
  }
  auto loaded = scenario::parse_scenario(scenario_yaml_, file.string());
  if (!loaded) return setup_failed("scenario", loaded.error());
  scenario_ = std::move(loaded).value();

  if (auto st = add_users(); !st) return st;
  auto registry = exercise::RangeRegistry::open(db_.daemon_uri());
  if (!registry) return setup_failed("range registry", registry.error());
  registry_ = std::move(registry).value();
  hypervisor_ = std::make_shared<range::FakeHypervisor>();
  if (auto st = record_exercise(kExercise, {kOwnTeam, kOtherTeam}); !st) return st;
  if (auto st = record_exercise(kOtherExercise, {kOtherTeam}); !st) return st;
  if (auto st = record_exercise(kRunExercise, {kOtherTeam}); !st) return st;
  if (auto st = record_exercise(kLaterExercise, {kOwnTeam}); !st) return st;
  if (auto st = start_timelines(); !st) return st;
  if (auto st = start_scoring(); !st) return st;
  if (auto st = start_reports(); !st) return st;

  auto consents = privacy::PgConsentStore::open(db_.daemon_uri());
  if (!consents) return setup_failed("consent store", consents.error());
  consents_ = std::move(consents).value();
  auto texts = consents_->current_texts();
  if (!texts || texts->empty())
    return make_error(ErrorCode::internal, "The migrated database has no consent texts.");
  consent_version_ = texts->front().version;
  // The trainee agreed to recording in its own exercise, so that Record and Terminal
  // are allowed there; the consent guards have tests of their own.
  if (auto given = consents_->give(user_ids_.at(Who::trainee), kExercise, privacy::Purpose::scoring,
                                   consent_version_, {std::nullopt, "authorisation matrix set-up"});
      !given)
    return setup_failed("scoring consent of the trainee", given.error());
  // ... and, as if an old consent covered it, in the later run: only membership keeps the
  // trainee out of it (CohortMembershipTest).
  if (auto given =
          consents_->give(user_ids_.at(Who::trainee), kLaterExercise, privacy::Purpose::scoring,
                          consent_version_, {std::nullopt, "authorisation matrix set-up"});
      !given)
    return setup_failed("scoring consent of the trainee in the later run", given.error());
  auto consent_cache = std::make_shared<privacy::ConsentCache>(consents_);

  auto recording = recorder::IngestPipeline::start(db_.daemon_uri());
  if (!recording) return setup_failed("recorder", recording.error());

  exercise::ExerciseManagerDeps manager;  // no hypervisor: CreateExercise is unavailable
  manager.libvirt_uri = kLibvirtUri;
  manager.registry = registry_;
  manager.timelines = timelines_;
  manager.scoring = scores_;
  exercises_ = std::make_shared<exercise::ExerciseManager>(std::move(manager));

  rpc::ServerDeps deps;
  deps.timeline = timelines_;
  deps.scoring = scores_;
  deps.recorder = std::move(recording).value();
  deps.privacy = std::make_shared<privacy::ConsentDesk>(consents_, consent_cache);
  deps.consents = consent_cache;
  auto audit = privacy::PgAuditLog::open(db_.daemon_uri());
  if (!audit) return setup_failed("audit log", audit.error());
  deps.analytics = std::make_shared<analytics::AnalyticsDesk>(
      std::make_shared<analytics::PgAnalyticsSource>(db_.daemon_uri()), std::move(audit).value());
  auto terminals = std::make_shared<exercise::TerminalBroker>(*hypervisor_, registry_);
  terminals->require_consent([consent_cache](std::int64_t user_id, const std::string& exercise) {
    return consent_cache->allows_recording(user_id, exercise);
  });
  deps.range = {registry_, terminals};
  terminals_ = terminals;
  deps.exercises = exercises_;
  deps.inbox = inbox_;
  deps.join = join_;
  deps.reports = reports_;
  if (auto st = start_courses(deps); !st) return st;
  config::Config config;
  config.listen_address = "127.0.0.1:0";
  config.plaintext = true;      // TLS has tests of its own; here only the decisions matter
  config.stream_recheck_s = 1;  // revocation tests wait for open streams to end
  // Longer than any test: a stale entry could only go by a notification (CostLimitsTest).
  config.token_cache_s = 60;
  identities_->cache_tokens(std::chrono::seconds(config.token_cache_s));
  auto server = rpc::Server::start(config, identities_, std::move(deps));
  if (!server) return setup_failed("server", server.error());
  server_ = std::move(server).value();
  channel_ = grpc::CreateChannel(server_->address(), grpc::InsecureChannelCredentials());
  return Status::success();
}

AuthzStack::~AuthzStack() {
  if (server_) server_->shutdown(std::chrono::milliseconds(200));
  server_.reset();
}

AuthzStack* start_stack(std::string& error) {
  AuthzStack* stack = nullptr;
  try {
    stack = new AuthzStack();  // TempDatabase throws when PostgreSQL is not there
  } catch (const std::exception& e) {
    error = e.what();
    return nullptr;
  }
  if (Status st = stack->start(); !st) error = st.error().message;
  return stack;
}

Expected<std::string> AuthzStack::extra_trainee(const std::string& name, std::chrono::seconds ttl,
                                                bool consent) {
  auto id = identities_->add_user({name, identity::Role::trainee, std::string(kOwnTeam),
                                   "Display " + name, name + "@example.org", kExercise});
  if (!id) return setup_failed("user " + name, id.error());
  if (consent) {
    auto given = consents_->give(*id, kExercise, privacy::Purpose::scoring, consent_version_,
                                 {std::nullopt, "extra trainee set-up"});
    if (!given) return setup_failed("scoring consent of " + name, given.error());
  }
  auto token = identities_->issue_token(name, ttl);
  if (!token) return setup_failed("token of " + name, token.error());
  return token->token;
}

Expected<std::string> AuthzStack::run_trainee(const std::string& name,
                                              const std::string& exercise) {
  auto id = identities_->add_user(
      {name, identity::Role::trainee, std::string(kOwnTeam), "", "", exercise});
  if (!id) return setup_failed("user " + name, id.error());
  auto given = consents_->give(*id, exercise, privacy::Purpose::scoring, consent_version_,
                               {std::nullopt, "run trainee set-up"});
  if (!given) return setup_failed("scoring consent of " + name, given.error());
  auto token = identities_->issue_token(name, std::chrono::hours(1));
  if (!token) return setup_failed("token of " + name, token.error());
  return token->token;
}

Status AuthzStack::ensure_research_consent(std::int64_t user_id) {
  auto given = consents_->give(user_id, kExercise, privacy::Purpose::research, consent_version_,
                               {std::nullopt, "authorisation matrix set-up"});
  if (!given) return setup_failed("consent of user " + std::to_string(user_id), given.error());
  return Status::success();
}

Expected<std::int64_t> AuthzStack::recorded_session(const std::string& exercise,
                                                    const std::string& team) {
  auto& id = recorded_sessions_[exercise + "/" + team];
  if (id != 0) return id;
  auto opened = registry_->open_terminal(exercise, team, kTerminalHost,
                                         user_ids_.at(Who::instructor), 80, 24);
  if (!opened) return setup_failed("terminal recording of " + team, opened.error());
  if (auto st = registry_->append_terminal_chunks(*opened, 0, {{0, 'o', team + "$ "}}); !st)
    return setup_failed("terminal output of " + team, st.error());
  if (auto st = registry_->close_terminal(*opened); !st)
    return setup_failed("terminal end of " + team, st.error());
  id = *opened;
  return id;
}

Expected<std::string> AuthzStack::disposable_exercise(const std::string& team) {
  const std::string id = "authz_end_" + std::to_string(++disposable_count_);
  if (auto st =
          registry_->begin_exercise(id, scenario_->metadata.id, scenario_->content_hash, {team});
      !st)
    return setup_failed("exercise " + id, st.error());
  if (auto st = registry_->set_state(id, exercise::kStateReady); !st)
    return setup_failed("state of " + id, st.error());
  return id;
}

std::string AuthzStack::fingerprint() const {
  return db_.query_one(R"sql(
    SELECT concat_ws(' | ',
      'ledger ' || (SELECT count(*) FROM ledger_entries),
      'events ' || (SELECT count(*) FROM recorder_events),
      'terminals ' || (SELECT count(*) FROM terminal_sessions),
      'consents ' || (SELECT coalesce(string_agg(id || ':' || (withdrawn_at IS NULL)::text, ','
                                                 ORDER BY id), '') FROM consents),
      'exercises ' || (SELECT string_agg(id || ':' || state, ',' ORDER BY id) FROM exercises),
      'executions ' || (SELECT string_agg(id || ':' || state, ',' ORDER BY id)
                        FROM timeline_executions),
      'clocks ' || (SELECT string_agg(exercise_id || ':' || paused::text || ':' || speed, ','
                                      ORDER BY exercise_id) FROM timeline_clocks),
      'boards ' || (SELECT coalesce(string_agg(exercise_id || ':' || mode, ','
                                               ORDER BY exercise_id), '') FROM scoreboard_modes),
      'reports ' || (SELECT count(*) FROM reports),
      'join codes ' || (SELECT count(*) FROM join_codes),
      'users ' || (SELECT count(*) FROM users),
      'audit ' || (SELECT count(*) FROM audit_log)))sql");
}

}  // namespace cyrange::security

namespace cyrange::security {
namespace {

// A SQL string literal of test-chosen text.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::int64_t AuthzStack::user_id_of(const std::string& name) const {
  return std::stoll(db_.query_one("SELECT id FROM users WHERE name = " + quoted(name)));
}

void AuthzStack::solve_typed_commands(std::vector<exercise::TeamCommand> commands) {
  auto open = std::make_shared<std::vector<exercise::TeamCommand>>(std::move(commands));
  auto mutex = std::make_shared<std::mutex>();
  terminals_->on_typed_line(
      [scores = scores_, open, mutex](const std::string& exercise, const std::string& team,
                                      const std::string& host, const std::string& line) {
        auto board = scores->find(exercise);
        if (!board) return;
        std::lock_guard lock(*mutex);
        exercise::match_typed_line(
            team, host, line, *open, [](const std::string&, const std::string&) { return true; },
            **board);
      });
}

std::string AuthzStack::tables_containing(const std::string& needle) const {
  const std::string like = quoted("%" + needle + "%");
  return db_.query_one(
      "SELECT concat_ws(',', (SELECT string_agg(table_name, ',' ORDER BY table_name) FROM "
      "information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' "
      "AND query_to_xml(format('SELECT * FROM %I', table_name), true, false, '')::text LIKE " +
      like +
      "), (SELECT 'terminal_chunks (bytes)' FROM terminal_chunks WHERE position(convert_to(" +
      quoted(needle) + ", 'UTF8') IN data) > 0 LIMIT 1))");
}

}  // namespace cyrange::security
