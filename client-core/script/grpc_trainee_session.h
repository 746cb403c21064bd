#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <client-core/connection.h>
#include <client-core/script/console_shell.h>
#include <client-core/recorder_client.h>
#include <client-core/scoring_client.h>
#include <client-core/script/scripted_trainee.h>
#include <client-core/timeline_client.h>

namespace cyrange::client {

/// Where a GrpcTraineeSession plays.
struct GrpcSessionOptions {
  std::string exercise;
  std::string team;  ///< empty: the caller's own team (the only range it may see)
  /// The recorder's durable event buffer; empty: actions are not recorded.
  std::filesystem::path recorder_dir;
  std::chrono::milliseconds poll{500};  ///< how often waits ask the server again
};

/// A TraineeSession over the real gRPC APIs with a trainee's token: it watches the
/// team's timeline (TimelineService), types into range terminals (RangeService),
/// answers and takes hints (ScoringService) and records every command, answer and
/// hint (RecorderService), as the trainee client does.
class GrpcTraineeSession final : public TraineeSession {
 public:
  /// Resolves the team, starts the timeline watch and, with recorder_dir, the recorder.
  static Expected<std::unique_ptr<GrpcTraineeSession>> open(Connection connection,
                                                            GrpcSessionOptions options);
  /// close() with a short grace period for the recorder.
  ~GrpcTraineeSession() override;
  GrpcTraineeSession(const GrpcTraineeSession&) = delete;
  GrpcTraineeSession& operator=(const GrpcTraineeSession&) = delete;

  Status wait_until(const WaitCondition& condition, std::chrono::milliseconds timeout) override;
  Expected<double> exercise_time() override;
  Expected<ConsoleOutput> run_command(const std::string& host, const std::string& command,
                                      std::chrono::milliseconds timeout) override;
  Expected<ScoringReply> submit_answer(const std::string& objective, const std::string& part,
                                       const std::string& answer) override;
  Expected<ScoringReply> take_hint(const std::string& objective, const std::string& hint) override;
  Expected<TeamLine> progress() override;

  /// Closes the terminals and the watch, then waits up to `timeout` until the server
  /// acknowledged every recorded event; false if some are still only in the buffer.
  bool close(std::chrono::milliseconds timeout);
  /// The team this session plays for.
  const std::string& team() const { return options_.team; }

 private:
  GrpcTraineeSession(Connection connection, GrpcSessionOptions options);
  void record(TraineeEvent event);
  Status wait_objective_open(const std::string& objective, std::chrono::milliseconds timeout);
  Status wait_objective_solved(const std::string& objective, std::chrono::milliseconds timeout);
  Status wait_exercise_time(double seconds, std::chrono::milliseconds timeout);
  Status refresh_timeline();

  Connection connection_;
  GrpcSessionOptions options_;
  TimelineClient timeline_;
  ScoringClient scoring_;
  std::unique_ptr<RecorderClient> recorder_;
  Subscription watch_;
  std::map<std::string, std::unique_ptr<ConsoleShell>> consoles_;
  std::string focused_host_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, ItemState> objective_states_;  // objective id -> execution state
  bool closed_ = false;
};

}  // namespace cyrange::client
