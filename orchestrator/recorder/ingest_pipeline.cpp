#include <orchestrator/recorder/ingest_pipeline.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include <orchestrator/recorder/pg_event_store.h>

namespace cyrange::recorder {

struct IngestPipeline::Impl {
  struct Item {
    Submission submission;
    CommitCallback done;
  };

  IngestOptions options;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<Item> queue;
  bool stopping = false;
  IngestCounters counters;  // under mutex
  std::vector<std::thread> threads;

  void run(std::unique_ptr<PgEventStore> store) {
    for (;;) {
      std::vector<Item> group;
      {
        std::unique_lock lock(mutex);
        wake.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping, and everything queued was committed
        // Take what is waiting, up to the group limit: one transaction (one fsync
        // of the WAL) for many streams is what makes ingest fast.
        std::size_t events = 0;
        while (!queue.empty() &&
               (group.empty() ||
                events + queue.front().submission.events.size() <= options.max_group_events)) {
          events += queue.front().submission.events.size();
          group.push_back(std::move(queue.front()));
          queue.pop_front();
        }
        counters.transactions += 1;
        counters.submissions += group.size();
        counters.events += events;
      }
      std::vector<const Submission*> submissions;
      submissions.reserve(group.size());
      for (const Item& item : group) submissions.push_back(&item.submission);
      auto results = store->commit(submissions);
      for (std::size_t i = 0; i < group.size(); ++i) group[i].done(std::move(results[i]));
    }
  }
};

IngestPipeline::IngestPipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

IngestPipeline::~IngestPipeline() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  for (auto& thread : impl_->threads) thread.join();
}

Expected<std::unique_ptr<IngestPipeline>> IngestPipeline::start(const std::string& uri,
                                                                IngestOptions options) {
  if (options.writers == 0) options.writers = 1;
  std::vector<std::unique_ptr<PgEventStore>> stores;
  const auto facts = PgEventStore::share_facts();
  for (std::size_t i = 0; i < options.writers; ++i) {
    auto store = PgEventStore::open(uri, facts);
    if (!store) return store.error();
    stores.push_back(std::move(store).value());
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  Impl* raw = impl.get();
  for (auto& store : stores) {
    raw->threads.emplace_back([raw, s = std::move(store)]() mutable { raw->run(std::move(s)); });
  }
  return std::unique_ptr<IngestPipeline>(new IngestPipeline(std::move(impl)));
}

void IngestPipeline::submit(Submission submission, CommitCallback done) {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->queue.push_back({std::move(submission), std::move(done)});
  }
  impl_->wake.notify_one();
}

IngestCounters IngestPipeline::counters() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->counters;
}

}  // namespace cyrange::recorder
