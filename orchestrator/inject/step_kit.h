#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/inject/guest_runner.h>
#include <orchestrator/range/range_spec.h>
#include <orchestrator/timeline/model.h>

namespace cyrange::inject {

/// Where inject steps keep their execution markers inside a guest.
inline constexpr const char* kMarkerDir = "/var/lib/cyrange/steps";

/// What a step needs to know about one guest of the team.
struct HostInfo {
  std::string name;
  std::string role;
  std::string profile;                 ///< "tiny" or "standard"
  std::vector<std::string> addresses;  ///< plain IPv4, no prefix
};

/// The team's guests by name, so steps can find addresses and roles.
class HostDirectory {
 public:
  /// Builds the directory of a team range's spec.
  static HostDirectory from_spec(const range::RangeSpec& spec);
  /// Adds or replaces a host.
  void add(HostInfo host);
  /// The host called `name`, or nullptr.
  const HostInfo* find(const std::string& name) const;
  /// The first host whose role starts with `prefix` (e.g. "attacker"), or nullptr.
  const HostInfo* with_role(const std::string& prefix) const;

 private:
  std::vector<HostInfo> hosts_;
};

/// One team's guests as the steps reach them.
struct TeamTarget {
  std::shared_ptr<GuestRunner> runner;
  HostDirectory hosts;
};

/// Finds the guests of (exercise, team); unavailable when the range is not up.
using TargetResolver =
    std::function<Expected<TeamTarget>(const std::string& exercise, const std::string& team)>;

/// POSIX single-quoting for text placed in a shell script.
std::string shell_quote(const std::string& text);

/// One run of one step: parameters, guests and helpers shared by every step type.
class StepRun {
 public:
  /// Binds an item and its execution to a team's guests.
  StepRun(const timeline::TimelineItem& item, std::int64_t execution_id, GuestRunner& runner,
          const HostDirectory& hosts, std::chrono::system_clock::time_point now);

  /// A required parameter; the error names the step and the parameter.
  Expected<std::string> param(const std::string& name) const;
  /// An optional parameter.
  std::string param_or(const std::string& name, const std::string& fallback) const;
  /// An optional integer parameter within [min, max].
  Expected<long long> int_param(const std::string& name, long long fallback, long long min,
                                long long max) const;
  /// A parameter error naming the step, the parameter and what to write instead.
  Error bad_param(const std::string& name, const std::string& problem,
                  const std::string& fix) const;
  /// A host of the team, checked to exist; `what` says why it is needed.
  Expected<const HostInfo*> host(const std::string& name, const std::string& what) const;
  /// The first address of `host` (its name when unknown, for fakes).
  std::string address(const std::string& host) const;

  /// Runs `script` with /bin/sh in `host`; positional args become $1.. ; nonzero exit is an error.
  Expected<GuestResult> sh(const std::string& host, const std::string& script,
                           const std::vector<std::string>& args = {});
  /// Runs `script` once per execution and `key` on `host`: the guest checks and sets
  /// the marker itself, so a re-run after a crash skips what was already done.
  Status once(const std::string& host, const std::string& key, const std::string& script,
              const std::vector<std::string>& args = {});
  /// Writes a file into `host`.
  Status put(const std::string& host, const std::string& path, const std::string& content);
  /// Adds a line to the step's report (which path was used, what was planted).
  void note(const std::string& line) { notes_.push_back(line); }

  const timeline::TimelineItem& item() const { return item_; }
  std::int64_t execution_id() const { return execution_id_; }
  /// Wall-clock time of the run, used for Date headers and log lines.
  std::chrono::system_clock::time_point now() const { return now_; }
  GuestRunner& runner() { return runner_; }
  const HostDirectory& hosts() const { return hosts_; }
  const std::vector<std::string>& notes() const { return notes_; }
  /// Every parameter the step asked for, with the fallback it would use ("" for none), so
  /// tests can hold step_catalog()'s documentation to what the step really reads.
  const std::map<std::string, std::string>& asked_params() const { return asked_; }
  /// "<execution id>" or "<execution id>.<key>": unique names for files of this run.
  std::string tag(const std::string& key = "") const;

 private:
  const timeline::TimelineItem& item_;
  std::int64_t execution_id_;
  GuestRunner& runner_;
  const HostDirectory& hosts_;
  std::chrono::system_clock::time_point now_;
  std::vector<std::string> notes_;
  mutable std::map<std::string, std::string> asked_;
};

/// One kind of attack or inject step: its name in scenarios, default ATT&CK ID,
/// required parameters and the mechanism that carries it out.
struct StepType {
  std::string type;
  std::string technique;  ///< used when the scenario step gives none
  std::vector<std::string> required;
  std::function<Status(StepRun&)> run;
};

/// The step type `type` of step_catalog() (its technique and required parameters) carried
/// out by `run`; throws std::out_of_range for a type the catalogue lacks (a programming error).
StepType step_type(const std::string& type, std::function<Status(StepRun&)> run);

/// Mail steps: send_mail, scatter_mail, mail_exchange.
std::vector<StepType> mail_step_types();
/// Web and C2 steps: watering_hole, open_attachment, beacon.
std::vector<StepType> web_step_types();
/// Host steps: run_commands, smb_copy, stage_files, upload, dns_query, encrypt_decoys,
/// trainee_notice.
std::vector<StepType> host_step_types();

/// Formats `t` as "Mon DD HH:MM:SS" (syslog) or RFC 5322 date (UTC).
std::string syslog_time(std::chrono::system_clock::time_point t);
/// RFC 5322 date in UTC, e.g. "Tue, 01 Apr 2025 09:30:00 +0000".
std::string rfc5322_date(std::chrono::system_clock::time_point t);

}  // namespace cyrange::inject
