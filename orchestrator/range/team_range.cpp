#include <orchestrator/range/team_range.h>

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

}  // namespace

std::string to_string(HostState state) {
  switch (state) {
    case HostState::pending: return "pending";
    case HostState::defining: return "defining";
    case HostState::booting: return "booting";
    case HostState::waiting_for_services: return "waiting-for-services";
    case HostState::ready: return "ready";
    case HostState::failed: return "failed";
  }
  return "unknown";
}

std::vector<std::string> service_check_command(const std::string& service) {
  if (service == "http" || service == "web")
    return {"/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:80/"};
  if (service == "proxy") return {"/bin/wget", "-q", "-O", "/dev/null", "http://127.0.0.1:3128/"};
  if (service == "smtp" || service == "mail")
    return {"/bin/sh", "-c", "echo QUIT | nc -w 3 127.0.0.1 25 | grep -q '^220'"};
  return {};
}

TeamRange::TeamRange(Hypervisor& hv, RangeSpec spec, TeamRangeOptions options)
    : hv_(hv), spec_(std::move(spec)), options_(std::move(options)) {
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

void TeamRange::set_state(std::size_t index, HostState state, int units, const std::string& message) {
  std::lock_guard lock(mu_);
  hosts_[index].state = state;
  units_done_ += units;
  emit({hosts_[index].name, state, units_done_ * 100 / units_total_, message});
}

Status TeamRange::up(const ProgressCallback& progress) {
  if (auto valid = validate_spec(spec_); !valid) return valid;
  progress_ = progress;
  units_done_ = 0;
  units_total_ = 1 + static_cast<int>(spec_.networks.size()) +
                 kUnitsPerHost * static_cast<int>(spec_.hosts.size());
  auto logger = cyrange::log::get("range");
  auto type = hv_.domain_type();
  logger->info("team {} of exercise {}: domain type {} ({})", spec_.team, spec_.exercise, type.type,
               type.reason);

  auto leftover_hint = [this](const Status& s) -> Status {
    return make_error(s.error().code, s.error().message + " If a previous run left it behind, run `cyrange range down --exercise " +
                                          spec_.exercise + "` and retry.");
  };
  if (auto s = hv_.create_pool(pool_object_name(spec_), pool_xml(pool_object_name(spec_), pool_path())); !s)
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

  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < spec_.hosts.size(); i = next++) {
      if (auto s = provision_host(i); !s) {
        std::lock_guard lock(mu_);
        hosts_[i].error = s.error().message;
      }
    }
  };
  std::size_t workers = std::min<std::size_t>(std::max(1, options_.max_parallel), spec_.hosts.size());
  std::vector<std::thread> pool;
  for (std::size_t w = 0; w < workers; ++w) pool.emplace_back(worker);
  for (auto& t : pool) t.join();

  std::string failures;
  for (const auto& h : status())
    if (h.state != HostState::ready) failures += (failures.empty() ? "" : " ") + h.error;
  if (!failures.empty())
    return make_error(ErrorCode::unavailable,
                      "Team '" + spec_.team + "' of exercise '" + spec_.exercise +
                          "' did not become ready: " + failures +
                          " Inspect the guest, then remove the range with `cyrange range down --exercise " +
                          spec_.exercise + "`.");
  return Status::success();
}

Status TeamRange::provision_host(std::size_t i) {
  const HostSpec& host = spec_.hosts[i];
  const std::string domain = domain_object_name(spec_, host);
  int units_left = kUnitsPerHost;
  auto fail = [&](const std::string& why) -> Status {
    set_state(i, HostState::failed, units_left, why);
    return make_error(ErrorCode::unavailable, "Host '" + host.name + "' failed: " + why);
  };
  set_state(i, HostState::defining, 0, "creating overlay and domain");
  auto disk = hv_.create_volume(pool_object_name(spec_),
                                overlay_volume_xml(host.name + ".qcow2", options_.image.data_base,
                                                   options_.disk_bytes));
  if (!disk) return fail(disk.error().message);
  DomainXmlInputs in{hv_.domain_type().type, options_.image.kernel, options_.image.initrd, *disk};
  auto started_at = std::chrono::steady_clock::now();
  if (auto s = hv_.create_domain(domain, domain_xml(spec_, host, in)); !s) return fail(s.error().message);
  --units_left;
  set_state(i, HostState::booting, 1, "domain started, waiting for the guest agent");

  auto deadline = started_at + options_.ready_timeout;
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_at).count();
  };
  while (!guest_ping(hv_, domain)) {
    if (std::chrono::steady_clock::now() > deadline)
      return fail("its guest agent did not answer within " + std::to_string(options_.ready_timeout.count()) +
                  " s (domain " + domain + "); check its serial console.");
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  --units_left;
  set_state(i, HostState::waiting_for_services, 1, "guest agent answers, checking services");

  for (const auto& service : host.services) {
    auto check = service_check_command(service);
    if (check.empty()) {
      cyrange::log::get("range")->warn("host {}: no readiness check for service '{}'", host.name, service);
      continue;
    }
    for (;;) {
      auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      auto r = guest_exec(hv_, domain, check, std::max(remaining, std::chrono::milliseconds(1000)));
      if (r && r->exit_code == 0) break;
      if (std::chrono::steady_clock::now() > deadline)
        return fail("its service '" + service + "' did not answer within " +
                    std::to_string(options_.ready_timeout.count()) + " s (domain " + domain + ")" +
                    (r ? "" : ": " + r.error().message));
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  }
  {
    std::lock_guard lock(mu_);
    hosts_[i].boot_seconds = seconds();
  }
  set_state(i, HostState::ready, 1, "ready");
  return Status::success();
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
    return make_error(ErrorCode::invalid_argument,
                      "Refusing to remove objects with prefix '" + prefix + "': it must start with 'cyr-'.");
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
