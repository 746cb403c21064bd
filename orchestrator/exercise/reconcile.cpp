#include <orchestrator/exercise/reconcile.h>

#include <map>
#include <set>

#include <orchestrator/exercise/recording_hypervisor.h>
#include <orchestrator/range/templates.h>

namespace cyrange::exercise {

std::string ReconcileReport::summary() const {
  return "adopted " + std::to_string(adopted.size()) + ", removed " +
         std::to_string(removed.size()) + ", foreign " + std::to_string(foreign.size()) +
         ", missing " + std::to_string(missing.size()) + ", errors " +
         std::to_string(errors.size());
}

Expected<ReconcileReport> reconcile(range::Hypervisor& hv, RangeRegistry& db,
                                    const std::string& uri) {
  auto rows = db.objects(uri);
  if (!rows) return rows.error();
  auto known = db.exercises(/*include_ended=*/true);
  if (!known) return known.error();
  std::map<std::string, std::string> state_of;  // exercise -> state
  for (const auto& e : *known) state_of[e.id] = e.state;
  std::set<std::pair<std::string, std::string>> live;  // (kind, name) recorded for a live exercise
  for (const auto& r : *rows)
    if (r.exercise_state != kStateEnded) live.insert({r.kind, r.name});

  ReconcileReport report;
  std::set<std::pair<std::string, std::string>> seen;
  const std::pair<range::ObjectKind, const char*> kinds[] = {
      {range::ObjectKind::domain, "domain"},
      {range::ObjectKind::network, "network"},
      {range::ObjectKind::pool, "pool"}};
  for (auto [kind, label] : kinds) {
    auto objects = hv.list(kind, "cyr-");
    if (!objects) return objects.error();
    for (const auto& o : *objects) {
      const std::string what = std::string(label) + " " + o.name;
      seen.insert({label, o.name});
      if (live.count({label, o.name})) {
        report.adopted.push_back(what);
        continue;
      }
      const std::string exercise = owner_of(o.name).first;
      if (!state_of.count(exercise)) {
        report.foreign.push_back(what);
        continue;
      }
      Status removed = kind == range::ObjectKind::domain    ? hv.remove_domain(o.name)
                       : kind == range::ObjectKind::network ? hv.remove_network(o.name)
                                                            : hv.remove_pool(o.name);
      if (!removed) {
        report.errors.push_back(removed.error().message);
        continue;
      }
      report.removed.push_back(what);
      if (auto f = db.forget_object(label, o.name, uri); !f)
        report.errors.push_back(f.error().message);
    }
  }
  // A template capture is no exercise's: it is abandoned once its process is gone.
  if (auto swept = range::remove_abandoned_captures(hv); !swept)
    report.errors.push_back(swept.error().message);
  else
    for (const auto& name : *swept) report.removed.push_back("template capture " + name);
  for (const auto& r : *rows) {
    if (r.kind == "volume" || seen.count({r.kind, r.name})) continue;
    if (r.exercise_state == kStateEnded) {
      // Already gone; its row only outlived a crash between removal and forgetting.
      if (auto f = db.forget_object(r.kind, r.name, uri); !f)
        report.errors.push_back(f.error().message);
    } else {
      report.missing.push_back(r.kind + " " + r.name);
    }
  }
  return report;
}

}  // namespace cyrange::exercise
