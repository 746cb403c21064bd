// Mail steps: the attacker persona's mails reach the range's mail server over
// SMTP when both ends allow it, else (a tiny mail host without an MTA) straight
// into the recipients' mbox files with the postfix log lines a real MTA writes.
#include <orchestrator/inject/mime.h>
#include <orchestrator/inject/step_kit.h>

namespace cyrange::inject {
namespace {

const char* kDecoyAttachment =
    "CYRANGE TRAINING SIMULATION - harmless decoy document.\n"
    "This file contains no macro, no code and no exploit. It only stands in for a\n"
    "malicious attachment in a cyber-range exercise.\n"
    "サイバー演習用の模擬ファイルです。マクロ・プログラム・攻撃コードは含まれていません。\n";

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text + ",") {
    if (c == ',' || c == ';') {
      auto b = cur.find_first_not_of(" \t");
      auto e = cur.find_last_not_of(" \t");
      if (b != std::string::npos) out.push_back(cur.substr(b, e - b + 1));
      cur.clear();
    } else {
      cur += c;
    }
  }
  return out;
}

// Everything a mail step shares: who sends, where it goes, how it is delivered.
struct MailSetup {
  std::string mail_host;    // the range's mail server (the step's target)
  std::string sender_host;  // the attacker's host that speaks SMTP
  std::string method;       // smtp-curl, smtp-sendmail, smtp-nc or mbox-fallback
};

Expected<MailSetup> setup(StepRun& run) {
  MailSetup s;
  s.mail_host = run.item().target;
  if (s.mail_host.empty()) {
    return run.bad_param("target", "is missing",
                         "Set the step's `target:` to the range's mail server host.");
  }
  auto mail = run.host(s.mail_host, "the mail server");
  if (!mail) return mail.error();
  const HostInfo* attacker = run.hosts().with_role("attacker");
  s.sender_host = run.param_or("sender_host", attacker ? attacker->name : s.mail_host);
  auto sender = run.host(s.sender_host, "the sending host (`sender_host`)");
  if (!sender) return sender.error();
  auto mta = run.sh(s.mail_host, "if [ -x /usr/sbin/postfix ]; then echo mta; else echo none; fi");
  if (!mta) return mta.error();
  if (mta->out.rfind("mta", 0) != 0) {
    s.method = "mbox-fallback";
    return s;
  }
  auto client = run.sh(s.sender_host,
                       "if command -v curl >/dev/null; then echo curl; "
                       "elif command -v sendmail >/dev/null; then echo sendmail; else echo nc; fi");
  if (!client) return client.error();
  s.method = "smtp-" + client->out.substr(0, client->out.find('\n'));
  return s;
}

// Delivers one message; `key` makes its marker and file names unique in the run.
Status deliver(StepRun& run, const MailSetup& s, const MailMessage& mail, const std::string& key) {
  const std::string eml = render_message(mail);
  const std::string server = run.address(s.mail_host);
  if (s.method == "mbox-fallback") {
    const std::string spool = "/var/spool/cyrange/inbound/" + run.tag(key) + ".eml";
    if (auto st = run.put(s.mail_host, spool, mbox_entry(mail, eml)); !st) return st;
    const std::string client = "unknown[" + run.address(s.sender_host) + "]";
    std::string script = "mkdir -p /var/mail /var/log\n";
    for (const auto& rcpt : mail.to) {
      script +=
          "cat " + shell_quote(spool) + " >> /var/mail/" + mailbox_name(rcpt) + " || return 1\n";
    }
    for (const auto& line :
         postfix_log_lines(s.mail_host, client, mail, eml.size(), run.tag(key), "local")) {
      script += "echo " + shell_quote(line) + " >> /var/log/mail.log\n";
    }
    return run.once(s.mail_host, key, script);
  }
  const std::string file = "/var/spool/cyrange/outbox/" + run.tag(key) + ".eml";
  if (auto st = run.put(s.sender_host, file, eml); !st) return st;
  std::string script;
  if (s.method == "smtp-curl") {
    script = "curl -sS --url smtp://" + server + ":25 --mail-from " + shell_quote(mail.from);
    for (const auto& r : mail.to) script += " --mail-rcpt " + shell_quote(r);
    script += " -T " + shell_quote(file);
  } else if (s.method == "smtp-sendmail") {
    script = "sendmail -S " + server + ":25 -f " + shell_quote(mail.from);
    for (const auto& r : mail.to) script += " " + shell_quote(r);
    script += " < " + shell_quote(file);
  } else {
    // A paced SMTP dialogue over nc: the server sees a normal client, one command per reply.
    script = "{ sleep 1; echo 'EHLO " + s.sender_host + "'; sleep 1; echo " +
             shell_quote("MAIL FROM:<" + mail.from + ">") + "; sleep 1;";
    for (const auto& r : mail.to)
      script += " echo " + shell_quote("RCPT TO:<" + r + ">") + "; sleep 1;";
    script += " echo DATA; sleep 1; sed 's/^\\./../' " + shell_quote(file) +
              "; echo .; sleep 2; echo QUIT; } | nc " + server + " 25 > /tmp/smtp." + run.tag(key) +
              ".log\ngrep -q '^250.*queued' /tmp/smtp." + run.tag(key) + ".log";
  }
  return run.once(s.sender_host, key, script);
}

