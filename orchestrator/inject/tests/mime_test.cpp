#include <gtest/gtest.h>

#include <orchestrator/inject/mime.h>
#include <orchestrator/range/guest_agent.h>

namespace cyrange::inject {
namespace {

MailMessage sample() {
  MailMessage m;
  m.from = "reporter@abcdef-press.jp";
  m.to = {"suzuki.hanako@city.kakuu.lg.jp"};
  m.reply_to = "desk@abcdef-press.jp";
  m.subject = "Re: 取材のお願い";
  m.body = "ご依頼の資料です。\n";
  m.message_id = "42.lure.1@abcdef-press.jp";
  m.date = std::chrono::system_clock::from_time_t(1743499800);  // 2025-04-01 09:30:00 UTC
  return m;
}

TEST(Mime, JapaneseSubjectIsEncodedAndDecodesBack) {
  const std::string enc = encode_header_text("Re: 取材のお願い");
  ASSERT_EQ(enc.rfind("=?UTF-8?B?", 0), 0u) << enc;
  const auto b = enc.find("?B?") + 3;
  EXPECT_EQ(range::base64_decode(enc.substr(b, enc.find("?=", b) - b)), "Re: 取材のお願い");
  EXPECT_EQ(encode_header_text("Interview request"), "Interview request");
}

TEST(Mime, LongSubjectSplitsOnCharacterBoundaries) {
  std::string subject;
  for (int i = 0; i < 30; ++i) subject += "資料";
  const std::string enc = encode_header_text(subject);
  std::string decoded;
  std::size_t pos = 0;
  while ((pos = enc.find("?B?", pos)) != std::string::npos) {
    pos += 3;
    decoded += range::base64_decode(enc.substr(pos, enc.find("?=", pos) - pos));
  }
  EXPECT_EQ(decoded, subject);
  EXPECT_NE(enc.find("\n "), std::string::npos) << "expected folded encoded words";
}

TEST(Mime, HeadersAndAttachmentAreRealistic) {
  MailMessage m = sample();
  m.in_reply_to = "41.v0@city.kakuu.lg.jp";
  m.attachment_name = "取材依頼書_資料.docm";
  m.attachment_content = "harmless decoy";
  const std::string eml = render_message(m);
  EXPECT_NE(eml.find("From: reporter@abcdef-press.jp\n"), std::string::npos);
  EXPECT_NE(eml.find("Reply-To: desk@abcdef-press.jp\n"), std::string::npos);
  EXPECT_NE(eml.find("Date: Tue, 01 Apr 2025 09:30:00 +0000\n"), std::string::npos) << eml;
  EXPECT_NE(eml.find("Message-ID: <42.lure.1@abcdef-press.jp>\n"), std::string::npos);
  EXPECT_NE(eml.find("In-Reply-To: <41.v0@city.kakuu.lg.jp>\n"), std::string::npos);
  EXPECT_NE(eml.find("multipart/mixed; boundary="), std::string::npos);
  EXPECT_NE(eml.find("filename*=UTF-8''%E5%8F%96"), std::string::npos) << eml;
  EXPECT_NE(eml.find(range::base64_encode("harmless decoy")), std::string::npos);
}

TEST(Mime, MboxQuotesFromLines) {
  MailMessage m = sample();
  const std::string entry = mbox_entry(m, "Subject: x\n\nFrom the desk\nbody\n");
  EXPECT_EQ(entry.rfind("From reporter@abcdef-press.jp Tue Apr  1 09:30:00 2025\n", 0), 0u)
      << entry;
  EXPECT_NE(entry.find("\n>From the desk\n"), std::string::npos);
  EXPECT_EQ(entry.substr(entry.size() - 2), "\n\n");
}

TEST(Mime, PostfixLinesShareOneQueueIdAndAreStable) {
  MailMessage m = sample();
  auto a = postfix_log_lines("mail", "unknown[198.51.100.7]", m, 1234, "42.lure", "local");
  auto b = postfix_log_lines("mail", "unknown[198.51.100.7]", m, 1234, "42.lure", "local");
  EXPECT_EQ(a, b);
  ASSERT_EQ(a.size(), 5u);
  const std::string qid = a[0].substr(a[0].find("]: ") + 3, 10);
  for (const auto& line : a) EXPECT_NE(line.find(qid), std::string::npos) << line;
  EXPECT_NE(a[0].find("Apr  1 09:30:00 mail postfix/smtpd["), std::string::npos) << a[0];
  EXPECT_NE(a[0].find("client=unknown[198.51.100.7]"), std::string::npos);
  EXPECT_NE(a[2].find("from=<reporter@abcdef-press.jp>, size=1234, nrcpt=1"), std::string::npos);
  EXPECT_NE(a[3].find("to=<suzuki.hanako@city.kakuu.lg.jp>, relay=local"), std::string::npos);
  EXPECT_NE(a[3].find("status=sent (delivered to mailbox)"), std::string::npos);
  auto other = postfix_log_lines("mail", "x", m, 1, "43.lure", "local");
  EXPECT_NE(other[0].substr(other[0].find("]: ") + 3, 10), qid);
}

TEST(Mime, MailboxNamesAreSafe) {
  EXPECT_EQ(mailbox_name("suzuki.hanako@city.kakuu.lg.jp"), "suzuki.hanako");
  EXPECT_EQ(mailbox_name("../etc/passwd@x"), ".._etc_passwd");
  EXPECT_EQ(mail_domain("a@b.jp"), "b.jp");
}

}  // namespace
}  // namespace cyrange::inject
