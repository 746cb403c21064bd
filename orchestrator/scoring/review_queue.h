#pragma once

#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/identity/identity.h>
#include <orchestrator/scoring/score_hub.h>

namespace cyrange::scoring {

/// A rubric item `graded_by: review` that nobody has graded as met yet: it waits for an
/// instructor after a self-paced run.
struct PendingReview {
  std::string objective;
  Bilingual objective_title;  ///< the objective's question
  RubricText item;
};

/// Success for instructors and admins, who review; permission_denied otherwise.
Status check_reviewer(const identity::Identity& caller);

/// The review items of `team` in `exercise` still waiting, in the scenario's order.
/// Instructors and admins only (permission_denied otherwise); not_found when the
/// exercise's board is not open in `hub`.
Expected<std::vector<PendingReview>> pending_reviews(ScoreHub& hub,
                                                     const identity::Identity& caller,
                                                     const std::string& exercise,
                                                     const std::string& team);

}  // namespace cyrange::scoring
