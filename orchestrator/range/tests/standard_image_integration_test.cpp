// The "standard" image's services on real guests (qemu:///system), one small range brought up
// once for the whole suite (the binary is one ctest test, see CMakeLists.txt): a mail server
// (postfix, dovecot, nginx), a file server that also runs the proxy and DNS (Samba, squid,
// dnsmasq) and a workstation, the client of every check. Each test drives one service with its
// real protocol from the workstation and finds the evidence in the log the daemon wrote.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <thread>

#include <orchestrator/range/provision_bench.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/team_range.h>
#include <orchestrator/range/tests/test_spec.h>

namespace cyrange::range {
namespace {

constexpr const char* kMail = "10.70.1.25";
constexpr const char* kFiles = "10.70.1.30";
constexpr const char* kClient = "10.70.1.50";

// Unique per run, so an old mailbox, share or log line of another run cannot pass a check.
std::string marker(const std::string& what) {
  return "cyr-" + what + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1000000007);
}

class StandardServices : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto t0 = std::chrono::steady_clock::now();
    ImageBuildOptions image_options;
    image_options.profile = "standard";
    auto image = build_image(image_options);
    ASSERT_TRUE(image.has_value()) << image.error().message;
    std::cout << "standard image build: " << seconds_since(t0)
              << " s (cache_hit=" << image->cache_hit << ", "
              << std::filesystem::file_size(image->data_base) / (1 << 20) << " MiB qcow2)\n";
    EXPECT_TRUE(image->root_disk);
    EXPECT_GE(image->disk_bytes, 1ULL << 30);
    auto again = build_image(image_options);
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(again->cache_hit);

    spec_ = new RangeSpec;
    spec_->exercise = "istdtest";
    spec_->team = "t1";
    spec_->networks = {{"lan", "10.70.1.0/24"}};
    // Roles start their daemons (mail: postfix + dovecot, file_server: smbd); services add
    // more and are each checked before the host counts as ready.
    spec_->hosts = {
        testing::make_host("mail", "mail", {"smtp", "imap", "http"},
                           {{"lan", std::string(kMail) + "/24", ""}}),
        testing::make_host("files", "file_server", {"smb", "proxy", "dns"},
                           {{"lan", std::string(kFiles) + "/24", ""}}),
        testing::make_host("ws", "workstation", {}, {{"lan", std::string(kClient) + "/24", ""}})};
    for (auto& h : spec_->hosts) h.image_profile = "standard";
    spec_->hosts[1].memory_mib = 384;  // squid, smbd and dnsmasq together

    auto hv = LibvirtHypervisor::connect("qemu:///system");
    ASSERT_TRUE(hv.has_value()) << hv.error().message;
    hv_ = hv->release();
    ASSERT_TRUE(TeamRange::remove_orphans(*hv_, "cyr-istdtest-").ok());  // a killed run's
    TeamRangeOptions options;
    ASSERT_TRUE(provide_images({*spec_}, image_options, options).ok());
    options.capture_pristine = false;
    range_ = new TeamRange(*hv_, *spec_, options);
    t0 = std::chrono::steady_clock::now();
    auto up = range_->up();
    std::cout << "standard range up (3 hosts): " << seconds_since(t0) << " s\n";
    for (const auto& h : range_->status())
      std::cout << "  " << h.name << " boot-to-ready " << h.boot_seconds << " s\n";
    ASSERT_TRUE(up.ok()) << up.error().message;
    ready_ = true;
  }

  static void TearDownTestSuite() {
    if (range_) {
      auto t0 = std::chrono::steady_clock::now();
      EXPECT_TRUE(range_->down().ok());
      std::cout << "standard range down: " << seconds_since(t0) << " s\n";
      for (auto kind : {ObjectKind::domain, ObjectKind::network, ObjectKind::pool}) {
        auto left = hv_->list(kind, "cyr-istdtest-");
        ASSERT_TRUE(left.has_value());
        EXPECT_TRUE(left->empty()) << left->front().name << " leaked";
      }
      EXPECT_FALSE(std::filesystem::exists("/var/lib/cyrange/pools/istdtest/t1"));
    }
    delete range_;
    delete spec_;
    delete hv_;
    range_ = nullptr;
  }

  void SetUp() override { ASSERT_TRUE(ready_) << "the range did not come up"; }

  // Runs a shell line in a host; a failed command's output ends up in the assertion message.
  static ExecResult sh(const std::string& host, const std::string& line) {
    auto r = range_->exec(host, {"/bin/sh", "-c", line});
    EXPECT_TRUE(r.has_value()) << host << ": " << (r ? "" : r.error().message);
    return r ? *r : ExecResult{};
  }

  // Runs `line` in `host` until its output contains `needle` or 30 s pass (daemons write their
  // logs and deliver mail asynchronously); returns the last output.
  static std::string wait_for(const std::string& host, const std::string& line,
                              const std::string& needle) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::string out;
    do {
      out = sh(host, line).out;
      if (out.find(needle) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
    } while (std::chrono::steady_clock::now() < deadline);
    return out;
  }

  // Sends one mail over SMTP from the workstation to `rcpt` at the mail server.
  static ExecResult send_mail(const std::string& rcpt, const std::string& subject) {
    return sh("ws", "printf 'From: Alice <alice@ws.kakuu.example>\\r\\nTo: <" + rcpt +
                        ">\\r\\nSubject: " + subject +
                        "\\r\\n\\r\\nquarterly report attached\\r\\n' > /tmp/mail.txt && "
                        "curl -sS --max-time 30 --url smtp://" +
                        kMail + " --mail-from alice@ws.kakuu.example --mail-rcpt '" + rcpt +
                        "' --upload-file /tmp/mail.txt");
  }

  static inline Hypervisor* hv_ = nullptr;
  static inline RangeSpec* spec_ = nullptr;
  static inline TeamRange* range_ = nullptr;
  static inline bool ready_ = false;
};

