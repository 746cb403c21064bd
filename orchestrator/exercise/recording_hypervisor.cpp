#include <orchestrator/exercise/recording_hypervisor.h>

#include <orchestrator/range/templates.h>

namespace cyrange::exercise {

std::pair<std::string, std::string> owner_of(const std::string& name) {
  if (name.rfind("cyr-", 0) != 0) return {};
  auto a = name.find('-', 4);
  if (a == std::string::npos) return {};
  auto b = name.find('-', a + 1);
  if (b == std::string::npos) return {name.substr(4, a - 4), ""};
  return {name.substr(4, a - 4), name.substr(a + 1, b - a - 1)};
}

RecordingHypervisor::RecordingHypervisor(range::Hypervisor& inner, RangeRegistry& registry,
                                         std::string libvirt_uri)
    : inner_(inner), registry_(registry), uri_(std::move(libvirt_uri)) {}

Status RecordingHypervisor::record(const std::string& kind, const std::string& name) {
  // A template capture belongs to the image cache, not to an exercise: it is not recorded
  // (remove_abandoned_captures() sweeps what a dead process left), and it must not be
  // refused, or every host of a new shape boots instead of restoring.
  if (range::is_template_capture(name)) return Status::success();
  auto [exercise, team] = owner_of(name);
  if (exercise.empty() || team.empty())
    return make_error(ErrorCode::invalid_argument,
                      "Refusing to create " + kind + " '" + name +
                          "': range objects are named cyr-<exercise>-<team>-....");
  return registry_.record_object(exercise, team, kind, name, uri_);
}

Status RecordingHypervisor::create_network(const std::string& name, const std::string& xml) {
  if (auto s = record("network", name); !s) return s;
  return inner_.create_network(name, xml);
}

Status RecordingHypervisor::create_pool(const std::string& name, const std::string& xml) {
  if (auto s = record("pool", name); !s) return s;
  return inner_.create_pool(name, xml);
}

Expected<std::string> RecordingHypervisor::create_volume(const std::string& pool,
                                                         const std::string& xml) {
  auto a = xml.find("<name>");
  auto b = xml.find("</name>");
  std::string volume =
      (a == std::string::npos || b == std::string::npos) ? "?" : xml.substr(a + 6, b - a - 6);
  if (range::is_template_capture(pool)) return inner_.create_volume(pool, xml);
  auto [exercise, team] = owner_of(pool);
  if (auto s = registry_.record_object(exercise, team, "volume", pool + "/" + volume, uri_); !s)
    return s.error();
  return inner_.create_volume(pool, xml);
}

Status RecordingHypervisor::create_domain(const std::string& name, const std::string& xml) {
  if (auto s = record("domain", name); !s) return s;
  return inner_.create_domain(name, xml);
}

Expected<std::string> RecordingHypervisor::copy_volume(const std::string& pool,
                                                       const std::string& name,
                                                       const std::string& source_file) {
  auto [exercise, team] = owner_of(pool);
  if (auto s = registry_.record_object(exercise, team, "volume", pool + "/" + name, uri_); !s)
    return s.error();
  return inner_.copy_volume(pool, name, source_file);
}

Status RecordingHypervisor::restore_domain(const std::string& name, const std::string& xml,
                                           const std::string& snapshot) {
  if (auto s = record("domain", name); !s) return s;
  return inner_.restore_domain(name, xml, snapshot);
}

}  // namespace cyrange::exercise
