#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <semaphore>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/guest_agent.h>
#include <orchestrator/range/hypervisor.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/range_spec.h>
#include <orchestrator/range/templates.h>

namespace cyrange::range {

/// Life of one guest while its range comes up.
enum class HostState { pending, defining, booting, waiting_for_services, ready, failed };

/// Lower-case name of a state ("waiting-for-services"), for tables and streams.
std::string to_string(HostState state);

/// One host as status() reports it.
struct HostStatus {
  std::string name;
  std::string role;
  std::string domain;  ///< libvirt domain name
  std::vector<std::string> addresses;
  HostState state = HostState::pending;
  double boot_seconds = 0;  ///< from domain start until ready
  std::string error;        ///< why the host failed, if it did
};

/// One progress step: a host changed state; percent covers the whole team range.
struct ProgressEvent {
  std::string host;  ///< empty for range-wide steps (pool, networks)
  HostState state = HostState::pending;
  int percent = 0;
  std::string message;
};

/// Receives progress; called from worker threads, but never concurrently.
using ProgressCallback = std::function<void(const ProgressEvent&)>;

/// Guest boots allowed at once across several team ranges (shared by a RangeSet).
using BootSlots = std::counting_semaphore<1024>;

/// Name of the internal snapshot every host is reset to.
inline constexpr const char* kPristineSnapshot = "cyrange-pristine";

/// Tunables of one team range.
struct TeamRangeOptions {
  ImageInfo image;  ///< kernel, initramfs and data-disk base of the "tiny" profile
  std::map<std::string, ImageInfo>
      profile_images;  ///< by profile name (build_images_for); others use image
  std::string pool_root = "/var/lib/cyrange/pools";
  int max_parallel = 4;  ///< hosts provisioned and booted at the same time
  std::chrono::seconds ready_timeout{180};
  std::uint64_t disk_bytes = 16ULL << 20;  ///< overlay capacity (the base image's size)
  bool capture_pristine = true;  ///< up() captures the pristine snapshot once every host is ready
  std::shared_ptr<BootSlots>
      boot_slots;             ///< if set, bounds boots across teams in addition to max_parallel
  bool use_templates = true;  ///< hosts start from captured templates where the hypervisor can
  std::shared_ptr<TemplateStore> templates;  ///< shared by teams; made by share_templates()
};

/// Gives options one template store (if they use templates and have none), so every team range
/// built from them captures each template once.
void share_templates(TeamRangeOptions& options);

/// The one image step of everything that provisions ranges (cyranged, `cyrange range up`):
/// builds, or takes from the cache, the image of every profile the hosts of `specs` use, and
/// puts them in `options` (profile_images; image is tiny's if a host uses it, else the first).
Status provide_images(const std::vector<RangeSpec>& specs, const ImageBuildOptions& build,
                      TeamRangeOptions& options);

/// Refuses a spec whose host would boot an image of another profile than the one it names
/// (e.g. a standard host given only the tiny image); images without a profile name pass.
Status check_profile_images(const RangeSpec& spec, const TeamRangeOptions& options);

/// Command that proves a service answers inside a guest of either profile; empty if unknown.
std::vector<std::string> service_check_command(const std::string& service);

/// One team's copy of a scenario's organisation, as real hypervisor objects.
class TeamRange {
 public:
  /// Binds a spec to a hypervisor; nothing is created until up().
  TeamRange(Hypervisor& hv, RangeSpec spec, TeamRangeOptions options);

  /// Creates networks, pool, overlays and guests in parallel and waits until every host is ready.
  /// On failure the objects stay for inspection; call down() to remove them.
  Status up(const ProgressCallback& progress = {});
  /// Captures the templates this range's hosts start from, if it uses any and lacks some (done
  /// by up() anyway; separate so a caller can time or schedule it).
  Status prepare_templates();
  /// Captures every host's memory and disk as the pristine snapshot, in parallel.
  Status capture_pristine();
  /// True when every host's domain holds the pristine snapshot.
  bool has_pristine() const;
  /// Reverts every host to the pristine snapshot in parallel and waits until each is ready again.
  Status reset(const ProgressCallback& progress = {});
  /// Hosts with their state and addresses.
  std::vector<HostStatus> status() const;
  /// Removes every domain, network, pool, volume and pool folder of this team.
  Status down();
  /// Runs argv in a host through the guest agent.
  Expected<ExecResult> exec(const std::string& host, const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout = std::chrono::seconds(30));
  /// The spec this range was built from.
  const RangeSpec& spec() const { return spec_; }
  /// "cyr-<exercise>-<team>-"
  std::string prefix() const;

  /// Removes every domain, network and pool whose name starts with prefix (crash leftovers).
  static Status remove_orphans(Hypervisor& hv, const std::string& prefix);

 private:
  const ImageInfo& image_of(const HostSpec& host) const;
  TemplateShape shape_of(const HostSpec& host);
  Status provision_host(std::size_t index);
  std::optional<Status> restore_host(std::size_t index, int& units_left);
  Status reset_host(std::size_t index);
  /// Waits for the agent, runs the command `first` builds (if any) through it, then waits for
  /// the services. Built only once the agent answers, so a clock it sets is current.
  Status await_ready(std::size_t index, std::chrono::steady_clock::time_point started,
                     int& units_left, const std::function<std::vector<std::string>()>& first = {});
  Status fail_host(std::size_t index, int units_left, const std::string& why);
  Status collect_failures(const std::string& what) const;
  void start_progress(const ProgressCallback& progress, int units_total);
  void set_state(std::size_t index, HostState state, int units, const std::string& message);
  void emit(const ProgressEvent& event);
  std::string pool_path() const;

  Hypervisor& hv_;
  RangeSpec spec_;
  TeamRangeOptions options_;
  mutable std::mutex mu_;
  std::vector<HostStatus> hosts_;
  ProgressCallback progress_;
  int units_done_ = 0;
  int units_total_ = 1;
};

}  // namespace cyrange::range
