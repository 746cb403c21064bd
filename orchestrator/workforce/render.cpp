#include <orchestrator/workforce/render.h>

#include <iterator>

#include <fmt/format.h>

#include <orchestrator/scenario/net.h>
#include <orchestrator/workforce/rng.h>

namespace cyrange::workforce {
namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/// Appends "Mmm dd HH:MM:SS"; syslog pads the day with a space ("Jan  5").
void append_syslog_time(std::string& out, std::int64_t time_ms, int offset_minutes) {
  std::int64_t secs = time_ms / 1000 + offset_minutes * 60LL;
  if (time_ms < 0 && time_ms % 1000) --secs;
  std::int64_t days = secs / 86400, rem = secs % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  // civil_from_days (H. Hinnant's algorithm), so no time-zone database is consulted.
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  fmt::format_to(std::back_inserter(out), "{} {:>2} {:02}:{:02}:{:02}", kMonths[m - 1], d,
                 rem / 3600, rem / 60 % 60, rem % 60);
}

std::string ip(std::uint32_t a) { return scenario::format_ipv4(a); }

std::string domain_of(const std::string& address) {
  const auto at = address.find('@');
  return at == std::string::npos ? std::string() : address.substr(at + 1);
}

int pid_of(std::uint64_t serial, std::uint64_t salt) {
  return 2000 + static_cast<int>(mix64(serial ^ salt) % 28000);
}

}  // namespace

std::string syslog_time(std::int64_t time_ms, int utc_offset_minutes) {
  std::string out;
  append_syslog_time(out, time_ms, utc_offset_minutes);
  return out;
}

std::string queue_id(std::uint64_t serial) {
  return fmt::format("{:010X}", mix64(serial ^ 0x71d3) & 0xFFFFFFFFFFULL);
}

RenderContext render_context(const Population& population, int utc_offset_minutes) {
  RenderContext ctx;
  ctx.utc_offset_minutes = utc_offset_minutes;
  ctx.mail_host = population.mail.name;
  ctx.mail_domain = population.mail_domain;
  ctx.files_host = population.files.name;
  ctx.dns_upstream = population.dns_upstream;
  return ctx;
}

int render_squid(const Event& e, const RenderContext&, std::string& out) {
  const auto& w = std::get<WebRequest>(e.detail);
  // squid's native format: time.ms elapsed client code/status bytes method URL user hierarchy/peer
  // type
  const bool direct = w.server != 0;
  fmt::format_to(std::back_inserter(out), "{}.{:03} {:>6} {} {}/{:03} {} {} {} {} {}/{} {}\n",
                 e.time_ms / 1000, e.time_ms % 1000, w.elapsed_ms, ip(e.client), w.cache_code,
                 w.status, w.bytes, w.method, w.url, e.user.empty() ? "-" : e.user,
                 direct ? "HIER_DIRECT" : "HIER_NONE", direct ? ip(w.server) : "-",
                 w.content_type.empty() ? "-" : w.content_type);
  return 1;
}

int render_postfix(const Event& e, const RenderContext& ctx, std::string& out) {
  const auto& m = std::get<MailMessage>(e.detail);
  std::string ts;
  append_syslog_time(ts, e.time_ms, ctx.utc_offset_minutes);
  const std::string qid = queue_id(e.serial);
  const std::string client = fmt::format("{}[{}]", m.client_name, ip(m.client_address));
  const int smtpd = pid_of(e.serial, 1), cleanup = pid_of(e.serial, 2);
  auto line = [&](const char* prog, int pid) {
    fmt::format_to(std::back_inserter(out), "{} {} postfix/{}[{}]: ", ts, ctx.mail_host, prog, pid);
  };
  int lines = 0;
  line("smtpd", smtpd);
  fmt::format_to(std::back_inserter(out), "connect from {}\n", client);
  line("smtpd", smtpd);
  fmt::format_to(std::back_inserter(out), "{}: client={}\n", qid, client);
  line("cleanup", cleanup);
  fmt::format_to(std::back_inserter(out), "{}: message-id=<{}>\n", qid, m.message_id);
  line("qmgr", ctx.qmgr_pid);
  fmt::format_to(std::back_inserter(out), "{}: from=<{}>, size={}, nrcpt={} (queue active)\n", qid,
                 m.from, m.size, m.to.size());
  lines += 4;
  std::uint64_t salt = 10;
  for (const auto& rcpt : m.to) {
    // Delays in the postfix sense: before queue / in queue / connection setup / transmission.
    const double a = 0.05 + static_cast<double>(mix64(e.serial ^ salt) % 200) / 1000.0;
    const double b = 0.01, c = 0.0;
    if (domain_of(rcpt) == ctx.mail_domain) {
      const double d = static_cast<double>(mix64(e.serial ^ (salt + 1)) % 30) / 1000.0;
      line("local", pid_of(e.serial, salt + 2));
      fmt::format_to(
          std::back_inserter(out),
          "{}: to=<{}>, relay=local, delay={:.2g}, delays={:.2g}/{:.2g}/{:.2g}/{:.2g}, dsn=2.0.0, "
          "status=sent (delivered to mailbox)\n",
          qid, rcpt, a + b + c + d, a, b, c, d);
    } else {
      const double c2 = 0.1 + static_cast<double>(mix64(e.serial ^ (salt + 3)) % 300) / 1000.0;
      const double d = 0.05 + static_cast<double>(mix64(e.serial ^ (salt + 4)) % 100) / 1000.0;
      const std::string relay = m.relay_host.empty() ? "mx." + domain_of(rcpt) : m.relay_host;
      line("smtp", pid_of(e.serial, salt + 5));
      fmt::format_to(std::back_inserter(out),
                     "{}: to=<{}>, relay={}[{}]:25, delay={:.2g}, "
                     "delays={:.2g}/{:.2g}/{:.2g}/{:.2g}, dsn=2.0.0, "
                     "status=sent (250 2.0.0 Ok: queued as {})\n",
                     qid, rcpt, relay, ip(m.relay_address), a + b + c2 + d, a, b, c2, d,
                     queue_id(e.serial ^ 0xabcdef));
    }
    ++lines;
    salt += 10;
  }
  line("smtpd", smtpd);
  fmt::format_to(std::back_inserter(out),
                 "disconnect from {} ehlo=1 mail=1 rcpt={} data=1 quit=1 commands={}\n", client,
                 m.to.size(), m.to.size() + 4);
  line("qmgr", ctx.qmgr_pid);
  fmt::format_to(std::back_inserter(out), "{}: removed\n", qid);
  return lines + 2;
}

