#include <orchestrator/range/libvirt_console.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <atomic>
#include <mutex>
#include <thread>

#include <orchestrator/common/log.h>

namespace cyrange::range {
namespace {

// Input accepted for a console but not yet taken by the guest.
constexpr std::size_t kMaxPendingInput = 64 * 1024;

// Shared between the ConsoleStream handed out and libvirt's event callback, which
// holds its own reference until libvirt frees the callback. `mu` serialises
// callbacks with close(), so nothing is delivered once close() has returned.
struct ConsoleState {
  std::mutex mu;
  bool closed = false;
  std::string domain;
  virStreamPtr stream = nullptr;
  ConsoleOutput on_output;
  ConsoleClosed on_closed;
  std::string pending;  // input not yet accepted by the non-blocking stream
  bool watching_writable = false;
  // Set without `mu` (from inside on_output too); the event callback applies it by
  // dropping READABLE from the watched events, so libvirt stops reading the console.
  std::atomic<bool> paused{false};
  bool watching_readable = true;

  // Watches what is wanted now; with mu held.
  void update_events_locked() {
    int events = VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP;
    if (watching_readable) events |= VIR_STREAM_EVENT_READABLE;
    if (watching_writable) events |= VIR_STREAM_EVENT_WRITABLE;
    virStreamEventUpdateCallback(stream, events);
  }

  // Sends what is pending; with mu held.
  void flush_locked() {
    while (!pending.empty()) {
      int n = virStreamSend(stream, pending.data(), pending.size());
      if (n == -2) break;  // would block: the WRITABLE event resumes
      if (n < 0) {
        pending.clear();
        return;
      }
      pending.erase(0, static_cast<std::size_t>(n));
    }
    bool want_writable = !pending.empty();
    if (want_writable != watching_writable) {
      watching_writable = want_writable;
      update_events_locked();
    }
  }

  // Marks the stream ended and tells the owner once; with mu held.
  void end_locked(const std::string& why) {
    if (closed) return;
    closed = true;
    if (on_closed) on_closed(why);
  }
};

void on_stream_event(virStreamPtr stream, int events, void* opaque) {
  auto& state = **static_cast<std::shared_ptr<ConsoleState>*>(opaque);
  std::lock_guard lock(state.mu);
  if (state.closed) return;
  if (events & VIR_STREAM_EVENT_WRITABLE) state.flush_locked();
  if (events & (VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR)) {
    char buf[4096];
    for (;;) {
      if (state.paused.load()) {
        if (events & (VIR_STREAM_EVENT_HANGUP | VIR_STREAM_EVENT_ERROR)) {
          state.end_locked("The console of domain '" + state.domain + "' was closed.");
        } else if (state.watching_readable) {
          state.watching_readable = false;
          state.update_events_locked();
        }
        break;
      }
      int n = virStreamRecv(stream, buf, sizeof buf);
      if (n > 0) {
        if (state.on_output) state.on_output(std::string_view(buf, static_cast<std::size_t>(n)));
        continue;
      }
      if (n == -2) break;
      state.end_locked(n == 0 ? "The console of domain '" + state.domain + "' was closed."
                              : "The console of domain '" + state.domain +
                                    "' failed: " + libvirt_last_error() + ".");
      break;
    }
  }
}

void free_state(void* opaque) { delete static_cast<std::shared_ptr<ConsoleState>*>(opaque); }

class LibvirtConsole final : public ConsoleStream {
 public:
  explicit LibvirtConsole(std::shared_ptr<ConsoleState> state) : state_(std::move(state)) {}
  ~LibvirtConsole() override { close(); }