TEST_F(StandardServices, OnlyTheRolesAndServicesDaemonsRun) {
  EXPECT_EQ(sh("mail", "pgrep -x master && pgrep -x dovecot && pgrep -x nginx").exit_code, 0);
  EXPECT_EQ(sh("files", "pgrep -x smbd && pgrep -x squid && pgrep -x dnsmasq").exit_code, 0);
  EXPECT_NE(sh("files", "pgrep -x master").exit_code, 0) << "postfix runs on the file server";
  EXPECT_NE(sh("ws", "pgrep -x master || pgrep -x smbd || pgrep -x dovecot").exit_code, 0)
      << "a server daemon runs on the workstation";
  EXPECT_EQ(sh("ws", "pgrep -x rsyslogd").exit_code, 0);
}

TEST_F(StandardServices, SmtpDeliveryLandsInTheMailboxAndInMailLog) {
  const std::string subject = marker("smtp");
  auto sent = send_mail("Bob@kakuu.example", subject);
  ASSERT_EQ(sent.exit_code, 0) << sent.out << sent.err;
  const std::string mailbox = wait_for("mail", "cat /var/mail/bob", "Subject: " + subject);
  EXPECT_NE(mailbox.find("Subject: " + subject), std::string::npos) << mailbox;
  EXPECT_NE(mailbox.find("From alice@ws.kakuu.example"), std::string::npos) << "no mbox separator";
  const std::string log =
      wait_for("mail", "cat /var/log/mail.log", "to=<Bob@kakuu.example>, relay=cyrmbox");
  EXPECT_NE(log.find("[" + std::string(kClient) + "]"), std::string::npos)
      << "the SMTP connection from the workstation is not logged:\n"
      << log;
  EXPECT_NE(log.find("from=<alice@ws.kakuu.example>"), std::string::npos) << log;
  EXPECT_NE(log.find("to=<Bob@kakuu.example>, relay=cyrmbox"), std::string::npos) << log;
  EXPECT_NE(log.find("status=sent"), std::string::npos) << log;
}

TEST_F(StandardServices, TheDeliveredMailboxIsReadableOverImapAndTheLoginIsLogged) {
  const std::string subject = marker("imap");
  auto sent = send_mail("carol@kakuu.example", subject);
  ASSERT_EQ(sent.exit_code, 0) << sent.out << sent.err;
  ASSERT_NE(wait_for("mail", "cat /var/mail/carol", subject).find(subject), std::string::npos);
  // Any persona logs in with the range's mail password; INBOX is the mbox postfix filled.
  auto search = sh("ws", "curl -sS --max-time 30 -u carol:cyrange 'imap://" + std::string(kMail) +
                             "/INBOX' -X 'SEARCH SUBJECT \"" + subject + "\"'");
  ASSERT_EQ(search.exit_code, 0) << search.out << search.err;
  EXPECT_NE(search.out.find("* SEARCH 1"), std::string::npos) << search.out;
  auto fetched = sh("ws", "curl -sS --max-time 30 -u carol:cyrange 'imap://" + std::string(kMail) +
                              "/INBOX;MAILINDEX=1'");
  ASSERT_EQ(fetched.exit_code, 0) << fetched.out << fetched.err;
  EXPECT_NE(fetched.out.find("Subject: " + subject), std::string::npos) << fetched.out;
  EXPECT_NE(fetched.out.find("quarterly report attached"), std::string::npos) << fetched.out;
  auto refused = sh("ws", "curl -sS --max-time 30 -u carol:wrong 'imap://" + std::string(kMail) +
                              "/INBOX;MAILINDEX=1'");
  EXPECT_NE(refused.exit_code, 0) << "a wrong password was accepted";
  const std::string log = wait_for("mail", "cat /var/log/mail.log", "Login: user=<carol>");
  EXPECT_NE(log.find("imap-login: Login: user=<carol>"), std::string::npos) << log;
  EXPECT_NE(log.find("rip=" + std::string(kClient)), std::string::npos) << log;
}

