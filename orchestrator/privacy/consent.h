#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/privacy/audit.h>

namespace cyrange::privacy {

/// What a trainee consents to. The two purposes are separate: scoring and debrief
/// keep the data inside the exercise; research lets it leave, anonymised.
enum class Purpose { scoring, research };

/// "scoring" or "research", as stored in consent_texts.purpose.
std::string_view to_string(Purpose purpose);

/// Parses a purpose name; the error lists the valid names.
Expected<Purpose> parse_purpose(std::string_view name);

/// One published version of the consent text of a purpose, in Japanese and English.
struct ConsentText {
  Purpose purpose = Purpose::scoring;
  int version = 0;
  std::string title_ja, title_en;
  std::string text_ja, text_en;
  std::int64_t published_unix = 0;
};

/// A trainee's consent for one exercise and purpose, active or ended.
struct Consent {
  std::int64_t user_id = 0;
  std::string exercise;
  Purpose purpose = Purpose::scoring;
  int version = 0;  ///< the version of the text the trainee agreed to
  std::int64_t given_unix = 0;
  std::int64_t ended_unix = 0;  ///< 0 while active
  std::string end_reason;       ///< "", "withdrawn" or "superseded"

  /// True until withdrawn or superseded.
  bool active() const { return ended_unix == 0 && end_reason.empty(); }
};

/// What a withdrawal did.
struct Withdrawal {
  Consent consent;                             ///< the consent, now ended
  std::int64_t deleted_events = 0;             ///< recorder_events rows deleted (scoring only)
  std::int64_t deleted_terminal_sessions = 0;  ///< terminal recordings deleted (scoring only)
  /// Score ledger entries of the trainee in the exercise whose personal fields (login name,
  /// wrong answer's text, self-assessment note) were redacted; their points stay (scoring only).
  std::int64_t redacted_ledger_entries = 0;
};

/// Where consents live. Implementations decide on data (does the exercise exist,
/// is the version current); ConsentDesk decides who may ask.
class ConsentStore {
 public:
  virtual ~ConsentStore() = default;

  /// The newest published text of every purpose.
  virtual Expected<std::vector<ConsentText>> current_texts() = 0;

  /// Records the consent of trainee `user_id` to `version` of `purpose`'s text for
  /// `exercise`. Idempotent for the same version; an active consent to an older
  /// version is superseded. not_found for an unknown exercise, permission_denied when
  /// it does not include the trainee's team, failed_precondition for an old `version`.
  virtual Expected<Consent> give(std::int64_t user_id, const std::string& exercise, Purpose purpose,
                                 int version, const Actor& actor) = 0;

  /// Ends the active consent; for scoring also deletes the trainee's recorded events
  /// and terminal recordings of `exercise`. Audited. not_found without an active consent.
  virtual Expected<Withdrawal> withdraw(std::int64_t user_id, const std::string& exercise,
                                        Purpose purpose, const Actor& actor) = 0;

  /// Whether trainee `user_id` has an active scoring consent for `exercise` (what
  /// recording needs); permission_denied when the exercise does not include the
  /// trainee's team (or does not exist), so that authorisation is answered first.
  virtual Expected<bool> scoring_consent_active(std::int64_t user_id,
                                                const std::string& exercise) = 0;

  /// Every consent of `user_id`, newest first; `exercise` empty means all exercises.
  virtual Expected<std::vector<Consent>> consents_of(std::int64_t user_id,
                                                     const std::string& exercise) = 0;
};

}  // namespace cyrange::privacy
