#include <orchestrator/privacy/consent_desk.h>

namespace cyrange::privacy {
namespace {

Status require_exercise(const std::string& exercise) {
  if (!exercise.empty()) return Status::success();
  return make_error(ErrorCode::invalid_argument,
                    "No exercise was named; consent is given and withdrawn per exercise, so "
                    "pass its exercise id. 演習 ID を指定してください。");
}

}  // namespace

ConsentDesk::ConsentDesk(std::shared_ptr<ConsentStore> store, std::shared_ptr<ConsentCache> cache)
    : store_(std::move(store)), cache_(std::move(cache)) {}

Expected<std::vector<ConsentText>> ConsentDesk::texts(const identity::Identity& /*caller*/) {
  return store_->current_texts();
}

Expected<Consent> ConsentDesk::give(const identity::Identity& caller,
                                    const GiveConsentRequest& request) {
  if (request.user_id != 0 && request.user_id != caller.user_id) {
    return make_error(ErrorCode::permission_denied,
                      "User '" + caller.name + "' cannot give consent for user " +
                          std::to_string(request.user_id) +
                          ": consent is personal and only the trainee can give it. "
                          "同意は本人しか行えません。");
  }
  if (caller.role != identity::Role::trainee) {
    return make_error(ErrorCode::permission_denied,
                      "User '" + caller.name + "' is " +
                          std::string(identity::to_string(caller.role)) +
                          ", not a trainee; only trainees are recorded, so only they consent. "
                          "同意するのは記録される受講者だけです。");
  }
  if (Status named = require_exercise(request.exercise); !named) return named.error();
  // A trainee consents for the run they play in only (another run: not found, #17, 4).
  if (Status scoped = identity::check_exercise_scope(caller, request.exercise); !scoped)
    return scoped.error();
  if (request.version <= 0) {
    return make_error(ErrorCode::invalid_argument,
                      "The consent names no text version; send the version of the text that was "
                      "shown (from GetConsentTexts). 表示した同意文の版を指定してください。");
  }
  auto given = store_->give(caller.user_id, request.exercise, request.purpose, request.version,
                            actor_of(caller));
  if (given && cache_) cache_->forget(caller.user_id, request.exercise);
  return given;
}

Expected<Withdrawal> ConsentDesk::withdraw(const identity::Identity& caller,
                                           const WithdrawConsentRequest& request) {
  const std::int64_t target = request.user_id == 0 ? caller.user_id : request.user_id;
  if (target != caller.user_id && caller.role != identity::Role::admin) {
    return make_error(ErrorCode::permission_denied,
                      "User '" + caller.name + "' cannot withdraw the consent of user " +
                          std::to_string(target) +
                          ": a trainee withdraws only their own; an admin can do it on the "
                          "trainee's written request. 本人または管理者のみが撤回できます。");
  }
  if (Status named = require_exercise(request.exercise); !named) return named.error();
  // Forgotten before and after: a recorder asking in between finds no cached "yes",
  // and the event writer's own check waits for the withdrawal's transaction.
  if (cache_) cache_->forget(target, request.exercise);
  auto withdrawn = store_->withdraw(target, request.exercise, request.purpose, actor_of(caller));
  if (cache_) cache_->forget(target, request.exercise);
  return withdrawn;
}

Expected<std::vector<Consent>> ConsentDesk::mine(const identity::Identity& caller,
                                                 const std::string& exercise) {
  return store_->consents_of(caller.user_id, exercise);
}

}  // namespace cyrange::privacy
