#include <orchestrator/range/templates.h>

#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <sstream>
#include <thread>

#include <orchestrator/common/log.h>
#include <orchestrator/range/guest_agent.h>
#include <orchestrator/range/naming.h>
#include <orchestrator/range/range_xml.h>

namespace fs = std::filesystem;

namespace cyrange::range {
namespace {

// FNV-1a: stable across builds and runs, unlike std::hash.
class Fnv64 {
 public:
  void add(const std::string& text) {
    for (unsigned char c : text + '\0') {
      value_ ^= c;
      value_ *= 1099511628211ULL;
    }
  }
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(value_));
    return buf;
  }

 private:
  std::uint64_t value_ = 14695981039346656037ULL;
};

// A QEMU upgrade may change the saved-state format, so the binary is part of the key.
std::string qemu_fingerprint() {
  std::error_code ec;
  const fs::path qemu = "/usr/bin/qemu-system-x86_64";
  auto size = fs::file_size(qemu, ec);
  if (ec) return "no-qemu";
  auto mtime = fs::last_write_time(qemu, ec).time_since_epoch().count();
  return std::to_string(size) + "@" + std::to_string(mtime);
}

constexpr const char* kCapturePrefix = "cyrange-tpl-";

// "cyrange-tpl-<key>-<pid>" -> pid, or 0 if the name has another form.
pid_t capture_pid(const std::string& name) {
  auto dash = name.rfind('-');
  if (name.rfind(kCapturePrefix, 0) != 0 || dash == std::string::npos) return 0;
  try {
    return static_cast<pid_t>(std::stol(name.substr(dash + 1)));
  } catch (const std::exception&) {
    return 0;
  }
}

std::string template_file(const TemplateShape& shape) {
  return (fs::path(shape.image.dir) / ("template-" + template_key(shape) + ".qcow2")).string();
}

}  // namespace

std::string template_key(const TemplateShape& shape) {
  Fnv64 h;
  for (const std::string& part :
       {shape.image.profile, shape.image.recipe_hash, std::to_string(shape.memory_mib),
        std::to_string(shape.vcpus), std::to_string(shape.nics), std::to_string(shape.disk_bytes),
        shape.domain_type, qemu_fingerprint()})
    h.add(part);
  return h.hex();
}

bool is_template_capture(const std::string& object_name) {
  return object_name.rfind(kCapturePrefix, 0) == 0;
}

std::string template_mac(std::size_t index) {
  char buf[18];
  std::snprintf(buf, sizeof buf, "52:54:00:fe:00:%02zx", index & 0xff);
  return buf;
}

std::vector<std::string> restore_configure_args(const RangeSpec& spec, const HostSpec& host) {
  std::vector<std::string> args;
  std::istringstream words(kernel_cmdline(spec, host));
  for (std::string word; words >> word;)
    if (word.rfind("cyrange.", 0) == 0) args.push_back(word);
  for (std::size_t i = 0; i < host.nics.size(); ++i)
    args.push_back("cyrange.rename=" + template_mac(i) + "," + mac_address(spec, host, i));
  auto now = std::chrono::system_clock::now().time_since_epoch();
  args.push_back("cyrange.time=" +
                 std::to_string(std::chrono::duration_cast<std::chrono::seconds>(now).count()));
  std::random_device random;
  std::string seed;
  char buf[9];
  for (int i = 0; i < 8; ++i) {
    std::snprintf(buf, sizeof buf, "%08x", random());
    seed += buf;
  }
  args.push_back("cyrange.seed=" + seed);
  return args;
}

Expected<std::vector<std::string>> remove_abandoned_captures(Hypervisor& hv) {
  std::vector<std::string> removed;
  std::string errors;
  // Domains first: a pool whose volume a domain still uses cannot go.
  for (ObjectKind kind : {ObjectKind::domain, ObjectKind::pool}) {
    auto objects = hv.list(kind, kCapturePrefix);
    if (!objects) return objects.error();
    for (const auto& o : *objects) {
      const pid_t pid = capture_pid(o.name);
      if (pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH) continue;  // still capturing
      Status s = kind == ObjectKind::domain ? hv.remove_domain(o.name) : hv.remove_pool(o.name);
      if (s)
        removed.push_back(o.name);
      else
        errors += (errors.empty() ? "" : " ") + s.error().message;
    }
  }
  if (!errors.empty()) return make_error(ErrorCode::unavailable, errors);
  return removed;
}

