// Inject steps on real tiny guests (qemu:///system): the mail fallback into mbox
// and mail.log, a mail thread, the implant's beacons at the attacker's receiver,
// the IP-filtered portal, decoy encryption; then a leak-free teardown.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <thread>

#include <orchestrator/inject/inject_executor.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::inject {
namespace {

range::HostSpec host(const std::string& name, const std::string& role,
                     std::vector<std::string> services, std::vector<range::NicSpec> nics) {
  range::HostSpec h;
  h.name = name;
  h.image_profile = "tiny";
  h.role = role;
  h.services = std::move(services);
  h.nics = std::move(nics);
  return h;
}

// mail and attacker on "dmz"; ws and attacker on "lan": the attacker is the outside.
range::RangeSpec spec() {
  range::RangeSpec s;
  s.exercise = "injtest";
  s.team = "t1";
  s.networks = {{"dmz", "10.61.1.0/24"}, {"lan", "10.61.2.0/24"}};
  s.hosts = {host("mail", "mail", {"smtp"}, {{"dmz", "10.61.1.25/24", ""}}),
             host("ws", "workstation", {}, {{"lan", "10.61.2.101/24", ""}}),
             host("attacker", "attacker_c2", {"http"},
                  {{"dmz", "10.61.1.23/24", ""}, {"lan", "10.61.2.23/24", ""}})};
  return s;
}

timeline::TimelineItem step(const std::string& id, const std::string& type,
                            const std::string& target, std::map<std::string, std::string> params) {
  timeline::TimelineItem item;
  item.id = id;
  item.type = type;
  item.target = target;
  item.params = std::move(params);
  return item;
}

int count(const std::string& text, const std::string& what) {
  int n = 0;
  for (std::size_t p = 0; (p = text.find(what, p)) != std::string::npos; p += what.size()) ++n;
  return n;
}

TEST(InjectIntegration, AttackChainOnTinyGuests) {
  range::ImageBuildOptions image_options;
  image_options.cache_root = "/var/lib/cyrange/images";
  auto image = range::build_image(image_options);
  ASSERT_TRUE(image.has_value()) << image.error().message;
  auto hv = range::LibvirtHypervisor::connect("qemu:///system");
  ASSERT_TRUE(hv.has_value()) << hv.error().message;
  ASSERT_TRUE(range::TeamRange::remove_orphans(**hv, "cyr-injtest-").ok());
  range::TeamRangeOptions options;
  options.image = *image;
  options.capture_pristine = false;
  range::TeamRange team(**hv, spec(), options);
  auto up = team.up();
  ASSERT_TRUE(up.ok()) << up.error().message;

  auto runner = std::make_shared<RangeGuestRunner>(team);
  InjectExecutor exec([&](const std::string&, const std::string&) -> Expected<TeamTarget> {
    return TeamTarget{runner, HostDirectory::from_spec(team.spec())};
  });
  auto fire = [&](const timeline::TimelineItem& item, std::int64_t id) {
    timeline::StepContext c;
    c.execution_id = id;
    c.exercise = "injtest";
    c.team = "t1";
    c.item = &item;
    return exec.execute(c);
  };
  auto sh = [&](const std::string& h, const std::string& cmd) {
    auto r = team.exec(h, {"/bin/sh", "-c", cmd});
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.has_value() ? r->out : std::string();
  };

  // Mail: a tiny mail host has no MTA, so the lure lands in the mbox with postfix lines.
  auto lure = step("lure", "send_mail", "mail",
                   {{"from", "reporter@abcdef-press.jp"},
                    {"to", "suzuki.hanako@city.kakuu.lg.jp"},
                    {"subject", "Re: 取材のお願い（ご依頼の資料）"},
                    {"attachment", "取材依頼書_資料.docm"}});
  auto st = fire(lure, 1001);
  ASSERT_TRUE(st.ok()) << st.error().message;
  ASSERT_FALSE(exec.report(1001).empty());
  EXPECT_NE(exec.report(1001)[0].find("mbox-fallback"), std::string::npos);
  std::string box = sh("mail", "cat /var/mail/suzuki.hanako");
  EXPECT_EQ(count(box, "\nMessage-ID: <1001.mail."), 1) << box;
  EXPECT_NE(box.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(box.find("Content-Disposition: attachment; filename*=UTF-8''"), std::string::npos);
  std::string maillog = sh("mail", "cat /var/log/mail.log");
  EXPECT_NE(maillog.find("client=unknown[10.61.1.23]"), std::string::npos) << maillog;
  EXPECT_NE(maillog.find("to=<suzuki.hanako@city.kakuu.lg.jp>, relay=local"), std::string::npos);
  ASSERT_TRUE(fire(lure, 1001).ok());  // a re-run after a crash: nothing twice
  EXPECT_EQ(sh("mail", "cat /var/mail/suzuki.hanako"), box);
  EXPECT_EQ(sh("mail", "cat /var/log/mail.log"), maillog);

  auto thread = lure;
  thread.id = "exchange";
  thread.type = "mail_exchange";
  thread.params["subject"] = "取材のお願い";
  ASSERT_TRUE(fire(thread, 1002).ok());
  box = sh("mail", "cat /var/mail/suzuki.hanako");
  EXPECT_EQ(count(box, "\nFrom reporter@abcdef-press.jp "), 3)
      << "two harmless mails and the lure after the first";
  EXPECT_NE(sh("mail", "cat /var/mail/suzuki.hanako.sent").find("In-Reply-To: <1002.a1."),
            std::string::npos);

  // Implant: beacons every 2 s (+-50%) reach the attacker's receiver from the workstation.
  auto beacon = step("beacon", "beacon", "ws",
                     {{"url", "http://10.61.2.23/cgi-bin/update"},
                      {"interval_seconds", "2"},
                      {"jitter_percent", "50"},
                      {"c2_host", "attacker"}});
  st = fire(beacon, 1003);
  ASSERT_TRUE(st.ok()) << st.error().message;
  std::string c2;
  for (int i = 0; i < 40 && count(c2, "10.61.2.101 GET") < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    c2 = sh("attacker", "cat /var/log/c2-access.log 2>/dev/null");
  }
  EXPECT_GE(count(c2, "10.61.2.101 GET /cgi-bin/update?id=1003&n="), 2) << c2;
  if (count(c2, "10.61.2.101 GET") < 2) {  // show why, from both ends
    std::cout
        << "attacker:\n"
        << sh("attacker", "ls -la /www /www/cgi-bin /var/log; ps | grep -v ' \\[' ") << "ws:\n"
        << sh("ws",
              "ls -la /var/lib/cyrange/implant /tmp/.cache; cat /var/lib/cyrange/implant/*.log; "
              "ps | grep -v ' \\['; wget -O - http://10.61.2.23/cgi-bin/update 2>&1");
  }
  sh("ws", "touch /var/lib/cyrange/implant/1003.stop");
  EXPECT_NE(sh("ws", "cat /var/lib/cyrange/implant/1003.log")
                .find("task=[sleep] (recorded, not executed)"),
            std::string::npos);

  // Watering hole on the attacker's web server: only the "lan" range sees the script.
  st = fire(step("wh", "watering_hole", "attacker",
                 {{"cidrs", "10.61.2.0/24"}, {"script_url", "http://cdn-x.net/s.js"}}),
            1004);
  ASSERT_TRUE(st.ok()) << st.error().message;
  const std::string inside = sh("ws", "wget -q -O - http://10.61.2.23/");
  const std::string outside = sh("mail", "wget -q -O - http://10.61.1.23/");
  EXPECT_NE(inside.find("<script src=\"http://cdn-x.net/s.js\">"), std::string::npos) << inside;
  EXPECT_NE(outside.find("cyrange tiny guest"), std::string::npos) << outside;
  EXPECT_EQ(outside.find("script"), std::string::npos) << outside;
  const std::string access = sh("attacker", "cat /var/log/portal-access.log");
  EXPECT_NE(access.find("10.61.2.101 - - ["), std::string::npos) << access;
  EXPECT_NE(access.find("10.61.1.25 - - ["), std::string::npos) << access;

  // Decoy encryption: reversible, only in the folder the step made.
  st = fire(step("enc", "encrypt_decoys", "ws", {{"folder", "/srv/share/decoy"}, {"files", "4"}}),
            1005);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(sh("ws", "ls /srv/share/decoy | grep -c '\\.locked$'"), "4\n");
  EXPECT_EQ(
      sh("ws", "tr 'A-Za-z' 'N-ZA-Mn-za-m' < /srv/share/decoy/decoy_1.txt.locked | base64 -d"),
      "DECOY document 1 - training data only\n");
  EXPECT_NE(sh("ws", "cat /srv/share/decoy/README_RESTORE.txt").find("CYRANGE TRAINING SIMULATION"),
            std::string::npos);

  ASSERT_TRUE(team.down().ok());
  for (auto kind :
       {range::ObjectKind::domain, range::ObjectKind::network, range::ObjectKind::pool}) {
    auto left = (*hv)->list(kind, "cyr-injtest-");
    ASSERT_TRUE(left.has_value());
    EXPECT_TRUE(left->empty()) << left->front().name << " leaked";
  }
  EXPECT_FALSE(std::filesystem::exists("/var/lib/cyrange/pools/injtest"));
}

// With the standard profile's postfix the mail travels over real SMTP: curl from a
// standard attacker host, a paced nc dialogue from a tiny one.
TEST(InjectIntegration, RealSmtpIntoPostfixOnTheStandardProfile) {
  range::RangeSpec s;
  s.exercise = "injstdtest";
  s.team = "t1";
  s.networks = {{"dmz", "10.72.1.0/24"}};
  s.hosts = {host("mail", "mail", {"smtp"}, {{"dmz", "10.72.1.25/24", ""}}),
             host("attacker", "attacker", {}, {{"dmz", "10.72.1.23/24", ""}}),
             host("outsider", "attacker", {}, {{"dmz", "10.72.1.24/24", ""}})};
  s.hosts[0].image_profile = s.hosts[1].image_profile = "standard";
  auto hv = range::LibvirtHypervisor::connect("qemu:///system");
  ASSERT_TRUE(hv.has_value()) << hv.error().message;
  ASSERT_TRUE(range::TeamRange::remove_orphans(**hv, "cyr-injstdtest-").ok());
  range::TeamRangeOptions options;
  auto images = range::provide_images({s}, range::ImageBuildOptions{}, options);
  ASSERT_TRUE(images.ok()) << images.error().message;
  options.capture_pristine = false;
  range::TeamRange team(**hv, s, options);
  auto up = team.up();
  ASSERT_TRUE(up.ok()) << up.error().message;

  auto runner = std::make_shared<RangeGuestRunner>(team);
  InjectExecutor exec([&](const std::string&, const std::string&) -> Expected<TeamTarget> {
    return TeamTarget{runner, HostDirectory::from_spec(team.spec())};
  });
  auto fire = [&](const timeline::TimelineItem& item, std::int64_t id) {
    timeline::StepContext c;
    c.execution_id = id;
    c.team = "t1";
    c.item = &item;
    return exec.execute(c);
  };
  auto sh = [&](const std::string& h, const std::string& cmd) {
    auto r = team.exec(h, {"/bin/sh", "-c", cmd});
    EXPECT_TRUE(r.has_value()) << r.error().message;
    return r.has_value() ? r->out : std::string();
  };
  auto lure = step("lure", "send_mail", "mail",
                   {{"from", "reporter@abcdef-press.jp"},
                    {"to", "suzuki.hanako@city.kakuu.lg.jp"},
                    {"subject", "Re: 取材のお願い（ご依頼の資料）"},
                    {"attachment", "取材依頼書_資料.docm"}});
  auto st = fire(lure, 2001);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_NE(exec.report(2001)[0].find("smtp-curl"), std::string::npos) << exec.report(2001)[0];
  auto nc_item = lure;
  nc_item.params["sender_host"] = "outsider";
  st = fire(nc_item, 2002);
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_NE(exec.report(2002)[0].find("smtp-nc"), std::string::npos) << exec.report(2002)[0];

  std::string box;
  for (int i = 0; i < 40 && count(box, "Message-ID: <200") < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    box = sh("mail", "cat /var/mail/suzuki.hanako 2>/dev/null");
  }
  EXPECT_EQ(count(box, "Message-ID: <2001.mail."), 1) << box;
  EXPECT_EQ(count(box, "Message-ID: <2002.mail."), 1) << box;
  EXPECT_NE(box.find("filename*=UTF-8''"), std::string::npos);
  const std::string log = sh("mail", "cat /var/log/mail.log");
  EXPECT_NE(log.find("[10.72.1.23]"), std::string::npos) << log;
  EXPECT_NE(log.find("[10.72.1.24]"), std::string::npos) << log;
  EXPECT_NE(log.find("from=<reporter@abcdef-press.jp>"), std::string::npos) << log;
  EXPECT_NE(log.find("status=sent"), std::string::npos) << log;
  ASSERT_TRUE(fire(lure, 2001).ok());  // nothing twice
  std::this_thread::sleep_for(std::chrono::seconds(2));
  EXPECT_EQ(count(sh("mail", "cat /var/mail/suzuki.hanako"), "Message-ID: <2001.mail."), 1);

  ASSERT_TRUE(team.down().ok());
  for (auto kind :
       {range::ObjectKind::domain, range::ObjectKind::network, range::ObjectKind::pool}) {
    auto left = (*hv)->list(kind, "cyr-injstdtest-");
    ASSERT_TRUE(left.has_value());
    EXPECT_TRUE(left->empty()) << left->front().name << " leaked";
  }
}

}  // namespace
}  // namespace cyrange::inject
