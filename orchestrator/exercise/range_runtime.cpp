#include <orchestrator/exercise/range_runtime.h>

#include <orchestrator/common/log.h>
#include <orchestrator/exercise/placement.h>
#include <orchestrator/exercise/routed_hypervisor.h>

namespace cyrange::exercise {
namespace {

void append(std::vector<std::string>& to, const std::vector<std::string>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

}  // namespace

Expected<RangeRuntime> start_range_runtime(const std::vector<range::HostConfig>& hosts,
                                           const std::string& database_uri) {
  auto logger = cyrange::log::get("range");
  auto pool = range::HostPool::connect_libvirt(hosts);
  if (!pool) return pool.error();
  auto registry = RangeRegistry::open(database_uri);
  if (!registry) return registry.error();
  RangeRuntime runtime;
  runtime.hosts = std::move(*pool);
  runtime.registry = std::shared_ptr<RangeRegistry>(std::move(*registry));
  for (const auto& host : runtime.hosts->hosts()) {
    auto report = reconcile(*host.hypervisor, *runtime.registry, host.uri);
    if (!report) return report.error();
    for (const auto& o : report->adopted) logger->info("reconcile: adopted {}", o);
    for (const auto& o : report->removed) logger->info("reconcile: removed orphan {}", o);
    for (const auto& o : report->foreign)
      logger->info("reconcile: left alone {} (exercise unknown to this database)", o);
    for (const auto& o : report->missing)
      logger->warn("reconcile: {} is recorded but missing from libvirt", o);
    for (const auto& e : report->errors) logger->error("reconcile: {}", e);
    logger->info("reconciled libvirt '{}' with the database: {}", host.uri, report->summary());
    append(runtime.reconciled.adopted, report->adopted);
    append(runtime.reconciled.removed, report->removed);
    append(runtime.reconciled.foreign, report->foreign);
    append(runtime.reconciled.missing, report->missing);
    append(runtime.reconciled.errors, report->errors);
  }
  auto outside = sync_placements(runtime.hosts, *runtime.registry);
  if (!outside) return outside.error();
  for (const auto& r : *outside)
    logger->warn(
        "team '{}' of exercise '{}' lives on '{}', which is not a configured hypervisor host: "
        "its guests are not counted, reached or reconciled until the host is configured again",
        r.spec.team, r.spec.exercise, r.uri);
  for (const auto& line : runtime.hosts->report()) logger->info("{}", line);
  runtime.hypervisor = std::make_shared<RoutedHypervisor>(runtime.hosts, runtime.registry);
  runtime.terminals = std::make_shared<TerminalBroker>(*runtime.hypervisor, runtime.registry);
  return runtime;
}

Expected<RangeRuntime> start_range_runtime(const std::string& libvirt_uri,
                                           const std::string& database_uri) {
  range::HostConfig host;
  host.uri = libvirt_uri;
  return start_range_runtime(std::vector<range::HostConfig>{host}, database_uri);
}

}  // namespace cyrange::exercise
