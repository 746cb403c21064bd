#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::timeline {

// The engine works on its own compiled copy of the scenario's timeline: every
// message, step and objective becomes a TimelineItem with variables already
// substituted for one team. The copy is persisted with each execution, so a
// restarted daemon resumes without the scenario file.

/// What an item is; decides who may see it and which executor runs it.
enum class ItemKind { message, step, objective };

/// "message", "step" or "objective".
std::string_view to_string(ItemKind kind);
/// Parses to_string(ItemKind); invalid_argument for anything else.
Expected<ItemKind> parse_item_kind(std::string_view text);

/// When an item falls due; mirrors scenario::Trigger without source locations.
struct TriggerSpec {
  enum class Kind { at, after, event, objective, manual };
  Kind kind = Kind::at;
  double at_seconds = 0;  ///< at: exercise time
  std::string after;      ///< after: id of the item whose completion starts the delay
  double delay_seconds = 0;
  std::string event;      ///< event: e.g. "answer:first-victim", "decision:d1:isolate"
  std::string objective;  ///< objective: id watched
  std::string state;      ///< objective: opened, solved or failed
  /// manual: falls due by itself at this exercise time unless fired or skipped before.
  std::optional<double> auto_at_seconds;
};

/// One message, step or objective of one team's timeline.
struct TimelineItem {
  std::string id;
  ItemKind kind = ItemKind::step;
  std::string category;   ///< attack, inject, decision (steps); empty otherwise
  std::string type;       ///< engine action of a step, e.g. send_mail
  std::string technique;  ///< ATT&CK ID
  std::string target;     ///< host name
  TriggerSpec trigger;
  std::map<std::string, std::string> params;  ///< variables substituted
  std::string text_ja;  ///< message text, step description or objective question
  std::string text_en;
  std::vector<std::string> options;  ///< decision option ids
  /// Decision steps: the option taken when nobody decides (ExerciseTimeline::choose_defaults).
  std::string default_option;
  int seq = 0;  ///< declaration order: breaks ties between equal due times
};

/// True when trainees may see `item` once it is done: messages, decisions and
/// objectives. Attack and inject steps stay hidden: finding them is the exercise.
bool visible_to_trainees(const TimelineItem& item);

/// The life of one execution. pending: waiting for its trigger (due_at may already
/// be known); due: its time has come; firing: claimed, the executor runs;
/// done | failed | skipped: final (failed may be fired again by hand).
enum class ExecState { pending, due, firing, done, failed, skipped };

/// "pending", "due", "firing", "done", "failed" or "skipped".
std::string_view to_string(ExecState state);
/// Parses to_string(ExecState); invalid_argument for anything else.
Expected<ExecState> parse_exec_state(std::string_view text);

/// One item of one team of one exercise, as persisted.
struct Execution {
  std::int64_t id = 0;  ///< unique and stable: executors use it for idempotence
  std::string exercise;
  std::string team;
  TimelineItem item;
  ExecState state = ExecState::pending;
  std::optional<double> due_at;       ///< exercise seconds when it falls / fell due
  std::optional<double> fired_at;     ///< exercise seconds of the last claim
  std::optional<double> finished_at;  ///< exercise seconds of done/failed/skipped
  int attempts = 0;                   ///< claims so far
  std::string choice;                 ///< decision steps: the chosen option
  std::optional<double> chosen_at;
  std::string detail;  ///< why it failed or was skipped
};

/// A state change, streamed to subscribers.
struct TimelineEvent {
  std::string exercise;
  std::string team;
  std::int64_t execution_id = 0;
  std::string item_id;
  ItemKind kind = ItemKind::step;
  ExecState state = ExecState::pending;
  double exercise_time = 0;
  bool trainee_visible = false;  ///< done and visible_to_trainees(item)
  std::string text_ja;
  std::string text_en;
  std::string choice;
  std::string detail;
};

}  // namespace cyrange::timeline
