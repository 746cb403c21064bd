// cyranged: the orchestrator daemon. Loads the configuration, refuses to run on an
// unmigrated database, serves gRPC and stops cleanly on SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <thread>

#include <CLI/CLI.hpp>

#include <orchestrator/analytics/analytics_desk.h>
#include <orchestrator/common/log.h>
#include <orchestrator/common/version.h>
#include <orchestrator/config/config.h>
#include <orchestrator/course/exercise_engine.h>
#include <orchestrator/course/pg_course_store.h>
#include <orchestrator/course/run_limits_flags.h>
#include <orchestrator/daemon/postgres_probe.h>
#include <orchestrator/exercise/exercise_manager.h>
#include <orchestrator/exercise/live_ranges.h>
#include <orchestrator/exercise/range_runtime.h>
#include <orchestrator/inbox/inbox_executor.h>
#include <orchestrator/inbox/pg_inbox_store.h>
#include <orchestrator/inject/inject_executor.h>
#include <orchestrator/range/host_pool.h>
#include <orchestrator/privacy/consent_cache.h>
#include <orchestrator/privacy/consent_desk.h>
#include <orchestrator/privacy/pg_consent_store.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/identity/join_desk.h>
#include <orchestrator/report/pg_report_store.h>
#include <orchestrator/recorder/ingest_pipeline.h>
#include <orchestrator/rpc/server.h>
#include <orchestrator/scoring/ledger_follower.h>
#include <orchestrator/scoring/pg_ledger_store.h>
#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/store/migrations.h>
#include <orchestrator/timeline/hub.h>
#include <orchestrator/timeline/pg_store.h>

