#include <orchestrator/rpc/server.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>

#include <grpcpp/grpcpp.h>

#include <orchestrator/certs/certs.h>
#include <orchestrator/common/log.h>
#include <orchestrator/common/loopback.h>
#include <orchestrator/rpc/call_gate.h>
#include <orchestrator/rpc/course_service.h>
#include <orchestrator/rpc/exercise_service.h>
#include <orchestrator/rpc/analytics_service.h>
#include <orchestrator/rpc/inbox_service.h>
#include <orchestrator/rpc/privacy_service.h>
#include <orchestrator/rpc/range_service.h>
#include <orchestrator/rpc/recorder_service.h>
#include <orchestrator/rpc/report_service.h>
#include <orchestrator/rpc/scoring_service.h>
#include <orchestrator/rpc/system_service.h>
#include <orchestrator/rpc/timeline_service.h>

namespace cyrange::rpc {
namespace {

// Whether the team of `caller`, a trainee without a run of their own, plays in `exercise`.
Status trainee_plays_in(exercise::RangeRegistry* registry, const identity::Identity& caller,
                        const std::string& exercise) {
  if (registry == nullptr || !caller.team_id) return identity::exercise_not_found(caller, exercise);
  auto row = registry->exercise(exercise);
  auto team = registry->team_name(*caller.team_id);
  if (!row || !team || std::find(row->teams.begin(), row->teams.end(), *team) == row->teams.end())
    return identity::exercise_not_found(caller, exercise);
  return Status::success();
}

Expected<std::string> read_tls_file(const std::filesystem::path& dir, const char* name) {
  const auto path = dir / name;
  std::ifstream in(path);
  if (!in) {
    return make_error(ErrorCode::failed_precondition,
                      "Cannot read the TLS file '" + path.string() +
                          "'; run `cyrange certs init --dir " + dir.string() +
                          "` to create it, or start with --plaintext on a trusted loopback only.");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Expected<std::shared_ptr<grpc::ServerCredentials>> credentials_for(const config::Config& config) {
  if (config.plaintext) {
    // Tokens and join codes travel in clear without TLS: only where nobody else can listen.
    if (!is_loopback_target(config.listen_address)) {
      return make_error(
          ErrorCode::failed_precondition,
          "Refusing to serve without TLS on '" + config.listen_address +
              "': plaintext is allowed only on a loopback address (127.0.0.1, ::1, localhost) "
              "or a unix socket (unix:/path). Remove --plaintext (plaintext: true in the "
              "configuration file) and create certificates with `cyrange certs init`, or "
              "listen on 127.0.0.1.",
          "'" + config.listen_address +
              "' では TLS なしで待ち受けません。平文はループバックアドレス（127.0.0.1、::1、"
              "localhost）か unix ソケット（unix:/パス）でのみ使えます。--plaintext（設定ファイル"
              "の plaintext: true）を外して `cyrange certs init` で証明書を作るか、127.0.0.1 "
              "で待ち受けてください。");
    }
    return grpc::InsecureServerCredentials();
  }
  auto cert = read_tls_file(config.tls_dir, certs::kServerCertFile);
  if (!cert) return cert.error();
  auto key = read_tls_file(config.tls_dir, certs::kServerKeyFile);
  if (!key) return key.error();
  grpc::SslServerCredentialsOptions options;
  options.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(options);
}

std::string host_of(const std::string& address) {
  auto colon = address.rfind(':');
  return colon == std::string::npos ? address : address.substr(0, colon);
}

// The feed of run changes for CourseService.WatchRuns: the desk's writes and the runs'
// scoreboards wake it.
std::shared_ptr<course::RunFeed> live_runs(const ServerDeps& deps) {
  if (!deps.courses) return nullptr;
  auto feed = std::make_shared<course::RunFeed>([desk = deps.courses] { return desk->all_runs(); },
                                                deps.scoring);
  deps.courses->on_change([weak = std::weak_ptr<course::RunFeed>(feed)] {
    if (auto live = weak.lock()) live->changed();
  });
  return feed;
}

}  // namespace

struct Server::Impl {
  Impl(std::shared_ptr<const identity::Authenticator> authenticator, ServerDeps deps)
      : gate(std::move(authenticator)),
        system_handler(std::move(deps.probes), deps.schema_version),
        range_service(gate, deps.range),
        system_service(gate, system_handler, deps.join),
        timeline_service(gate, deps.timeline),  // shared: ScoringService reads it too
        recorder_service(gate, std::move(deps.recorder), std::move(deps.consents)),
        scoring_service(gate, deps.scoring, deps.inbox, deps.timeline),
        exercise_service(gate, std::move(deps.exercises), deps.range.registry, deps.join),
        privacy_service(gate, std::move(deps.privacy), deps.scoring),
        inbox_service(gate, std::move(deps.inbox)),
        analytics_service(gate, std::move(deps.analytics)),
        report_service(gate, std::move(deps.reports)),
        course_service(gate, deps.courses, deps.scoring, live_runs(deps), deps.join) {}

  CallGate gate;
  SystemHandler system_handler;
  RangeService range_service;
  SystemService system_service;
  TimelineService timeline_service;
  RecorderService recorder_service;
  ScoringService scoring_service;
  ExerciseService exercise_service;
  PrivacyService privacy_service;
  InboxService inbox_service;
  AnalyticsService analytics_service;
  ReportService report_service;
  CourseService course_service;
  std::unique_ptr<grpc::Server> server;
  std::string address;
  int port = 0;
  bool plaintext = false;
  std::once_flag shutdown_once;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() {
  shutdown(std::chrono::milliseconds(0));
  wait();
}

Expected<std::unique_ptr<Server>> Server::start(
    const config::Config& config, std::shared_ptr<const identity::Authenticator> authenticator,
    ServerDeps deps) {
  if (!authenticator) {
    return make_error(ErrorCode::internal, "The RPC server was started without an authenticator.");
  }
  auto creds = credentials_for(config);
  if (!creds) return creds.error();

  const std::weak_ptr<course::RunDesk> runs = deps.courses;
  const std::weak_ptr<exercise::RangeRegistry> registry = deps.range.registry;
  auto impl = std::make_unique<Impl>(std::move(authenticator), std::move(deps));
  // A self-paced run belongs to its trainee's organisation: instructors of another one do
  // not see, steer or grade it, in any service (identity::check_exercise_scope). A trainee
  // without a run of their own reaches the exercises their team plays in only, and hears the
  // same of any other as of one nobody created.
  if (!runs.expired() || !registry.expired())
    impl->gate.set_oversight([desk = runs, registry](const identity::Identity& caller,
                                                     const std::string& exercise) -> Status {
      if (caller.role == identity::Role::trainee)
        return trainee_plays_in(registry.lock().get(), caller, exercise);
      auto live = desk.lock();
      return live ? live->oversee(caller, exercise) : Status::success();
    });
  // Guessing answers is slowed per user here and per team and objective by the scoring hub.
  impl->gate.limit_per_user(kAnswerCalls,
                            UserRateLimit{config.answer_burst, config.answer_rate_per_minute},
                            "answers and hints", "回答とヒントの送信");
  impl->gate.limit_failed_sign_ins(
      SignInFailureLimit{config.sign_in_failure_burst, config.sign_in_failures_per_minute});
  impl->system_handler.cache_health(std::chrono::seconds(config.health_cache_s));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(config.listen_address, *creds, &impl->port);
  // What one connection may cost (#17, 6): streams at once, the largest message, and the
  // age and idle time after which it is closed (a client reconnects on its own; the grace
  // lets a long terminal or watch finish its current work).
  builder.SetMaxReceiveMessageSize(config.grpc_max_receive_kb * 1024);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, config.grpc_max_concurrent_streams);
  if (config.grpc_max_connection_idle_s > 0)
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                               config.grpc_max_connection_idle_s * 1000);
  if (config.grpc_max_connection_age_s > 0) {
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               config.grpc_max_connection_age_s * 1000);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 600 * 1000);
  }
  // Keepalive both ways: the server notices dead clients (their streams end and free
  // their resources), and it accepts the clients' pings (client-core pings every 10 s,
  // also while idle) as long as they come at most every grpc_keepalive_min_s; a client
  // pinging faster is answered with GOAWAY "too_many_pings" after two strikes.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
                             config.grpc_keepalive_min_s * 1000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.RegisterService(&impl->system_service);
  builder.RegisterService(&impl->range_service);
  builder.RegisterService(&impl->timeline_service);
  builder.RegisterService(&impl->recorder_service);
  builder.RegisterService(&impl->scoring_service);
  builder.RegisterService(&impl->exercise_service);
  builder.RegisterService(&impl->privacy_service);
  builder.RegisterService(&impl->inbox_service);
  builder.RegisterService(&impl->analytics_service);
  builder.RegisterService(&impl->report_service);
  builder.RegisterService(&impl->course_service);
  impl->server = builder.BuildAndStart();
  if (!impl->server || impl->port == 0) {
    return make_error(ErrorCode::unavailable,
                      "Cannot listen on '" + config.listen_address +
                          "'; the address may be in use by another cyranged or malformed. "
                          "Choose another with --listen or listen_address.");
  }
  impl->plaintext = config.plaintext;
  // Streams outlive revocation otherwise: their token is checked again at this interval.
  impl->gate.recheck_streams(std::chrono::seconds(std::max(1, config.stream_recheck_s)));
  // A unix socket has no port: its address is the one given.
  impl->address = config.listen_address.rfind("unix", 0) == 0
                      ? config.listen_address
                      : host_of(config.listen_address) + ":" + std::to_string(impl->port);
  if (config.plaintext) {
    log::get("rpc")->warn(
        "Serving WITHOUT TLS on {} because plaintext was requested; tokens travel in clear "
        "text on this machine's loopback. Use this only for tests.",
        impl->address);
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

const std::string& Server::address() const { return impl_->address; }
int Server::port() const { return impl_->port; }
bool Server::plaintext() const { return impl_->plaintext; }

void Server::shutdown(std::chrono::milliseconds grace) {
  std::call_once(impl_->shutdown_once,
                 [&] { impl_->server->Shutdown(std::chrono::system_clock::now() + grace); });
}

void Server::wait() { impl_->server->Wait(); }

}  // namespace cyrange::rpc
