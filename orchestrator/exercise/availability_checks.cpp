// Service availability: a team's services are probed through the guest agent, and
// every minute one is down costs the team the scenario's penalty.
#include <orchestrator/common/log.h>
#include <orchestrator/exercise/state_checks.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::exercise {
namespace {

constexpr const char* kAvailabilityActor = "availability-check";
constexpr std::chrono::minutes kChargeEvery{1};

void charge(const TeamService& service, ServiceWatch& watch, std::chrono::milliseconds until,
            scoring::ExerciseBoard& board) {
  if (until <= watch.charged_from) return;
  auto charged =
      board.record_outage(service.team, service.id, watch.charged_from, until, kAvailabilityActor);
  if (!charged) {
    log::get("exercise")
        ->warn("exercise {}: downtime of {} for {}: {}", board.exercise(), service.id, service.team,
               charged.error().message);
    return;  // charged on the next probe instead
  }
  watch.charged_from = until;
}

}  // namespace

std::vector<TeamService> team_services(const scenario::Scenario& scenario,
                                       const std::vector<std::string>& teams) {
  std::vector<TeamService> out;
  for (const auto& team : teams)
    for (const auto& a : scenario.availability)
      out.push_back({team, a.id, a.host, a.service, std::chrono::seconds(a.from_seconds)});
  return out;
}

void probe_service(const TeamService& service, ServiceWatch& watch, inject::GuestRunner& guests,
                   scoring::ExerciseBoard& board) {
  const auto now = board.now();
  if (now < service.from) return;
  const auto command = range::service_check_command(service.service);
  if (command.empty()) return;
  auto probe = guests.exec(service.host, command);
  if (!probe) return;  // the agent did not answer: neither up nor down
  auto log = log::get("exercise");
  if (probe->exit_code == 0) {
    if (watch.down) {
      charge(service, watch, now, board);
      log->info("exercise {}: {} of {} is back up", board.exercise(), service.id, service.team);
    }
    watch = ServiceWatch{};
    return;
  }
  if (++watch.failures == 1) watch.charged_from = now;  // down since here, once confirmed
  if (watch.failures == 2) {
    watch.down = true;
    log->info("exercise {}: {} of {} is down", board.exercise(), service.id, service.team);
  }
  if (watch.down && now - watch.charged_from >= kChargeEvery) charge(service, watch, now, board);
}

}  // namespace cyrange::exercise
