#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/terminal.h>
#include <orchestrator/identity/identity.h>

namespace cyrange::exercise {

/// What a reader asks of one recorded session.
struct RecordingPageRequest {
  std::int64_t session = 0;
  int from_seq = 0;                           ///< first chunk wanted
  std::size_t max_bytes = kDefaultPageBytes;  ///< data per page; 0 means the default
  bool include_input = false;                 ///< also the trainee's keystrokes
  /// Page size when none is asked for, and the most one page carries.
  static constexpr std::size_t kDefaultPageBytes = std::size_t{256} << 10;
  static constexpr std::size_t kMaxPageBytes = std::size_t{1} << 20;
};

/// One page of a recorded session, with the session's row.
struct RecordingPage {
  TerminalSessionRow session;
  TerminalChunkPage page;
};

/// The team whose terminals `caller` may reach in `exercise`: `team` itself for staff
/// (empty: every team), the trainee's own for a trainee. permission_denied for a designer,
/// another team or an exercise the trainee's team does not play; not_found for an unknown
/// exercise (a trainee is not told whether it exists).
Expected<std::string> terminal_team(RangeRegistry& registry, const identity::Identity& caller,
                                    const std::string& exercise, const std::string& team);

class TerminalWatchDesk;

/// Serves recorded terminal sessions for replay and live watch; transport-free.
/// Instructors and admins read every team's sessions; a trainee only their own team's
/// in an exercise their team plays; designers none. Recorded terminal text is personal
/// data: a trainee's session is served only while their scoring consent for the exercise
/// is active, whatever is still stored.
class TerminalArchive {
 public:
  /// `consent` answers whether a trainee's recording may be used (TerminalBroker's
  /// require_consent); empty means every recording was made and kept with consent.
  /// A terminal still open is served to instructors only while `watches` says its team
  /// accepted a live watch (null: never); its trainees always read it.
  TerminalArchive(std::shared_ptr<RangeRegistry> registry, RecordingConsent consent,
                  const TerminalWatchDesk* watches = nullptr);

  /// The sessions of `exercise` the caller may see, of `team` or (empty) of every team
  /// they may see, oldest first. permission_denied for a designer, another team or an
  /// exercise the trainee's team does not play; not_found for an unknown exercise.
  Expected<std::vector<TerminalSessionRow>> list(const identity::Identity& caller,
                                                 const std::string& exercise,
                                                 const std::string& team);
  /// One page of a session. permission_denied as list() and for an instructor reading a
  /// terminal still open without the team's accepted watch; not_found for an unknown
  /// session and for one not served for want of consent.
  Expected<RecordingPage> read(const identity::Identity& caller,
                               const RecordingPageRequest& request);

 private:
  // Whether `row` may be served: not a trainee's, or its trainee's consent is active.
  Expected<bool> consented(const TerminalSessionRow& row);

  std::shared_ptr<RangeRegistry> registry_;
  RecordingConsent consent_;
  const TerminalWatchDesk* watches_;
};

}  // namespace cyrange::exercise
