#include <orchestrator/range/libvirt_hypervisor.h>

#include <libvirt/libvirt-qemu.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#include <cstdlib>
#include <filesystem>
#include <mutex>

#include <orchestrator/common/log.h>
#include <orchestrator/range/libvirt_console.h>
#include <orchestrator/range/range_xml.h>

namespace cyrange::range {
namespace {

// libvirt prints every error to stderr by default; we report them as Status instead.
void silent_error_handler(void*, virErrorPtr) {}

int last_error_code() {
  virErrorPtr e = virGetLastError();
  return e ? e->code : VIR_ERR_OK;
}

Error libvirt_error(const std::string& what) {
  return make_error(ErrorCode::unavailable, what + ": " + libvirt_last_error() + ".");
}

// A string libvirt allocated for the caller, copied and freed; on nullptr the error of `what`.
Expected<std::string> owned_string(char* text, const std::string& what) {
  if (!text) return libvirt_error(what);
  std::string copy(text);
  free(text);
  return copy;
}

template <class T, int (*Free)(T)>
struct Handle {
  T ptr = nullptr;
  explicit Handle(T p) : ptr(p) {}
  ~Handle() {
    if (ptr) Free(ptr);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  explicit operator bool() const { return ptr != nullptr; }
};
using Dom = Handle<virDomainPtr, virDomainFree>;
using Net = Handle<virNetworkPtr, virNetworkFree>;
using Pool = Handle<virStoragePoolPtr, virStoragePoolFree>;
using Vol = Handle<virStorageVolPtr, virStorageVolFree>;
using Snap = Handle<virDomainSnapshotPtr, virDomainSnapshotFree>;

// A host other than this machine cannot be probed here; its libvirt says whether it offers kvm.
// Its own CYRANGE_DOMAIN_TYPE is not visible, so the local one applies to every host.
DomainTypeChoice remote_domain_type(virConnectPtr conn) {
  KvmProbe local = probe_kvm();
  if (!local.override_type.empty()) return decide_domain_type(local);
  char* caps = virConnectGetCapabilities(conn);
  std::string text = caps ? caps : "";
  free(caps);
  if (text.find("<domain type='kvm'") != std::string::npos)
    return {"kvm", "the host's libvirt capabilities offer kvm"};
  return {"qemu", "the host's libvirt capabilities offer no kvm, so guests run under TCG"};
}

}  // namespace

struct LibvirtHypervisor::Impl {
  std::string uri;
  virConnectPtr conn = nullptr;
  std::once_flag type_once;
  DomainTypeChoice type;
};

LibvirtHypervisor::LibvirtHypervisor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LibvirtHypervisor::~LibvirtHypervisor() {
  if (impl_ && impl_->conn) virConnectClose(impl_->conn);
}

Expected<std::unique_ptr<LibvirtHypervisor>> LibvirtHypervisor::connect(const std::string& uri) {
  static std::once_flag init;
  std::call_once(init, [] {
    virInitialize();
    virSetErrorFunc(nullptr, silent_error_handler);
    // Before any connection: console streams are driven by this loop.
    start_libvirt_event_loop();
  });
  auto impl = std::make_unique<Impl>();
  impl->uri = uri;
  impl->conn = virConnectOpen(uri.c_str());
  if (!impl->conn)
    return make_error(ErrorCode::unavailable,
                      "Cannot connect to libvirt at '" + uri + "': " + libvirt_last_error() +
                          ". Start the daemons (virtlogd -d && libvirtd -d) and retry.");
  return std::unique_ptr<LibvirtHypervisor>(new LibvirtHypervisor(std::move(impl)));
}

DomainTypeChoice LibvirtHypervisor::domain_type() {
  std::call_once(impl_->type_once, [this] {
    impl_->type = impl_->uri.rfind("qemu:///", 0) == 0 ? decide_domain_type(probe_kvm())
                                                       : remote_domain_type(impl_->conn);
    cyrange::log::get("range")->info("domain type {}: {}", impl_->type.type, impl_->type.reason);
  });
  return impl_->type;
}

Expected<NodeResources> LibvirtHypervisor::node_resources() {
  virNodeInfo info{};
  if (virNodeGetInfo(impl_->conn, &info) < 0)
    return libvirt_error("Cannot read the CPUs and memory of host '" + impl_->uri + "'");
  return NodeResources{static_cast<int>(info.cpus), static_cast<std::int64_t>(info.memory / 1024)};
}

Status LibvirtHypervisor::create_network(const std::string& name, const std::string& xml) {
  Net net(virNetworkDefineXML(impl_->conn, xml.c_str()));
  if (!net) return libvirt_error("Cannot define network '" + name + "'");
  if (virNetworkCreate(net.ptr) < 0) {
    Error err = libvirt_error("Cannot start network '" + name + "'");
    virNetworkUndefine(net.ptr);
    return err;
  }
  return Status::success();
}

Status LibvirtHypervisor::remove_network(const std::string& name) {
  Net net(virNetworkLookupByName(impl_->conn, name.c_str()));
  if (!net) {
    if (last_error_code() == VIR_ERR_NO_NETWORK) return Status::success();
    return libvirt_error("Cannot look up network '" + name + "'");
  }
  if (virNetworkIsActive(net.ptr) == 1 && virNetworkDestroy(net.ptr) < 0)
    return libvirt_error("Cannot stop network '" + name + "'");
  if (virNetworkIsPersistent(net.ptr) == 1 && virNetworkUndefine(net.ptr) < 0)
    return libvirt_error("Cannot undefine network '" + name + "'");
  return Status::success();
}

Status LibvirtHypervisor::create_pool(const std::string& name, const std::string& xml) {
  Pool pool(virStoragePoolDefineXML(impl_->conn, xml.c_str(), 0));
  if (!pool) return libvirt_error("Cannot define storage pool '" + name + "'");
  if (virStoragePoolBuild(pool.ptr, 0) < 0 || virStoragePoolCreate(pool.ptr, 0) < 0) {
    Error err = libvirt_error("Cannot build or start storage pool '" + name + "'");
    virStoragePoolUndefine(pool.ptr);
    return err;
  }
  return Status::success();
}

Status LibvirtHypervisor::remove_pool(const std::string& name) {
  Pool pool(virStoragePoolLookupByName(impl_->conn, name.c_str()));
  if (!pool) {
    if (last_error_code() == VIR_ERR_NO_STORAGE_POOL) return Status::success();
    return libvirt_error("Cannot look up storage pool '" + name + "'");
  }
  if (virStoragePoolIsActive(pool.ptr) != 1 && virStoragePoolCreate(pool.ptr, 0) < 0)
    cyrange::log::get("range")->warn("storage pool {} could not be started for cleanup", name);
  if (virStoragePoolIsActive(pool.ptr) == 1) {
    virStoragePoolRefresh(pool.ptr, 0);
    virStorageVolPtr* vols = nullptr;
    int n = virStoragePoolListAllVolumes(pool.ptr, &vols, 0);
    if (n < 0) return libvirt_error("Cannot list the volumes of storage pool '" + name + "'");
    bool failed = false;
    for (int i = 0; i < n; ++i) {
      if (virStorageVolDelete(vols[i], 0) < 0) failed = true;
      virStorageVolFree(vols[i]);
    }
    free(vols);
    if (failed) return libvirt_error("Cannot delete a volume of storage pool '" + name + "'");
    if (virStoragePoolDestroy(pool.ptr) < 0)
      return libvirt_error("Cannot stop storage pool '" + name + "'");
  }
  // Deleting an inactive dir pool removes its (now empty) directory.
  if (virStoragePoolDelete(pool.ptr, 0) < 0)
    return libvirt_error("Cannot remove the directory of storage pool '" + name + "'");
  if (virStoragePoolUndefine(pool.ptr) < 0)
    return libvirt_error("Cannot undefine storage pool '" + name + "'");
  return Status::success();
}

Expected<std::string> LibvirtHypervisor::create_volume(const std::string& pool_name,
                                                       const std::string& xml) {
  Pool pool(virStoragePoolLookupByName(impl_->conn, pool_name.c_str()));
  if (!pool) return libvirt_error("Cannot find storage pool '" + pool_name + "'");
  Vol vol(virStorageVolCreateXML(pool.ptr, xml.c_str(), 0));
  if (!vol) return libvirt_error("Cannot create a volume in storage pool '" + pool_name + "'");
  return owned_string(virStorageVolGetPath(vol.ptr),
                      "Cannot get the path of a volume in pool '" + pool_name + "'");
}

bool LibvirtHypervisor::can_restore_templates() {
  // Templates are files this process writes; only a local daemon reads the same disk.
  return impl_->uri == "qemu:///system" || impl_->uri == "qemu:///session";
}

Expected<std::string> LibvirtHypervisor::copy_volume(const std::string& pool_name,
                                                     const std::string& name,
                                                     const std::string& source_file) {
  if (!can_restore_templates())
    return make_error(ErrorCode::failed_precondition,
                      "Cannot copy '" + source_file + "' to '" + impl_->uri +
                          "': only a local qemu:/// connection shares this machine's files.");
  Pool pool(virStoragePoolLookupByName(impl_->conn, pool_name.c_str()));
  if (!pool) return libvirt_error("Cannot find storage pool '" + pool_name + "'");
  auto described = owned_string(virStoragePoolGetXMLDesc(pool.ptr, 0),
                                "Cannot describe storage pool '" + pool_name + "'");
  if (!described) return described.error();
  const std::string& desc = *described;
  auto a = desc.find("<path>");
  auto b = desc.find("</path>");
  if (a == std::string::npos || b == std::string::npos)
    return make_error(ErrorCode::internal, "Storage pool '" + pool_name +
                                               "' has no folder to copy '" + name + "' into.");
  auto target = std::filesystem::path(desc.substr(a + 6, b - a - 6)) / name;
  // libvirt's own volume cloning converts the image, which drops internal snapshots.
  std::error_code ec;
  std::filesystem::copy_file(source_file, target, std::filesystem::copy_options::none, ec);
  if (ec)
    return make_error(ErrorCode::unavailable, "Cannot copy '" + source_file + "' to '" +
                                                  target.string() + "': " + ec.message() + ".");
  return target.string();
}

Status LibvirtHypervisor::restore_domain(const std::string& name, const std::string& xml,
                                         const std::string& snapshot) {
  Dom dom(virDomainDefineXML(impl_->conn, xml.c_str()));
  if (!dom) return libvirt_error("Cannot define domain '" + name + "'");
  auto undo = [&](Error err) -> Status {
    if (virDomainIsActive(dom.ptr) == 1) virDomainDestroy(dom.ptr);
    virDomainUndefineFlags(dom.ptr, VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
    return err;
  };
  if (virDomainCreateWithFlags(dom.ptr, VIR_DOMAIN_START_PAUSED) < 0)
    return undo(libvirt_error("Cannot start domain '" + name + "' paused"));
  // The snapshot is in the disk file but not in libvirt's metadata, so only QEMU can load it.
  // HMP reports failure only as text: anything but an empty reply is an error.
  char* reply = nullptr;
  const std::string cmd = "loadvm " + snapshot;
  int rc = virDomainQemuMonitorCommand(dom.ptr, cmd.c_str(), &reply,
                                       VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP);
  std::string text = reply ? reply : "";
  free(reply);
  if (rc < 0) return undo(libvirt_error("Cannot load the template state into '" + name + "'"));
  if (text.find_first_not_of(" \r\n") != std::string::npos)
    return undo(make_error(
        ErrorCode::unavailable,
        "QEMU could not load template state '" + snapshot + "' into '" + name + "': " + text));
  if (virDomainResume(dom.ptr) < 0)
    return undo(libvirt_error("Cannot resume domain '" + name + "' after loading its template"));
  return Status::success();
}

Status LibvirtHypervisor::create_domain(const std::string& name, const std::string& xml) {
  Dom dom(virDomainDefineXML(impl_->conn, xml.c_str()));
  if (!dom) return libvirt_error("Cannot define domain '" + name + "'");
  if (virDomainCreate(dom.ptr) < 0) {
    Error err = libvirt_error("Cannot start domain '" + name + "'");
    virDomainUndefine(dom.ptr);
    return err;
  }
  return Status::success();
}

Status LibvirtHypervisor::remove_domain(const std::string& name) {
  Dom dom(virDomainLookupByName(impl_->conn, name.c_str()));
  if (!dom) {
    if (last_error_code() == VIR_ERR_NO_DOMAIN) return Status::success();
    return libvirt_error("Cannot look up domain '" + name + "'");
  }
  if (virDomainIsActive(dom.ptr) == 1 && virDomainDestroy(dom.ptr) < 0)
    return libvirt_error("Cannot stop domain '" + name + "'");
  if (virDomainIsPersistent(dom.ptr) == 1 &&
      virDomainUndefineFlags(
          dom.ptr, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA) < 0)
    return libvirt_error("Cannot undefine domain '" + name + "'");
  return Status::success();
}

Status LibvirtHypervisor::suspend_domain(const std::string& name) {
  Dom dom(virDomainLookupByName(impl_->conn, name.c_str()));
  if (!dom) return libvirt_error("Cannot find domain '" + name + "'");
  if (virDomainIsActive(dom.ptr) != 1) return Status::success();
  if (virDomainManagedSave(dom.ptr, 0) < 0)
    return libvirt_error("Cannot save domain '" + name + "' to disk");
  return Status::success();
}

Status LibvirtHypervisor::resume_domain(const std::string& name) {
  Dom dom(virDomainLookupByName(impl_->conn, name.c_str()));
  if (!dom) return libvirt_error("Cannot find domain '" + name + "'");
  if (virDomainIsActive(dom.ptr) == 1) return Status::success();
  // A persistent domain with a managed-save image starts from it, not from a boot.
  if (virDomainCreate(dom.ptr) < 0) return libvirt_error("Cannot start domain '" + name + "'");
  return Status::success();
}

Expected<DomainRunState> LibvirtHypervisor::run_state(const std::string& name) {
  Dom dom(virDomainLookupByName(impl_->conn, name.c_str()));
  if (!dom) return libvirt_error("Cannot find domain '" + name + "'");
  const int active = virDomainIsActive(dom.ptr);
  const int saved = virDomainHasManagedSaveImage(dom.ptr, 0);
  if (active < 0 || saved < 0)
    return libvirt_error("Cannot read the state of domain '" + name + "'");
  return DomainRunState{active == 1, saved == 1};
}

Status LibvirtHypervisor::create_snapshot(const std::string& domain, const std::string& name) {
  Dom dom(virDomainLookupByName(impl_->conn, domain.c_str()));
  if (!dom) return libvirt_error("Cannot find domain '" + domain + "'");
  // Internal snapshots keep memory and disk inside the qcow2 overlay; libvirt 9.0
  // can revert these (not external ones), and they vanish with the volume.
  const std::string xml = "<domainsnapshot><name>" + xml_escape(name) +
                          "</name><memory snapshot='internal'/></domainsnapshot>";
  Snap snap(virDomainSnapshotCreateXML(dom.ptr, xml.c_str(), VIR_DOMAIN_SNAPSHOT_CREATE_ATOMIC));
  if (!snap)
    return libvirt_error("Cannot capture snapshot '" + name + "' of domain '" + domain + "'");
  return Status::success();
}

Status LibvirtHypervisor::revert_snapshot(const std::string& domain, const std::string& name) {
  Dom dom(virDomainLookupByName(impl_->conn, domain.c_str()));
  if (!dom) return libvirt_error("Cannot find domain '" + domain + "'");
  Snap snap(virDomainSnapshotLookupByName(dom.ptr, name.c_str(), 0));
  if (!snap) return libvirt_error("Cannot find snapshot '" + name + "' of domain '" + domain + "'");
  // libvirt 9.0 reverts a running domain by restarting QEMU (~2.5 s under TCG on
  // 2 cores, more when a team's hosts restart together). Loading the snapshot into
  // the running QEMU takes ~0.2 s and keeps devices, sockets and tap links; libvirt
  // marks the domain "custom-monitor" tainted, which is harmless for a range guest.
  // HMP reports failure only as text, so anything but an empty reply means: fall back.
  if (virDomainIsActive(dom.ptr) == 1) {
    char* reply = nullptr;
    const std::string cmd = "loadvm " + name;
    int rc = virDomainQemuMonitorCommand(dom.ptr, cmd.c_str(), &reply,
                                         VIR_DOMAIN_QEMU_MONITOR_COMMAND_HMP);
    std::string text = reply ? reply : "";
    free(reply);
    if (rc == 0 && text.find_first_not_of(" \r\n") == std::string::npos) return Status::success();
    cyrange::log::get("range")->warn(
        "domain {}: in-place loadvm failed ({}), reverting through libvirt", domain,
        rc == 0 ? text : libvirt_last_error());
  }
  if (virDomainRevertToSnapshot(snap.ptr, VIR_DOMAIN_SNAPSHOT_REVERT_RUNNING) < 0)
    return libvirt_error("Cannot revert domain '" + domain + "' to snapshot '" + name + "'");
  return Status::success();
}

Expected<std::vector<std::string>> LibvirtHypervisor::list_snapshots(const std::string& domain) {
  std::vector<std::string> out;
  Dom dom(virDomainLookupByName(impl_->conn, domain.c_str()));
  if (!dom) {
    if (last_error_code() == VIR_ERR_NO_DOMAIN) return out;
    return libvirt_error("Cannot look up domain '" + domain + "'");
  }
  virDomainSnapshotPtr* snaps = nullptr;
  int n = virDomainListAllSnapshots(dom.ptr, &snaps, 0);
  if (n < 0) return libvirt_error("Cannot list the snapshots of domain '" + domain + "'");
  for (int i = 0; i < n; ++i) {
    if (const char* name = virDomainSnapshotGetName(snaps[i])) out.emplace_back(name);
    virDomainSnapshotFree(snaps[i]);
  }
  free(snaps);
  return out;
}

Expected<std::string> LibvirtHypervisor::network_description(const std::string& name) {
  Net net(virNetworkLookupByName(impl_->conn, name.c_str()));
  if (!net) return libvirt_error("Cannot find network '" + name + "'");
  return owned_string(virNetworkGetXMLDesc(net.ptr, 0), "Cannot describe network '" + name + "'");
}

Expected<std::string> LibvirtHypervisor::agent_command(const std::string& domain,
                                                       const std::string& json,
                                                       int timeout_seconds) {
  Dom dom(virDomainLookupByName(impl_->conn, domain.c_str()));
  if (!dom) return libvirt_error("Cannot find domain '" + domain + "'");
  char* reply = virDomainQemuAgentCommand(dom.ptr, json.c_str(), timeout_seconds, 0);
  if (!reply) return libvirt_error("The guest agent of domain '" + domain + "' did not answer");
  std::string result(reply);
  free(reply);
  return result;
}

Expected<std::unique_ptr<ConsoleStream>> LibvirtHypervisor::open_console(const std::string& domain,
                                                                         ConsoleOutput on_output,
                                                                         ConsoleClosed on_closed) {
  return open_libvirt_console(impl_->conn, domain, std::move(on_output), std::move(on_closed));
}

Expected<std::vector<HvObject>> LibvirtHypervisor::list(ObjectKind kind,
                                                        const std::string& prefix) {
  std::vector<HvObject> out;
  auto keep = [&](const char* name, int active) {
    if (name && std::string(name).rfind(prefix, 0) == 0) out.push_back({name, active == 1});
  };
  if (kind == ObjectKind::domain) {
    virDomainPtr* all = nullptr;
    int n = virConnectListAllDomains(impl_->conn, &all, 0);
    if (n < 0) return libvirt_error("Cannot list domains on '" + impl_->uri + "'");
    for (int i = 0; i < n; ++i) {
      keep(virDomainGetName(all[i]), virDomainIsActive(all[i]));
      virDomainFree(all[i]);
    }
    free(all);
  } else if (kind == ObjectKind::network) {
    virNetworkPtr* all = nullptr;
    int n = virConnectListAllNetworks(impl_->conn, &all, 0);
    if (n < 0) return libvirt_error("Cannot list networks on '" + impl_->uri + "'");
    for (int i = 0; i < n; ++i) {
      keep(virNetworkGetName(all[i]), virNetworkIsActive(all[i]));
      virNetworkFree(all[i]);
    }
    free(all);
  } else {
    virStoragePoolPtr* all = nullptr;
    int n = virConnectListAllStoragePools(impl_->conn, &all, 0);
    if (n < 0) return libvirt_error("Cannot list storage pools on '" + impl_->uri + "'");
    for (int i = 0; i < n; ++i) {
      keep(virStoragePoolGetName(all[i]), virStoragePoolIsActive(all[i]));
      virStoragePoolFree(all[i]);
    }
    free(all);
  }
  return out;
}

}  // namespace cyrange::range
