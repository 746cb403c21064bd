#include <orchestrator/range/team_range.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <thread>

#include <orchestrator/common/log.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/range_xml.h>

namespace cyrange::range {
namespace {

// Each host moves through three counted steps: defined, agent answering, ready.
constexpr int kUnitsPerHost = 3;

// Holds one boot slot shared across teams for as long as a host boots.
class SlotGuard {
 public:
  explicit SlotGuard(BootSlots* slots) : slots_(slots) {
    if (slots_) slots_->acquire();
  }
  ~SlotGuard() {
    if (slots_) slots_->release();
  }
  SlotGuard(const SlotGuard&) = delete;
  SlotGuard& operator=(const SlotGuard&) = delete;

 private:
  BootSlots* slots_;
};

// Calls work(i) for every i < count on at most max_workers threads.
void run_parallel(std::size_t count, int max_workers,
                  const std::function<void(std::size_t)>& work) {
  std::atomic<std::size_t> next{0};
  std::size_t workers = std::min<std::size_t>(std::max(1, max_workers), count);
  std::vector<std::thread> pool;
  for (std::size_t w = 0; w < workers; ++w)
    pool.emplace_back([&] {
      for (std::size_t i = next++; i < count; i = next++) work(i);
    });
  for (auto& t : pool) t.join();
}

}  // namespace

std::string to_string(HostState state) {
  switch (state) {
    case HostState::pending:
      return "pending";
    case HostState::defining:
      return "defining";
    case HostState::booting:
      return "booting";
    case HostState::waiting_for_services:
      return "waiting-for-services";
    case HostState::ready:
      return "ready";
    case HostState::failed:
      return "failed";
  }
  return "unknown";
}

std::vector<std::string> service_check_command(const std::string& service) {
  // Busybox applets only (the standard image links wget/nc/nslookup to busybox), so one
  // command serves both profiles.
  if (service == "http" || service == "web")
    return {"/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:80/"};
  // Any HTTP status line will do: squid answers a non-proxy request with 400, the tiny httpd with
  // 200.
  if (service == "proxy")
    return {"/bin/sh", "-c",
            "printf 'HEAD / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 127.0.0.1 3128 | grep -q '^HTTP/'"};
  if (service == "smtp" || service == "mail")
    return {"/bin/sh", "-c", "echo QUIT | nc -w 3 127.0.0.1 25 | grep -q '^220'"};
  // dnsmasq answers for names in /etc/hosts, which always holds the hostname.
  if (service == "dns")
    return {"/bin/sh", "-c", "nslookup -type=a \"$(hostname)\" 127.0.0.1 > /dev/null"};
  if (service == "ssh")
    return {"/bin/sh", "-c", "nc -w 3 127.0.0.1 22 < /dev/null | grep -q '^SSH-'"};
  // Services of the standard image only (profile_starts_service): its own clients.
  if (service == "imap")
    return {"/bin/sh", "-c", "echo 'a LOGOUT' | nc -w 3 127.0.0.1 143 | grep -q '^\\* OK'"};
  if (service == "smb")
    // SMB2 or later only: the SMB1 retry for a workgroup list would wait for its timeout.
    return {"/bin/sh", "-c",
            "smbclient -N -p 445 --option='client min protocol=SMB2' -g -L //127.0.0.1 "
            "2> /dev/null | grep -q '^Disk|'"};
  return {};
}

void share_templates(TeamRangeOptions& options) {
  if (options.use_templates && !options.templates)
    options.templates = std::make_shared<TemplateStore>(options.ready_timeout);
}

Status provide_images(const std::vector<RangeSpec>& specs, const ImageBuildOptions& build,
                      TeamRangeOptions& options) {
  std::map<std::string, ImageInfo> images;
  for (const auto& spec : specs) {
    auto built = build_images_for(spec, build);
    if (!built) return built.error();
    images.insert(built->begin(), built->end());
  }
  if (images.empty())
    return make_error(ErrorCode::invalid_argument,
                      "The ranges have no hosts, so no guest image is needed or built. "
                      "演習環境にホストがありません。");
  options.image = images.count("tiny") ? images.at("tiny") : images.begin()->second;
  options.profile_images = std::move(images);
  return Status::success();
}

Status check_profile_images(const RangeSpec& spec, const TeamRangeOptions& options) {
  for (const auto& host : spec.hosts) {
    const std::string wanted = image_profile(host.image_profile).name;
    auto found = options.profile_images.find(wanted);
    const ImageInfo& image = found != options.profile_images.end() ? found->second : options.image;
    if (image.profile.empty() || image.profile == wanted) continue;
    return make_error(ErrorCode::failed_precondition,
                      "Host '" + host.name + "' of team '" + spec.team + "' uses image profile '" +
                          wanted + "', but only the '" + image.profile +
                          "' image was provided; build every profile of the range first "
                          "(provide_images). ホスト '" +
                          host.name + "' のイメージプロファイル '" + wanted +
                          "' のイメージが用意されていません。");
  }
  return Status::success();
}

TeamRange::TeamRange(Hypervisor& hv, RangeSpec spec, TeamRangeOptions options)
    : hv_(hv), spec_(std::move(spec)), options_(std::move(options)) {
  share_templates(options_);
  for (const auto& h : spec_.hosts) {
    HostStatus s;
    s.name = h.name;
    s.role = h.role;
    s.domain = domain_object_name(spec_, h);
    for (const auto& nic : h.nics) s.addresses.push_back(nic.network + ":" + nic.address);
    hosts_.push_back(std::move(s));
  }
}

std::string TeamRange::prefix() const { return object_prefix(spec_.exercise, spec_.team); }

std::string TeamRange::pool_path() const {
  return (std::filesystem::path(options_.pool_root) / spec_.exercise / spec_.team).string();
}

void TeamRange::emit(const ProgressEvent& event) {
  if (progress_) progress_(event);
}

void TeamRange::set_state(std::size_t index, HostState state, int units,
                          const std::string& message) {
  std::lock_guard lock(mu_);
  hosts_[index].state = state;
  units_done_ += units;
  emit({hosts_[index].name, state, units_done_ * 100 / units_total_, message});
}

void TeamRange::start_progress(const ProgressCallback& progress, int units_total) {
  std::lock_guard lock(mu_);
  progress_ = progress;
  units_done_ = 0;
  units_total_ = std::max(1, units_total);
}

Status TeamRange::up(const ProgressCallback& progress) {
  if (auto valid = validate_spec(spec_); !valid) return valid;
  if (auto images = check_profile_images(spec_, options_); !images) return images;
  start_progress(progress, 1 + static_cast<int>(spec_.networks.size()) +
                               kUnitsPerHost * static_cast<int>(spec_.hosts.size()));
  auto logger = cyrange::log::get("range");
  auto type = hv_.domain_type();
  logger->info("team {} of exercise {}: domain type {} ({})", spec_.team, spec_.exercise, type.type,
               type.reason);

  auto leftover_hint = [this](const Status& s) -> Status {
    return make_error(s.error().code,
                      s.error().message +
                          " If a previous run left it behind, run `cyrange range down --exercise " +
                          spec_.exercise + "` and retry.");
  };
  if (auto s =
          hv_.create_pool(pool_object_name(spec_), pool_xml(pool_object_name(spec_), pool_path()));
      !s)
    return leftover_hint(s);
  {
    std::lock_guard lock(mu_);
    emit({"", HostState::pending, ++units_done_ * 100 / units_total_, "storage pool ready"});
  }
  for (const auto& net : spec_.networks) {
    if (auto s = hv_.create_network(network_object_name(spec_, net), network_xml(spec_, net)); !s)
      return leftover_hint(s);
    std::lock_guard lock(mu_);
    emit({"", HostState::pending, ++units_done_ * 100 / units_total_,
          "network " + net.name + " ready"});
  }

  run_parallel(spec_.hosts.size(), options_.max_parallel, [this](std::size_t i) {
    if (auto s = provision_host(i); !s) {
      std::lock_guard lock(mu_);
      hosts_[i].error = s.error().message;
    }
  });
  if (auto failed = collect_failures("did not become ready"); !failed) return failed;
  if (options_.capture_pristine) return capture_pristine();
  return Status::success();
}

Status TeamRange::collect_failures(const std::string& what) const {
  std::string failures;
  for (const auto& h : status())
    if (h.state != HostState::ready) failures += (failures.empty() ? "" : " ") + h.error;
  if (failures.empty()) return Status::success();
  return make_error(
      ErrorCode::unavailable,
      "Team '" + spec_.team + "' of exercise '" + spec_.exercise + "' " + what + ": " + failures +
          " Inspect the guest, then remove the range with `cyrange range down --exercise " +
          spec_.exercise + "`.");
}

Status TeamRange::fail_host(std::size_t i, int units_left, const std::string& why) {
  set_state(i, HostState::failed, units_left, why);
  return make_error(ErrorCode::unavailable, "Host '" + spec_.hosts[i].name + "' failed: " + why);
}

Status TeamRange::provision_host(std::size_t i) {
  const HostSpec& host = spec_.hosts[i];
  const std::string domain = domain_object_name(spec_, host);
  SlotGuard slot(options_.boot_slots.get());
  int units_left = kUnitsPerHost;
  set_state(i, HostState::defining, 0, "creating overlay and domain");
  if (options_.use_templates && options_.templates && hv_.can_restore_templates())
    if (auto restored = restore_host(i, units_left)) return *restored;
  const ImageInfo& image = image_of(host);
  auto disk = hv_.create_volume(
      pool_object_name(spec_),
      overlay_volume_xml(host.name + ".qcow2", image.data_base, shape_of(host).disk_bytes));
  if (!disk) return fail_host(i, units_left, disk.error().message);
  DomainXmlInputs in{hv_.domain_type().type, image.kernel, image.initrd, *disk};
  auto started_at = std::chrono::steady_clock::now();
  if (auto s = hv_.create_domain(domain, domain_xml(spec_, host, in)); !s)
    return fail_host(i, units_left, s.error().message);
  --units_left;
  set_state(i, HostState::booting, 1, "domain started, waiting for the guest agent");
  return await_ready(i, started_at, units_left);
}

const ImageInfo& TeamRange::image_of(const HostSpec& host) const {
  auto found = options_.profile_images.find(image_profile(host.image_profile).name);
  return found != options_.profile_images.end() ? found->second : options_.image;
}

TemplateShape TeamRange::shape_of(const HostSpec& host) {
  const ImageInfo& image = image_of(host);
  // An overlay smaller than its base would cut the root filesystem short.
  return {image,
          guest_memory_mib(host),
          host.vcpus,
          host.nics.size(),
          std::max(options_.disk_bytes, image.disk_bytes),
          hv_.domain_type().type};
}

Status TeamRange::prepare_templates() {
  if (!options_.use_templates || !options_.templates || !hv_.can_restore_templates())
    return Status::success();
  for (const auto& host : spec_.hosts)
    if (auto file = options_.templates->ensure(hv_, shape_of(host)); !file) return file.error();
  return Status::success();
}

std::optional<Status> TeamRange::restore_host(std::size_t i, int& units_left) {
  const HostSpec& host = spec_.hosts[i];
  const std::string domain = domain_object_name(spec_, host);
  auto logger = cyrange::log::get("range");
  auto boot_instead = [&](const std::string& why) -> std::optional<Status> {
    logger->warn("host {}: booting instead of restoring a template: {}", host.name, why);
    return std::nullopt;
  };
  const TemplateShape shape = shape_of(host);
  auto file = options_.templates->ensure(hv_, shape);
  if (!file) return boot_instead(file.error().message);
  auto disk = hv_.copy_volume(pool_object_name(spec_), host.name + ".qcow2", *file);
  if (!disk) return boot_instead(disk.error().message);
  auto started_at = std::chrono::steady_clock::now();
  DomainXmlInputs in{shape.domain_type, shape.image.kernel, shape.image.initrd, *disk};
  if (auto s = hv_.restore_domain(domain, domain_xml(spec_, host, in), kTemplateSnapshot); !s) {
    // The pool does not list the copy yet, so the boot below can create its volume afresh.
    std::error_code ec;
    std::filesystem::remove(*disk, ec);
    options_.templates->discard(shape);
    return boot_instead(s.error().message);
  }
  --units_left;
  set_state(i, HostState::booting, 1, "restored from its template, configuring");
  return await_ready(i, started_at, units_left, [&] {
    std::vector<std::string> configure{image_profile(host.image_profile).configure};
    for (auto& arg : restore_configure_args(spec_, host)) configure.push_back(std::move(arg));
    return configure;
  });
}

Status TeamRange::await_ready(std::size_t i, std::chrono::steady_clock::time_point started_at,
                              int& units_left,
                              const std::function<std::vector<std::string>()>& first) {
  const HostSpec& host = spec_.hosts[i];
  const std::string domain = domain_object_name(spec_, host);
  auto deadline = started_at + options_.ready_timeout;
  while (!guest_ping(hv_, domain)) {
    if (std::chrono::steady_clock::now() > deadline)
      return fail_host(i, units_left,
                       "its guest agent did not answer within " +
                           std::to_string(options_.ready_timeout.count()) + " s (domain " + domain +
                           "); check its serial console.");
    // Short polls: after a snapshot revert the agent is back within a second.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // Right after a state is loaded the agent's channel may drop once more, so an unanswered
  // command is retried; one that ran and failed is not.
  while (first) {
    auto argv = first();
    auto r = guest_exec(hv_, domain, argv, std::chrono::seconds(60));
    if (r && r->exit_code == 0) break;
    if (r || std::chrono::steady_clock::now() > deadline)
      return fail_host(
          i, units_left,
          "'" + argv.front() + "' failed in domain " + domain + ": " +
              (r ? r->err + " (exit " + std::to_string(r->exit_code) + ")" : r.error().message));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  --units_left;
  set_state(i, HostState::waiting_for_services, 1, "guest agent answers, checking services");

  for (const auto& service : host.services) {
    auto check = service_check_command(service);
    if (check.empty()) {
      cyrange::log::get("range")->warn("host {}: no readiness check for service '{}'", host.name,
                                       service);
      continue;
    }
    for (;;) {
      auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      auto r = guest_exec(hv_, domain, check, std::max(remaining, std::chrono::milliseconds(1000)));
      if (r && r->exit_code == 0) break;
      if (std::chrono::steady_clock::now() > deadline)
        return fail_host(i, units_left,
                         "its service '" + service + "' did not answer within " +
                             std::to_string(options_.ready_timeout.count()) + " s (domain " +
                             domain + ")" + (r ? "" : ": " + r.error().message));
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    }
  }
  {
    std::lock_guard lock(mu_);
    hosts_[i].boot_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
    hosts_[i].error.clear();
  }
  --units_left;
  set_state(i, HostState::ready, 1, "ready");
  return Status::success();
}

Status TeamRange::capture_pristine() {
  std::vector<Status> results(spec_.hosts.size());
  // Capturing pauses the guest while its RAM is written; a few at a time keep the disk busy, not
  // thrashing.
  run_parallel(spec_.hosts.size(), options_.max_parallel, [&](std::size_t i) {
    const std::string domain = domain_object_name(spec_, spec_.hosts[i]);
    results[i] = hv_.create_snapshot(domain, kPristineSnapshot);
  });
  std::string errors;
  for (const auto& r : results)
    if (!r) errors += (errors.empty() ? "" : " ") + r.error().message;
  if (!errors.empty())
    return make_error(ErrorCode::unavailable,
                      "The pristine state of team '" + spec_.team +
                          "' could not be captured, so it cannot be reset: " + errors);
  return Status::success();
}

bool TeamRange::has_pristine() const {
  // Asks the hypervisor, not a flag, so a later process (`cyrange range reset`) can reset too.
  for (const auto& host : spec_.hosts) {
    auto snaps = hv_.list_snapshots(domain_object_name(spec_, host));
    if (!snaps || std::find(snaps->begin(), snaps->end(), kPristineSnapshot) == snaps->end())
      return false;
  }
  return !spec_.hosts.empty();
}

Status TeamRange::reset(const ProgressCallback& progress) {
  if (!has_pristine())
    return make_error(
        ErrorCode::failed_precondition,
        "Team '" + spec_.team + "' of exercise '" + spec_.exercise +
            "' has no pristine state to reset to; bring it up (which captures it) first.");
  start_progress(progress, 2 * static_cast<int>(spec_.hosts.size()));
  // Every host at once: a revert is mostly I/O and process restart, and the
  // team is unusable until its slowest host is back.
  run_parallel(spec_.hosts.size(), static_cast<int>(spec_.hosts.size()), [this](std::size_t i) {
    if (auto s = reset_host(i); !s) {
      std::lock_guard lock(mu_);
      hosts_[i].error = s.error().message;
    }
  });
  return collect_failures("did not come back after reset");
}

Status TeamRange::reset_host(std::size_t i) {
  const std::string domain = domain_object_name(spec_, spec_.hosts[i]);
  int units_left = 2;
  set_state(i, HostState::booting, 0, "reverting to the pristine snapshot");
  auto started_at = std::chrono::steady_clock::now();
  if (auto s = hv_.revert_snapshot(domain, kPristineSnapshot); !s)
    return fail_host(i, units_left, s.error().message);
  double reverted =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
  // The guest's clock stopped when the pristine state was captured; logs must show today.
  auto ready = await_ready(i, started_at, units_left, [] {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    return std::vector<std::string>{"/bin/sh", "-c",
                                    "date -s @" + std::to_string(now) + " > /dev/null"};
  });
  cyrange::log::get("range")->info("host {}: reverted in {:.2f} s, ready after {:.2f} s",
                                   spec_.hosts[i].name, reverted, status()[i].boot_seconds);
  return ready;
}

std::vector<HostStatus> TeamRange::status() const {
  std::lock_guard lock(mu_);
  return hosts_;
}

Status TeamRange::down() {
  auto removed = remove_orphans(hv_, prefix());
  std::error_code ec;
  // libvirt deletes the pool folder; the exercise folder goes when its last team is down.
  std::filesystem::remove(std::filesystem::path(options_.pool_root) / spec_.exercise, ec);
  std::lock_guard lock(mu_);
  for (auto& h : hosts_) h.state = HostState::pending;
  return removed;
}

Expected<ExecResult> TeamRange::exec(const std::string& host, const std::vector<std::string>& argv,
                                     std::chrono::milliseconds timeout) {
  for (const auto& h : spec_.hosts)
    if (h.name == host) return guest_exec(hv_, domain_object_name(spec_, h), argv, timeout);
  return make_error(ErrorCode::not_found,
                    "Team '" + spec_.team + "' has no host named '" + host + "'.");
}

Status TeamRange::remove_orphans(Hypervisor& hv, const std::string& prefix) {
  if (prefix.rfind("cyr-", 0) != 0 || prefix.size() < 6)
    return make_error(ErrorCode::invalid_argument, "Refusing to remove objects with prefix '" +
                                                       prefix + "': it must start with 'cyr-'.");
  std::string errors;
  auto note = [&](const Status& s) {
    if (!s) errors += (errors.empty() ? "" : " ") + s.error().message;
  };
  // Domains first: networks and volumes in use cannot be removed.
  for (ObjectKind kind : {ObjectKind::domain, ObjectKind::network, ObjectKind::pool}) {
    auto objects = hv.list(kind, prefix);
    if (!objects) {
      note(objects.error());
      continue;
    }
    if (kind == ObjectKind::domain) {
      // Stopping a TCG guest takes 1-2 s in libvirt; stop them all at once.
      std::vector<Status> results(objects->size());
      std::vector<std::thread> stoppers;
      for (std::size_t i = 0; i < objects->size(); ++i)
        stoppers.emplace_back([&, i] { results[i] = hv.remove_domain((*objects)[i].name); });
      for (auto& t : stoppers) t.join();
      for (const auto& r : results) note(r);
      continue;
    }
    for (const auto& o : *objects) {
      if (kind == ObjectKind::network) note(hv.remove_network(o.name));
      if (kind == ObjectKind::pool) note(hv.remove_pool(o.name));
    }
  }
  if (!errors.empty()) return make_error(ErrorCode::unavailable, errors);
  return Status::success();
}

}  // namespace cyrange::range
