#include <orchestrator/inject/mime.h>

#include <functional>
#include <sstream>

#include <orchestrator/inject/step_kit.h>
#include <orchestrator/range/guest_agent.h>

namespace cyrange::inject {
namespace {

bool is_ascii(const std::string& text) {
  for (unsigned char c : text) {
    if (c >= 0x80) return false;
  }
  return true;
}

// Base64 broken into 76-column lines, as MIME bodies require.
std::string base64_lines(const std::string& data) {
  const std::string b64 = range::base64_encode(data);
  std::string out;
  for (std::size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\n";
  return out;
}

// Percent-encoding for RFC 2231 parameters (filename*=UTF-8''...).
std::string percent_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

}  // namespace

std::string encode_header_text(const std::string& text) {
  if (is_ascii(text)) return text;
  // Split on UTF-8 character boundaries so each encoded word stays under 75 columns.
  std::string out;
  std::string chunk;
  auto flush = [&] {
    if (chunk.empty()) return;
    out +=
        (out.empty() ? "" : "\n ") + std::string("=?UTF-8?B?") + range::base64_encode(chunk) + "?=";
    chunk.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (chunk.size() + len > 45) flush();
    chunk += text.substr(i, len);
    i += len;
  }
  flush();
  return out;
}

std::string render_message(const MailMessage& mail) {
  std::ostringstream m;
  m << "From: " << mail.from << "\n";
  m << "To: " << join(mail.to, ", ") << "\n";
  if (!mail.reply_to.empty()) m << "Reply-To: " << mail.reply_to << "\n";
  m << "Subject: " << encode_header_text(mail.subject) << "\n";
  m << "Date: " << rfc5322_date(mail.date) << "\n";
  m << "Message-ID: <" << mail.message_id << ">\n";
  if (!mail.in_reply_to.empty()) {
    m << "In-Reply-To: <" << mail.in_reply_to << ">\nReferences: <" << mail.in_reply_to << ">\n";
  }
  m << "MIME-Version: 1.0\n";
  const std::string text_part =
      "Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n" +
      base64_lines(mail.body);
  if (mail.attachment_name.empty()) {
    m << text_part;
    return m.str();
  }
  const std::string boundary = "=_cyr_" + mail.message_id.substr(0, mail.message_id.find('@'));
  m << "Content-Type: multipart/mixed; boundary=\"" << boundary << "\"\n\n";
  m << "This is a multi-part message in MIME format.\n";
  m << "--" << boundary << "\n" << text_part;
  m << "--" << boundary << "\n";
  m << "Content-Type: application/octet-stream; name=\"" << encode_header_text(mail.attachment_name)
    << "\"\n";
  m << "Content-Disposition: attachment; filename*=UTF-8''" << percent_encode(mail.attachment_name)
    << "\n";
  m << "Content-Transfer-Encoding: base64\n\n" << base64_lines(mail.attachment_content);
  m << "--" << boundary << "--\n";
  return m.str();
}

std::string mail_domain(const std::string& address) {
  const auto at = address.rfind('@');
  return at == std::string::npos ? "localhost" : address.substr(at + 1);
}

std::string mailbox_name(const std::string& address) {
  std::string local = address.substr(0, address.find('@'));
  for (char& c : local) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-' && c != '_') c = '_';
  }
  return local.empty() ? "unknown" : local;
}

std::string mbox_entry(const MailMessage& mail, const std::string& rendered) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(mail.date);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char when[32];
  std::strftime(when, sizeof when, "%a %b %e %H:%M:%S %Y", &tm);
  std::string out = "From " + mail.from + " " + when + "\n";
  std::istringstream in(rendered);
  for (std::string line; std::getline(in, line);) {
    out += (line.rfind("From ", 0) == 0 ? ">" : "") + line + "\n";
  }
  return out + "\n";
}

std::vector<std::string> postfix_log_lines(const std::string& mail_host, const std::string& client,
                                           const MailMessage& mail, std::size_t size,
                                           const std::string& seed, const std::string& relay) {
  // Queue id and pids derive from the seed, so a re-run writes the same lines.
  const std::size_t h = std::hash<std::string>{}(seed);
  char qid[16];
  std::snprintf(qid, sizeof qid, "%010llX", static_cast<unsigned long long>(h & 0xFFFFFFFFFFULL));
  const unsigned pid = 1000 + static_cast<unsigned>((h >> 40) % 30000);
  const std::string t0 = syslog_time(mail.date);
  const std::string t1 = syslog_time(mail.date + std::chrono::seconds(1));
  const std::string p = t0 + " " + mail_host + " postfix/";
  std::vector<std::string> lines{
      p + "smtpd[" + std::to_string(pid) + "]: " + qid + ": client=" + client,
      p + "cleanup[" + std::to_string(pid + 3) + "]: " + qid + ": message-id=<" + mail.message_id +
          ">",
      p + "qmgr[812]: " + qid + ": from=<" + mail.from + ">, size=" + std::to_string(size) +
          ", nrcpt=" + std::to_string(mail.to.size()) + " (queue active)"};
  const bool local = relay == "local";
  for (const auto& rcpt : mail.to) {
    lines.push_back(
        t1 + " " + mail_host + " postfix/" + (local ? "local" : "smtp") + "[" +
        std::to_string(pid + 5) + "]: " + qid + ": to=<" + rcpt + ">, relay=" + relay +
        ", delay=0.6, delays=0.2/0.1/0.1/0.2, dsn=2.0.0, status=sent (" +
        (local ? std::string("delivered to mailbox") : std::string("250 2.0.0 Ok: queued")) + ")");
  }
  lines.push_back(t1 + " " + mail_host + " postfix/qmgr[812]: " + qid + ": removed");
  return lines;
}

}  // namespace cyrange::inject
