#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/domain_type.h>

namespace cyrange::range {

/// Kinds of hypervisor objects a team range owns.
enum class ObjectKind { domain, network, pool };

/// One hypervisor object found by name.
struct HvObject {
  std::string name;
  bool active = false;
};

/// Receives bytes a guest wrote to its serial console; called from the hypervisor's event thread.
using ConsoleOutput = std::function<void(std::string_view bytes)>;
/// Called once when a console stream ends by itself (guest gone, stream error), with why.
using ConsoleClosed = std::function<void(const std::string& why)>;

/// An open, interactive serial console of one domain.
class ConsoleStream {
 public:
  virtual ~ConsoleStream() = default;
  /// Queues bytes for the guest's console; never blocks.
  virtual Status write(std::string_view bytes) = 0;
  /// Ends the stream; no callback runs once it has returned. Safe to call twice.
  virtual void close() = 0;
  /// Stops (true) or resumes (false) reading the guest's output, so a reader that fell
  /// behind holds the guest back instead of filling memory. May be called from inside
  /// on_output; output already read may still arrive once after pausing.
  virtual void set_output_paused(bool paused) { (void)paused; }
};

/// Whether a domain's QEMU runs and whether a managed-save image waits for it.
struct DomainRunState {
  bool running = false;
  bool saved = false;
};

/// What the range engine needs from a hypervisor; libvirt in production, a fake in unit tests.
/// Implementations must be safe to call from several threads at once.
class Hypervisor {
 public:
  virtual ~Hypervisor() = default;

  /// Domain type guests are defined with ("kvm"/"qemu") and why.
  virtual DomainTypeChoice domain_type() = 0;

  /// Defines a persistent network from XML and starts it.
  virtual Status create_network(const std::string& name, const std::string& xml) = 0;
  /// Stops and undefines a network; succeeds if it does not exist.
  virtual Status remove_network(const std::string& name) = 0;

  /// Defines, builds (creates the directory) and starts a storage pool.
  virtual Status create_pool(const std::string& name, const std::string& xml) = 0;
  /// Deletes the pool's volumes, its directory, and undefines it; succeeds if absent.
  virtual Status remove_pool(const std::string& name) = 0;

  /// Creates a volume in a pool and returns its path.
  virtual Expected<std::string> create_volume(const std::string& pool, const std::string& xml) = 0;

  /// Defines a persistent domain from XML and starts it.
  virtual Status create_domain(const std::string& name, const std::string& xml) = 0;
  /// Destroys (if running) and undefines a domain; succeeds if it does not exist.
  virtual Status remove_domain(const std::string& name) = 0;

  /// Captures a running domain's memory and disks as an internal (qcow2) snapshot.
  virtual Status create_snapshot(const std::string& domain, const std::string& name) = 0;
  /// Returns a domain to one of its internal snapshots and leaves it running.
  virtual Status revert_snapshot(const std::string& domain, const std::string& name) = 0;
  /// Names of a domain's snapshots; empty if the domain has none or does not exist.
  virtual Expected<std::vector<std::string>> list_snapshots(const std::string& domain) = 0;
  /// The live XML of a running network, as the hypervisor reports it.
  virtual Expected<std::string> network_description(const std::string& name) = 0;

  /// Sends one QMP-style JSON command to the domain's guest agent and returns the reply.
  virtual Expected<std::string> agent_command(const std::string& domain, const std::string& json,
                                              int timeout_seconds) = 0;

  /// Objects of one kind whose names start with prefix, active or not.
  virtual Expected<std::vector<HvObject>> list(ObjectKind kind, const std::string& prefix) = 0;

  /// True when guests can start from a captured template instead of booting: the template files
  /// this process writes are the hypervisor's own files (a local qemu:/// connection).
  virtual bool can_restore_templates() { return false; }
  /// Copies a qcow2 file of this machine, internal snapshots included, into a pool's folder as
  /// volume `name` and returns its path. The pool learns of it at its next refresh.
  virtual Expected<std::string> copy_volume(const std::string& pool, const std::string& name,
                                            const std::string& source_file) {
    (void)source_file;
    return make_error(
        ErrorCode::failed_precondition,
        "This hypervisor cannot copy a file into pool '" + pool + "' as '" + name + "'.");
  }
  /// Defines a persistent domain whose disk already holds the internal snapshot `snapshot` (a
  /// copied template), starts it paused, loads that snapshot and resumes it. On failure nothing
  /// of the domain is left.
  virtual Status restore_domain(const std::string& name, const std::string& xml,
                                const std::string& snapshot) {
    (void)xml;
    (void)snapshot;
    return make_error(ErrorCode::failed_precondition,
                      "This hypervisor cannot restore domain '" + name + "' from a template.");
  }

  /// Saves a running domain's memory to disk and stops its QEMU (libvirt managed save);
  /// resume_domain() later restores exactly that state. A stopped domain is left alone.
  virtual Status suspend_domain(const std::string& name) {
    return make_error(ErrorCode::failed_precondition,
                      "This hypervisor cannot save domain '" + name + "' to disk.");
  }
  /// Starts a stopped domain from its saved state (a boot when it has none); a running
  /// domain is left alone.
  virtual Status resume_domain(const std::string& name) {
    return make_error(ErrorCode::failed_precondition,
                      "This hypervisor cannot restore domain '" + name + "' from disk.");
  }
  /// Whether the domain runs, and whether a saved state waits for it.
  virtual Expected<DomainRunState> run_state(const std::string& name) {
    return make_error(ErrorCode::failed_precondition,
                      "This hypervisor cannot tell whether domain '" + name + "' runs.");
  }

  /// Opens the domain's serial console (taking it over from any other client).
  virtual Expected<std::unique_ptr<ConsoleStream>> open_console(const std::string& domain,
                                                                ConsoleOutput on_output,
                                                                ConsoleClosed on_closed) {
    (void)on_output;
    (void)on_closed;
    return make_error(ErrorCode::failed_precondition,
                      "This hypervisor cannot open the console of domain '" + domain + "'.");
  }
};

}  // namespace cyrange::range
