// step_catalog() is what docs/scenario-reference.md tells designers about each step type:
// these tests hold it to what the executors really read, on both image profiles.
#include <gtest/gtest.h>

#include <regex>
#include <map>
#include <set>
#include <tuple>

#include <orchestrator/inject/inject_executor.h>
#include <orchestrator/inject/step_catalog.h>
#include <orchestrator/inject/tests/sample_hosts.h>

namespace cyrange::inject {
namespace {

// A value every documented parameter accepts, so that each run reaches its end.
std::string sample_value(const std::string& name) {
  static const std::map<std::string, std::string> values = {
      {"from", "sato@evil.example"},
      {"to", "suzuki@city.example"},
      {"sender_host", "attacker"},
      {"source", "ws01"},
      {"c2_host", "attacker"},
      {"receiver_host", "attacker"},
      {"url", "http://198.51.100.23/cgi-bin/c2"},
      {"destination", "http://198.51.100.23/cgi-bin/c2"},
      {"script_url", "http://198.51.100.23/x.js"},
      {"cidrs", "10.30.0.0/24"},
      {"folder", "/srv/decoy"},
      {"commands", "id; hostname"},
      {"rounds", "1"},
      {"interval_seconds", "60"},
      {"jitter_percent", "10"},
      {"max_beacons", "3"},
      {"size_mb", "1"},
      {"count", "2"},
      {"files", "2"},
      {"via_proxy", "10.30.0.3:3128"},
      {"resolver", "10.40.0.53"},
  };
  auto it = values.find(name);
  return it == values.end() ? "v-" + name : it->second;
}

std::string target_of(const std::string& type) {
  if (type.find("mail") != std::string::npos) return "mail";
  if (type == "watering_hole") return "portal";
  if (type == "smb_copy") return "files";
  return "ws01";
}

// body_1, reply_2 … are documented once as body_N and reply_N.
std::string documented_name(const std::string& asked) {
  static const std::regex numbered("^(body|reply)_[0-9]+$");
  return std::regex_match(asked, numbered) ? asked.substr(0, asked.find('_')) + "_N" : asked;
}

// Runs `spec` with every documented parameter set, on a tiny or a standard range, and
// returns what it asked for (name -> fallback).
std::map<std::string, std::string> asked_by(const StepTypeSpec& spec, bool standard,
                                            const InjectExecutor& executor) {
  FakeGuestRunner runner;
  runner.set_handler([standard](const std::string&, const std::vector<std::string>& argv) {
    const std::string script = argv.size() > 2 ? argv[2] : "";
    auto says = [&](const char* probe, const char* yes, const char* no) {
      return script.find(probe) != std::string::npos ? GuestResult{0, standard ? yes : no, ""}
                                                     : GuestResult{-1, "", ""};
    };
    for (const auto& [probe, yes, no] :
         {std::tuple{"/usr/sbin/postfix", "mta\n", "none\n"},
          std::tuple{"command -v curl", "curl\n", "nc\n"},
          std::tuple{"/usr/sbin/nginx", "nginx\n", "busybox\n"},
          std::tuple{"/usr/sbin/smbd", "smbd\n", "none\n"},
          std::tuple{"command -v smbclient", "smbclient\n", "none\n"}}) {
      if (auto r = says(probe, yes, no); r.exit_code == 0) return r;
    }
    return GuestResult{0, "", ""};
  });
  timeline::TimelineItem item;
  item.id = "s1";
  item.kind = timeline::ItemKind::step;
  item.type = spec.type;
  item.target = target_of(spec.type);
  item.text_ja = "通知";
  item.text_en = "Notice";
  for (const auto& p : spec.params) {
    if (p.name.find("_N") == std::string::npos) item.params[p.name] = sample_value(p.name);
  }
  item.params["body_1"] = "first";
  item.params["reply_1"] = "answer";
  const HostDirectory hosts = testing::sample_hosts();
  StepRun run(item, 7, runner, hosts, std::chrono::system_clock::from_time_t(1796635805));
  const StepType* type = executor.find(spec.type);
  EXPECT_NE(type, nullptr) << spec.type;
  if (!type) return {};
  auto st = type->run(run);
  EXPECT_TRUE(st) << spec.type << (standard ? " (standard)" : " (tiny)") << ": "
                  << (st ? "" : st.error().message);
  std::map<std::string, std::string> out;
  for (const auto& [name, fallback] : run.asked_params()) out[documented_name(name)] = fallback;
  return out;
}

TEST(StepCatalog, DocumentsExactlyTheParametersEachStepReadsWithTheirDefaults) {
  const InjectExecutor executor([](const std::string&, const std::string&) -> Expected<TeamTarget> {
    return make_error(ErrorCode::unavailable, "No range in this test.");
  });
  for (const auto& spec : step_catalog()) {
    std::map<std::string, const StepParam*> documented;
    for (const auto& p : spec.params) documented[p.name] = &p;
    std::set<std::string> asked_anywhere;
    for (bool standard : {false, true}) {
      for (const auto& [name, fallback] : asked_by(spec, standard, executor)) {
        asked_anywhere.insert(name);
        auto doc = documented.find(name);
        ASSERT_NE(doc, documented.end())
            << spec.type << " reads `" << name << "`, which step_catalog() does not document";
        const StepParam& p = *doc->second;
        if (!p.fallback.empty()) {
          EXPECT_EQ(fallback, p.fallback) << spec.type << "." << name;
        } else if (!fallback.empty()) {
          // A default that the catalogue does not state literally must be described.
          EXPECT_NE(p.doc.find("default"), std::string::npos)
              << spec.type << "." << name << " falls back to '" << fallback
              << "', which its description does not mention";
        }
      }
    }
    for (const auto& p : spec.params)
      EXPECT_TRUE(asked_anywhere.count(p.name))
          << spec.type << " documents `" << p.name << "`, which it never reads";
    EXPECT_FALSE(spec.runs.empty() || spec.evidence_tiny.empty() ||
                 spec.evidence_standard.empty() || spec.summary_ja.empty())
        << spec.type << " lacks where it runs, its evidence or its Japanese summary";
  }
}

// run_commands plants the commands in the history file of the shell the host really runs.
TEST(StepCatalog, RunCommandsWritesTheHistoryOfEachProfilesShell) {
  const InjectExecutor executor([](const std::string&, const std::string&) -> Expected<TeamTarget> {
    return make_error(ErrorCode::unavailable, "No range in this test.");
  });
  HostDirectory hosts = testing::sample_hosts();
  hosts.add({"deb01", "workstation", "standard", {"10.30.0.102"}});
  for (const auto& [host, history] : {std::pair{"ws01", "'/home/alice/.ash_history'"},
                                      std::pair{"deb01", "'/home/alice/.bash_history'"}}) {
    FakeGuestRunner runner;
    timeline::TimelineItem item;
    item.id = "discover";
    item.type = "run_commands";
    item.target = host;
    item.params = {{"commands", "whoami"}, {"user", "alice"}};
    StepRun run(item, 9, runner, hosts, std::chrono::system_clock::from_time_t(1796635805));
    ASSERT_TRUE(executor.find("run_commands")->run(run)) << host;
    std::string scripts;
    for (const auto& call : runner.calls())
      if (call.argv.size() > 2) scripts += call.argv[2];
    EXPECT_NE(scripts.find(std::string("echo 'whoami' >> ") + history), std::string::npos)
        << host << ": " << scripts;
  }
}

TEST(StepCatalog, EveryExecutorTypeIsInTheCatalogueAndNoOther) {
  const InjectExecutor executor([](const std::string&, const std::string&) -> Expected<TeamTarget> {
    return make_error(ErrorCode::unavailable, "No range in this test.");
  });
  std::set<std::string> catalogued;
  for (const auto& spec : step_catalog()) catalogued.insert(spec.type);
  const auto types = executor.types();
  EXPECT_EQ(std::set<std::string>(types.begin(), types.end()), catalogued);
}

}  // namespace
}  // namespace cyrange::inject
