#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <client-core/call.h>
#include <client-core/connection.h>
#include <client-core/localized_text.h>
#include <orchestrator/common/expected.h>

namespace cyrange::client {

/// What a consent is for: recording for scoring and the debrief, or research.
enum class ConsentPurpose { scoring, research };

/// One current consent text as a client shows it.
struct ConsentTextView {
  ConsentPurpose purpose = ConsentPurpose::scoring;
  int version = 0;
  LocalizedText title, text;
};

/// A consent as the server recorded it.
struct ConsentView {
  std::string exercise;
  ConsentPurpose purpose = ConsentPurpose::scoring;
  int version = 0;
  bool active = false;
};

/// PrivacyService calls for trainees (consent texts, give, withdraw, list);
/// blocking, one call at a time per thread.
class PrivacyClient {
 public:
  /// Uses (and shares) `connection`; its token names the trainee.
  explicit PrivacyClient(Connection connection);

  /// The current text of each purpose.
  Call<std::vector<ConsentTextView>> texts_async() const;
  /// Blocking form of texts_async.
  Expected<std::vector<ConsentTextView>> texts() const;
  /// Agrees to `version` of `purpose`'s text (the one shown) for `exercise`.
  Call<ConsentView> give_async(const std::string& exercise, ConsentPurpose purpose,
                               int version) const;
  /// Blocking form of give_async.
  Expected<ConsentView> give(const std::string& exercise, ConsentPurpose purpose,
                             int version) const;
  /// Fetches the current text of `purpose` and agrees to it: for a client whose
  /// person agreed to what texts() showed, and for scripted trainees.
  Expected<ConsentView> give_current(const std::string& exercise, ConsentPurpose purpose) const;
  /// The caller's consents for `exercise` (empty: every exercise), active and ended.
  Call<std::vector<ConsentView>> mine_async(const std::string& exercise) const;
  /// Withdraws the caller's consent; for scoring the server deletes the recording.
  Call<Unit> withdraw_async(const std::string& exercise, ConsentPurpose purpose) const;
  /// Blocking form of withdraw_async.
  Status withdraw(const std::string& exercise, ConsentPurpose purpose) const;

 private:
  Connection connection_;
};

}  // namespace cyrange::client
