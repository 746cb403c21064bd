#include <client-qt/exercise_adapter.h>

namespace cyrange::qt {

ExerciseAdapter::ExerciseAdapter(Session* session, QObject* parent)
    : QObject(parent), connection_(session->connection()), client_(session->connection()) {}

ExerciseAdapter::~ExerciseAdapter() { provisioning_.cancel(); }

quint64 ExerciseAdapter::deliver_summary(const client::Call<client::ExerciseSummary>& call) {
  const quint64 ticket = next_ticket_++;
  relay_.then<client::ExerciseSummary>(call,
                                       [this, ticket](const Expected<client::ExerciseSummary>& r) {
                                         if (r) {
                                           emit exercise(ticket, *r);
                                         } else {
                                           emit failed(ticket, r.error());
                                         }
                                       });
  return ticket;
}

quint64 ExerciseAdapter::create(const client::NewExercise& request) {
  return deliver_summary(client_.create_async(request));
}

quint64 ExerciseAdapter::get(const QString& id) {
  return deliver_summary(client_.get_async(id.toStdString()));
}

quint64 ExerciseAdapter::end(const QString& id) {
  return deliver_summary(client_.end_async(id.toStdString()));
}

quint64 ExerciseAdapter::list(bool includeEnded) {
  const quint64 ticket = next_ticket_++;
  relay_.then<std::vector<client::ExerciseSummary>>(
      client_.list_async(includeEnded),
      [this, ticket](const Expected<std::vector<client::ExerciseSummary>>& r) {
        if (r) {
          emit exercises(ticket, *r);
        } else {
          emit failed(ticket, r.error());
        }
      });
  return ticket;
}

quint64 ExerciseAdapter::resetTeam(const QString& id, const QString& team) {
  const quint64 ticket = next_ticket_++;
  relay_.then<client::Unit>(client_.reset_team_async(id.toStdString(), team.toStdString()),
                            [this, ticket, team](const Expected<client::Unit>& r) {
                              if (r) {
                                emit teamResetStarted(ticket, team);
                              } else {
                                emit failed(ticket, r.error());
                              }
                            });
  return ticket;
}

quint64 ExerciseAdapter::runChecks(const QString& id, const QString& team,
                                   const QString& objective) {
  const quint64 ticket = next_ticket_++;
  relay_.then<std::vector<client::CheckRun>>(
      client_.run_checks_async(id.toStdString(), team.toStdString(), objective.toStdString()),
      [this, ticket](const Expected<std::vector<client::CheckRun>>& r) {
        if (r) {
          emit checksRan(ticket, *r);
        } else {
          emit failed(ticket, r.error());
        }
      });
  return ticket;
}

quint64 ExerciseAdapter::listRanges(const QString& exerciseId) {
  const quint64 ticket = next_ticket_++;
  relay_.then<std::vector<client::TeamRangeView>>(
      client::list_ranges_async(connection_, exerciseId.toStdString()),
      [this, ticket](const Expected<std::vector<client::TeamRangeView>>& r) {
        if (r) {
          emit ranges(ticket, *r);
        } else {
          emit failed(ticket, r.error());
        }
      });
  return ticket;
}

void ExerciseAdapter::watchProvisioning(const QString& exerciseId) {
  provisioning_ = client::watch_provisioning_async(
      connection_, exerciseId.toStdString(),
      relay_.to_gui<client::ProvisioningStep>(
          [this](const client::ProvisioningStep& step) { emit provisioning(step); }),
      relay_.to_gui<client::StreamEnd>(
          [this](const client::StreamEnd& end) { emit provisioningEnded(end); }));
}

}  // namespace cyrange::qt
