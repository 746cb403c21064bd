#include <trainee-client/app/day_finder.h>

#include <algorithm>

#include <client-core/exercise_client.h>
#include <client-core/range_client.h>
#include <client-qt/session.h>
#include <client-qt/translations.h>

namespace cyrange::trainee {

DayFinder::DayFinder(qt::Session* session, QObject* parent) : QObject(parent), session_(session) {}

void DayFinder::find(const QString& user) {
  const client::Connection& link = session_->connection();
  relay_.then<std::vector<client::ExerciseSummary>>(
      client::ExerciseClient(link).list_async(),
      [this, user, link](const Expected<std::vector<client::ExerciseSummary>>& list) {
        if (!list) {
          emit failed(qt::localized(list.error()));
          return;
        }
        // A ready exercise before one still being provisioned; the newest id last wins ties.
        auto exercises = *list;
        std::stable_sort(exercises.begin(), exercises.end(), [](const auto& a, const auto& b) {
          return (a.state == client::ExerciseState::ready) >
                 (b.state == client::ExerciseState::ready);
        });
        if (exercises.empty()) {
          emit failed(
              tr("No training day is running for your team yet. Wait for the "
                 "instructor to start it, then sign in again."));
          return;
        }
        const std::string exercise = exercises.front().id;
        relay_.then<std::vector<client::TeamRangeView>>(
            client::list_ranges_async(link, exercise),
            [this, user, exercise](const Expected<std::vector<client::TeamRangeView>>& ranges) {
              if (!ranges) {
                emit failed(qt::localized(ranges.error()));
                return;
              }
              QString team;
              if (!ranges->empty()) team = QString::fromStdString(ranges->front().team);
              emit found({QString::fromStdString(exercise), team, user});
            });
      });
}

}  // namespace cyrange::trainee
