#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/analytics/analytics_desk.h>
#include <orchestrator/config/config.h>
#include <orchestrator/course/course.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/identity/join_desk.h>
#include <orchestrator/inbox/inbox.h>
#include <orchestrator/privacy/consent_cache.h>
#include <orchestrator/privacy/consent_desk.h>
#include <orchestrator/recorder/event_sink.h>
#include <orchestrator/report/report.h>
#include <orchestrator/exercise/exercise_manager.h>
#include <orchestrator/rpc/range_service.h>
#include <orchestrator/rpc/system_handler.h>
#include <orchestrator/scoring/score_hub.h>
#include <orchestrator/timeline/hub.h>

namespace cyrange::rpc {

/// What the server needs besides the configuration and the authenticator.
struct ServerDeps {
  std::vector<std::shared_ptr<const HealthProbe>> probes;  ///< reported by Health
  unsigned schema_version = 0;                             ///< reported by Version
  std::shared_ptr<timeline::TimelineHub> timeline;  ///< null: TimelineService answers UNAVAILABLE
  std::shared_ptr<recorder::EventSink>
      recorder;                                ///< where RecorderService writes; nullptr: refused
  std::shared_ptr<scoring::ScoreHub> scoring;  ///< null: ScoringService answers UNAVAILABLE
  RangeServiceDeps range;                      ///< null members: RangeService answers UNAVAILABLE
  std::shared_ptr<exercise::ExerciseManager> exercises;  ///< null: ExerciseService is UNAVAILABLE
  std::shared_ptr<privacy::ConsentDesk> privacy;  ///< null: PrivacyService answers UNAVAILABLE
  std::shared_ptr<inbox::Inbox> inbox;            ///< null: InboxService answers UNAVAILABLE
  /// Consent answers RecorderService refuses batches with early; null: only the
  /// event writer's own check in its commit transaction refuses them.
  std::shared_ptr<privacy::ConsentCache> consents;
  std::shared_ptr<analytics::AnalyticsDesk> analytics;  ///< null: AnalyticsService UNAVAILABLE
  /// Join codes (SystemService.Join, ExerciseService.CreateJoinCodes); null: both UNAVAILABLE.
  std::shared_ptr<identity::JoinDesk> join;
  std::shared_ptr<report::ReportDesk> reports;  ///< null: ReportService answers UNAVAILABLE
  std::shared_ptr<course::RunDesk> courses;     ///< null: CourseService answers UNAVAILABLE
};

/// The cyranged gRPC server (callback API). TLS unless Config::plaintext.
class Server {
 public:
  /// Binds config.listen_address (port 0 picks a free port) and starts serving.
  /// With TLS, reads server.pem and server.key from config.tls_dir; a missing file
  /// is an error naming it and telling to run `cyrange certs init`.
  static Expected<std::unique_ptr<Server>> start(
      const config::Config& config, std::shared_ptr<const identity::Authenticator> authenticator,
      ServerDeps deps);

  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// host:port actually bound, e.g. "127.0.0.1:43117".
  const std::string& address() const;
  /// The bound port.
  int port() const;
  /// True when serving without TLS.
  bool plaintext() const;
  /// Stops accepting calls and cancels those still running after `grace`.
  void shutdown(std::chrono::milliseconds grace);
  /// Blocks until shutdown() has completed.
  void wait();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::rpc
