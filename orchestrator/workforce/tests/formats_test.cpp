// Every line of a generated day parses back with the grammar of the real server's log.
#include <regex>

#include <orchestrator/workforce/tests/support.h>

namespace cyrange::workforce {
namespace {

using namespace testing;

const std::string kSyslogTime = R"([A-Z][a-z]{2} [ 123][0-9] [0-2][0-9]:[0-5][0-9]:[0-5][0-9])";
const std::string kIp = R"((?:[0-9]{1,3}\.){3}[0-9]{1,3})";

std::size_t count_unmatched(const std::string& log, const std::vector<std::regex>& grammar,
                            std::string& first_bad) {
  std::size_t bad = 0;
  for (const auto& line : lines_of(log)) {
    bool ok = false;
    for (const auto& re : grammar) ok = ok || std::regex_match(line, re);
    if (!ok && bad++ == 0) first_bad = line;
  }
  return bad;
}

TEST(WorkforceFormats, EveryLineParsesBack) {
  const auto pop = make_population(40);
  const auto logs = day_logs(pop, 11, "team-1", 0, 24 * 60, 9 * 60);
  const std::vector<std::regex> squid = {std::regex(
      R"([0-9]{10}\.[0-9]{3} +[0-9]+ )" + kIp +
      R"( (TCP_MISS|TCP_TUNNEL|TCP_MEM_HIT|TCP_HIT|TCP_DENIED)/[0-9]{3} [0-9]+ (GET|POST|CONNECT) \S+ \S+ (HIER_DIRECT/)" +
      kIp + R"(|HIER_NONE/-) \S+)")};
  const std::string pf =
      kSyslogTime + R"( \S+ postfix/(smtpd|cleanup|qmgr|local|smtp)\[[0-9]+\]: )";
  const std::string qid = "[0-9A-F]{10}";
  const std::vector<std::regex> postfix = {
      std::regex(pf + R"((connect|disconnect) from \S+\[)" + kIp + R"(\].*)"),
      std::regex(pf + qid + R"(: client=\S+\[)" + kIp + R"(\])"),
      std::regex(pf + qid + R"(: message-id=<[^<>@ ]+@[^<> ]+>)"),
      std::regex(pf + qid +
                 R"(: from=<[^<> ]+@[^<> ]+>, size=[0-9]+, nrcpt=[0-9]+ \(queue active\))"),
      std::regex(
          pf + qid + R"(: to=<[^<> ]+>, relay=(local|\S+\[)" + kIp +
          R"(\]:25), delay=[0-9.e-]+, delays=[0-9.e-]+/[0-9.e-]+/[0-9.e-]+/[0-9.e-]+, dsn=2\.0\.0, status=sent \(.+\))"),
      std::regex(pf + qid + ": removed"),
  };
  const std::string dm = kSyslogTime + R"( dnsmasq\[[0-9]+\]: )";
  const std::vector<std::regex> dnsmasq = {
      std::regex(dm + R"(query\[A\] \S+ from )" + kIp),
      std::regex(dm + R"(forwarded \S+ to )" + kIp),
      std::regex(dm + R"((reply|/etc/hosts) \S+ is ()" + kIp + "|NXDOMAIN)"),
  };
  const std::vector<std::regex> auth = {
      std::regex(
          kSyslogTime +
          R"( \S+ login\[[0-9]+\]: pam_unix\(login:session\): session opened for user \S+\(uid=[0-9]+\) by LOGIN\(uid=0\))"),
      std::regex(kSyslogTime +
                 R"( \S+ login\[[0-9]+\]: pam_unix\(login:session\): session closed for user \S+)"),
      std::regex(
          kSyslogTime +
          R"( \S+ login\[[0-9]+\]: pam_unix\(login:auth\): authentication failure; logname=LOGIN uid=0 euid=0 tty=tty1 ruser= rhost=  user=\S+)"),
      std::regex(kSyslogTime + R"( \S+ smbd_audit: [^|]+\|)" + kIp +
                 R"(\|[^|]+\|[^|]+\|(connect|disconnect|openat|unlinkat)\|ok\|.+)"),
  };
  const std::vector<std::vector<std::regex>> grammars = {squid, postfix, dnsmasq, auth};
  for (std::size_t k = 0; k < 4; ++k) {
    std::string first_bad;
    EXPECT_GT(lines_of(logs[k]).size(), 100u) << kLogFileNames[k];
    EXPECT_EQ(count_unmatched(logs[k], grammars[k], first_bad), 0u)
        << kLogFileNames[k] << ": " << first_bad;
  }
}

// A mail's lines agree with each other: one queue id, nrcpt equals the deliveries.
TEST(WorkforceFormats, MailTransactionsAreConsistent) {
  const auto logs = day_logs(make_population(30), 5, "team-1");
  std::map<std::string, int> nrcpt, delivered;
  const std::regex qmgr(R"(: ([0-9A-F]{10}): from=<[^>]*>, size=[0-9]+, nrcpt=([0-9]+))");
  const std::regex to(R"(: ([0-9A-F]{10}): to=<)");
  for (const auto& line : lines_of(logs[1])) {
    std::smatch m;
    if (std::regex_search(line, m, qmgr)) nrcpt[m[1]] = std::stoi(m[2]);
    if (std::regex_search(line, m, to)) ++delivered[m[1]];
  }
  ASSERT_GT(nrcpt.size(), 50u);
  EXPECT_EQ(nrcpt, delivered);
}

}  // namespace
}  // namespace cyrange::workforce