TEST_F(StandardServices, AProxiedRequestIsInSquidsAccessLogWithTheClientsAddress) {
  const std::string path = "/" + marker("proxy") + ".html";
  auto fetched = sh("ws", "curl -sS --max-time 30 -o /dev/null -w '%{http_code}' -x http://" +
                              std::string(kFiles) + ":3128 http://" + kMail + path);
  ASSERT_EQ(fetched.exit_code, 0) << fetched.out << fetched.err;
  EXPECT_EQ(fetched.out, "404") << "nginx on the mail host answered through the proxy";
  const std::string log = wait_for("files", "cat /var/log/squid/access.log", path);
  // Native squid format: time elapsed client code/status bytes method URL ident hierarchy type.
  std::string line;
  if (auto at = log.find(path); at != std::string::npos) {
    const auto start = log.rfind('\n', at) == std::string::npos ? 0 : log.rfind('\n', at) + 1;
    line = log.substr(start, log.find('\n', at) - start);
  }
  EXPECT_NE(line.find(" " + std::string(kClient) + " TCP_MISS/404 "), std::string::npos) << log;
  EXPECT_NE(line.find("GET http://" + std::string(kMail) + path), std::string::npos) << line;
  EXPECT_NE(line.find("HIER_DIRECT/" + std::string(kMail)), std::string::npos) << line;
  // And the origin saw the proxy, not the workstation.
  const std::string origin = wait_for("mail", "cat /var/log/nginx/access.log", path);
  EXPECT_NE(origin.find(std::string(kFiles) + " - - ["), std::string::npos) << origin;
}

TEST_F(StandardServices, ADnsLookupIsAnsweredByDnsmasqAndLogged) {
  // A name planted the way a scenario plants one: a line in /etc/cyrange/hosts, then SIGHUP.
  const std::string name = marker("dns") + ".kakuu.example";
  auto planted = sh("files", "echo '" + std::string(kMail) + " " + name +
                                 "' >> /etc/cyrange/hosts && kill -HUP $(pidof dnsmasq)");
  ASSERT_EQ(planted.exit_code, 0) << planted.err;
  const std::string answer =
      wait_for("ws", "dig +short +time=2 +tries=1 @" + std::string(kFiles) + " " + name, kMail);
  EXPECT_EQ(answer, std::string(kMail) + "\n");
  auto unknown = sh("ws", "dig +time=2 +tries=1 @" + std::string(kFiles) + " no-" + name);
  EXPECT_NE(unknown.out.find("status: NXDOMAIN"), std::string::npos) << unknown.out;
  const std::string log = wait_for("files", "cat /var/log/dnsmasq.log", "no-" + name);
  EXPECT_NE(log.find("query[A] " + name + " from " + kClient), std::string::npos) << log;
  EXPECT_NE(log.find("/etc/cyrange/hosts " + name + " is " + kMail), std::string::npos) << log;
  EXPECT_NE(log.find("query[A] no-" + name + " from " + kClient), std::string::npos) << log;
}

TEST_F(StandardServices, AnSmbCopyIsLoggedByTheFileServer) {
  const std::string file = marker("smb") + ".xlsx";
  auto copied =
      sh("ws", "echo 'resident list' > /tmp/" + file + " && smbclient //" + std::string(kFiles) +
                   "/share -U alice%secret -c 'put /tmp/" + file + " " + file + "'");
  ASSERT_EQ(copied.exit_code, 0) << copied.out << copied.err;
  auto stored = sh("files", "cat /srv/share/" + file);
  EXPECT_EQ(stored.out, "resident list\n") << stored.err;
  // vfs full_audit: USER|CLIENT_IP|CLIENT_NAME|SHARE|OPERATION|RESULT|ARGS, via syslog local5;
  // USER is the name the client gave (mapped to the guest account), CLIENT_NAME its host name.
  const std::string who = "smbd_audit: alice|" + std::string(kClient) + "|ws|share|";
  const std::string audit = wait_for("files", "cat /var/log/samba/audit.log", file);
  EXPECT_NE(audit.find(who + "connect|ok|share"), std::string::npos) << audit;
  EXPECT_NE(audit.find(who + "openat|ok|w|/srv/share/" + file), std::string::npos) << audit;
}

}  // namespace
}  // namespace cyrange::range
