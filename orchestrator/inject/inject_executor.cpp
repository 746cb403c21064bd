#include <orchestrator/inject/inject_executor.h>

#include <orchestrator/common/log.h>

namespace cyrange::inject {

InjectExecutor::InjectExecutor(TargetResolver resolver, Clock clock)
    : resolver_(std::move(resolver)), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::chrono::system_clock::now(); };
  for (auto list : {mail_step_types(), web_step_types(), host_step_types()}) {
    for (auto& t : list) types_.emplace(t.type, std::move(t));
  }
}

const StepType* InjectExecutor::find(const std::string& type) const {
  auto it = types_.find(type);
  return it == types_.end() ? nullptr : &it->second;
}

std::vector<std::string> InjectExecutor::types() const {
  std::vector<std::string> out;
  for (const auto& [name, t] : types_) out.push_back(name);
  return out;
}

std::string InjectExecutor::technique(const timeline::TimelineItem& item) const {
  if (!item.technique.empty()) return item.technique;
  const StepType* t = find(item.type);
  return t ? t->technique : "";
}

bool InjectExecutor::idempotent(const timeline::TimelineItem& item) const {
  return find(item.type) != nullptr;
}

Status InjectExecutor::validate(const timeline::TimelineItem& item) const {
  const StepType* t = find(item.type);
  if (!t) {
    std::string known;
    for (const auto& name : types()) known += (known.empty() ? "" : ", ") + name;
    return make_error(ErrorCode::invalid_argument,
                      "Step '" + item.id + "' has type '" + item.type +
                          "', which the inject library does not know. Use one of: " + known + ".");
  }
  for (const auto& p : t->required) {
    auto it = item.params.find(p);
    if (it == item.params.end() || it->second.empty()) {
      return make_error(ErrorCode::invalid_argument,
                        "Step '" + item.id + "' (" + item.type + "): parameter '" + p +
                            "' is missing. Add `" + p +
                            ":` under the step's `params:` in the scenario.");
    }
  }
  if (item.target.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "Step '" + item.id + "' (" + item.type +
                          ") has no `target:` host. Name the guest it acts on.");
  }
  return Status::success();
}

Status InjectExecutor::execute(const timeline::StepContext& context) {
  const timeline::TimelineItem& item = *context.item;
  if (auto st = validate(item); !st) return st;
  auto target = resolver_(context.exercise, context.team);
  if (!target) return target.error();
  if (!target->runner) {
    return make_error(ErrorCode::unavailable, "Team '" + context.team + "' of exercise '" +
                                                  context.exercise +
                                                  "' has no guests to run step '" + item.id +
                                                  "' in. Bring its range up first.");
  }
  GuestRunner& runner = *target->runner;
  auto logger = log::get("inject");
  const std::string marker = std::string(kMarkerDir) + "/" + std::to_string(context.execution_id);
  auto seen = runner.exec(item.target, {"test", "-e", marker});
  if (!seen) return seen.error();
  if (seen->exit_code == 0) {
    logger->info("team {}: step {} (execution {}) already done in {}; not run again", context.team,
                 item.id, context.execution_id, item.target);
    std::lock_guard lock(mu_);
    reports_[context.execution_id] = {"already done (marker " + marker + ")"};
    return Status::success();
  }
  StepRun run(item, context.execution_id, runner, target->hosts, clock_());
  if (auto st = find(item.type)->run(run); !st) {
    logger->warn("team {}: step {} ({} {}) failed: {}", context.team, item.id, item.type,
                 technique(item), st.error().message);
    return st;
  }
  std::string summary = "step=" + item.id + " type=" + item.type + " technique=" + technique(item) +
                        " attempt=" + std::to_string(context.attempt) + "\n";
  for (const auto& n : run.notes()) summary += n + "\n";
  if (auto st = runner.write_file(item.target, marker, summary); !st) return st;
  logger->info("team {}: step {} ({} {}) done: {}", context.team, item.id, item.type,
               technique(item), run.notes().empty() ? "" : run.notes().back());
  std::lock_guard lock(mu_);
  reports_[context.execution_id] = run.notes();
  return Status::success();
}

std::vector<std::string> InjectExecutor::report(std::int64_t execution_id) const {
  std::lock_guard lock(mu_);
  auto it = reports_.find(execution_id);
  return it == reports_.end() ? std::vector<std::string>{} : it->second;
}

void InjectExecutor::route_all(timeline::RoutingExecutor& router,
                               const std::shared_ptr<InjectExecutor>& self) {
  for (const auto& name : self->types()) router.route(name, self);
}

}  // namespace cyrange::inject
