#include <orchestrator/exercise/range_runtime.h>

#include <orchestrator/common/log.h>
#include <orchestrator/range/libvirt_hypervisor.h>

namespace cyrange::exercise {

Expected<RangeRuntime> start_range_runtime(const std::string& libvirt_uri,
                                           const std::string& database_uri) {
  auto logger = cyrange::log::get("range");
  auto hv = range::LibvirtHypervisor::connect(libvirt_uri);
  if (!hv) return hv.error();
  auto registry = RangeRegistry::open(database_uri);
  if (!registry) return registry.error();
  RangeRuntime runtime;
  runtime.hypervisor = std::shared_ptr<range::Hypervisor>(std::move(*hv));
  runtime.registry = std::shared_ptr<RangeRegistry>(std::move(*registry));
  auto report = reconcile(*runtime.hypervisor, *runtime.registry, libvirt_uri);
  if (!report) return report.error();
  for (const auto& o : report->adopted) logger->info("reconcile: adopted {}", o);
  for (const auto& o : report->removed) logger->info("reconcile: removed orphan {}", o);
  for (const auto& o : report->foreign)
    logger->info("reconcile: left alone {} (exercise unknown to this database)", o);
  for (const auto& o : report->missing)
    logger->warn("reconcile: {} is recorded but missing from libvirt", o);
  for (const auto& e : report->errors) logger->error("reconcile: {}", e);
  logger->info("reconciled libvirt '{}' with the database: {}", libvirt_uri, report->summary());
  runtime.reconciled = std::move(*report);
  runtime.terminals = std::make_shared<TerminalBroker>(*runtime.hypervisor, runtime.registry);
  return runtime;
}

}  // namespace cyrange::exercise
