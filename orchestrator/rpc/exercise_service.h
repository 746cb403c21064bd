#pragma once

#include <memory>

#include <cyrange/v1/exercise.grpc.pb.h>

#include <orchestrator/exercise/exercise_manager.h>
#include <orchestrator/identity/join_desk.h>
#include <orchestrator/rpc/call_gate.h>

namespace cyrange::rpc {

/// Thin gRPC adapter of ExerciseService over exercise::ExerciseManager. Instructors
/// and admins create and end exercises; they and designers see every one; a trainee
/// sees only the exercises its team plays in. Without a manager every call answers
/// UNAVAILABLE after authentication.
class ExerciseService final : public cyrange::v1::ExerciseService::CallbackService {
 public:
  /// `gate` must outlive the service; `manager` and `join` may be null (CreateJoinCodes
  /// then answers UNAVAILABLE).
  ExerciseService(const CallGate& gate, std::shared_ptr<exercise::ExerciseManager> manager,
                  std::shared_ptr<exercise::RangeRegistry> registry,
                  std::shared_ptr<identity::JoinDesk> join = nullptr);

  grpc::ServerUnaryReactor* CreateExercise(grpc::CallbackServerContext* ctx,
                                           const cyrange::v1::CreateExerciseRequest* request,
                                           cyrange::v1::Exercise* response) override;
  grpc::ServerUnaryReactor* ListExercises(grpc::CallbackServerContext* ctx,
                                          const cyrange::v1::ListExercisesRequest* request,
                                          cyrange::v1::ListExercisesResponse* response) override;
  grpc::ServerUnaryReactor* GetExercise(grpc::CallbackServerContext* ctx,
                                        const cyrange::v1::GetExerciseRequest* request,
                                        cyrange::v1::Exercise* response) override;
  grpc::ServerUnaryReactor* EndExercise(grpc::CallbackServerContext* ctx,
                                        const cyrange::v1::EndExerciseRequest* request,
                                        cyrange::v1::Exercise* response) override;
  grpc::ServerUnaryReactor* RunChecks(grpc::CallbackServerContext* ctx,
                                      const cyrange::v1::RunChecksRequest* request,
                                      cyrange::v1::RunChecksResponse* response) override;
  grpc::ServerUnaryReactor* ResetTeamRange(grpc::CallbackServerContext* ctx,
                                           const cyrange::v1::ResetTeamRangeRequest* request,
                                           cyrange::v1::ResetTeamRangeResponse* response) override;
  grpc::ServerUnaryReactor* CreateJoinCodes(
      grpc::CallbackServerContext* ctx, const cyrange::v1::CreateJoinCodesRequest* request,
      cyrange::v1::CreateJoinCodesResponse* response) override;

 private:
  /// The trainee's team name; staff get an empty name (they see everything).
  Expected<std::string> team_of(const identity::Identity& caller) const;

  const CallGate& gate_;
  std::shared_ptr<exercise::ExerciseManager> manager_;
  std::shared_ptr<exercise::RangeRegistry> registry_;
  std::shared_ptr<identity::JoinDesk> join_;
};

}  // namespace cyrange::rpc