int render_dnsmasq(const Event& e, const RenderContext& ctx, std::string& out) {
  const auto& q = std::get<DnsQuery>(e.detail);
  std::string prefix;
  append_syslog_time(prefix, e.time_ms, ctx.utc_offset_minutes);
  prefix += fmt::format(" dnsmasq[{}]: ", ctx.dnsmasq_pid);
  const std::string answer = q.answer.empty() ? "NXDOMAIN" : q.answer;
  fmt::format_to(std::back_inserter(out), "{}query[{}] {} from {}\n", prefix, q.type, q.name,
                 ip(e.client));
  if (q.local) {
    fmt::format_to(std::back_inserter(out), "{}/etc/hosts {} is {}\n", prefix, q.name, answer);
    return 2;
  }
  fmt::format_to(std::back_inserter(out), "{}forwarded {} to {}\n", prefix, q.name,
                 ip(ctx.dns_upstream));
  fmt::format_to(std::back_inserter(out), "{}reply {} is {}\n", prefix, q.name, answer);
  return 3;
}

int render_auth(const Event& e, const RenderContext& ctx, std::string& out) {
  append_syslog_time(out, e.time_ms, ctx.utc_offset_minutes);
  if (const auto* l = std::get_if<Logon>(&e.detail)) {
    switch (l->kind) {
      case Logon::Kind::success:
        fmt::format_to(std::back_inserter(out),
                       " {} login[{}]: pam_unix(login:session): session opened for user {}(uid={}) "
                       "by LOGIN(uid=0)\n",
                       l->host, l->pid, e.user, l->uid);
        break;
      case Logon::Kind::failure:
        fmt::format_to(std::back_inserter(out),
                       " {} login[{}]: pam_unix(login:auth): authentication failure; logname=LOGIN "
                       "uid=0 euid=0 "
                       "tty=tty1 ruser= rhost=  user={}\n",
                       l->host, l->pid, e.user);
        break;
      case Logon::Kind::logoff:
        fmt::format_to(std::back_inserter(out),
                       " {} login[{}]: pam_unix(login:session): session closed for user {}\n",
                       l->host, l->pid, e.user);
        break;
    }
    return 1;
  }
  const auto& f = std::get<FileAccess>(e.detail);
  // Samba vfs_full_audit with prefix %u|%I|%m|%S, logged to syslog as smbd_audit.
  fmt::format_to(std::back_inserter(out), " {} smbd_audit: {}|{}|{}|{}|{}|ok|", ctx.files_host,
                 e.user, ip(e.client), f.client_host, f.share, f.operation);
  if (f.operation == "openat") {
    fmt::format_to(std::back_inserter(out), "{}|{}\n", f.mode, f.path);
  } else if (f.operation == "connect" || f.operation == "disconnect") {
    fmt::format_to(std::back_inserter(out), "{}\n", f.share);
  } else {
    fmt::format_to(std::back_inserter(out), "{}\n", f.path);
  }
  return 1;
}

int render(const Event& e, const RenderContext& ctx, std::string& out) {
  switch (log_of(e)) {
    case LogKind::proxy:
      return render_squid(e, ctx, out);
    case LogKind::mail:
      return render_postfix(e, ctx, out);
    case LogKind::dns:
      return render_dnsmasq(e, ctx, out);
    case LogKind::auth:
      return render_auth(e, ctx, out);
  }
  return 0;
}

}  // namespace cyrange::workforce
