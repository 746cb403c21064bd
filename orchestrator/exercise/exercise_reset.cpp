// Resetting one team's range to its pristine state while the exercise goes on.
#include <algorithm>
#include <chrono>

#include <orchestrator/common/log.h>
#include <orchestrator/exercise/exercise_manager.h>
#include <orchestrator/exercise/placement.h>
#include <orchestrator/range/range_set.h>
#include <orchestrator/scenario/parser.h>

namespace cyrange::exercise {

Status ExerciseManager::reset_team(const std::string& id, const std::string& team) {
  auto row = deps_.registry->exercise(id);
  if (!row) return row.error();
  if (row->state != kStateReady)
    return make_error(ErrorCode::failed_precondition,
                      "Exercise '" + id + "' is " + row->state +
                          "; only the ranges of a ready exercise can be reset.",
                      "演習 '" + id + "' は " + row->state +
                          " の状態です。演習環境を初期状態に戻せるのは準備完了の演習だけです。");
  if (!deps_.hypervisor)
    return make_error(ErrorCode::unavailable, "This cyranged runs without libvirt.",
                      "この cyranged は libvirt なしで動いています。");
  auto specs = deps_.registry->team_specs(id);
  if (!specs) return specs.error();
  const auto spec = std::find_if(specs->begin(), specs->end(),
                                 [&](const range::RangeSpec& s) { return s.team == team; });
  if (spec == specs->end())
    return make_error(ErrorCode::not_found,
                      "Exercise '" + id + "' has no team '" + team + "'; list its teams first.",
                      "演習 '" + id + "' にチーム '" + team + "' はありません。");
  auto setup = deps_.registry->setup(id);
  if (!setup) return setup.error();
  auto scenario = scenario::parse_submitted_scenario(setup->scenario_yaml, setup->scenario_file,
                                                     deps_.scenario_library);
  if (!scenario) return scenario.error();

  const std::string key = id + "#" + team;  // beside the exercises' provisioning threads
  std::lock_guard lock(mutex_);
  if (resetting_.contains(key))
    return make_error(ErrorCode::failed_precondition,
                      "Team '" + team + "' of exercise '" + id + "' is being reset already.",
                      "演習 '" + id + "' のチーム '" + team + "' は初期状態に戻している最中です。");
  if (auto done = provisioning_.find(key); done != provisioning_.end()) {
    done->second.join();  // an earlier reset, finished (it left resetting_)
    provisioning_.erase(done);
  }
  resetting_.insert(key);
  provisioning_[key] = std::thread(
      [this, id, key, spec = *spec, scenario = std::move(*scenario), seed = setup->seed] {
        reset_range(id, spec, scenario, seed);
        std::lock_guard done(mutex_);
        resetting_.erase(key);
      });
  return Status::success();
}

void ExerciseManager::reset_range(const std::string& id, const range::RangeSpec& spec,
                                  const scenario::Scenario& scenario, std::uint64_t seed) {
  auto logger = log::get("exercise");
  const auto started = std::chrono::steady_clock::now();
  PlacedRecorders recording(deps_.hosts, *deps_.hypervisor, deps_.libvirt_uri, *deps_.registry,
                            {spec});
  range::RangeSet set(recording.hypervisors(), {spec}, range::TeamRangeOptions{}, deps_.max_boots);
  auto reset = set.reset([&](const std::string& team, const range::ProgressEvent& e) {
    // A lost update only delays a progress bar.
    (void)deps_.registry->record_progress(
        id, {team, e.host, range::to_string(e.state), e.message, e.percent, 0});
  });
  if (!reset) {
    logger->error("exercise {} team {}: reset failed: {}", id, spec.team, reset.error().message);
    (void)deps_.registry->record_progress(
        id, {spec.team, "", "failed", "reset failed: " + reset.error().message, 0, 0});
    return;
  }
  // The pristine state predates the servers' history of ordinary work: written again.
  write_history(id, scenario, {spec.team}, seed);
  logger->info("exercise {} team {}: range reset to its pristine state in {:.1f} s", id, spec.team,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

}  // namespace cyrange::exercise
