#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace cyrange::workforce {

// Events are what happened; renderers turn each into the lines real servers write.
// Every line of one event carries the event's time, so a stream sorted by time gives
// log files sorted by time.

/// A request through the proxy.
struct WebRequest {
  std::string method = "GET";  ///< GET, POST or CONNECT
  std::string url;             ///< absolute URL, or host:443 for CONNECT
  int status = 200;
  long long bytes = 0;
  int elapsed_ms = 0;
  std::string cache_code = "TCP_MISS";  ///< squid result code
  std::string content_type;             ///< "-" when none
  std::uint32_t server = 0;             ///< address the proxy connected to; 0: none
};

/// One mail through the organisation's mail server.
struct MailMessage {
  std::string from;
  std::vector<std::string> to;
  long long size = 0;
  std::string client_name;  ///< HELO/reverse name of the submitting client
  std::uint32_t client_address = 0;
  std::string message_id;  ///< without angle brackets
  std::string relay_host;  ///< next hop for external recipients; empty: all local
  std::uint32_t relay_address = 0;
  std::string subject;     ///< for mailbox rendering; postfix does not log it
  std::string attachment;  ///< file name, empty when none
};

/// One DNS query answered by the range's dnsmasq.
struct DnsQuery {
  std::string name;
  std::string type = "A";
  std::string answer;  ///< address; empty: NXDOMAIN
  bool local = false;  ///< answered from /etc/hosts rather than forwarded
};

/// A logon, failed logon or logoff at a workstation.
struct Logon {
  enum class Kind { success, failure, logoff } kind = Kind::success;
  std::string host;  ///< workstation name
  int pid = 0;       ///< login process id, the same for the session's open and close
  std::uint32_t uid = 0;
};

/// An operation on the file server's shares (Samba full_audit).
struct FileAccess {
  std::string share;
  std::string operation = "openat";  ///< connect, openat, unlinkat, disconnect
  std::string mode = "r";            ///< r or w for openat
  std::string path;                  ///< relative to the share
  std::string client_host;           ///< NetBIOS name of the client
};

/// One event: its time, its actor and its details.
struct Event {
  std::int64_t time_ms = 0;  ///< Unix time in milliseconds
  std::uint32_t client = 0;  ///< IPv4 of the acting machine
  std::string user;          ///< login of the acting person; "-" when unknown
  std::uint64_t serial = 0;  ///< orders events of equal time and seeds ids (queue ids, pids)
  bool attack = false;       ///< injected by the attack timeline rather than the workforce
  std::variant<WebRequest, MailMessage, DnsQuery, Logon, FileAccess> detail;
};

/// The log file each event kind goes to.
enum class LogKind { proxy, mail, dns, auth };

/// The log an event is written to.
inline LogKind log_of(const Event& e) {
  switch (e.detail.index()) {
    case 0:
      return LogKind::proxy;
    case 1:
      return LogKind::mail;
    case 2:
      return LogKind::dns;
    default:
      return LogKind::auth;
  }
}

/// Strict weak order by time, then serial: total and deterministic.
inline bool earlier(const Event& a, const Event& b) {
  return a.time_ms != b.time_ms ? a.time_ms < b.time_ms : a.serial < b.serial;
}

}  // namespace cyrange::workforce
