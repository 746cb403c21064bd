#include <orchestrator/exercise/routed_hypervisor.h>

#include <set>

#include <orchestrator/exercise/recording_hypervisor.h>

namespace cyrange::exercise {

RoutedHypervisor::RoutedHypervisor(std::shared_ptr<range::HostPool> pool,
                                   std::shared_ptr<RangeRegistry> registry)
    : pool_(std::move(pool)), registry_(std::move(registry)) {}

Expected<range::Hypervisor*> RoutedHypervisor::host_for(const std::string& exercise,
                                                        const std::string& team) {
  std::string uri = pool_->host_of(exercise, team);
  // A range brought up by another process (`cyrange range up`) is only in PostgreSQL.
  if (uri.empty() && registry_ && !exercise.empty()) {
    auto recorded = registry_->placed_ranges(exercise);
    if (!recorded) return recorded.error();
    for (const auto& r : *recorded)
      if (r.spec.team == team) uri = r.uri;
  }
  if (uri.empty()) return pool_->primary().hypervisor.get();
  if (const auto* host = pool_->find(uri)) return host->hypervisor.get();
  return make_error(ErrorCode::failed_precondition,
                    "Team '" + team + "' of exercise '" + exercise + "' lives on '" + uri +
                        "', which is not a configured hypervisor host; add it back under "
                        "`hypervisors:` (or --libvirt-uri) and restart cyranged. / このチームの"
                        "環境があるハイパーバイザー " +
                        uri + " が設定にありません。");
}

Expected<range::Hypervisor*> RoutedHypervisor::owner_host(const std::string& object_name) {
  auto [exercise, team] = owner_of(object_name);
  return host_for(exercise, team);
}

Status RoutedHypervisor::on_every_host(const std::function<Status(range::Hypervisor&)>& action) {
  std::string errors;
  for (const auto& host : pool_->hosts())
    if (auto st = action(*host.hypervisor); !st)
      errors += (errors.empty() ? "" : " ") + st.error().message;
  if (!errors.empty()) return make_error(ErrorCode::unavailable, errors);
  return Status::success();
}

range::DomainTypeChoice RoutedHypervisor::domain_type() {
  return pool_->primary().hypervisor->domain_type();
}

Status RoutedHypervisor::create_network(const std::string& name, const std::string& xml) {
  auto hv = owner_host(name);
  if (!hv) return hv.error();
  return (*hv)->create_network(name, xml);
}

Status RoutedHypervisor::remove_network(const std::string& name) {
  return on_every_host([&](range::Hypervisor& hv) { return hv.remove_network(name); });
}

Status RoutedHypervisor::create_pool(const std::string& name, const std::string& xml) {
  auto hv = owner_host(name);
  if (!hv) return hv.error();
  return (*hv)->create_pool(name, xml);
}

Status RoutedHypervisor::remove_pool(const std::string& name) {
  return on_every_host([&](range::Hypervisor& hv) { return hv.remove_pool(name); });
}

Expected<std::string> RoutedHypervisor::create_volume(const std::string& pool,
                                                      const std::string& xml) {
  auto hv = owner_host(pool);
  if (!hv) return hv.error();
  return (*hv)->create_volume(pool, xml);
}

Status RoutedHypervisor::create_domain(const std::string& name, const std::string& xml) {
  auto hv = owner_host(name);
  if (!hv) return hv.error();
  return (*hv)->create_domain(name, xml);
}

bool RoutedHypervisor::can_restore_templates() {
  for (const auto& host : pool_->hosts())
    if (!host.hypervisor->can_restore_templates()) return false;
  return true;
}

Expected<std::string> RoutedHypervisor::copy_volume(const std::string& pool,
                                                    const std::string& name,
                                                    const std::string& source_file) {
  auto hv = owner_host(pool);
  if (!hv) return hv.error();
  return (*hv)->copy_volume(pool, name, source_file);
}

Status RoutedHypervisor::restore_domain(const std::string& name, const std::string& xml,
                                        const std::string& snapshot) {
  auto hv = owner_host(name);
  if (!hv) return hv.error();
  return (*hv)->restore_domain(name, xml, snapshot);
}

Status RoutedHypervisor::remove_domain(const std::string& name) {
  return on_every_host([&](range::Hypervisor& hv) { return hv.remove_domain(name); });
}

Status RoutedHypervisor::suspend_domain(const std::string& name) {
  auto hv = owner_host(name);
  if (!hv) return hv.error();
  return (*hv)->suspend_domain(name);
}

Status RoutedHypervisor::resume_domain(const std::string& name) {
  auto hv = owner_host(name);
  if (!hv) return hv.error();
  return (*hv)->resume_domain(name);
}

Expected<range::DomainRunState> RoutedHypervisor::run_state(const std::string& name) {
  auto hv = owner_host(name);
  if (!hv) return hv.error();
  return (*hv)->run_state(name);
}

Status RoutedHypervisor::create_snapshot(const std::string& domain, const std::string& name) {
  auto hv = owner_host(domain);
  if (!hv) return hv.error();
  return (*hv)->create_snapshot(domain, name);
}

Status RoutedHypervisor::revert_snapshot(const std::string& domain, const std::string& name) {
  auto hv = owner_host(domain);
  if (!hv) return hv.error();
  return (*hv)->revert_snapshot(domain, name);
}

Expected<std::vector<std::string>> RoutedHypervisor::list_snapshots(const std::string& domain) {
  auto hv = owner_host(domain);
  if (!hv) return hv.error();
  return (*hv)->list_snapshots(domain);
}

Expected<std::string> RoutedHypervisor::network_description(const std::string& name) {
  auto hv = owner_host(name);
  if (!hv) return hv.error();
  return (*hv)->network_description(name);
}

Expected<std::string> RoutedHypervisor::agent_command(const std::string& domain,
                                                      const std::string& json,
                                                      int timeout_seconds) {
  auto hv = owner_host(domain);
  if (!hv) return hv.error();
  return (*hv)->agent_command(domain, json, timeout_seconds);
}

Expected<std::vector<range::HvObject>> RoutedHypervisor::list(range::ObjectKind kind,
                                                              const std::string& prefix) {
  std::vector<range::HvObject> out;
  std::set<std::string> seen;
  for (const auto& host : pool_->hosts()) {
    auto objects = host.hypervisor->list(kind, prefix);
    if (!objects) return objects.error();
    for (auto& o : *objects)
      if (seen.insert(o.name).second) out.push_back(std::move(o));
  }
  return out;
}

Expected<std::unique_ptr<range::ConsoleStream>> RoutedHypervisor::open_console(
    const std::string& domain, range::ConsoleOutput on_output, range::ConsoleClosed on_closed) {
  auto hv = owner_host(domain);
  if (!hv) return hv.error();
  return (*hv)->open_console(domain, std::move(on_output), std::move(on_closed));
}

}  // namespace cyrange::exercise