  Status write(std::string_view bytes) override {
    std::lock_guard lock(state_->mu);
    if (state_->closed)
      return make_error(ErrorCode::failed_precondition,
                        "The console of domain '" + state_->domain + "' is closed; open it again.");
    // Keys the guest has not taken yet stay here; a client that pastes faster than the
    // serial console reads is told to slow down instead of growing this without limit.
    if (state_->pending.size() + bytes.size() > kMaxPendingInput)
      return make_error(ErrorCode::resource_exhausted,
                        "The console of domain '" + state_->domain +
                            "' has not taken the input sent before; send less at a time. "
                            "入力が多すぎます。少しずつ送ってください。");
    state_->pending.append(bytes);
    state_->flush_locked();
    return Status::success();
  }

  void set_output_paused(bool paused) override {
    state_->paused.store(paused);
    if (paused) return;  // the event callback stops reading (it may hold mu right now)
    std::lock_guard lock(state_->mu);
    if (state_->closed || state_->watching_readable) return;
    state_->watching_readable = true;
    state_->update_events_locked();
  }

  void close() override {
    {
      std::lock_guard lock(state_->mu);
      if (released_) return;
      released_ = true;
      state_->closed = true;
    }
    // Outside the lock: libvirt may be dispatching our callback, which takes it.
    virStreamEventRemoveCallback(state_->stream);
    virStreamAbort(state_->stream);
    virStreamFree(state_->stream);
  }

 private:
  std::shared_ptr<ConsoleState> state_;
  bool released_ = false;
};

}  // namespace

std::string libvirt_last_error() {
  const char* msg = virGetLastErrorMessage();
  return msg ? msg : "no detail from libvirt";
}

void start_libvirt_event_loop() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (virEventRegisterDefaultImpl() < 0) {
      cyrange::log::get("range")->warn("libvirt event loop unavailable: {}", libvirt_last_error());
      return;
    }
    // Lives as long as the process: libvirt has no way to stop the default loop.
    std::thread([] {
      for (;;) virEventRunDefaultImpl();
    }).detach();
  });
}

Expected<std::unique_ptr<ConsoleStream>> open_libvirt_console(void* conn_ptr,
                                                              const std::string& domain,
                                                              ConsoleOutput on_output,
                                                              ConsoleClosed on_closed) {
  auto* conn = static_cast<virConnectPtr>(conn_ptr);
  virDomainPtr dom = virDomainLookupByName(conn, domain.c_str());
  if (!dom)
    return make_error(ErrorCode::not_found,
                      "Cannot find domain '" + domain + "': " + libvirt_last_error() + ".");
  virStreamPtr stream = virStreamNew(conn, VIR_STREAM_NONBLOCK);
  if (!stream) {
    virDomainFree(dom);
    return make_error(ErrorCode::unavailable, "Cannot create a stream for the console of '" +
                                                  domain + "': " + libvirt_last_error() + ".");
  }
  // FORCE: a trainee reconnecting takes the console over from their stale session.
  int rc = virDomainOpenConsole(dom, nullptr, stream, VIR_DOMAIN_CONSOLE_FORCE);
  virDomainFree(dom);
  if (rc < 0) {
    Error err = make_error(ErrorCode::unavailable, "Cannot open the console of domain '" + domain +
                                                       "': " + libvirt_last_error() + ".");
    virStreamFree(stream);
    return err;
  }
  auto state = std::make_shared<ConsoleState>();
  state->domain = domain;
  state->stream = stream;
  state->on_output = std::move(on_output);
  state->on_closed = std::move(on_closed);
  auto* opaque = new std::shared_ptr<ConsoleState>(state);
  int events = VIR_STREAM_EVENT_READABLE | VIR_STREAM_EVENT_ERROR | VIR_STREAM_EVENT_HANGUP;
  if (virStreamEventAddCallback(stream, events, on_stream_event, opaque, free_state) < 0) {
    delete opaque;
    Error err = make_error(ErrorCode::unavailable, "Cannot watch the console of domain '" + domain +
                                                       "': " + libvirt_last_error() +
                                                       ". Is the libvirt event loop running?");
    virStreamAbort(stream);
    virStreamFree(stream);
    return err;
  }
  return std::unique_ptr<ConsoleStream>(new LibvirtConsole(std::move(state)));
}

}  // namespace cyrange::range
