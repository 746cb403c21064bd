#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::client {

// A scripted trainee's playbook: what a trainee does, in order, through the same
// APIs a person uses. Scripts live with each scenario (scenarios/NAME/playtest/*.yaml);
// the format is described in scenarios/README.md ("Playtest scripts").

/// The apiVersion a trainee script must declare.
inline constexpr std::string_view kTraineeScriptApiVersion = "cyrange.io/playtest/v1";

/// What an action waits for before it runs.
struct WaitCondition {
  enum class Kind {
    none,              ///< runs at once
    objective_open,    ///< the objective was opened for the team
    objective_solved,  ///< the team solved the objective (by answer or range-state check)
    exercise_time,     ///< the exercise clock reached `seconds`
  };
  Kind kind = Kind::none;
  std::string objective;
  double seconds = 0;
};

/// One value read out of a command's output: the single group of `pattern`
/// (ECMAScript regex) on the first output line it matches.
struct Capture {
  std::string name;
  std::string pattern;
};

/// A command typed into the terminal of one range host.
struct RunAction {
  std::string host;
  std::string command;  ///< one line; ${NAME} of an earlier capture is replaced
  std::vector<Capture> captures;
  double timeout_seconds = 0;  ///< wall seconds; 0: the runner's default
};

/// An answer to an objective (or one part of it).
struct AnswerAction {
  std::string objective;
  std::string part;    ///< empty for single-answer objectives
  std::string value;   ///< ${NAME} of an earlier capture is replaced
  std::string expect;  ///< verdict the script insists on (e.g. correct); empty: any
};

/// A hint taken for the team.
struct HintAction {
  std::string objective;
  std::string hint;  ///< the hint id, e.g. hint-1 or PART/hint-1
};

/// How the instructor grades one rubric item of this trainee's report: the persona's
/// report is not typed by the script, so the script states the grade an instructor
/// reading it would give, and the training day's instructor submits it (GradeRubric).
struct ReportGrade {
  std::string objective;
  std::string item;
  std::string note;  ///< why the item is met
  int line = 0;
  int column = 0;
};

/// The option an instructor chooses for this trainee's team in a decision step, as soon
/// as the timeline presents it: a script states it, as it states report grades, because
/// a trainee cannot choose; the training day submits it (ChooseOption) and a dry run too.
struct DecisionChoice {
  std::string step;
  std::string option;
  int line = 0;
  int column = 0;
};

/// One step of the script. `when` is checked first; then the action of `kind`.
struct ScriptAction {
  enum class Kind { wait, run, answer, hint, pause };
  Kind kind = Kind::wait;  ///< wait: only `when`
  int line = 0;            ///< 1-based position of the action in the file
  int column = 0;
  WaitCondition when;
  RunAction run;
  AnswerAction answer;
  HintAction hint;
  double pause_seconds = 0;  ///< pause (`wait_seconds:`): exercise seconds of thinking time
};

/// A parsed trainee script; immutable once loaded.
struct TraineeScript {
  std::string file;       ///< as given to the loader, for messages
  std::string trainee;    ///< e.g. ideal or careless
  std::string scenario;   ///< metadata.id of the scenario it plays; may be empty
  int scenario_line = 0;  ///< where `scenario:` is written (0: absent)
  int scenario_column = 0;
  std::string description_ja, description_en;
  std::vector<ScriptAction> actions;
  std::vector<ReportGrade> report_grades;  ///< rubric items an instructor grades as met
  std::vector<DecisionChoice> decisions;   ///< options the instructor chooses for the team

  /// "FILE:LINE:COL" of action `index`, for messages about it.
  std::string where(std::size_t index) const;
  /// A short description of action `index`, e.g. "answer first-victim".
  std::string describe(std::size_t index) const;
};

/// Parses a script; every problem is reported, one per line, as
/// "FILE:LINE:COL: error: what is wrong; how to fix it" (code invalid_argument).
Expected<TraineeScript> parse_trainee_script(std::string_view text, const std::string& file);

/// Reads and parses `path`; an unreadable file is an error naming it.
Expected<TraineeScript> load_trainee_script(const std::filesystem::path& path);

/// `text` with every ${NAME} whose NAME is a key of `values` replaced; others stay.
std::string substitute_captures(std::string_view text,
                                const std::map<std::string, std::string>& values);

}  // namespace cyrange::client
