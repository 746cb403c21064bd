#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace cyrange::inject {

/// One mail as the attacker persona (or a simulated victim) writes it.
struct MailMessage {
  std::string from;
  std::vector<std::string> to;
  std::string reply_to;            ///< empty: none
  std::string subject;             ///< UTF-8; encoded per RFC 2047 when not ASCII
  std::string body;                ///< UTF-8 plain text
  std::string attachment_name;     ///< empty: no attachment
  std::string attachment_content;  ///< bytes of the (harmless) attachment
  std::string message_id;          ///< without angle brackets
  std::string in_reply_to;         ///< message id answered, without brackets
  std::chrono::system_clock::time_point date;
};

/// RFC 2047 "=?UTF-8?B?...?=" words when `text` is not plain ASCII, else `text`.
std::string encode_header_text(const std::string& text);

/// The full RFC 5322 message: headers, and a MIME multipart when there is an attachment.
std::string render_message(const MailMessage& mail);

/// The domain part of an address ("x@y.jp" -> "y.jp"), or "localhost".
std::string mail_domain(const std::string& address);
/// The local part of an address, made safe as a mailbox file name.
std::string mailbox_name(const std::string& address);

/// The message as appended to an mbox file: "From " line, '>From ' quoting, blank line.
std::string mbox_entry(const MailMessage& mail, const std::string& rendered);

/// Postfix-format log lines of one message, as the mail host's /var/log/mail.log shows them.
/// `relay` is "local" for mailbox delivery, or "name[addr]:25" for an outbound relay.
std::vector<std::string> postfix_log_lines(const std::string& mail_host, const std::string& client,
                                           const MailMessage& mail, std::size_t size,
                                           const std::string& seed, const std::string& relay);

}  // namespace cyrange::inject