namespace {

using namespace cyrange;

constexpr auto kShutdownGrace = std::chrono::seconds(5);
// Folders of the range engine; unset: images/ and pools/ under the configuration's state_dir.
std::optional<std::string> g_image_cache;
std::optional<std::string> g_pool_root;
// The scenario library whose templates submitted scenarios include; unset: the default.
std::optional<std::string> g_scenario_library;
constexpr auto kTimelineTick = std::chrono::milliseconds(250);
// How often self-paced runs are moved along (queue, ready ranges, idle pauses, expiry).
constexpr auto kRunTick = std::chrono::seconds(2);

// Reopens every persisted exercise timeline and drives it. Attack steps run inside
// the team's guests when ranges are available; messages go to the trainees' inboxes.
Expected<std::shared_ptr<timeline::TimelineHub>> start_timelines(
    const std::string& uri, const std::shared_ptr<exercise::LiveRanges>& ranges,
    const std::shared_ptr<inbox::Inbox>& inbox) {
  auto store = timeline::PgTimelineStore::open(uri);
  if (!store) return store.error();
  auto executor =
      std::make_shared<timeline::RoutingExecutor>(std::make_shared<timeline::MessageExecutor>());
  if (ranges)
    inject::InjectExecutor::route_all(*executor,
                                      std::make_shared<inject::InjectExecutor>(ranges->resolver()));
  auto hub = std::make_shared<timeline::TimelineHub>(
      std::shared_ptr<timeline::TimelineStore>(std::move(store).value()),
      std::make_shared<inbox::InboxExecutor>(executor, inbox),
      std::make_shared<timeline::SystemTimeSource>());
  if (Status resumed = hub->resume_all(); !resumed) return resumed.error();
  hub->start_driver(kTimelineTick);
  return hub;
}

// The score hub over the PostgreSQL ledger; entries carry the exercise clock's time.
// Boards are opened by the exercise manager (new exercises, and live ones at start).
Expected<std::shared_ptr<scoring::ScoreHub>> start_scoring(
    const std::string& uri, std::shared_ptr<timeline::TimelineHub> timelines) {
  auto store = scoring::PgLedgerStore::open(uri);
  if (!store) return store.error();
  auto clock = [timelines](const std::string& exercise) {
    auto timeline = timelines->find(exercise);
    return std::chrono::milliseconds(timeline ? static_cast<std::int64_t>((*timeline)->now() * 1000)
                                              : 0);
  };
  return std::make_shared<scoring::ScoreHub>(
      std::shared_ptr<scoring::LedgerStore>(std::move(store).value()), clock);
}

int fail(const std::string& message) {
  log::get("daemon")->error("{}", message);
  return 1;
}

// The configured hypervisor hosts as the range engine takes them; empty: `--libvirt-uri none`
// (the daemon serves without ranges; RangeService answers UNAVAILABLE).
std::vector<range::HostConfig> range_hosts(const config::Config& config) {
  std::vector<range::HostConfig> out;
  for (const auto& h : config::hypervisor_hosts(config)) {
    if (h.uri == "none") return {};
    range::HostConfig host;
    host.uri = h.uri;
    host.name = h.name;
    host.vcpus = h.vcpus;
    host.memory_mib = h.memory_mib;
    host.max_guests = h.max_guests;
    if (h.vcpus_per_cpu) host.vcpus_per_cpu = *h.vcpus_per_cpu;
    if (h.reserve_memory_mib) host.reserve_memory_mib = *h.reserve_memory_mib;
    out.push_back(std::move(host));
  }
  return out;
}

int run(const config::Config& config, const course::RunLimits& run_limits) {
  auto logger = log::get("daemon");
  logger->info("cyranged {} starting (api revision {})", kVersion, kApiRevision);

  auto schema = store::verify_schema(config.database_uri);
  if (!schema) return fail(schema.error().message);
  logger->info("database schema at version {}", schema->current_version);
  if (schema->owns_audit_log)
    logger->warn(
        "cyranged connects to PostgreSQL as the owner of the schema, which could switch off the "
        "audit log's append-only guard; connect as the daemon's role instead (database_uri "
        "...?user=cyranged, granted by `cyrange db migrate --daemon-role cyranged`).");

  auto identities = identity::PgIdentityStore::open(config.database_uri);
  if (!identities) return fail(identities.error().message);
  std::shared_ptr<identity::PgIdentityStore> identity_store = std::move(identities).value();
  identity_store->set_max_token_lifetime(std::chrono::hours(config.token_max_lifetime_h));
  identity_store->cache_tokens(std::chrono::seconds(config.token_cache_s));
  std::shared_ptr<const identity::Authenticator> authenticator = identity_store;

  rpc::ServerDeps deps;
  auto join = identity::JoinDesk::open(config.database_uri, identity_store);
  if (!join) return fail(join.error().message);
  deps.join = std::move(join).value();
  auto reports = report::PgReportStore::open(config.database_uri);
  if (!reports) return fail(reports.error().message);
  deps.reports = std::make_shared<report::ReportDesk>(std::move(reports).value());
  deps.probes.push_back(std::make_shared<daemon::PostgresProbe>(config.database_uri));
  deps.schema_version = static_cast<unsigned>(schema->current_version);
  auto recording = recorder::IngestPipeline::start(config.database_uri);
  if (!recording) return fail(recording.error().message);
  deps.recorder = std::move(recording).value();
  auto consents = privacy::PgConsentStore::open(config.database_uri);
  if (!consents) return fail(consents.error().message);
  std::shared_ptr<privacy::ConsentStore> consent_store = std::move(consents).value();
  // One cache for the recorder, the terminals and the desk that invalidates it.
  auto consent_cache = std::make_shared<privacy::ConsentCache>(consent_store);
  deps.privacy = std::make_shared<privacy::ConsentDesk>(consent_store, consent_cache);
  deps.consents = consent_cache;
  auto audit = privacy::PgAuditLog::open(config.database_uri);
  if (!audit) return fail(audit.error().message);
  deps.analytics = std::make_shared<analytics::AnalyticsDesk>(
      std::make_shared<analytics::PgAnalyticsSource>(config.database_uri),
      std::move(audit).value());
  // Reconciles libvirt with PostgreSQL before serving; without libvirt the daemon still serves the
  // rest.
  std::optional<exercise::RangeRuntime> ranges;
  std::shared_ptr<exercise::LiveRanges> live_ranges;
  const auto hosts = range_hosts(config);
  if (!hosts.empty()) {
    auto started = exercise::start_range_runtime(hosts, config.database_uri);
    if (started) {
      ranges = std::move(*started);
      ranges->terminals->require_consent(
          [consent_cache](std::int64_t user_id, const std::string& exercise) {
            return consent_cache->allows_recording(user_id, exercise);
          });
      deps.range = {ranges->registry, ranges->terminals};
      live_ranges = std::make_shared<exercise::LiveRanges>(ranges->hypervisor, ranges->registry);
    } else {
      logger->warn("Ranges are disabled: {}", started.error().message);
    }
  }
  auto inbox_store = inbox::PgInboxStore::open(config.database_uri);
  if (!inbox_store) return fail(inbox_store.error().message);
  auto inbox = std::make_shared<inbox::Inbox>(
      std::shared_ptr<inbox::InboxStore>(std::move(inbox_store).value()));
  deps.inbox = inbox;
  auto timelines = start_timelines(config.database_uri, live_ranges, inbox);
  if (!timelines) return fail(timelines.error().message);
  deps.timeline = *timelines;
  auto scores = start_scoring(config.database_uri, *timelines);
  if (!scores) return fail(scores.error().message);
  (*scores)->set_answer_backoff({config.answer_free_wrong,
                                 std::chrono::seconds(config.answer_first_wait_s),
                                 std::chrono::seconds(config.answer_max_wait_s)});
  deps.scoring = *scores;
  // Redactions by `cyrange users erase`, `cyrange privacy withdraw` and retention reach the
  // live boards at once (migration 0018).
  scoring::LedgerFollower ledger_follower(config.database_uri, *scores);
  std::unique_ptr<course::RunDriver> run_driver;
  if (ranges) {
    exercise::ExerciseManagerDeps manager;
    manager.hypervisor = ranges->hypervisor;
    manager.libvirt_uri = ranges->hosts->primary().uri;
    manager.hosts = ranges->hosts;
    manager.registry = ranges->registry;
    manager.ranges = live_ranges;
    manager.timelines = *timelines;
    manager.scoring = *scores;
    manager.inbox = inbox;
    manager.image_cache = g_image_cache.value_or((config.state_dir / "images").string());
    manager.build_images = config.build_images;
    manager.pool_root = g_pool_root.value_or((config.state_dir / "pools").string());
    if (g_scenario_library) manager.scenario_library = *g_scenario_library;
    deps.exercises = std::make_shared<exercise::ExerciseManager>(std::move(manager));
    if (Status reopened = deps.exercises->reopen_all(); !reopened)
      return fail(reopened.error().message);
    // Lines typed in trainee terminals fire `command:` triggers and solve expected commands.
    ranges->terminals->on_typed_line(
        [manager = std::weak_ptr<exercise::ExerciseManager>(deps.exercises)](
            const std::string& exercise, const std::string& team, const std::string& host,
            const std::string& line) {
          if (auto exercises = manager.lock()) exercises->command_typed(exercise, team, host, line);
        });
    // Self-paced runs: personal exercises on the same manager, driven every few seconds.
    auto courses = course::PgCourseStore::open(config.database_uri);
    if (!courses) return fail(courses.error().message);
    deps.courses = std::make_shared<course::RunDesk>(
        std::shared_ptr<course::CourseStore>(std::move(courses).value()),
        std::make_shared<course::ExerciseEngine>(deps.exercises, *timelines), run_limits);
    // Paused and ended runs' scores: the console's review queue is complete after a restart.
    if (Status reopened = deps.courses->reopen(); !reopened)
      logger->warn("Not every self-paced run's results were loaded: {}", reopened.error().message);
    run_driver = std::make_unique<course::RunDriver>(deps.courses, kRunTick);
    logger->info("self-paced runs: {} at once, paused after {} min idle, tokens valid {} h",
                 run_limits.capacity,
                 std::chrono::duration_cast<std::chrono::minutes>(run_limits.idle_pause).count(),
                 std::chrono::duration_cast<std::chrono::hours>(run_limits.token_ttl).count());
  }
  auto server = rpc::Server::start(config, authenticator, std::move(deps));
  if (!server) {
    const Error& e = server.error();
    return fail(e.message_ja.empty() ? e.message : e.message + "\n" + e.message_ja);
  }
  logger->info("cyranged listening on {} ({})", (*server)->address(),
               (*server)->plaintext() ? "plaintext" : "TLS");

  // Signals were blocked in every thread before gRPC started its own; this thread
  // alone receives them, so shutdown runs outside any signal handler.
  std::thread signal_thread([&server, logger] {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    int signal_number = 0;
    sigwait(&set, &signal_number);
    logger->info("received {}, shutting down (grace {} s)",
                 signal_number == SIGTERM ? "SIGTERM" : "SIGINT", kShutdownGrace.count());
    (*server)->shutdown(kShutdownGrace);
  });
  (*server)->wait();
  signal_thread.join();
  run_driver.reset();
  (*timelines)->stop_driver();
  logger->info("cyranged stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  CLI::App app{
      "cyranged: the cyrange orchestrator daemon (gRPC server).\n"
      "cyranged: cyrange のオーケストレータ（gRPC サーバ）。"};
  std::optional<std::string> config_path;
  config::ConfigOverrides flags;
  app.add_option(
      "--config", config_path,
      "YAML configuration file (default: $CYRANGE_CONFIG, else /etc/cyrange/cyrange.yaml "
      "if it exists)");
  app.add_option("--listen", flags.listen_address,
                 "host:port to serve on (default 127.0.0.1:50051)");
  app.add_option("--db", flags.database_uri, "PostgreSQL URI (default postgresql:///cyrange)");
  app.add_option("--tls-dir", flags.tls_dir,
                 "Directory with server.pem and server.key from `cyrange certs init`");
  bool plaintext = false;
  app.add_flag("--plaintext", plaintext, "Serve WITHOUT TLS (trusted loopback and tests only)");
  app.add_option("--libvirt-uri", flags.libvirt_uris,
                 "libvirt URI of a hypervisor host for team ranges, reconciled at start; repeat "
                 "for several hosts (replaces `hypervisors:` of the file; 'none': no ranges; "
                 "default qemu:///system)")
      ->allow_extra_args(false);
  app.add_option(
      "--image-cache", g_image_cache,
      "Folder of built guest images (default STATE_DIR/images, /var/lib/cyrange/images)");
  bool build_images = false;
  app.add_flag("--build-images", build_images,
               "Run image recipes (scenarios/images/<profile>/build.sh) for profiles missing from "
               "the image cache when an exercise is created; without it only images built by "
               "`cyrange images build` are used");
  app.add_option("--scenario-library", g_scenario_library,
                 "Scenario library whose topology templates (templates/*.yaml) submitted "
                 "scenarios may include (default $CYRANGE_SCENARIO_LIBRARY, or the source "
                 "tree's scenarios/)");
  app.add_option("--pool-root", g_pool_root,
                 "Folder of the team ranges' disk overlays (default STATE_DIR/pools)");
  app.add_option("--log-level", flags.log_level, "trace, debug, info, warn, error or off");
  course::RunLimits run_limits;  // the defaults, unless a --selfpaced-* flag says otherwise
  course::add_run_limit_flags(app, run_limits);
  bool log_json = false;
  app.add_flag("--log-json", log_json, "Log one JSON object per line");
  app.set_version_flag("--version", std::string("cyranged ") + cyrange::kVersion);
  CLI11_PARSE(app, argc, argv);
  if (plaintext) flags.plaintext = true;
  if (log_json) flags.log_json = true;
  if (build_images) flags.build_images = true;

  std::optional<std::filesystem::path> path;
  if (config_path) path = *config_path;
  auto config = config::load_config(path);
  if (!config) return fail(config.error().message);
  config::apply_overrides(*config, flags);
  log::set_level(config->log_level);
  log::use_json_format(config->log_json);
  return run(*config, run_limits);
}
