#pragma once

#include <cstdint>
#include <string>

#include <QString>

#include <client-core/recorder_client.h>

namespace cyrange::qt::recording {

/// One thing to record as the GUI thread hands it to the recording worker: plain values
/// and implicitly shared QStrings, so building and queueing it costs a few stores and
/// reference counts; names and UTF-8 are made on the worker (to_trainee_event).
struct PendingInput {
  client::TraineeEventKind kind = client::TraineeEventKind::key;
  /// Typed into a secret field: no key name, text or modifiers are kept.
  bool secret = false;
  /// A key in a terminal: only when it was pressed (the server records the content).
  bool timing_only = false;
  std::int64_t monotonic_ns = 0;  ///< steady clock when the input reached the filter
  std::int64_t wall_unix_us = 0;  ///< system clock at the same moment
  /// The input's own clock in ms (QInputEvent::timestamp()), which mouse-move sampling
  /// uses so that a slow GUI thread does not change how moves are grouped.
  std::int64_t input_ms = 0;
  int key = 0;                  ///< Qt::Key; 0 for input-method commits and non-key kinds
  std::uint32_t modifiers = 0;  ///< shift 1, ctrl 2, alt 4, meta 8
  std::int32_t x = 0, y = 0;    ///< window position (moves, clicks) or wheel angle delta
  std::uint32_t count = 0;      ///< moves coalesced, mouse button, report chars added
  std::uint32_t removed = 0;    ///< report chars removed
  QString text;                 ///< typed or committed text, answer text
  QString target;               ///< focus target, terminal host, objective, hint, section
  QString exercise;             ///< the exercise the event belongs to
};

/// The event the sink stores: key names from Qt key codes, UTF-8 strings; a secret or
/// timing-only key keeps neither its name nor its text nor its modifiers.
client::TraineeEvent to_trainee_event(const PendingInput& input);

/// The recorder's name of a Qt key: "a" for letters (the produced text says the case),
/// "Enter", "Backspace", "F5", "Shift"...; empty for an unknown key.
std::string key_name(int key);

}  // namespace cyrange::qt::recording
