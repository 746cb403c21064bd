#include <orchestrator/range/managed_save.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <thread>

namespace cyrange::range {
namespace {

// Runs `action` on every domain with up to `at_once` threads; every failure, in domain order.
Status for_each_domain(const std::vector<std::string>& domains, int at_once,
                       const std::function<Status(const std::string&)>& action) {
  std::vector<Status> results(domains.size(), Status::success());
  const std::size_t workers =
      std::min<std::size_t>(static_cast<std::size_t>(std::max(at_once, 1)), domains.size());
  if (workers <= 1) {
    for (std::size_t i = 0; i < domains.size(); ++i) results[i] = action(domains[i]);
  } else {
    std::atomic<std::size_t> next{0};
    std::vector<std::thread> threads;
    for (std::size_t w = 0; w < workers; ++w)
      threads.emplace_back([&] {
        for (std::size_t i = next++; i < domains.size(); i = next++)
          results[i] = action(domains[i]);
      });
    for (auto& t : threads) t.join();
  }
  std::string errors;
  ErrorCode code = ErrorCode::internal;
  for (const auto& r : results)
    if (!r) {
      if (errors.empty()) code = r.error().code;
      errors += (errors.empty() ? "" : " ") + r.error().message;
    }
  if (!errors.empty()) return make_error(code, errors);
  return Status::success();
}

}  // namespace

Status suspend_domains(Hypervisor& hv, const std::vector<std::string>& domains, int at_once) {
  return for_each_domain(domains, at_once,
                         [&](const std::string& d) { return hv.suspend_domain(d); });
}

Status resume_domains(Hypervisor& hv, const std::vector<std::string>& domains, int at_once) {
  return for_each_domain(domains, at_once,
                         [&](const std::string& d) { return hv.resume_domain(d); });
}

}  // namespace cyrange::range
