#include <orchestrator/range/range_xml.h>

#include <algorithm>
#include <sstream>

#include <orchestrator/range/firewall_rules.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/naming.h>

namespace cyrange::range {

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '\'':
        out += "&apos;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string network_xml(const RangeSpec& spec, const NetworkSpec& net) {
  std::ostringstream x;
  x << "<network>\n"
    << "  <name>" << xml_escape(network_object_name(spec, net)) << "</name>\n"
    << "  <bridge name='" << bridge_name(spec.exercise, spec.team, net.name)
    << "' stp='off' delay='0'/>\n"
    << "</network>\n";
  return x.str();
}

namespace {

bool serves_dns(const HostSpec& host) {
  return host.role == "dns" ||
         std::find(host.services.begin(), host.services.end(), "dns") != host.services.end();
}

// A host's address on its first segment, without the prefix length.
std::string first_address(const HostSpec& host) {
  if (host.nics.empty()) return {};
  const std::string& a = host.nics.front().address;
  return a.substr(0, a.find('/'));
}

// The range's names for the DNS host, at each host's first address: the names its
// `dns_names` setting lists (comma or space separated; the first one is also what a
// reverse lookup answers), else its host name. An Internet host thus resolves as
// its domains, never as "attacker".
void append_dns_names(std::ostringstream& c, const RangeSpec& spec) {
  for (const auto& h : spec.hosts) {
    const std::string address = first_address(h);
    if (address.empty()) continue;
    std::string names = h.name;
    if (auto listed = h.config.find("dns_names"); listed != h.config.end()) names = listed->second;
    std::replace(names.begin(), names.end(), ',', ' ');
    std::istringstream words(names);
    for (std::string name; words >> name;) c << " cyrange.dnsname=" << address << ',' << name;
  }
}

}  // namespace

std::string kernel_cmdline(const RangeSpec& spec, const HostSpec& host) {
  std::ostringstream c;
  c << "console=ttyS0 quiet panic=-1";
  if (auto boot = image_boot_args(host.image_profile); !boot.empty()) c << ' ' << boot;
  c << " cyrange.hostname=" << host.name;
  if (!host.role.empty()) c << " cyrange.role=" << host.role;
  std::string gateway;
  for (std::size_t i = 0; i < host.nics.size(); ++i) {
    c << " cyrange.nic=" << mac_address(spec, host, i) << ',' << host.nics[i].address;
    if (gateway.empty()) gateway = host.nics[i].gateway;
  }
  if (!gateway.empty()) c << " cyrange.gw=" << gateway;
  if (auto f = host.config.find("router.forwarding"); f != host.config.end() && f->second == "0")
    c << " cyrange.forward=0";
  // Invalid rules never get here: validate_spec() rejects them before up().
  if (auto rules = router_rules(spec, host); rules && !rules->empty())
    c << " cyrange.fw=" << firewall_kernel_arg(*rules);
  if (!host.services.empty()) {
    c << " cyrange.services=";
    for (std::size_t i = 0; i < host.services.size(); ++i) c << (i ? "," : "") << host.services[i];
  }
  // The first host that serves DNS is every host's resolver, and answers the range's names.
  auto dns = std::find_if(spec.hosts.begin(), spec.hosts.end(), serves_dns);
  if (dns != spec.hosts.end() && !first_address(*dns).empty()) {
    c << " cyrange.dns=" << first_address(*dns);
    if (dns->name == host.name) append_dns_names(c, spec);
  }
  return c.str();
}

int guest_memory_mib(const HostSpec& host) {
  return std::max(host.memory_mib, image_profile(host.image_profile).min_memory_mib);
}

std::string guest_xml(const GuestXml& guest, const DomainXmlInputs& in) {
  std::ostringstream x;
  x << "<domain type='" << in.domain_type << "'>\n"
    << "  <name>" << xml_escape(guest.name) << "</name>\n"
    << "  <memory unit='MiB'>" << guest.memory_mib << "</memory>\n"
    << "  <vcpu>" << guest.vcpus << "</vcpu>\n"
    << "  <os>\n"
    << "    <type arch='x86_64' machine='pc'>hvm</type>\n"
    << "    <kernel>" << xml_escape(in.kernel) << "</kernel>\n"
    << "    <initrd>" << xml_escape(in.initrd) << "</initrd>\n"
    << "    <cmdline>" << xml_escape(guest.cmdline) << "</cmdline>\n"
    << "  </os>\n"
    << "  <features><acpi/></features>\n"
    << "  <on_poweroff>destroy</on_poweroff>\n"
    << "  <on_reboot>destroy</on_reboot>\n"
    << "  <on_crash>destroy</on_crash>\n"
    << "  <devices>\n"
    << "    <disk type='file' device='disk'>\n"
    << "      <driver name='qemu' type='qcow2'/>\n"
    << "      <source file='" << xml_escape(in.disk) << "'/>\n"
    << "      <target dev='vda' bus='virtio'/>\n"
    << "    </disk>\n";
  for (const auto& nic : guest.nics) {
    // A tap on no bridge at all (templates) is as isolated as a NIC can be.
    if (nic.network.empty())
      x << "    <interface type='ethernet'>\n";
    else
      x << "    <interface type='network'>\n"
        << "      <source network='" << xml_escape(nic.network) << "'/>\n";
    x << "      <mac address='" << nic.mac << "'/>\n"
      << "      <model type='virtio'/>\n"
      << "    </interface>\n";
  }
  x << "    <serial type='pty'><target port='0'/></serial>\n"
    << "    <console type='pty'><target type='serial' port='0'/></console>\n"
    << "    <channel type='unix'>\n"
    << "      <target type='virtio' name='org.qemu.guest_agent.0'/>\n"
    << "    </channel>\n"
    << "    <memballoon model='none'/>\n"
    << "  </devices>\n"
    << "</domain>\n";
  return x.str();
}

std::string domain_xml(const RangeSpec& spec, const HostSpec& host, const DomainXmlInputs& in) {
  GuestXml guest{domain_object_name(spec, host),
                 guest_memory_mib(host),
                 host.vcpus,
                 kernel_cmdline(spec, host),
                 {}};
  for (std::size_t i = 0; i < host.nics.size(); ++i)
    guest.nics.push_back({mac_address(spec, host, i),
                          network_object_name(spec, NetworkSpec{host.nics[i].network, {}})});
  return guest_xml(guest, in);
}

std::string pool_xml(const std::string& name, const std::string& path) {
  std::ostringstream x;
  x << "<pool type='dir'>\n"
    << "  <name>" << xml_escape(name) << "</name>\n"
    << "  <target><path>" << xml_escape(path) << "</path></target>\n"
    << "</pool>\n";
  return x.str();
}

std::string overlay_volume_xml(const std::string& name, const std::string& backing_file,
                               std::uint64_t capacity_bytes) {
  std::ostringstream x;
  x << "<volume>\n"
    << "  <name>" << xml_escape(name) << "</name>\n"
    << "  <capacity unit='bytes'>" << capacity_bytes << "</capacity>\n"
    << "  <target><format type='qcow2'/></target>\n"
    << "  <backingStore>\n"
    << "    <path>" << xml_escape(backing_file) << "</path>\n"
    << "    <format type='qcow2'/>\n"
    << "  </backingStore>\n"
    << "</volume>\n";
  return x.str();
}

}  // namespace cyrange::range
