#pragma once

// Internal to cyrange_exercise: the state behind RangeRegistry, shared by the files that
// implement it (range_registry.cpp, range_registry_terminals.cpp).

#include <memory>

#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/store/pg_session.h>

namespace cyrange::exercise {

// One transaction per call, reconnecting once after a lost connection (store::PgSession).
struct RangeRegistry::Impl {
  std::unique_ptr<store::PgSession> session;
};

}  // namespace cyrange::exercise
