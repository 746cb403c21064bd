#pragma once

#include <QObject>
#include <QString>

#include <client-core/exercise_client.h>
#include <client-core/range_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/session.h>

namespace cyrange::qt {

/// ExerciseService and the range listing for a Qt app: calls answer by ticket on the
/// GUI thread; watchProvisioning() streams every host's progress as `provisioning`.
class ExerciseAdapter : public QObject {
  Q_OBJECT

 public:
  /// Uses `session`'s connection; `session` must outlive the adapter.
  explicit ExerciseAdapter(Session* session, QObject* parent = nullptr);
  ~ExerciseAdapter() override;

  /// ExerciseClient's calls; each returns the ticket its answer carries.
  quint64 create(const client::NewExercise& request);
  quint64 list(bool includeEnded = false);
  quint64 get(const QString& id);
  quint64 end(const QString& id);
  quint64 runChecks(const QString& id, const QString& team = {}, const QString& objective = {});
  /// Starts reverting `team`'s range to its pristine state; answered by teamResetStarted.
  quint64 resetTeam(const QString& id, const QString& team);
  /// The team ranges of `exercise` the caller may see.
  quint64 listRanges(const QString& exercise);

  /// Streams the provisioning of `exercise` until every team is ready or failed.
  void watchProvisioning(const QString& exercise);

 signals:
  void exercise(quint64 ticket, const cyrange::client::ExerciseSummary& summary);
  void exercises(quint64 ticket, const std::vector<cyrange::client::ExerciseSummary>& list);
  void checksRan(quint64 ticket, const std::vector<cyrange::client::CheckRun>& checks);
  /// The server began resetting `team`'s range; progress comes as provisioning steps.
  void teamResetStarted(quint64 ticket, const QString& team);
  void ranges(quint64 ticket, const std::vector<cyrange::client::TeamRangeView>& ranges);
  void failed(quint64 ticket, const cyrange::Error& error);
  /// One host's (or a whole team range's, host empty) provisioning step.
  void provisioning(const cyrange::client::ProvisioningStep& step);
  /// Provisioning finished (completed) or the stream failed.
  void provisioningEnded(const cyrange::client::StreamEnd& end);

 private:
  quint64 deliver_summary(const client::Call<client::ExerciseSummary>& call);

  client::Connection connection_;
  client::ExerciseClient client_;
  quint64 next_ticket_ = 1;
  GuiRelay relay_;
  client::Subscription provisioning_;
};

}  // namespace cyrange::qt
