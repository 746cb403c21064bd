// The live personas of a scenario, resolved per team, and what one action does in the
// guests. Both actions go through the inject step kit: the browse is a StepRun shell
// command on the workstation, the mail is the `send_mail` step with the workstation as
// its sending host, so delivery (SMTP or the tiny image's mbox path) is written once.
#include <orchestrator/exercise/live_personas.h>

#include <orchestrator/scenario/personas.h>
#include <orchestrator/scenario/variables.h>
#include <orchestrator/workforce/population.h>
#include <orchestrator/workforce/rng.h>

namespace cyrange::exercise {
namespace {

namespace sc = cyrange::scenario;

// Where a workstation's browser goes: its own `config.proxy`, else the proxy host's
// first address and `listen_port` (3128 by default).
std::string proxy_of(const sc::Scenario& s, const sc::Persona& p,
                     const std::map<std::string, std::string>& vars) {
  for (const auto& h : s.topology.hosts)
    if (h.name == p.workstation)
      if (auto proxy = h.config.find("proxy"); proxy != h.config.end())
        return sc::substitute(proxy->second, vars);
  const sc::Host* proxy = sc::proxy_host(s);
  if (!proxy || proxy->interfaces.empty()) return "";
  const auto port = proxy->config.find("listen_port");
  return sc::substitute(proxy->interfaces.front().address, vars) + ":" +
         (port == proxy->config.end() ? "3128" : port->second);
}

std::vector<std::string> substituted(const std::vector<std::string>& list,
                                     const std::map<std::string, std::string>& vars) {
  std::vector<std::string> out;
  for (const auto& item : list) out.push_back(sc::substitute(item, vars));
  return out;
}

// Everyday subjects: mail that looks like the office, never like the attack.
struct Subject {
  const char* subject;
  const char* body;
};
constexpr Subject kSubjects[] = {
    {"会議資料の確認 / Meeting materials",
     "お疲れさまです。明日の会議資料をご確認ください。\nPlease have a look at tomorrow's meeting "
     "materials.\n"},
    {"打合せ日程の調整 / Scheduling a meeting",
     "お疲れさまです。来週の打合せの候補日をお知らせください。\nCould you tell me which days "
     "suit you next week?\n"},
    {"備品の発注について / Office supplies order",
     "お疲れさまです。備品の発注をお願いできますでしょうか。\nCould you place the order for "
     "the office supplies?\n"},
    {"週報 / Weekly report",
     "お疲れさまです。今週の週報を送付します。\nHere is this week's report.\n"},
};

const char* kUserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/124.0";

Status browse(const TeamPersona& persona, const workforce::LiveAction& action,
              inject::StepRun& run) {
  // The request leaves the workstation for the proxy; a refused page (403, 502) is
  // still a visit the proxy logged, so only a proxy that cannot be reached fails.
  const std::string script =
      "out=$(http_proxy=\"http://$1\" timeout 30 wget -q -O /dev/null -U \"$4\" \"$2\" 2>&1); "
      "rc=$?\n"
      "mkdir -p /var/log/cyrange-sim && echo \"$(date '+%Y-%m-%dT%H:%M:%S') user=$3 "
      "url=$2 rc=$rc\" >> /var/log/cyrange-sim/browser.log\n"
      "case \"$out\" in *'HTTP/'*|*'server returned error'*) exit 0 ;; esac\n"
      "exit $rc";
  auto ran =
      run.sh(persona.workstation, script, {persona.proxy, action.target, persona.user, kUserAgent});
  if (!ran) return ran.error();
  return Status::success();
}

Status mail(const TeamPersona& persona, const workforce::LiveAction& action, inject::StepRun& run) {
  static const std::vector<inject::StepType> types = inject::mail_step_types();
  for (const auto& type : types)
    if (type.type == "send_mail") return type.run(run);
  return make_error(ErrorCode::internal,
                    "The inject library has no send_mail step; live persona '" +
                        persona.plan.persona + "' cannot mail " + action.target + ".");
}

}  // namespace

std::vector<TeamPersonas> live_personas(const sc::Scenario& s,
                                        const std::vector<std::string>& teams, std::uint64_t seed) {
  std::vector<TeamPersonas> out;
  const sc::Host* mail_server = sc::mail_host(s);
  for (const auto& team : teams) {
    const auto vars = sc::resolve_variables(s, seed, team);
    TeamPersonas entry{team, workforce::stream_root(seed, team), {}};
    for (const auto& p : s.workforce.personas) {
      if (!p.has_live || p.workstation.empty()) continue;
      TeamPersona tp;
      tp.plan.persona = p.id;
      if (!workforce::parse_working_hours(p.hours, tp.plan.start_minute, tp.plan.end_minute)) {
        tp.plan.start_minute = 510;  // the workforce's default day, as in build_population()
        tp.plan.end_minute = 1035;
      }
      tp.plan.every_seconds = p.live.every_seconds;
      tp.plan.browse = substituted(p.live.browse, vars);
      tp.plan.mail_to = substituted(p.live.mail_to, vars);
      tp.workstation = p.workstation;
      tp.user = sc::substitute(sc::persona_user(s, p), vars);
      tp.mailbox = sc::substitute(p.mailbox, vars);
      if (!tp.plan.browse.empty()) tp.proxy = proxy_of(s, p, vars);
      if (!tp.plan.mail_to.empty() && mail_server) tp.mail_host = mail_server->name;
      entry.personas.push_back(std::move(tp));
    }
    if (!entry.personas.empty()) out.push_back(std::move(entry));
  }
  return out;
}

ExerciseTimeFn running_exercise_time(std::shared_ptr<timeline::TimelineHub> timelines) {
  return [timelines](const std::string& exercise) -> std::optional<double> {
    if (!timelines) return std::nullopt;
    auto timeline = timelines->find(exercise);
    if (!timeline) return std::nullopt;
    const timeline::ClockState clock = (*timeline)->clock_state();
    if (!clock.started_at || clock.paused) return std::nullopt;
    return (*timeline)->now();
  };
}

std::int64_t live_execution_id(const std::string& team, const std::string& persona,
                               std::uint64_t index) {
  // 1e15 + slot * 1e6 + index stays below 1.2e15: the mail steps multiply ids by 7919.
  const std::uint64_t slot = workforce::stable_hash(team + "/" + persona) % 100'000'000ULL;
  return static_cast<std::int64_t>(1'000'000'000'000'000ULL + slot * 1'000'000ULL +
                                   index % 1'000'000ULL);
}

Status perform_live_action(const TeamPersona& persona, const workforce::LiveAction& action,
                           inject::TeamTarget& target, std::chrono::system_clock::time_point now,
                           std::int64_t execution_id) {
  timeline::TimelineItem item;
  item.id = "live-" + persona.plan.persona;
  item.category = "inject";
  if (action.kind == workforce::LiveActionKind::browse) {
    if (persona.proxy.empty())
      return make_error(ErrorCode::failed_precondition,
                        "Live persona '" + persona.plan.persona +
                            "' cannot browse: the range has no proxy. Give a host `role: proxy`.");
    item.type = "live_browse";
    item.target = persona.workstation;
    inject::StepRun run(item, execution_id, *target.runner, target.hosts, now);
    return browse(persona, action, run);
  }
  if (persona.mail_host.empty())
    return make_error(ErrorCode::failed_precondition,
                      "Live persona '" + persona.plan.persona +
                          "' cannot mail: the range has no mail server. Give a host `role: mail`.");
  const Subject& subject = kSubjects[action.index % std::size(kSubjects)];
  item.type = "send_mail";
  item.target = persona.mail_host;
  item.params = {{"from", persona.mailbox},
                 {"to", action.target},
                 {"subject", subject.subject},
                 {"body", subject.body},
                 {"sender_host", persona.workstation}};
  inject::StepRun run(item, execution_id, *target.runner, target.hosts, now);
  return mail(persona, action, run);
}

}  // namespace cyrange::exercise
