#pragma once

#include <functional>
#include <memory>
#include <type_traits>
#include <utility>

#include <QCoreApplication>
#include <QMetaObject>

#include <client-core/call.h>

namespace cyrange::qt {

/// Carries client-core callbacks (which run on the connection's executor) to the GUI
/// thread for one owner, and drops them once the owner is gone. The rules of
/// docs/gui.md: a callback only copies its data and posts it with a queued
/// invokeMethod (never blocking, no mutex the GUI thread takes); the liveness flag is
/// read and written on the GUI thread only, so a callback that arrives after the owner
/// was destroyed does nothing.
class GuiRelay {
 public:
  GuiRelay() = default;
  /// Marks the owner gone; create and destroy on the GUI thread.
  ~GuiRelay() { *alive_ = false; }
  GuiRelay(const GuiRelay&) = delete;
  GuiRelay& operator=(const GuiRelay&) = delete;

  /// Runs `fn` on the GUI thread later, if the owner still lives then. Thread-safe.
  void post(std::function<void()> fn) const {
    QMetaObject::invokeMethod(
        QCoreApplication::instance(),
        [alive = alive_, fn = std::move(fn)] {
          if (*alive) fn();
        },
        Qt::QueuedConnection);
  }

  /// A callback for client-core that runs `fn(args...)` on the GUI thread.
  template <class... Args>
  std::function<void(const Args&...)> to_gui(
      std::type_identity_t<std::function<void(const Args&...)>> fn) const {
    return [alive = alive_, fn = std::move(fn)](const Args&... args) {
      QMetaObject::invokeMethod(
          QCoreApplication::instance(),
          [alive, fn, args...] {
            if (*alive) fn(args...);
          },
          Qt::QueuedConnection);
    };
  }

  /// Hands `call`'s result to `done` on the GUI thread.
  template <class T>
  void then(const client::Call<T>& call,
            std::type_identity_t<std::function<void(const Expected<T>&)>> done) const {
    call.then([alive = alive_, done = std::move(done)](Expected<T> result) {
      QMetaObject::invokeMethod(
          QCoreApplication::instance(),
          [alive, done, result = std::move(result)] {
            if (*alive) done(result);
          },
          Qt::QueuedConnection);
    });
  }

 private:
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace cyrange::qt
