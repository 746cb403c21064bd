#pragma once

#include <cstdint>
#include <string>

#include <orchestrator/workforce/event.h>
#include <orchestrator/workforce/population.h>

namespace cyrange::workforce {

/// What the renderers need besides the event: the servers' names and local time.
struct RenderContext {
  int utc_offset_minutes = 540;
  std::string mail_host = "mail";
  std::string mail_domain;
  std::string files_host = "files";
  std::uint32_t dns_upstream = 0;
  int dnsmasq_pid = 812;
  int qmgr_pid = 733;
};

/// The context for a population's servers.
RenderContext render_context(const Population& population, int utc_offset_minutes);

/// Appends squid native access.log line(s) for a WebRequest event.
int render_squid(const Event& event, const RenderContext& ctx, std::string& out);

/// Appends the postfix maillog lines of one MailMessage (smtpd, cleanup, qmgr, local/smtp).
int render_postfix(const Event& event, const RenderContext& ctx, std::string& out);

/// Appends dnsmasq log-queries lines of one DnsQuery (query, forwarded/reply or /etc/hosts).
int render_dnsmasq(const Event& event, const RenderContext& ctx, std::string& out);

/// Appends the syslog auth line of a Logon (pam_unix) or FileAccess (Samba full_audit).
int render_auth(const Event& event, const RenderContext& ctx, std::string& out);

/// Appends the lines of any event in its log's format; returns how many lines.
int render(const Event& event, const RenderContext& ctx, std::string& out);

/// "Mmm dd HH:MM:SS" in local time, as syslog writes it.
std::string syslog_time(std::int64_t time_ms, int utc_offset_minutes);

/// The 10-hex-digit postfix queue id derived from a serial.
std::string queue_id(std::uint64_t serial);

}  // namespace cyrange::workforce