MailMessage base_message(StepRun& run, const std::string& key) {
  MailMessage m;
  m.from = run.param_or("from", "");
  m.reply_to = run.param_or("reply_to", "");
  m.subject = run.param_or("subject", "");
  m.date = run.now();
  m.message_id = run.tag(key) + "." + std::to_string(run.execution_id() * 7919 % 1000003) + "@" +
                 mail_domain(m.from);
  return m;
}

void add_attachment(StepRun& run, MailMessage& m) {
  m.attachment_name = run.param_or("attachment", "");
  if (!m.attachment_name.empty())
    m.attachment_content = run.param_or("attachment_content", kDecoyAttachment);
}

std::string default_body(bool lure) {
  return lure ? "お世話になっております。\nご依頼の資料を添付いたします。ご確認のほどよろしくお願い"
                "いたします。\n\n"
                "Please find the requested document attached.\n"
              : "お世話になっております。\n先日の件について、ご連絡いたします。\n\nThank you for "
                "your reply; "
                "please let me follow up on my earlier message.\n";
}

Status send_mail(StepRun& run) {
  auto s = setup(run);
  if (!s) return s.error();
  MailMessage m = base_message(run, "mail");
  m.to = split_list(*run.param("to"));
  add_attachment(run, m);
  m.body = run.param_or("body", default_body(!m.attachment_name.empty()));
  if (auto st = deliver(run, *s, m, "mail"); !st) return st;
  run.note("delivered by " + s->method + " to " + std::to_string(m.to.size()) + " mailbox(es) on " +
           s->mail_host);
  return Status::success();
}

Status scatter_mail(StepRun& run) {
  auto s = setup(run);
  if (!s) return s.error();
  const auto recipients = split_list(*run.param("to"));
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    const std::string key = "r" + std::to_string(i);
    MailMessage m = base_message(run, key);
    m.to = {recipients[i]};
    add_attachment(run, m);
    m.body = run.param_or("body", default_body(!m.attachment_name.empty()));
    if (auto st = deliver(run, *s, m, key); !st) return st;
  }
  run.note("scattered by " + s->method + " to " + std::to_string(recipients.size()) +
           " mailboxes on " + s->mail_host);
  return Status::success();
}

// Harmless mails, each answered by the victim persona, then the lure in the same thread.
Status mail_exchange(StepRun& run) {
  auto s = setup(run);
  if (!s) return s.error();
  auto rounds = run.int_param("rounds", 2, 1, 5);
  if (!rounds) return rounds.error();
  const std::string attacker = *run.param("from");
  const std::string victim = *run.param("to");
  const std::string subject = *run.param("subject");
  std::string previous;
  for (long long i = 0; i < *rounds; ++i) {
    MailMessage a = base_message(run, "a" + std::to_string(i));
    a.to = {victim};
    a.subject = i == 0 ? subject : "Re: " + subject;
    a.in_reply_to = previous;
    a.date = run.now() + std::chrono::minutes(10 * i);
    a.body = run.param_or("body_" + std::to_string(i + 1), default_body(false));
    if (auto st = deliver(run, *s, a, "a" + std::to_string(i)); !st) return st;
    // The victim's answer leaves through the mail server: a log line and a Sent copy.
    MailMessage v = base_message(run, "v" + std::to_string(i));
    v.from = victim;
    v.reply_to.clear();
    v.to = {a.reply_to.empty() ? attacker : a.reply_to};
    v.subject = "Re: " + subject;
    v.in_reply_to = a.message_id;
    v.message_id = run.tag("v" + std::to_string(i)) + "@" + mail_domain(victim);
    v.date = a.date + std::chrono::minutes(7);
    v.body =
        run.param_or("reply_" + std::to_string(i + 1),
                     "ご連絡ありがとうございます。内容を確認いたしました。\nThank you, noted.\n");
    const std::string eml = render_message(v);
    const std::string relay =
        mail_domain(v.to.front()) + "[" + run.address(s->sender_host) + "]:25";
    std::string script =
        "mkdir -p /var/mail /var/log\ncat " +
        shell_quote("/var/spool/cyrange/inbound/" + run.tag("v" + std::to_string(i)) + ".eml") +
        " >> /var/mail/" + mailbox_name(victim) + ".sent || return 1\n";
    for (const auto& line : postfix_log_lines(s->mail_host, "localhost[127.0.0.1]", v, eml.size(),
                                              run.tag("v" + std::to_string(i)), relay)) {
      script += "echo " + shell_quote(line) + " >> /var/log/mail.log\n";
    }
    if (auto st = run.put(s->mail_host,
                          "/var/spool/cyrange/inbound/" + run.tag("v" + std::to_string(i)) + ".eml",
                          mbox_entry(v, eml));
        !st) {
      return st;
    }
    if (auto st = run.once(s->mail_host, "v" + std::to_string(i), script); !st) return st;
    previous = v.message_id;
  }
  MailMessage lure = base_message(run, "lure");
  lure.to = {victim};
  lure.subject = "Re: " + subject;
  lure.in_reply_to = previous;
  lure.date = run.now() + std::chrono::minutes(10 * *rounds);
  add_attachment(run, lure);
  lure.body = run.param_or("body", default_body(true));
  if (auto st = deliver(run, *s, lure, "lure"); !st) return st;
  run.note("exchange of " + std::to_string(*rounds) +
           " harmless round(s) then the lure, delivered by " + s->method);
  return Status::success();
}

}  // namespace

std::vector<StepType> mail_step_types() {
  return {step_type("send_mail", send_mail), step_type("scatter_mail", scatter_mail),
          step_type("mail_exchange", mail_exchange)};
}

}  // namespace cyrange::inject
