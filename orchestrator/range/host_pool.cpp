#include <orchestrator/range/host_pool.h>

#include <algorithm>
#include <optional>
#include <set>

#include <orchestrator/range/libvirt_hypervisor.h>

namespace cyrange::range {
namespace {

HostCapacity free_of(const HostLoad& h) {
  return {h.capacity.vcpus - h.used.vcpus, h.capacity.memory_mib - h.used.memory_mib,
          h.capacity.guests - h.used.guests};
}

bool fits(const HostCapacity& free, const HostCapacity& need) {
  return need.vcpus <= free.vcpus && need.memory_mib <= free.memory_mib &&
         need.guests <= free.guests;
}

// "name (uri)", or the URI alone when the host has no name of its own.
std::string label(const std::string& name, const std::string& uri) {
  return name == uri ? uri : name + " (" + uri + ")";
}

void add(HostCapacity& total, const HostCapacity& more) {
  total.vcpus += more.vcpus;
  total.memory_mib += more.memory_mib;
  total.guests += more.guests;
}

}  // namespace

HostCapacity demand_of(const RangeSpec& spec) {
  HostCapacity need;
  for (const auto& h : spec.hosts) add(need, {std::max(1, h.vcpus), std::max(0, h.memory_mib), 1});
  return need;
}

std::string describe(const HostCapacity& c) {
  return std::to_string(c.vcpus) + " vCPUs, " + std::to_string(c.memory_mib) + " MiB, " +
         std::to_string(c.guests) + " guests";
}

Expected<std::size_t> choose_host(const std::vector<HostLoad>& hosts, const HostCapacity& need,
                                  const std::string& what) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    const HostCapacity free = free_of(hosts[i]);
    if (!fits(free, need)) continue;
    if (best) {
      const HostCapacity top = free_of(hosts[*best]);
      // Most free memory wins (it is what runs out first); then vCPUs; then the order listed.
      if (free.memory_mib < top.memory_mib) continue;
      if (free.memory_mib == top.memory_mib && free.vcpus <= top.vcpus) continue;
    }
    best = i;
  }
  if (best) return *best;
  std::string free_en, free_ja;
  for (const auto& h : hosts) {
    const HostCapacity f = free_of(h);
    free_en += (free_en.empty() ? "" : "; ") + label(h.name, h.uri) + " " + describe(f);
    free_ja += (free_ja.empty() ? "" : "、") + h.name + " vCPU " + std::to_string(f.vcpus) +
               "・メモリ " + std::to_string(f.memory_mib) + " MiB・ゲスト " +
               std::to_string(f.guests) + " 台";
  }
  if (hosts.empty()) free_en = free_ja = "none / なし";
  return make_error(ErrorCode::failed_precondition,
                    "No hypervisor host has room for " + what + ": it needs " + describe(need) +
                        ", and the hosts have free " + free_en +
                        ". Add a host under `hypervisors:` in the configuration, raise a host's "
                        "capacity, or end another exercise, then retry. / " +
                        what + " を配置できるハイパーバイザーがありません（必要: vCPU " +
                        std::to_string(need.vcpus) + "・メモリ " + std::to_string(need.memory_mib) +
                        " MiB・ゲスト " + std::to_string(need.guests) + " 台、空き: " + free_ja +
                        "）。ホストを追加するか、他の演習を終了してから再実行してください。");
}

HostCapacity effective_capacity(const HostConfig& config, const NodeResources& node) {
  HostCapacity c;
  c.vcpus = config.vcpus.value_or(node.cpus * std::max(1, config.vcpus_per_cpu));
  c.memory_mib = config.memory_mib.value_or(
      std::max<std::int64_t>(0, node.memory_mib - config.reserve_memory_mib));
  c.guests = config.max_guests.value_or(c.vcpus);
  return c;
}

