// Checks of the keys that shape scoring: expected commands, rubrics, time decay,
// wrong-answer limits and service availability.
#include <algorithm>
#include <regex>
#include <set>

#include <orchestrator/range/service_catalog.h>
#include <orchestrator/scenario/validate_checks.h>

namespace cyrange::scenario::detail {
namespace {

const Host* find_host(const Scenario& s, const std::string& name) {
  for (const auto& host : s.topology.hosts)
    if (host.name == name) return &host;
  return nullptr;
}

bool any_terminal(const Scenario& s) {
  return std::any_of(s.topology.hosts.begin(), s.topology.hosts.end(),
                     [](const Host& h) { return h.trainee_terminal; });
}

}  // namespace

void check_expected_commands(const Scenario& s, const NameIndex& names, Findings& f) {
  for_each_objective(s.objectives, [&](const Objective& o) {
    for (const auto& c : o.expected_commands) {
      const std::string who = "an expected command of objective '" + o.id + "'";
      if (c.pattern.empty()) f.error(c.loc, who + " has no pattern", "add `pattern:`");
      try {
        std::regex compiled(c.pattern);
      } catch (const std::regex_error&) {
        f.error(value_loc(c, "pattern"), who + " has an invalid regular expression",
                "fix `pattern:` (ECMAScript syntax; escape `.`, `|` and `(` meant literally)");
      }
      if (c.host.empty()) {
        if (!any_terminal(s)) {
          f.error(c.loc, who + " can never be typed: no host has a trainee terminal",
                  "set `trainee_terminal: true` on the host where the command is expected");
        }
        continue;
      }
      const Host* host = find_host(s, c.host);
      if (!host && names.routers.count(c.host)) {
        f.error(value_loc(c, "host"),
                both(who + " expects a command on router '" + c.host +
                         "', but routers have no trainee terminal",
                     "設問 '" + o.id + "' の想定コマンドはルーター '" + c.host +
                         "' を指定していますが、ルーターには受講者の端末がありません"),
                both("name a host with `trainee_terminal: true`, or leave `host:` out for any "
                     "terminal",
                     "`trainee_terminal: true` のホストを指定するか、`host:` を省いて任意の端末に"
                     "してください"));
      } else if (!host) {
        f.error(value_loc(c, "host"), who + " names undefined host '" + c.host + "'",
                "name a host of the topology in `host:`, or leave it out for any terminal");
      } else if (!host->trainee_terminal) {
        f.error(value_loc(c, "host"),
                who + " expects a command on '" + c.host + "', which has no terminal",
                "set `trainee_terminal: true` on '" + c.host + "' or name another host");
      }
    }
  });
}

void check_rubrics(const Scenario& s, const NameIndex&, Findings& f) {
  for_each_objective(s.objectives, [&](const Objective& o) {
    if (o.rubric.empty()) return;
    if (o.has_answer || o.has_check || !o.parts.empty() || !o.expected_commands.empty()) {
      f.error(value_loc(o, "rubric"),
              "objective '" + o.id + "' mixes a rubric with other ways of scoring",
              "keep the rubric in an objective of its own (for the report), without "
              "`answer:`, `check:`, `expected_commands:` or `parts:`");
    }
    if (o.points != 0) {
      f.error(value_loc(o, "points"), "objective '" + o.id + "' has points and a rubric",
              "remove `points:`: a rubric objective is worth the sum of its items' points");
    }
    std::set<std::string> seen;
    for (const auto& item : o.rubric) {
      if (!seen.insert(item.id).second) {
        f.error(value_loc(item, "id"),
                "rubric item '" + item.id + "' appears twice in '" + o.id + "'",
                "give each rubric item its own `id:`");
      }
      if (item.points <= 0) {
        f.error(value_loc(item, "points"),
                "rubric item '" + item.id + "' of '" + o.id + "' is worth nothing",
                "give it `points:` above 0");
      }
    }
  });
}

void check_score_shaping(const Scenario& s, const NameIndex&, Findings& f) {
  for_each_objective(s.objectives, [&](const Objective& o) {
    if (o.has_decay) {
      const Decay& d = o.decay;
      if (d.start_seconds >= d.end_seconds) {
        f.error(value_loc(d, "end"), "the decay of objective '" + o.id + "' ends before it starts",
                "make `end:` later than `start:` (e.g. `{start: 20m, end: 60m, floor: 50}`)");
      }
      if (d.floor_percent < 0 || d.floor_percent > 100) {
        f.error(value_loc(d, "floor"),
                "the decay floor of objective '" + o.id + "' is not a percentage",
                "set `floor:` between 0 and 100 (the share of points kept at `end:`)");
      }
    }
    if (o.has_wrong_answers) {
      const WrongAnswers& w = o.wrong_answers;
      if (w.limit < 0 || w.penalty < 0) {
        f.error(w.loc, "the wrong-answer rule of objective '" + o.id + "' is negative",
                "set `limit:` and `penalty:` to 0 or more (limit 0: unlimited)");
      }
      const bool answerable =
          o.has_answer || std::any_of(o.parts.begin(), o.parts.end(),
                                      [](const Objective& p) { return p.has_answer; });
      if (!answerable) {
        f.warning(w.loc, "objective '" + o.id + "' limits wrong answers but takes no answer",
                  "remove `wrong_answers:` or add an `answer:`");
      }
    }
  });
}

void check_availability(const Scenario& s, const NameIndex& names, Findings& f) {
  std::set<std::string> seen;
  for (const auto& a : s.availability) {
    if (!seen.insert(a.id).second) {
      f.error(value_loc(a, "id"), "availability check '" + a.id + "' appears twice",
              "give each availability check its own `id:`");
    }
    if (a.penalty_per_minute < 0) {
      f.error(value_loc(a, "penalty_per_minute"),
              "availability check '" + a.id + "' has a negative penalty",
              "set `penalty_per_minute:` to 0 or more");
    }
    const Host* host = find_host(s, a.host);
    if (!host && names.routers.count(a.host)) {
      f.error(value_loc(a, "host"),
              "availability check '" + a.id + "' watches router '" + a.host +
                  "', and routers run no services to watch",
              "name the host in `host:` that runs '" + a.service + "'");
      continue;
    }
    if (!host) {
      f.error(value_loc(a, "host"),
              "availability check '" + a.id + "' watches undefined host '" + a.host + "'",
              "name a host of the topology in `host:`");
      continue;
    }
    if (!range::is_known_service(a.service)) {
      f.error(value_loc(a, "service"),
              "availability check '" + a.id + "' watches unknown service '" + a.service + "'",
              "use one of the services a host can run (see `services:` in the reference)");
    } else if (std::find(host->services.begin(), host->services.end(), a.service) ==
               host->services.end()) {
      f.error(value_loc(a, "service"),
              "availability check '" + a.id + "' watches '" + a.service + "' on '" + a.host +
                  "', which does not run it",
              "add '" + a.service + "' to the services of '" + a.host + "' or watch another host");
    }
  }
}

}  // namespace cyrange::scenario::detail
