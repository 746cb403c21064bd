#include <orchestrator/scoring/review_queue.h>

namespace cyrange::scoring {

Status check_reviewer(const identity::Identity& caller) {
  if (is_grader(caller)) return Status::success();
  return make_error(ErrorCode::permission_denied,
                    "Only instructors and admins review rubric items; sign in with an "
                    "instructor's token.",
                    "ルーブリック項目のレビューは講師と管理者だけが行えます。講師のトークンで"
                    "サインインしてください。");
}

Expected<std::vector<PendingReview>> pending_reviews(ScoreHub& hub,
                                                     const identity::Identity& caller,
                                                     const std::string& exercise,
                                                     const std::string& team) {
  if (auto st = check_reviewer(caller); !st) return st.error();
  auto listed = hub.tasks(caller, exercise, team);
  if (!listed) return listed.error();
  std::vector<PendingReview> out;
  for (const auto& task : listed->second)
    for (const auto& r : task.rubric)
      if (r.item.graded_by == scenario::Grader::review && !r.met)
        out.push_back({task.objective, task.question, r.item});
  return out;
}

}  // namespace cyrange::scoring
