#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::range {

/// Receives one team's progress; calls are serialised across teams.
using TeamProgressCallback = std::function<void(const std::string& team, const ProgressEvent&)>;

/// Several isolated copies of one spec, one per team, brought up, reset and removed together.
class RangeSet {
 public:
  /// One TeamRange per team (spec.team is replaced); boots across all teams share max_boots slots.
  RangeSet(Hypervisor& hv, const RangeSpec& spec, const std::vector<std::string>& teams,
           TeamRangeOptions options, int max_boots);
  /// One TeamRange per spec (each its own team and per-team variables), sharing max_boots slots.
  RangeSet(Hypervisor& hv, const std::vector<RangeSpec>& specs, TeamRangeOptions options,
           int max_boots);

  /// One TeamRange per spec on its own hypervisor (hvs[i] for specs[i], e.g. placed by a
  /// HostPool), sharing max_boots slots; every hypervisor must outlive the set.
  RangeSet(const std::vector<Hypervisor*>& hvs, const std::vector<RangeSpec>& specs,
           TeamRangeOptions options, int max_boots);

  /// Brings every team up at once (each captures its pristine state); fails if any team fails.
  Status up(const TeamProgressCallback& progress = {});
  /// Resets every team in parallel to its pristine state.
  Status reset(const TeamProgressCallback& progress = {});
  /// Removes every team's objects; reports every failure, not just the first.
  Status down();

  /// Team names in the order given.
  std::vector<std::string> teams() const;
  /// One team's range, or nullptr if no team has that name.
  TeamRange* team(const std::string& name);

 private:
  Status for_each_team(const std::function<Status(TeamRange&)>& action, const std::string& what);
  ProgressCallback serialised(const std::string& team, const TeamProgressCallback& progress);

  std::vector<std::string> names_;
  std::vector<std::unique_ptr<TeamRange>> ranges_;
  std::shared_ptr<std::mutex> progress_mu_ = std::make_shared<std::mutex>();
};

/// Team names "t1".."tN", valid in object names.
std::vector<std::string> numbered_teams(int count);

}  // namespace cyrange::range
