#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <orchestrator/range/range_spec.h>

namespace cyrange::range {

/// Files and choices a domain definition needs besides the spec.
struct DomainXmlInputs {
  std::string domain_type;  ///< "kvm" or "qemu"
  std::string kernel;       ///< absolute path of the image's kernel
  std::string initrd;       ///< absolute path of the image's initramfs
  std::string disk;         ///< absolute path of the host's qcow2 overlay
};

/// Isolated segment: no <forward>, no <ip> (so no host address, no dnsmasq).
std::string network_xml(const RangeSpec& spec, const NetworkSpec& net);

/// Kernel command line carrying the host's configuration to the image's init (tiny /init or
/// standard /sbin/cyrange-init).
std::string kernel_cmdline(const RangeSpec& spec, const HostSpec& host);

/// Memory a host gets: its spec's value, raised to its image profile's minimum (256 MiB for
/// standard).
int guest_memory_mib(const HostSpec& host);

/// One virtio NIC of a guest.
struct GuestNic {
  std::string mac;
  std::string network;  ///< libvirt network; empty: a tap on no bridge (template guests)
};

/// What a guest definition needs besides its files: shared by range hosts and templates.
struct GuestXml {
  std::string name;
  int memory_mib = 0;
  int vcpus = 1;
  std::string cmdline;
  std::vector<GuestNic> nics{};
};

/// Direct-kernel-boot guest with virtio NICs, a qcow2 disk, the agent channel and a serial
/// console; hosts and templates get the same devices, so a template's state fits every copy.
std::string guest_xml(const GuestXml& guest, const DomainXmlInputs& in);

/// Direct-kernel-boot guest with virtio NICs, a qcow2 overlay, the agent channel and a serial
/// console.
std::string domain_xml(const RangeSpec& spec, const HostSpec& host, const DomainXmlInputs& in);

/// Directory storage pool holding the team's overlays.
std::string pool_xml(const std::string& name, const std::string& path);

/// qcow2 overlay (linked clone) of a qcow2 base image.
std::string overlay_volume_xml(const std::string& name, const std::string& backing_file,
                               std::uint64_t capacity_bytes);

/// Escapes text for XML content and attribute values.
std::string xml_escape(const std::string& text);

}  // namespace cyrange::range
