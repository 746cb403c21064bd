#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <orchestrator/scenario/diagnostic.h>

namespace cyrange::scenario {

// The parsed scenario model. Every element keeps the place it was written so that
// later stages (validator, engine, console) can point the author at the source.
// The model is built once by load_scenario() and only read afterwards: every
// consumer takes `const Scenario&`.

/// Where the values of one element's keys were written, so that a check can point at
/// the value to change rather than at the whole element. A key's value is under its name
/// ("cidr"); an item of a list under "key.N" ("services.2", from 0) and a value of a
/// mapping under "key.NAME" ("params.to").
struct ValueLocations {
  std::map<std::string, SourceLocation> by_key;
  /// The location of `key`'s value, or `fallback` when it was not written.
  const SourceLocation& of(const std::string& key, const SourceLocation& fallback) const {
    auto it = by_key.find(key);
    return it == by_key.end() ? fallback : it->second;
  }
};

/// Where the value of `key` of `element` was written (the element's own place when the
/// key is absent); every parsed element has `loc` and `value_locs`.
template <class Element>
const SourceLocation& value_loc(const Element& element, const std::string& key) {
  return element.value_locs.of(key, element.loc);
}

/// A text a person reads, in both languages; an empty side is a missing translation.
struct Text {
  std::string ja;
  std::string en;
  SourceLocation loc;
  /// True when the key was written at all (optional texts may be absent).
  bool present = false;
};

/// The `metadata:` section: identity and catalogue information.
struct Metadata {
  std::string id;
  std::string version;
  Text title;
  Text summary;
  std::vector<std::string> audience;  ///< lan_admin, csirt, management
  std::string skill_tier;             ///< beginner, intermediate, advanced
  std::string sector;                 ///< e.g. local_government
  int organisation_size = 0;          ///< staff of the fictional organisation
  int duration_minutes = 0;
  std::vector<std::string> techniques;         ///< ATT&CK IDs used by the scenario
  std::vector<SourceLocation> technique_locs;  ///< parallel to techniques
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// How a per-team variable draws its value.
enum class VariableKind { choice, word, integer, hex, address };

/// One per-team randomised value, referenced as ${vars.NAME}.
struct Variable {
  std::string name;
  VariableKind kind = VariableKind::choice;
  std::vector<std::string> choices;  ///< choice: candidates (may reference other vars)
  std::string prefix;                ///< word/hex: text before the random part
  std::string suffix;                ///< word/hex: text after the random part
  int length = 8;                    ///< word: syllables*2 approx; hex: digits
  long long min = 0;                 ///< integer: inclusive lower bound; address: first host index
  long long max = 0;                 ///< integer: inclusive upper bound; address: last host index
  std::string segment;               ///< address: segment whose CIDR holds the address
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// One isolated network segment of the organisation.
struct Segment {
  std::string name;
  std::string cidr;
  std::string zone;  ///< free label, e.g. "mynumber", "lgwan", "internet", "dmz"
  Text description;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// One network interface of a host or router.
struct Interface {
  std::string segment;
  std::string address;  ///< plain IPv4 address or a ${vars.x} reference
  std::string gateway;  ///< optional default gateway on this segment
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// A guest of the range.
struct Host {
  std::string name;
  std::string image_profile;  ///< "tiny" or "standard"
  std::string role;
  std::vector<std::string> services;
  std::vector<Interface> interfaces;
  int memory_mib = 128;
  int vcpus = 1;
  bool trainee_terminal = false;
  std::map<std::string, std::string> config;  ///< values injected at boot
  Text description;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// One filtering rule of a router or firewall, evaluated in order.
struct FirewallRule {
  std::string action;    ///< allow or deny
  std::string from;      ///< segment name or "any"
  std::string to;        ///< segment name or "any"
  std::string protocol;  ///< tcp, udp, icmp or any
  std::vector<int> ports;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// A router or firewall joining segments; becomes a guest with role "router".
struct Router {
  std::string name;
  std::string kind;  ///< router or firewall
  std::string image_profile;
  std::vector<Interface> interfaces;
  std::vector<FirewallRule> rules;
  int memory_mib = 128;
  int vcpus = 1;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// The `topology:` section.
struct Topology {
  std::vector<Segment> segments;
  std::vector<Router> routers;
  std::vector<Host> hosts;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// A department of the simulated staff.
struct Department {
  std::string id;
  Text name;
  int staff = 0;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// What a live persona does by itself while the exercise clock runs (`live:`).
struct LiveActivity {
  int every_seconds = 600;  ///< mean exercise time between two actions (jittered)
  SourceLocation every_loc;
  std::vector<std::string> browse;   ///< URLs fetched through the range's proxy
  std::vector<std::string> mail_to;  ///< recipients of everyday mails over SMTP
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// A named member of staff the scenario talks about (victim, clerk, ...).
struct Persona {
  std::string id;
  Text name;
  std::string department;
  std::string mailbox;
  std::string workstation;  ///< host name, optional
  std::string hours;        ///< "HH:MM-HH:MM"
  std::vector<std::string> habits;
  bool has_live = false;  ///< acts in real time inside the range
  LiveActivity live;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// The `workforce:` section.
struct Workforce {
  int population = 0;
  std::vector<Department> departments;
  std::vector<Persona> personas;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// When a timeline step, message or objective becomes active.
struct Trigger {
  enum class Kind { at, after, event, objective, manual };
  Kind kind = Kind::at;
  int at_seconds = 0;     ///< at: exercise time
  std::string after;      ///< after: id of the earlier step
  int delay_seconds = 0;  ///< after: delay following that step
  std::string event;      ///< event: e.g. "answer:first-victim" or "decision:d1:isolate"
  std::string objective;  ///< objective: id of the objective watched
  std::string state;      ///< objective: opened, solved or failed
  /// manual: exercise time at which it fires by itself unless fired or skipped before
  /// (`auto_at:`, written beside `trigger:`/`opens:`); allowed only with `manual`.
  std::optional<int> auto_at_seconds;
  SourceLocation auto_at_loc;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// One option of a management-layer decision step.
struct DecisionOption {
  std::string id;
  Text label;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// One inject or attack step of the timeline.
struct Step {
  std::string id;
  std::string category;   ///< attack, inject or decision
  std::string type;       ///< engine action, e.g. send_mail, beacon, smb_copy
  std::string technique;  ///< ATT&CK ID, required for attack steps
  SourceLocation technique_loc;
  std::string target;  ///< host name
  SourceLocation target_loc;
  Trigger trigger;
  std::map<std::string, std::string> params;
  Text description;
  std::vector<DecisionOption> options;  ///< decision steps only
  /// Decision steps: the option taken when nobody decides (self-paced: at the time limit).
  std::string default_option;
  SourceLocation default_option_loc;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// How a trainee's answer is compared with the expected one.
enum class AnswerKind { exact, normalized, regex, any_of, numeric_range, variable };

/// The expected answer of an objective.
struct Answer {
  AnswerKind kind = AnswerKind::exact;
  std::string value;                ///< exact, normalized: expected text; regex: pattern
  std::vector<std::string> values;  ///< any_of: accepted texts
  std::string variable;             ///< variable: the variable whose value is expected
  std::string center;               ///< numeric_range: number or ${vars.x} (with tolerance)
  double tolerance = 0;
  double min = 0;  ///< numeric_range without center
  double max = 0;
  bool has_bounds = false;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// A check of the range's state: a command run in a guest and its expected output.
struct StateCheck {
  std::string host;
  std::string command;
  std::string expect;  ///< regex matched against the command's output
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// A hint a trainee may buy.
struct Hint {
  Text text;
  int penalty = 0;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// A command line that, typed into a trainee terminal, shows the task was done.
struct ExpectedCommand {
  std::string host;     ///< empty: any host with a trainee terminal
  std::string pattern;  ///< regex searched in each recorded input line
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// Who grades a rubric item: an instructor during the exercise, the trainee themselves
/// (scored as declared), or an instructor reviewing later (the run may end without it).
enum class Grader { instructor, self, review };

/// One item of a graded report; scored like a part worth `points`.
struct RubricItem {
  std::string id;
  Text text;
  int points = 0;
  Grader graded_by = Grader::instructor;
  SourceLocation graded_by_loc;  ///< the item's own when `graded_by:` is not written
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// Points shrinking linearly from `start` to `end` (exercise time) down to `floor` percent.
struct Decay {
  int start_seconds = 0;
  int end_seconds = 0;
  int floor_percent = 100;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// How many wrong answers a team may give and what each one costs.
struct WrongAnswers {
  int limit = 0;  ///< 0: unlimited
  int penalty = 0;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// A team service watched over the exercise: while it is down, the team loses points.
struct Availability {
  std::string id;
  std::string host;
  std::string service;  ///< a name from range/service_catalog.h
  int penalty_per_minute = 0;
  int from_seconds = 0;  ///< exercise time from which it is watched
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// A question or task; may be split into parts that score separately.
struct Objective {
  std::string id;
  Text question;
  int points = 0;
  bool has_answer = false;
  Answer answer;
  bool has_check = false;
  StateCheck check;
  std::vector<Hint> hints;
  std::vector<Objective> parts;
  std::vector<ExpectedCommand> expected_commands;  ///< any one of them solves it
  std::vector<RubricItem> rubric;                  ///< graded by an instructor, item by item
  Text solution;                                   ///< shown when an instructor reveals it
  bool has_decay = false;
  Decay decay;
  bool has_wrong_answers = false;
  WrongAnswers wrong_answers;
  bool has_opens = false;
  Trigger opens;  ///< defaults to the start of the exercise
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// Everything an objective can earn: its points, its parts' and its rubric items'.
inline int total_points(const Objective& o) {
  int total = o.points;
  for (const auto& part : o.parts) total += total_points(part);
  for (const auto& item : o.rubric) total += item.points;
  return total;
}

/// A message shown to trainees during the exercise.
struct Message {
  std::string id;
  Trigger trigger;
  Text text;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// The `self_paced:` section: whether and how a trainee may take the scenario alone,
/// with no instructor. Each value keeps its own place (the block's when not written).
struct SelfPaced {
  bool enabled = false;
  double clock_speed = 1;  ///< exercise seconds per real second
  SourceLocation clock_speed_loc;
  std::optional<int> time_limit_seconds;  ///< active (unpaused) exercise time allowed
  SourceLocation time_limit_loc;
  int idle_pause_seconds = 15 * 60;  ///< no trainee activity this long pauses the run
  SourceLocation idle_pause_loc;
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each key's value was written
};

/// One place where a string refers to ${vars.NAME}.
struct VariableRef {
  std::string name;
  SourceLocation loc;
};

/// A whole scenario file.
struct Scenario {
  std::string file;          ///< path as given to load_scenario
  std::string content_hash;  ///< sha256 hex of the file bytes
  std::string api_version;
  Metadata metadata;
  std::vector<Variable> variables;
  Topology topology;
  Workforce workforce;
  std::vector<Step> timeline;
  std::vector<Objective> objectives;
  std::vector<Availability> availability;
  Text briefing;
  std::vector<Message> messages;
  std::optional<SelfPaced> self_paced;         ///< absent: instructor-led only
  std::vector<VariableRef> variable_refs;      ///< every ${vars.x} in the file
  std::vector<Diagnostic> schema_diagnostics;  ///< shape problems found while reading
  SourceLocation loc;
  ValueLocations value_locs;  ///< where each top-level key's value was written
};

}  // namespace cyrange::scenario
