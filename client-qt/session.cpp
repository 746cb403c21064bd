#include <client-qt/session.h>

#include <mutex>

namespace cyrange::qt {

void register_metatypes() {
  static std::once_flag once;
  std::call_once(once, [] {
    qRegisterMetaType<cyrange::Error>();
    qRegisterMetaType<client::ConnectivityState>();
    qRegisterMetaType<client::StreamEnd>();
    qRegisterMetaType<client::ScoringReply>();
    qRegisterMetaType<client::ScoreboardMessage>();
    qRegisterMetaType<client::TimelineListing>();
    qRegisterMetaType<client::TimelineChange>();
    qRegisterMetaType<client::TimelineClock>();
    qRegisterMetaType<client::InboxEntry>();
    qRegisterMetaType<client::ExerciseSummary>();
    qRegisterMetaType<std::vector<client::ExerciseSummary>>();
    qRegisterMetaType<std::vector<client::CheckRun>>();
    qRegisterMetaType<client::ProvisioningStep>();
    qRegisterMetaType<std::vector<client::TeamRangeView>>();
    qRegisterMetaType<client::TerminalInfo>();
    qRegisterMetaType<client::LocalizedText>();
  });
}

Session::Session(client::Connection connection, QObject* parent)
    : QObject(parent), connection_(std::move(connection)) {
  register_metatypes();
  state_ = connection_.connectivity();
  watch_ = connection_.watch_connectivity(
      relay_.to_gui<client::ConnectivityState>([this](const client::ConnectivityState& state) {
        state_ = state;
        emit connectivityChanged(state);
      }));
}

Session::~Session() { watch_.cancel(); }

void Session::whoAmI() {
  relay_.then<client::Caller>(client::SystemClient(connection_).whoami_async(),
                              [this](const Expected<client::Caller>& caller) {
                                if (!caller) {
                                  emit callFailed(caller.error());
                                  return;
                                }
                                emit whoAmIAnswered(QString::fromStdString(caller->name),
                                                    static_cast<int>(caller->role),
                                                    caller->team_id.value_or(0));
                              });
}

}  // namespace cyrange::qt
