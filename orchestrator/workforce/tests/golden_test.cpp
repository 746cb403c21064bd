// Golden files of every renderer: hand-made sample events and a generated morning.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <orchestrator/scenario/net.h>
#include <orchestrator/workforce/render.h>
#include <orchestrator/workforce/tests/support.h>

namespace cyrange::workforce {
namespace {

using namespace testing;

// Compares with golden/<name>; CYRANGE_UPDATE_GOLDEN=1 rewrites the file instead.
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(WORKFORCE_GOLDEN_DIR "/").append(name);
  const char* update = std::getenv("CYRANGE_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << "; run with CYRANGE_UPDATE_GOLDEN=1";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual)
      << "golden file " << path << " differs; if the change is intended, "
      << "regenerate with CYRANGE_UPDATE_GOLDEN=1 and review the diff";
}

std::uint32_t addr(const char* text) { return *scenario::parse_ipv4(text); }

RenderContext sample_context() {
  RenderContext ctx;
  ctx.mail_host = "mail";
  ctx.mail_domain = "city.kakuu.lg.jp";
  ctx.files_host = "files";
  ctx.dns_upstream = addr("198.51.100.53");
  return ctx;
}

Event at(std::int64_t t, std::uint32_t client, std::string user, std::uint64_t serial) {
  Event e;
  e.time_ms = t;
  e.client = client;
  e.user = std::move(user);
  e.serial = serial;
  return e;
}

constexpr std::int64_t kMorning = 1744587062123;  // 2025-04-14 08:31:02.123 JST

TEST(WorkforceGolden, SquidSamples) {
  const auto ctx = sample_context();
  std::string out;
  auto e = at(kMorning, addr("10.30.0.55"), "t.suzuki", 1);
  e.detail = WebRequest{"GET",       "http://www.kakuu-shimbun.example/local/",
                        200,         48213,
                        245,         "TCP_MISS",
                        "text/html", addr("198.51.100.77")};
  render_squid(e, ctx, out);
  e.detail = WebRequest{"CONNECT", "search.findit.example:443", 200, 5120, 15023, "TCP_TUNNEL",
                        "-",       addr("198.51.100.31")};
  render_squid(e, ctx, out);
  e.detail = WebRequest{"GET",       "http://static.cdn-assets.example/img/logo.png",
                        200,         3311,
                        0,           "TCP_MEM_HIT",
                        "image/png", 0};
  render_squid(e, ctx, out);
  expect_golden("samples_access.log", out);
}

TEST(WorkforceGolden, PostfixSamples) {
  const auto ctx = sample_context();
  std::string out;
  auto e = at(kMorning, addr("10.30.0.55"), "t.suzuki", 42);
  MailMessage internal;
  internal.from = "t.suzuki@city.kakuu.lg.jp";
  internal.to = {"h.sato@city.kakuu.lg.jp", "k.ito@city.kakuu.lg.jp"};
  internal.size = 4312;
  internal.client_name = "ws1001.city.kakuu.lg.jp";
  internal.client_address = addr("10.30.0.55");
  internal.message_id = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0@city.kakuu.lg.jp";
  e.detail = internal;
  render_postfix(e, ctx, out);
  MailMessage outbound = internal;
  outbound.to = {"info@kakuu-kensetsu.example"};
  outbound.relay_host = "mx.kakuu-kensetsu.example";
  outbound.relay_address = addr("198.51.100.61");
  e.serial = 43;
  e.detail = outbound;
  render_postfix(e, ctx, out);
  expect_golden("samples_mail.log", out);
}

TEST(WorkforceGolden, DnsmasqSamples) {
  const auto ctx = sample_context();
  std::string out;
  auto e = at(kMorning, addr("172.16.10.8"), "-", 5);
  e.detail = DnsQuery{"www.kakuu-shimbun.example", "A", "198.51.100.77", false};
  render_dnsmasq(e, ctx, out);
  e.detail = DnsQuery{"cdn-unknown.example", "A", "", false};
  render_dnsmasq(e, ctx, out);
  e.client = addr("10.30.0.55");
  e.detail = DnsQuery{"files.city.kakuu.lg.jp", "A", "10.40.0.20", true};
  render_dnsmasq(e, ctx, out);
  expect_golden("samples_dnsmasq.log", out);
}

TEST(WorkforceGolden, AuthSamples) {
  const auto ctx = sample_context();
  std::string out;
  auto e = at(kMorning - 9000, addr("10.30.0.55"), "t.suzuki", 7);
  e.detail = Logon{Logon::Kind::failure, "ws1001", 4242, 10007};
  render_auth(e, ctx, out);
  e.time_ms = kMorning;
  e.detail = Logon{Logon::Kind::success, "ws1001", 4242, 10007};
  render_auth(e, ctx, out);
  e.detail = FileAccess{"taxation", "connect", "", "", "ws1001"};
  render_auth(e, ctx, out);
  e.detail = FileAccess{"taxation", "openat", "w", "2024/03_yosan-an.xlsx", "ws1001"};
  render_auth(e, ctx, out);
  e.time_ms = kMorning + 8 * 3600'000LL;
  e.detail = Logon{Logon::Kind::logoff, "ws1001", 4242, 10007};
  render_auth(e, ctx, out);
  expect_golden("samples_auth.log", out);
}

// A small office's morning with the attack starting at 08:30: every log, byte for byte.
TEST(WorkforceGolden, GeneratedMorning) {
  const auto pop = make_population(8, 7, "team-1");
  const auto logs = day_logs(pop, 7, "team-1", 8 * 60, 9 * 60 + 30, 8 * 60 + 30);
  for (std::size_t k = 0; k < logs.size(); ++k) {
    EXPECT_FALSE(logs[k].empty()) << kLogFileNames[k];
    expect_golden(std::string("morning_") + kLogFileNames[k], logs[k]);
  }
}

}  // namespace
}  // namespace cyrange::workforce
