#pragma once

#include <memory>

#include <cyrange/v1/recorder.grpc.pb.h>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/privacy/consent_cache.h>
#include <orchestrator/recorder/event.h>
#include <orchestrator/recorder/event_sink.h>
#include <orchestrator/rpc/call_gate.h>

namespace cyrange::rpc {

/// Events one stream may hold read-but-uncommitted; beyond it the stream stops
/// reading (gRPC flow control then holds the client) until the writer catches up.
inline constexpr std::size_t kRecordStreamMaxPendingEvents = 16384;

/// Maps a wire batch to a domain submission for `caller`: the team and trainee come
/// from the caller, never from the message. permission_denied when the caller is
/// not a trainee or a event names another team; invalid_argument for a malformed
/// batch. Redacted key and command events lose any text they carry.
Expected<recorder::Submission> to_submission(const identity::Identity& caller,
                                             const cyrange::v1::RecordBatch& batch);

/// Thin gRPC adapter of RecorderService: authenticates at stream start through the
/// gate, validates batches, hands them to the sink and streams acknowledgements.
/// A batch of a trainee without scoring consent for its exercise ends the stream
/// with FAILED_PRECONDITION (recorder::missing_consent); the client keeps it.
class RecorderService final : public cyrange::v1::RecorderService::CallbackService {
 public:
  /// `gate` must outlive the service; without a sink (nullptr) every
  /// authenticated stream ends with UNAVAILABLE. `consents` refuses batches early
  /// from memory; without it only the writer's own check (in the sink) refuses.
  RecorderService(const CallGate& gate, std::shared_ptr<recorder::EventSink> sink,
                  std::shared_ptr<privacy::ConsentCache> consents = nullptr);

  grpc::ServerBidiReactor<cyrange::v1::RecordBatch, cyrange::v1::RecordAck>* Record(
      grpc::CallbackServerContext* ctx) override;

 private:
  const CallGate& gate_;
  std::shared_ptr<recorder::EventSink> sink_;
  std::shared_ptr<privacy::ConsentCache> consents_;
};

}  // namespace cyrange::rpc
