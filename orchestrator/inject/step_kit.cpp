#include <orchestrator/inject/step_kit.h>

#include <ctime>
#include <stdexcept>

#include <orchestrator/inject/step_catalog.h>

namespace cyrange::inject {

StepType step_type(const std::string& type, std::function<Status(StepRun&)> run) {
  const StepTypeSpec* spec = find_step_type(type);
  if (!spec) throw std::out_of_range("step type '" + type + "' is not in step_catalog()");
  return {spec->type, spec->technique, spec->required(), std::move(run)};
}

HostDirectory HostDirectory::from_spec(const range::RangeSpec& spec) {
  HostDirectory dir;
  for (const auto& h : spec.hosts) {
    HostInfo info{h.name, h.role, h.image_profile, {}};
    for (const auto& nic : h.nics)
      info.addresses.push_back(nic.address.substr(0, nic.address.find('/')));
    dir.add(std::move(info));
  }
  return dir;
}

void HostDirectory::add(HostInfo host) {
  for (auto& h : hosts_) {
    if (h.name == host.name) {
      h = std::move(host);
      return;
    }
  }
  hosts_.push_back(std::move(host));
}

const HostInfo* HostDirectory::find(const std::string& name) const {
  for (const auto& h : hosts_) {
    if (h.name == name) return &h;
  }
  return nullptr;
}

const HostInfo* HostDirectory::with_role(const std::string& prefix) const {
  for (const auto& h : hosts_) {
    if (h.role.rfind(prefix, 0) == 0) return &h;
  }
  return nullptr;
}

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

StepRun::StepRun(const timeline::TimelineItem& item, std::int64_t execution_id, GuestRunner& runner,
                 const HostDirectory& hosts, std::chrono::system_clock::time_point now)
    : item_(item), execution_id_(execution_id), runner_(runner), hosts_(hosts), now_(now) {}

Error StepRun::bad_param(const std::string& name, const std::string& problem,
                         const std::string& fix) const {
  return make_error(ErrorCode::invalid_argument, "Step '" + item_.id + "' (" + item_.type +
                                                     "): parameter '" + name + "' " + problem +
                                                     ". " + fix);
}

Expected<std::string> StepRun::param(const std::string& name) const {
  asked_.try_emplace(name, "");
  auto it = item_.params.find(name);
  if (it == item_.params.end() || it->second.empty()) {
    return bad_param(name, "is missing",
                     "Add `" + name + ":` under the step's `params:` in the scenario.");
  }
  return it->second;
}

std::string StepRun::param_or(const std::string& name, const std::string& fallback) const {
  asked_.try_emplace(name, fallback);
  auto it = item_.params.find(name);
  return it == item_.params.end() || it->second.empty() ? fallback : it->second;
}

Expected<long long> StepRun::int_param(const std::string& name, long long fallback, long long min,
                                       long long max) const {
  asked_.try_emplace(name, std::to_string(fallback));
  auto it = item_.params.find(name);
  if (it == item_.params.end() || it->second.empty()) return fallback;
  long long value = 0;
  std::size_t used = 0;
  try {
    value = std::stoll(it->second, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != it->second.size() || value < min || value > max) {
    return bad_param(name,
                     "is '" + it->second + "', not a whole number from " + std::to_string(min) +
                         " to " + std::to_string(max),
                     "Write a number in that range.");
  }
  return value;
}

Expected<const HostInfo*> StepRun::host(const std::string& name, const std::string& what) const {
  if (const HostInfo* h = hosts_.find(name)) return h;
  return make_error(ErrorCode::invalid_argument,
                    "Step '" + item_.id + "' (" + item_.type + ") needs host '" + name + "' as " +
                        what +
                        ", but the team's range has no such host. Name a host of "
                        "the topology.");
}

std::string StepRun::address(const std::string& host) const {
  const HostInfo* h = hosts_.find(host);
  return h && !h->addresses.empty() ? h->addresses.front() : host;
}

std::string StepRun::tag(const std::string& key) const {
  return key.empty() ? std::to_string(execution_id_) : std::to_string(execution_id_) + "." + key;
}

Expected<GuestResult> StepRun::sh(const std::string& host, const std::string& script,
                                  const std::vector<std::string>& args) {
  std::vector<std::string> argv{"/bin/sh", "-c", script, "sh"};
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = runner_.exec(host, argv);
  if (!r) return r.error();
  if (r->exit_code != 0) {
    return make_error(ErrorCode::internal,
                      "Step '" + item_.id + "' (" + item_.type + ") failed on host '" + host +
                          "' (exit " + std::to_string(r->exit_code) + "): " + r->err + r->out +
                          " Fix the guest or the step's parameters and fire it again.");
  }
  return r;
}

Status StepRun::once(const std::string& host, const std::string& key, const std::string& script,
                     const std::vector<std::string>& args) {
  // The body runs as a function so that its `return` codes decide the marker.
  const std::string marker = std::string(kMarkerDir) + "/" + tag(key);
  const std::string wrapped = "m=" + shell_quote(marker) +
                              "\n[ -e \"$m\" ] && exit 0\ncyr_step() {\n" + script +
                              "\n}\ncyr_step \"$@\" && mkdir -p " + kMarkerDir + " && : > \"$m\"\n";
  auto r = sh(host, wrapped, args);
  if (!r) return r.error();
  return Status::success();
}

Status StepRun::put(const std::string& host, const std::string& path, const std::string& content) {
  return runner_.write_file(host, path, content);
}

namespace {
std::tm utc(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}
}  // namespace

std::string syslog_time(std::chrono::system_clock::time_point t) {
  const std::tm tm = utc(t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%b %e %H:%M:%S", &tm);
  return buf;
}

std::string rfc5322_date(std::chrono::system_clock::time_point t) {
  const std::tm tm = utc(t);
  char buf[48];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

}  // namespace cyrange::inject
