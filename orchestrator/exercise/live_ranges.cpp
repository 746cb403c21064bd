#include <orchestrator/exercise/live_ranges.h>

#include <orchestrator/inject/guest_runner.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::exercise {
namespace {

/// A runner that owns its team range, so a step still running keeps the range
/// alive after forget().
class OwnedRangeRunner : public inject::GuestRunner {
 public:
  explicit OwnedRangeRunner(std::unique_ptr<range::TeamRange> range)
      : range_(std::move(range)), runner_(*range_) {}
  Expected<inject::GuestResult> exec(const std::string& host,
                                     const std::vector<std::string>& argv) override {
    return runner_.exec(host, argv);
  }
  Status write_file(const std::string& host, const std::string& path,
                    const std::string& content) override {
    return runner_.write_file(host, path, content);
  }

 private:
  std::unique_ptr<range::TeamRange> range_;
  inject::RangeGuestRunner runner_;
};

}  // namespace

LiveRanges::LiveRanges(std::shared_ptr<range::Hypervisor> hypervisor,
                       std::shared_ptr<RangeRegistry> registry)
    : hypervisor_(std::move(hypervisor)), registry_(std::move(registry)) {}

Expected<inject::TeamTarget> LiveRanges::target(const std::string& exercise,
                                                const std::string& team) {
  std::lock_guard lock(mutex_);
  auto key = std::make_pair(exercise, team);
  if (auto found = entries_.find(key); found != entries_.end()) return found->second;
  auto specs = registry_->team_specs(exercise);
  if (!specs) return specs.error();
  for (auto& spec : *specs) {
    if (spec.team != team) continue;
    auto range = std::make_unique<range::TeamRange>(*hypervisor_, spec, range::TeamRangeOptions{});
    inject::TeamTarget target{std::make_shared<OwnedRangeRunner>(std::move(range)),
                              inject::HostDirectory::from_spec(spec)};
    entries_.emplace(key, target);
    return target;
  }
  return make_error(ErrorCode::unavailable, "Team '" + team + "' of exercise '" + exercise +
                                                "' has no range recorded; it is still being "
                                                "provisioned, failed or was torn down.");
}

inject::TargetResolver LiveRanges::resolver() {
  return [this](const std::string& exercise, const std::string& team) {
    return target(exercise, team);
  };
}

void LiveRanges::forget(const std::string& exercise) {
  std::lock_guard lock(mutex_);
  std::erase_if(entries_, [&](const auto& kv) { return kv.first.first == exercise; });
}

}  // namespace cyrange::exercise
