#include <orchestrator/range/domain_type.h>

#include <fcntl.h>
#include <linux/kvm.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

namespace cyrange::range {

DomainTypeChoice decide_domain_type(const KvmProbe& p) {
  if (p.override_type == "kvm" || p.override_type == "qemu")
    return {p.override_type, "CYRANGE_DOMAIN_TYPE=" + p.override_type + " was set by the operator"};
  if (!p.device_opens)
    return {"qemu", "/dev/kvm cannot be opened, so guests run under TCG emulation"};
  if (p.api_version != KVM_API_VERSION)
    return {"qemu", "/dev/kvm reports API version " + std::to_string(p.api_version) +
                        " instead of 12, so guests run under TCG emulation"};
  if (!p.vm_created)
    return {"qemu", "/dev/kvm refuses to create a VM, so guests run under TCG emulation"};
  // Seen on these machines: a paravirtual KVM module (kvm-pvm) answers every
  // ioctl, but an unmodified guest kernel hangs at boot. Hardware virtualisation
  // flags are what separates a KVM that boots Debian from one that does not.
  if (!p.cpu_has_hw_virt)
    return {"qemu",
            "/dev/kvm answers but the CPU has no vmx/svm flag (paravirtual KVM cannot boot "
            "unmodified guests), so guests run under TCG emulation"};
  return {"kvm", "/dev/kvm works and the CPU has vmx/svm"};
}

KvmProbe probe_kvm() {
  KvmProbe p;
  if (const char* env = std::getenv("CYRANGE_DOMAIN_TYPE")) p.override_type = env;
  int fd = ::open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (fd >= 0) {
    p.device_opens = true;
    p.api_version = ::ioctl(fd, KVM_GET_API_VERSION, 0);
    int vm = ::ioctl(fd, KVM_CREATE_VM, 0);
    if (vm >= 0) {
      p.vm_created = true;
      ::close(vm);
    }
    ::close(fd);
  }
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("flags", 0) == 0 &&
        (line.find(" vmx") != std::string::npos || line.find(" svm") != std::string::npos)) {
      p.cpu_has_hw_virt = true;
      break;
    }
  }
  return p;
}

}  // namespace cyrange::range
