#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

namespace cyrange::store {

/// Follows one PostgreSQL notification channel on a connection of its own, whatever process
/// changed the data (cyranged, the `cyrange` command line, psql): `on_notify(payload)` for each
/// notification, `on_listening(true)` once it listens (again: whatever changed meanwhile was
/// not heard) and `on_listening(false)` when the connection is lost; it reconnects every
/// second. The callbacks run on the listener's thread.
class ChangeListener {
 public:
  /// What to do with one notification's payload.
  using OnNotify = std::function<void(const std::string& payload)>;
  /// Told when listening starts (true) or stops (false).
  using OnListening = std::function<void(bool listening)>;

  /// Starts listening on `channel` at `uri`; `component` names the log lines.
  ChangeListener(std::string uri, std::string channel, std::string component, OnNotify on_notify,
                 OnListening on_listening = {});
  /// Stops within about a second.
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

 private:
  void listen();

  const std::string uri_, channel_, component_;
  const OnNotify on_notify_;
  const OnListening on_listening_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cyrange::store
