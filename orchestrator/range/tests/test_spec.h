#pragma once

#include <string>
#include <utility>
#include <vector>

#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/range_spec.h>

namespace cyrange::range::testing {

/// A tiny image that exists only by name, for fake hypervisors.
inline ImageInfo fake_image() {
  return {"tiny", "hash", "/img", "/img/vmlinuz", "/img/initramfs.cpio", "/img/data-base.qcow2",
          true};
}

/// A tiny-profile host with the given NICs.
inline HostSpec make_host(const std::string& name, const std::string& role,
                          std::vector<std::string> services, std::vector<NicSpec> nics) {
  HostSpec h;
  h.name = name;
  h.image_profile = "tiny";
  h.role = role;
  h.services = std::move(services);
  h.nics = std::move(nics);
  return h;
}

/// Two segments, three hosts: web and mail on "dmz", ws on "lan" only, mail on both.
inline RangeSpec three_host_spec(const std::string& exercise = "ex1",
                                 const std::string& team = "t1") {
  RangeSpec s;
  s.exercise = exercise;
  s.team = team;
  s.networks = {{"dmz", "10.0.1.0/24"}, {"lan", "10.0.2.0/24"}};
  s.hosts = {make_host("web", "web", {"http"}, {{"dmz", "10.0.1.10/24", ""}}),
             make_host("mail", "mail", {"smtp"},
                       {{"dmz", "10.0.1.25/24", ""}, {"lan", "10.0.2.25/24", ""}}),
             make_host("ws", "workstation", {}, {{"lan", "10.0.2.50/24", "10.0.2.25"}})};
  return s;
}

}  // namespace cyrange::range::testing
