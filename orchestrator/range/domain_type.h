#pragma once

#include <string>

namespace cyrange::range {

/// What the host's /dev/kvm and CPU offer; filled by probe_kvm(), or by hand in tests.
struct KvmProbe {
  bool device_opens = false;     ///< /dev/kvm could be opened read-write
  int api_version = -1;          ///< KVM_GET_API_VERSION result (12 on every modern kernel)
  bool vm_created = false;       ///< KVM_CREATE_VM succeeded
  bool cpu_has_hw_virt = false;  ///< /proc/cpuinfo lists vmx or svm
  std::string override_type;     ///< CYRANGE_DOMAIN_TYPE ("kvm"/"qemu") if set
};

/// The libvirt domain type to use and the sentence explaining why, for reports.
struct DomainTypeChoice {
  std::string type;    ///< "kvm" or "qemu"
  std::string reason;  ///< e.g. "/dev/kvm works and the CPU has vmx/svm"
};

/// Pure decision: "kvm" only when KVM can really run guests, else TCG ("qemu").
DomainTypeChoice decide_domain_type(const KvmProbe& probe);

/// Probes this machine (open, ioctls, cpuinfo, environment override).
KvmProbe probe_kvm();

}  // namespace cyrange::range
