#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/hypervisor.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/range_spec.h>

namespace cyrange::range {

/// Name of the internal snapshot a template file holds.
inline constexpr const char* kTemplateSnapshot = "cyrange-template";

/// What a template must share with the hosts restored from it: QEMU loads a saved state only
/// into the same devices and memory.
struct TemplateShape {
  ImageInfo image;
  int memory_mib = 128;
  int vcpus = 1;
  std::size_t nics = 0;
  std::uint64_t disk_bytes = 0;  ///< virtual size of the disk overlay
  std::string domain_type;       ///< "kvm" or "qemu"
};

/// Stable key of a shape (image recipe, devices, memory, the QEMU binary), 16 hex digits.
std::string template_key(const TemplateShape& shape);

/// MAC of NIC `index` in every template guest; a restored host gives it its own MAC.
std::string template_mac(std::size_t index);

/// Arguments of the image's cyrange-configure that turn a restored template into `host`: the
/// words of its kernel command line, its NICs' MACs, the current time and a fresh entropy seed.
std::vector<std::string> restore_configure_args(const RangeSpec& spec, const HostSpec& host);

/// True for the objects of a template capture (`cyrange-tpl-<key>-<pid>` domain and pool):
/// an image cache shared by every exercise, owned by none.
bool is_template_capture(const std::string& object_name);

/// Removes what template captures left when their process died half-way (a running
/// `cyrange-tpl-<key>-<pid>` domain, its pool and build folder); captures of live processes
/// stay. Returns the names removed.
Expected<std::vector<std::string>> remove_abandoned_captures(Hypervisor& hv);

/// Booted, still unconfigured guests captured once per image and shape (memory and disk in one
/// qcow2 file in the image's cache folder), so hosts start by loading a state instead of booting.
/// Safe to share between team ranges and threads.
class TemplateStore {
 public:
  /// `ready_timeout` bounds the one boot that captures a template.
  explicit TemplateStore(std::chrono::seconds ready_timeout = std::chrono::seconds(180));

  /// The template file for shape; the first call for a shape boots and captures it on hv.
  Expected<std::string> ensure(Hypervisor& hv, const TemplateShape& shape);
  /// Deletes a shape's template (one that failed to load), so the next ensure() captures anew.
  void discard(const TemplateShape& shape);

 private:
  Status capture(Hypervisor& hv, const TemplateShape& shape, const std::string& file);
  std::shared_ptr<std::mutex> lock_for(const std::string& key);

  std::chrono::seconds ready_timeout_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<std::mutex>> building_;
};

}  // namespace cyrange::range