Expected<std::shared_ptr<HostPool>> HostPool::connect(const std::vector<HostConfig>& hosts,
                                                      Connector connector, NodeReader node_reader) {
  if (hosts.empty())
    return make_error(ErrorCode::invalid_argument,
                      "No hypervisor host is configured; list at least one under `hypervisors:` "
                      "or give --libvirt-uri. / ハイパーバイザーが設定されていません。");
  auto pool = std::shared_ptr<HostPool>(new HostPool());
  std::set<std::string> seen;
  for (const auto& config : hosts) {
    if (!seen.insert(config.uri).second)
      return make_error(ErrorCode::invalid_argument,
                        "Hypervisor URI '" + config.uri +
                            "' is listed twice; list every host once. / 同じ URI が二度指定されて"
                            "います。");
    auto hv = connector(config.uri);
    if (!hv) return hv.error();
    PoolHost host;
    host.uri = config.uri;
    host.name = config.name.empty() ? config.uri : config.name;
    host.hypervisor = std::move(*hv);
    NodeResources node;
    if (!config.vcpus || !config.memory_mib) {
      auto read = node_reader(*host.hypervisor, config.uri);
      if (!read) return read.error();
      node = *read;
    }
    host.capacity = effective_capacity(config, node);
    host.domain_type = host.hypervisor->domain_type();
    pool->hosts_.push_back(std::move(host));
  }
  return pool;
}

Expected<std::shared_ptr<HostPool>> HostPool::connect_libvirt(
    const std::vector<HostConfig>& hosts) {
  auto connector = [](const std::string& uri) -> Expected<std::shared_ptr<Hypervisor>> {
    auto hv = LibvirtHypervisor::connect(uri);
    if (!hv) return hv.error();
    return std::shared_ptr<Hypervisor>(std::move(*hv));
  };
  auto reader = [](Hypervisor& hv, const std::string& uri) -> Expected<NodeResources> {
    auto* libvirt = dynamic_cast<LibvirtHypervisor*>(&hv);
    if (!libvirt)
      return make_error(ErrorCode::internal,
                        "Host '" + uri + "' is not a libvirt connection; configure its capacity.");
    return libvirt->node_resources();
  };
  return connect(hosts, connector, reader);
}

const PoolHost* HostPool::find(const std::string& uri) const {
  for (const auto& h : hosts_)
    if (h.uri == uri) return &h;
  return nullptr;
}

std::vector<PlacedRange> HostPool::replace_placements(const std::vector<PlacedRange>& ranges) {
  std::vector<PlacedRange> outside;
  std::lock_guard lock(mutex_);
  placed_.clear();
  for (const auto& r : ranges) {
    if (!find(r.uri)) {
      outside.push_back(r);
      continue;
    }
    placed_[{r.spec.exercise, r.spec.team}] = {r.uri, demand_of(r.spec)};
  }
  return outside;
}

Expected<const PoolHost*> HostPool::place(const RangeSpec& spec) {
  std::lock_guard lock(mutex_);
  placed_.erase({spec.exercise, spec.team});  // placing again replaces, never double-counts
  auto chosen = choose_host(loads_locked(), demand_of(spec),
                            "team '" + spec.team + "' of exercise '" + spec.exercise + "'");
  if (!chosen) return chosen.error();
  const PoolHost& host = hosts_[*chosen];
  placed_[{spec.exercise, spec.team}] = {host.uri, demand_of(spec)};
  return &host;
}

void HostPool::release(const std::string& exercise) {
  std::lock_guard lock(mutex_);
  std::erase_if(placed_, [&](const auto& kv) { return kv.first.first == exercise; });
}

std::string HostPool::host_of(const std::string& exercise, const std::string& team) const {
  std::lock_guard lock(mutex_);
  auto found = placed_.find({exercise, team});
  return found == placed_.end() ? "" : found->second.uri;
}

std::vector<HostLoad> HostPool::loads() const {
  std::lock_guard lock(mutex_);
  return loads_locked();
}

std::vector<HostLoad> HostPool::loads_locked() const {
  std::vector<HostLoad> out;
  for (const auto& h : hosts_) out.push_back({h.name, h.uri, h.capacity, {}});
  for (const auto& [key, p] : placed_)
    for (auto& l : out)
      if (l.uri == p.uri) add(l.used, p.demand);
  return out;
}

std::vector<std::string> HostPool::report() const {
  std::vector<std::string> lines;
  for (const auto& l : loads()) {
    const PoolHost* h = find(l.uri);
    lines.push_back("hypervisor host " + label(l.name, l.uri) + ": capacity " +
                    describe(l.capacity) + ", in use " + describe(l.used) + ", domain type " +
                    h->domain_type.type + " (" + h->domain_type.reason + ")");
  }
  return lines;
}

}  // namespace cyrange::range
