// Population: named personas kept as written, generated staff unique and in place.
#include <set>

#include <orchestrator/scenario/net.h>
#include <orchestrator/workforce/tests/support.h>

namespace cyrange::workforce {
namespace {

using namespace testing;

TEST(WorkforcePopulation, FiveThousandStaffWithUniqueMailboxes) {
  const auto pop = make_population(5000);
  ASSERT_EQ(pop.staff.size(), 5000u);
  std::set<std::string> mailboxes, workstations;
  const auto inet = *scenario::parse_cidr("10.30.0.0/24");
  for (const auto& m : pop.staff) {
    EXPECT_TRUE(mailboxes.insert(m.mailbox).second) << "duplicate mailbox " << m.mailbox;
    EXPECT_TRUE(workstations.insert(m.workstation).second)
        << "duplicate workstation " << m.workstation;
    EXPECT_TRUE(inet.contains(m.address)) << m.workstation;
    EXPECT_EQ(m.mailbox, m.user + "@city.kakuu.lg.jp");
  }
  // Servers and the victim's workstation keep addresses of their own.
  int on_ws01 = 0;
  for (const auto& m : pop.staff) on_ws01 += m.address == *scenario::parse_ipv4("10.30.0.101");
  EXPECT_EQ(on_ws01, 1);
  int total = 0;
  for (const auto& d : pop.departments) total += d.staff;
  EXPECT_EQ(total, 5000);
}

TEST(WorkforcePopulation, NamedPersonasStayAsWritten) {
  const auto pop = make_population(1500, 7, "team-3");
  const int clerk = pop.find("pr-clerk");
  ASSERT_GE(clerk, 0);
  const auto& m = pop.staff[static_cast<std::size_t>(clerk)];
  EXPECT_TRUE(m.named);
  EXPECT_EQ(m.mailbox, pop.variables.at("victim_mailbox"));
  EXPECT_EQ(m.workstation, "ws01");
  EXPECT_EQ(scenario::format_ipv4(m.address), "10.30.0.101");
  EXPECT_EQ(m.start_minute, 8 * 60 + 30);
  EXPECT_EQ(m.end_minute, 17 * 60 + 15);
  EXPECT_EQ(m.habits, (std::vector<std::string>{"answers_press_enquiries",
                                                "opens_attachments_from_known_threads"}));
  EXPECT_DOUBLE_EQ(m.external_mail_factor,
                   3.0);  // the profile gives the scenario's habit its effect
  const auto& admin = pop.staff[static_cast<std::size_t>(pop.find("it-help"))];
  EXPECT_EQ(admin.department, "it-policy");
}

TEST(WorkforcePopulation, TheDnsServerIsTheHostThatServesDnsBesideItsRole) {
  // The Kakuu mail host runs the city's DNS (`services: [smtp, dns]`, role mail): the
  // history of DNS queries belongs in its dnsmasq.log, not the proxy's.
  const auto pop = make_population(1500);
  EXPECT_EQ(pop.dns.name, "mail");
  EXPECT_EQ(scenario::format_ipv4(pop.dns.address), "172.16.10.25");
  EXPECT_EQ(pop.proxy.name, "proxy");
}

TEST(WorkforcePopulation, DepartmentsKeepScenarioCountsAndFillTheRest) {
  const auto pop = make_population(1500);
  std::map<std::string, int> counted;
  for (const auto& m : pop.staff) ++counted[m.department];
  EXPECT_EQ(counted["public-relations"], 18);
  EXPECT_EQ(counted["taxation"], 85);
  EXPECT_EQ(counted["it-policy"], 12);
  EXPECT_GT(counted["welfare"], counted["assembly"]);  // profile weights 12 vs 2
  for (const auto& d : pop.departments) EXPECT_EQ(counted[d.id], d.staff) << d.id;
}

TEST(WorkforcePopulation, HabitsFollowTheirProbabilities) {
  const auto pop = make_population(5000);
  int news = 0, named_with_random = 0;
  for (const auto& m : pop.staff) {
    for (const auto& h : m.habits) news += h == "news_reader";
    if (!m.named) {
      for (const auto& h : m.habits) named_with_random += h == "answers_press_enquiries";
    }
  }
  EXPECT_NEAR(news / 5000.0, 0.35, 0.03);
  EXPECT_EQ(named_with_random, 0);  // probability 0 habits are only for the scenario's personas
}

TEST(WorkforcePopulation, TooSmallForThePersonasIsAnError) {
  auto p = build_population(kakuu(), default_activity_profile(), {1, "t", 1});
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("--population"), std::string::npos);
}

TEST(WorkforceProfile, BuiltInProfileUsesOnlyFictionalDomains) {
  const auto& p = default_activity_profile();
  ASSERT_FALSE(p.sites.empty());
  auto fictional = [](const std::string& d) {
    return d.size() > 8 && d.substr(d.size() - 8) == ".example";
  };
  for (const auto& s : p.sites) EXPECT_TRUE(fictional(s.domain)) << s.domain;
  for (const auto& d : p.correspondent_domains) EXPECT_TRUE(fictional(d)) << d;
  EXPECT_TRUE(fictional(p.asset_domain));
}

TEST(WorkforceProfile, BrokenProfileNamesTheProblem) {
  auto p = parse_activity_profile("day: {desk_intensity: [1, 2]}\n", "test.yaml");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().message.find("test.yaml"), std::string::npos);
  EXPECT_NE(p.error().message.find("24 values"), std::string::npos);
}

}  // namespace
}  // namespace cyrange::workforce
