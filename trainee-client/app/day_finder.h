#pragma once

#include <QObject>

#include <client-qt/gui_relay.h>
#include <trainee-client/app/day.h>

namespace cyrange::qt {
class Session;
}

namespace cyrange::trainee {

/// For a trainee who signed in with a token instead of a join code: which training day
/// is theirs. Asks the server for the exercises of the trainee's team (ready ones first)
/// and the team's range for the team name; answers with `found` or `failed`.
class DayFinder : public QObject {
  Q_OBJECT

 public:
  explicit DayFinder(qt::Session* session, QObject* parent = nullptr);

  /// Starts looking; `user` is the caller's login name.
  void find(const QString& user);

 signals:
  void found(const cyrange::trainee::Day& day);
  /// No exercise is running for the team, or the server refused; the text says which.
  void failed(const QString& explanation);

 private:
  qt::Session* session_;
  qt::GuiRelay relay_;
};

}  // namespace cyrange::trainee
