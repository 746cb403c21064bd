#include <orchestrator/store/change_listener.h>

#include <chrono>

#include <orchestrator/common/log.h>
#include <orchestrator/store/database.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::store {
namespace {

class Receiver : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection_base& conn, const std::string& channel,
           const ChangeListener::OnNotify& on_notify)
      : pqxx::notification_receiver(conn, channel), on_notify_(on_notify) {}
  void operator()(const std::string& payload, int /*backend_pid*/) override { on_notify_(payload); }

 private:
  const ChangeListener::OnNotify& on_notify_;
};

}  // namespace

ChangeListener::ChangeListener(std::string uri, std::string channel, std::string component,
                               OnNotify on_notify, OnListening on_listening)
    : uri_(std::move(uri)),
      channel_(std::move(channel)),
      component_(std::move(component)),
      on_notify_(std::move(on_notify)),
      on_listening_(std::move(on_listening)),
      thread_([this] { listen(); }) {}

ChangeListener::~ChangeListener() {
  stop_ = true;
  thread_.join();
}

void ChangeListener::listen() {
  bool warned = false;
  auto told = [this](bool listening) {
    if (on_listening_) on_listening_(listening);
  };
  while (!stop_) {
    try {
      auto db = Database::connect(uri_);
      if (!db) throw pqxx::broken_connection(db.error().message);
      auto& conn = internal::PqxxAccess::connection(**db);
      Receiver receiver(conn, channel_, on_notify_);
      told(true);
      if (warned) log::get(component_)->info("Listening on {} again.", channel_);
      warned = false;
      while (!stop_) conn.await_notification(1, 0);
      told(false);
    } catch (const std::exception& e) {
      told(false);
      if (!warned)
        log::get(component_)
            ->warn("Cannot listen on {} ({}); changes made elsewhere are not seen until it can.",
                   channel_, e.what());
      warned = true;
      for (int i = 0; i < 10 && !stop_; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace cyrange::store
