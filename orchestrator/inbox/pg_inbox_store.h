#pragma once

#include <memory>
#include <string>

#include <orchestrator/inbox/inbox.h>

namespace cyrange::inbox {

/// The InboxStore in PostgreSQL (table of migration 0009_inbox). One connection behind
/// a mutex, reopened once when it broke (PostgreSQL restart).
class PgInboxStore : public InboxStore {
 public:
  /// Connects to `uri` and checks the schema is migrated.
  static Expected<std::unique_ptr<PgInboxStore>> open(const std::string& uri);
  ~PgInboxStore() override;
  PgInboxStore(const PgInboxStore&) = delete;
  PgInboxStore& operator=(const PgInboxStore&) = delete;

  Expected<std::optional<InboxMessage>> add(const InboxMessage& message) override;
  Expected<std::vector<InboxMessage>> list(const std::string& exercise, const std::string& team,
                                           std::int64_t after_id) override;
  Expected<std::optional<std::string>> team_name(std::int64_t team_id) override;

 private:
  struct Impl;
  explicit PgInboxStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cyrange::inbox
