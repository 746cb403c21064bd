#include <orchestrator/range/range_set.h>

#include <thread>

namespace cyrange::range {

RangeSet::RangeSet(Hypervisor& hv, const RangeSpec& spec, const std::vector<std::string>& teams,
                   TeamRangeOptions options, int max_boots)
    : names_(teams) {
  // One pool of slots for all teams, so N teams never boot more than max_boots guests at once.
  options.boot_slots = std::make_shared<BootSlots>(std::max(1, max_boots));
  options.max_parallel = std::max(1, max_boots);
  share_templates(options);
  for (const auto& team : teams) {
    RangeSpec copy = spec;
    copy.team = team;
    ranges_.push_back(std::make_unique<TeamRange>(hv, std::move(copy), options));
  }
}

RangeSet::RangeSet(Hypervisor& hv, const std::vector<RangeSpec>& specs, TeamRangeOptions options,
                   int max_boots)
    : RangeSet(std::vector<Hypervisor*>(specs.size(), &hv), specs, std::move(options), max_boots) {}

RangeSet::RangeSet(const std::vector<Hypervisor*>& hvs, const std::vector<RangeSpec>& specs,
                   TeamRangeOptions options, int max_boots) {
  options.boot_slots = std::make_shared<BootSlots>(std::max(1, max_boots));
  options.max_parallel = std::max(1, max_boots);
  share_templates(options);
  for (std::size_t i = 0; i < specs.size() && i < hvs.size(); ++i) {
    names_.push_back(specs[i].team);
    ranges_.push_back(std::make_unique<TeamRange>(*hvs[i], specs[i], options));
  }
}

ProgressCallback RangeSet::serialised(const std::string& team,
                                      const TeamProgressCallback& progress) {
  if (!progress) return {};
  auto mu = progress_mu_;
  return [mu, team, progress](const ProgressEvent& e) {
    std::lock_guard lock(*mu);
    progress(team, e);
  };
}

Status RangeSet::for_each_team(const std::function<Status(TeamRange&)>& action,
                               const std::string& what) {
  std::vector<Status> results(ranges_.size());
  std::vector<std::thread> workers;
  for (std::size_t i = 0; i < ranges_.size(); ++i)
    workers.emplace_back([&, i] { results[i] = action(*ranges_[i]); });
  for (auto& t : workers) t.join();
  std::string errors;
  for (const auto& r : results)
    if (!r) errors += (errors.empty() ? "" : " ") + r.error().message;
  if (!errors.empty())
    return make_error(ErrorCode::unavailable, "Could not " + what + " every team: " + errors);
  return Status::success();
}

Status RangeSet::up(const TeamProgressCallback& progress) {
  return for_each_team([&](TeamRange& r) { return r.up(serialised(r.spec().team, progress)); },
                       "bring up");
}

Status RangeSet::reset(const TeamProgressCallback& progress) {
  return for_each_team([&](TeamRange& r) { return r.reset(serialised(r.spec().team, progress)); },
                       "reset");
}

Status RangeSet::down() {
  return for_each_team([](TeamRange& r) { return r.down(); }, "remove");
}

std::vector<std::string> RangeSet::teams() const { return names_; }

TeamRange* RangeSet::team(const std::string& name) {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return ranges_[i].get();
  return nullptr;
}

std::vector<std::string> numbered_teams(int count) {
  std::vector<std::string> names;
  for (int i = 1; i <= count; ++i) names.push_back("t" + std::to_string(i));
  return names;
}

}  // namespace cyrange::range
