#include <orchestrator/scoring/ledger_follower.h>

#include <orchestrator/common/log.h>

namespace cyrange::scoring {

LedgerFollower::LedgerFollower(std::string uri, std::shared_ptr<ScoreHub> hub)
    : hub_(std::move(hub)),
      listener_(std::make_unique<store::ChangeListener>(
          std::move(uri), "cyrange_ledger", "scoring",
          [this](const std::string& exercise) { reread(exercise); },
          [this](bool listening) {
            if (!listening) return;
            for (const auto& exercise : hub_->exercises()) reread(exercise);
          })) {}

void LedgerFollower::reread(const std::string& exercise) {
  auto board = hub_->find(exercise);
  if (!board) return;  // not live here
  if (Status st = (*board)->reread_ledger(); !st)
    log::get("scoring")->warn("exercise {}: rereading the redacted ledger failed: {}", exercise,
                              st.error().message);
}

}  // namespace cyrange::scoring
