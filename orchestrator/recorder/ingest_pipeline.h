#pragma once

#include <cstddef>
#include <cstdint>
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

/// What the writers of a pipeline have done so far, for benchmarks and diagnostics.
struct IngestCounters {
  std::uint64_t transactions = 0;  ///< group commits attempted
  std::uint64_t submissions = 0;   ///< submissions in them
  std::uint64_t events = 0;        ///< events in those submissions (replays included)
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

  /// A snapshot of the counters.
  IngestCounters counters() const;

 private:
  struct Impl;
  explicit IngestPipeline(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::recorder
