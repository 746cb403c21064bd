#include <orchestrator/range/fake_hypervisor.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include <orchestrator/range/guest_agent.h>

namespace cyrange::range {
namespace {

std::string between(const std::string& xml, const std::string& open, const std::string& close) {
  auto a = xml.find(open);
  if (a == std::string::npos) return {};
  a += open.size();
  auto b = xml.find(close, a);
  return b == std::string::npos ? std::string{} : xml.substr(a, b - a);
}

void raise_max(std::atomic<int>& max, int now) {
  int prev = max.load();
  while (now > prev && !max.compare_exchange_weak(prev, now)) {
  }
}

}  // namespace

Status FakeHypervisor::create_network(const std::string& name, const std::string& xml) {
  std::lock_guard lock(mu_);
  if (!networks_.emplace(name, xml).second)
    return make_error(ErrorCode::already_exists, "Network '" + name + "' exists already.");
  return Status::success();
}

Status FakeHypervisor::remove_network(const std::string& name) {
  std::lock_guard lock(mu_);
  networks_.erase(name);
  return Status::success();
}

Status FakeHypervisor::create_pool(const std::string& name, const std::string&) {
  std::lock_guard lock(mu_);
  if (!pools_.emplace(name, std::set<std::string>{}).second)
    return make_error(ErrorCode::already_exists, "Storage pool '" + name + "' exists already.");
  return Status::success();
}

Status FakeHypervisor::remove_pool(const std::string& name) {
  std::lock_guard lock(mu_);
  pools_.erase(name);
  return Status::success();
}

Expected<std::string> FakeHypervisor::create_volume(const std::string& pool,
                                                    const std::string& xml) {
  std::lock_guard lock(mu_);
  auto it = pools_.find(pool);
  if (it == pools_.end())
    return make_error(ErrorCode::not_found, "Storage pool '" + pool + "' does not exist.");
  std::string name = between(xml, "<name>", "</name>");
  it->second.insert(name);
  return "/fake/" + pool + "/" + name;
}

Status FakeHypervisor::create_domain(const std::string& name, const std::string& xml) {
  raise_max(max_concurrent_, ++creating_);
  // Long enough that parallel workers overlap, short enough for unit tests.
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  --creating_;
  std::lock_guard lock(mu_);
  if (!domains_.emplace(name, xml).second)
    return make_error(ErrorCode::already_exists, "Domain '" + name + "' exists already.");
  return Status::success();
}

Status FakeHypervisor::remove_domain(const std::string& name) {
  std::lock_guard lock(mu_);
  domains_.erase(name);
  snapshots_.erase(name);
  reverted_.erase(name);
  saved_.erase(name);
  return Status::success();
}

Status FakeHypervisor::suspend_domain(const std::string& name) {
  std::lock_guard lock(mu_);
  if (!domains_.count(name))
    return make_error(ErrorCode::not_found, "Domain '" + name + "' does not exist.");
  saved_.insert(name);
  return Status::success();
}

Status FakeHypervisor::resume_domain(const std::string& name) {
  std::lock_guard lock(mu_);
  if (!domains_.count(name))
    return make_error(ErrorCode::not_found, "Domain '" + name + "' does not exist.");
  saved_.erase(name);
  return Status::success();
}

Expected<DomainRunState> FakeHypervisor::run_state(const std::string& name) {
  std::lock_guard lock(mu_);
  if (!domains_.count(name))
    return make_error(ErrorCode::not_found, "Domain '" + name + "' does not exist.");
  const bool saved = saved_.count(name) > 0;
  return DomainRunState{!saved, saved};
}

Status FakeHypervisor::create_snapshot(const std::string& domain, const std::string& name) {
  std::lock_guard lock(mu_);
  if (!domains_.count(domain))
    return make_error(ErrorCode::not_found, "Domain '" + domain + "' does not exist.");
  if (!snapshots_[domain].insert(name).second)
    return make_error(ErrorCode::already_exists,
                      "Domain '" + domain + "' has a snapshot named '" + name + "' already.");
  return Status::success();
}

Status FakeHypervisor::revert_snapshot(const std::string& domain, const std::string& name) {
  raise_max(max_reverting_, ++reverting_);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  --reverting_;
  std::lock_guard lock(mu_);
  auto it = snapshots_.find(domain);
  if (it == snapshots_.end() || !it->second.count(name))
    return make_error(ErrorCode::not_found,
                      "Domain '" + domain + "' has no snapshot named '" + name + "'.");
  ++reverts_;
  reverted_.insert(domain);
  return Status::success();
}

Expected<std::vector<std::string>> FakeHypervisor::list_snapshots(const std::string& domain) {
  std::lock_guard lock(mu_);
  auto it = snapshots_.find(domain);
  if (it == snapshots_.end()) return std::vector<std::string>{};
  return std::vector<std::string>(it->second.begin(), it->second.end());
}

Expected<std::string> FakeHypervisor::network_description(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = networks_.find(name);
  if (it == networks_.end())
    return make_error(ErrorCode::not_found, "Network '" + name + "' does not exist.");
  return it->second;
}

std::size_t FakeHypervisor::snapshot_count() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (auto& [d, names] : snapshots_) n += names.size();
  return n;
}

Expected<std::string> FakeHypervisor::agent_command(const std::string& domain,
                                                    const std::string& json, int) {
  {
    std::lock_guard lock(mu_);
    if (!domains_.count(domain))
      return make_error(ErrorCode::not_found, "Domain '" + domain + "' does not exist.");
  }
  bool silenced;
  {
    std::lock_guard lock(mu_);
    silenced = silent_agents.count(domain) ||
               (reverted_.count(domain) && silent_after_revert.count(domain));
  }
  if (silenced)
    return make_error(ErrorCode::unavailable,
                      "The guest agent of domain '" + domain + "' is not connected.");
  auto cmd = nlohmann::json::parse(json);
  std::string execute = cmd.value("execute", "");
  if (execute == "guest-ping") return std::string(R"({"return":{}})");
  if (execute == "guest-exec") return std::string(R"({"return":{"pid":42}})");
  if (execute == "guest-exec-status") {
    bool fail = failing_services.count(domain) > 0;
    nlohmann::json reply = {{"return",
                             {{"exited", true},
                              {"exitcode", fail ? 1 : exec_exit_code},
                              {"out-data", base64_encode(exec_stdout)}}}};
    return reply.dump();
  }
  return make_error(ErrorCode::invalid_argument, "The fake agent does not know '" + execute + "'.");
}

Expected<std::vector<HvObject>> FakeHypervisor::list(ObjectKind kind, const std::string& prefix) {
  std::lock_guard lock(mu_);
  std::vector<HvObject> out;
  auto add = [&](const std::string& name) {
    if (name.rfind(prefix, 0) == 0) out.push_back({name, true});
  };
  if (kind == ObjectKind::domain)
    for (auto& [n, x] : domains_) add(n);
  if (kind == ObjectKind::network)
    for (auto& [n, x] : networks_) add(n);
  if (kind == ObjectKind::pool)
    for (auto& [n, v] : pools_) add(n);
  return out;
}

std::size_t FakeHypervisor::object_count() const {
  std::lock_guard lock(mu_);
  std::size_t n = domains_.size() + networks_.size() + pools_.size();
  for (auto& [p, vols] : pools_) n += vols.size();
  return n;
}

std::string FakeHypervisor::domain_definition(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = domains_.find(name);
  return it == domains_.end() ? std::string{} : it->second;
}

}  // namespace cyrange::range