TemplateStore::TemplateStore(std::chrono::seconds ready_timeout) : ready_timeout_(ready_timeout) {}

std::shared_ptr<std::mutex> TemplateStore::lock_for(const std::string& key) {
  std::lock_guard lock(mu_);
  auto& m = building_[key];
  if (!m) m = std::make_shared<std::mutex>();
  return m;
}

Expected<std::string> TemplateStore::ensure(Hypervisor& hv, const TemplateShape& shape) {
  const std::string file = template_file(shape);
  auto key_lock = lock_for(template_key(shape));
  std::lock_guard building(*key_lock);
  if (fs::exists(file)) return file;
  auto started = std::chrono::steady_clock::now();
  if (auto swept = remove_abandoned_captures(hv); !swept)
    cyrange::log::get("range")->warn("abandoned template captures stay: {}", swept.error().message);
  if (auto s = capture(hv, shape, file); !s) return s.error();
  cyrange::log::get("range")->info(
      "template {} ({} profile, {} MiB, {} NIC(s)) captured in {:.1f} s", file, shape.image.profile,
      shape.memory_mib, shape.nics,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  return file;
}

void TemplateStore::discard(const TemplateShape& shape) {
  auto key_lock = lock_for(template_key(shape));
  std::lock_guard building(*key_lock);
  std::error_code ec;
  fs::remove(template_file(shape), ec);
}

Status TemplateStore::capture(Hypervisor& hv, const TemplateShape& shape, const std::string& file) {
  // The process id keeps two processes capturing the same shape out of each other's way; the
  // rename at the end makes whichever finishes first the template.
  const std::string name = "cyrange-tpl-" + template_key(shape) + "-" + std::to_string(getpid());
  const std::string folder = (fs::path(shape.image.dir) / ("build-" + name)).string();
  auto cleanup = [&](const Status& s) -> Status {
    (void)hv.remove_domain(name);
    (void)hv.remove_pool(name);
    if (s) return s;
    return make_error(s.error().code, "The template of the " + shape.image.profile +
                                          " image could not be captured: " + s.error().message);
  };
  if (auto s = hv.create_pool(name, pool_xml(name, folder)); !s) return cleanup(s);
  auto disk = hv.create_volume(
      name, overlay_volume_xml("template.qcow2", shape.image.data_base, shape.disk_bytes));
  if (!disk) return cleanup(disk.error());
  GuestXml guest{name, shape.memory_mib, shape.vcpus, "console=ttyS0 quiet panic=-1", {}};
  if (auto boot = image_boot_args(shape.image.profile); !boot.empty()) guest.cmdline += " " + boot;
  guest.cmdline += " cyrange.template=1 cyrange.hostname=template";
  for (std::size_t i = 0; i < shape.nics; ++i) guest.nics.push_back({template_mac(i), ""});
  DomainXmlInputs in{shape.domain_type, shape.image.kernel, shape.image.initrd, *disk};
  if (auto s = hv.create_domain(name, guest_xml(guest, in)); !s) return cleanup(s);
  auto deadline = std::chrono::steady_clock::now() + ready_timeout_;
  while (!guest_ping(hv, name)) {
    if (std::chrono::steady_clock::now() > deadline)
      return cleanup(
          make_error(ErrorCode::unavailable, "the template guest's agent did not answer within " +
                                                 std::to_string(ready_timeout_.count()) + " s."));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (auto s = hv.create_snapshot(name, kTemplateSnapshot); !s) return cleanup(s);
  if (auto s = hv.remove_domain(name); !s) return cleanup(s);
  const std::string partial = file + "." + std::to_string(getpid()) + ".partial";
  std::error_code ec;
  fs::copy_file(*disk, partial, fs::copy_options::overwrite_existing, ec);
  if (!ec) fs::rename(partial, file, ec);
  if (ec) {
    const std::string why = ec.message();
    fs::remove(partial, ec);
    return cleanup(
        make_error(ErrorCode::unavailable, "cannot store it as '" + file + "': " + why + "."));
  }
  return cleanup(Status::success());
}

}  // namespace cyrange::range
