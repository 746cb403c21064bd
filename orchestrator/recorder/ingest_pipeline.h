#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include <orchestrator/common/expected.h>
#include <orchestrator/recorder/event_sink.h>

namespace cyrange::recorder {

/// Tuning of the writer side of recording.
struct IngestOptions {
  std::size_t writers = 2;               ///< writer threads, each with its own connection
  std::size_t max_group_events = 20000;  ///< events committed in one transaction at most
};

/// The real EventSink: a queue drained by writer threads that group-commit
/// submissions into PostgreSQL through PgEventStore. Memory stays bounded because
/// every stream has at most one submission in flight (see rpc/recorder_service).
class IngestPipeline : public EventSink {
 public:
  /// Opens one PostgreSQL connection per writer and starts the writers.
  static Expected<std::unique_ptr<IngestPipeline>> start(const std::string& uri,
                                                         IngestOptions options = {});
  /// Commits what is queued, then stops the writers.
  ~IngestPipeline() override;
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  /// See EventSink.
  void submit(Submission submission, CommitCallback done) override;

 private:
  struct Impl;
  explicit IngestPipeline(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::recorder
