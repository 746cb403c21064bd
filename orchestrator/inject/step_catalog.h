#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cyrange::inject {

// The step types cyranged carries out inside a team's guests: the parameters each reads, the
// ATT&CK technique it reports when a step names none, and where it runs and what evidence it
// leaves, which `cyrange scenario reference` prints into docs/scenario-reference.md.
// Header-only so that the scenario validator warns about unknown types and missing
// parameters without linking the engine; the *_steps.cpp files take their lists from here
// (step_type() in step_kit.h).

/// One parameter of a step type, as the designer reads it in docs/scenario-reference.md.
struct StepParam {
  std::string name;
  bool required = false;
  std::string fallback;  ///< the literal value the step uses when it is not given ("" for none)
  std::string doc;       ///< what it is; a computed default is described here
};

/// One step type as scenarios name it, with what the reference tells designers about it.
struct StepTypeSpec {
  std::string type;
  std::string technique;  ///< default ATT&CK ID ("" for none)
  std::vector<StepParam> params;
  std::string runs;               ///< where it runs (target, other hosts) and as which user
  std::string evidence_tiny;      ///< what it leaves on `tiny` guests, in which file and format
  std::string evidence_standard;  ///< the same on `standard` guests
  std::string summary_ja;         ///< one sentence in Japanese

  /// Keys of `params:` the step cannot run without.
  std::vector<std::string> required() const {
    std::vector<std::string> out;
    for (const auto& p : params)
      if (p.required) out.push_back(p.name);
    return out;
  }
};

/// Every step type the inject executor runs, in the order the reference lists them. The
/// parameters are those the executors read (inject_executor_test checks both ways).
inline const std::vector<StepTypeSpec>& step_catalog() {
  static const std::vector<StepTypeSpec> specs = {
      {"send_mail",
       "T1566.001",
       {{"from", true, "", "Sender address (the attacker persona)."},
        {"to", true, "", "Recipients, separated by `,` or `;`; one mail to all of them."},
        {"subject", true, "", "Subject (Japanese is MIME-encoded)."},
        {"reply_to", false, "", "`Reply-To:` header; none when not given."},
        {"attachment", false, "", "File name of a harmless decoy attachment; none when not given."},
        {"attachment_content", false, "",
         "Text of the attachment; default: a bilingual note that it is a harmless decoy."},
        {"body", false, "",
         "Body; default: a short bilingual \"please find the document attached\" (with an "
         "attachment) or follow-up text."},
        {"sender_host", false, "",
         "Host that speaks SMTP; default: the first host whose `role` starts with `attacker`, "
         "else the target."}},
       "`target:` is the range's mail server. When it runs postfix, `sender_host` delivers the "
       "mail over SMTP to it (curl, else busybox sendmail, else a paced dialogue over nc); "
       "otherwise the mail is appended to the mailboxes on the target. As root, through the "
       "guest agent.",
       "The mail server has no MTA: the mail is appended to `/var/mail/LOCALPART` (mbox, full "
       "headers) and postfix-format lines (`postfix/smtpd … client=unknown[SENDER ADDRESS]`, "
       "`cleanup … message-id=`, `qmgr … from=<…>`, `local … to=<…> status=sent`) are written to "
       "`/var/log/mail.log`; a copy stays in `/var/spool/cyrange/inbound/`.",
       "Real SMTP: postfix logs the delivery in `/var/log/mail.log` (`client=` with the sender "
       "host's name or address, `from=`, `to=`, `status=sent`) and delivers to "
       "`/var/mail/LOCALPART`; the message file stays on the sender in "
       "`/var/spool/cyrange/outbox/`.",
       "攻撃者のメールを 1 通、全宛先に送ります。"},
      {"scatter_mail",
       "T1566.001",
       {{"from", true, "", "Sender address."},
        {"to", true, "", "Recipients, separated by `,` or `;`; each gets a mail of their own."},
        {"subject", true, "", "Subject."},
        {"reply_to", false, "", "`Reply-To:` header."},
        {"attachment", false, "", "File name of a harmless decoy attachment."},
        {"attachment_content", false, "", "Text of the attachment; default: the decoy note."},
        {"body", false, "", "Body; default as `send_mail`."},
        {"sender_host", false, "", "Host that speaks SMTP; default as `send_mail`."}},
       "As `send_mail`, once per recipient (its own Message-ID and queue id).",
       "As `send_mail`: one mbox entry and one set of mail.log lines per recipient.",
       "As `send_mail`: one SMTP delivery, logged by postfix, per recipient.",
       "同じメールを宛先ごとに 1 通ずつ送ります（ばらまき型）。"},
      {"mail_exchange",
       "T1566.001",
       {{"from", true, "", "The attacker persona's address."},
        {"to", true, "", "The one victim's address."},
        {"subject", true, "", "Subject of the first mail; the others are `Re: SUBJECT`."},
        {"attachment", true, "", "File name of the lure's decoy attachment."},
        {"rounds", false, "2", "Harmless mails before the lure, 1 to 5."},
        {"body_N", false, "", "Body of harmless mail N (1 … rounds); default: a follow-up text."},
        {"reply_N", false, "",
         "The victim's answer to mail N; default: a short bilingual thank-you."},
        {"body", false, "", "Body of the lure; default: \"please find the document attached\"."},
        {"reply_to", false, "", "`Reply-To:` of the attacker's mails; the victim answers there."},
        {"attachment_content", false, "", "Text of the attachment; default: the decoy note."},
        {"sender_host", false, "", "Host that speaks SMTP; default as `send_mail`."}},
       "As `send_mail` for the attacker's mails. Mail N is dated N×10 minutes after the step "
       "runs, the victim's answer 7 minutes after it, the lure `rounds`×10 minutes after; each "
       "answer is written on the mail server (no second SMTP session), threaded by "
       "`In-Reply-To:`.",
       "The attacker's mails as `send_mail`; the victim's answers in `/var/mail/LOCALPART.sent` "
       "and as postfix-format lines leaving through `relay=DOMAIN[SENDER ADDRESS]:25` in "
       "`/var/log/mail.log`.",
       "The attacker's mails over real SMTP as `send_mail`; the victim's answers written as on "
       "tiny guests (`LOCALPART.sent` and postfix-format `relay=` lines in the same mail.log).",
       "無害なメールのやり取りの後、同じスレッドで添付付きのメールを送ります（やり取り型）。"},
      {"watering_hole",
       "T1189",
       {{"cidrs", true, "",
         "Address ranges that get the script, e.g. `10.30.0.0/24, 10.20.0.0/24`; everyone else "
         "gets the clean page."},
        {"script_url", true, "", "`src` of the `<script>` tag added before `</body>`."},
        {"page", false, "index.html", "The page tampered with, in the document root."},
        {"docroot", false, "", "Document root; default `/var/www/html` (nginx) or `/www`."},
        {"access_log", false, "/var/log/portal-access.log",
         "Access log the busybox portal's filter writes (tiny guests only)."}},
       "`target:` is the portal; as root, through the guest agent.",
       "busybox httpd: `DOCROOT/cgi-bin/index.cgi` serves the page (the original moves to "
       "`/var/lib/cyrange/portal/clean-PAGE`) and writes each request to `access_log` in "
       "combined format (`ADDR - - [07/Dec/2026:09:30:05 +0000] \"GET / HTTP/1.1\" 200 SIZE "
       "\"-\" \"AGENT\"`), SIZE larger for the listed ranges.",
       "nginx: a `geo` filter in `/etc/nginx/conf.d/cyrange-watering-hole.conf` serves "
       "`DOCROOT/cyr-target-PAGE` (the page with the tag) to the listed ranges; nginx's own "
       "`/var/log/nginx/access.log` shows the larger size for them.",
       "指定したアドレス範囲からのアクセスにだけスクリプトを埋め込むようポータルを改ざんします。"},
      {"open_attachment",
       "T1204.002",
       {{"file", true, "", "File name of the opened attachment."},
        {"user", true, "", "Login of the user who opens it (given by `persona`)."},
        {"folder", false, "", "Where the file lies; default `/home/USER/Downloads`."}},
       "`target:` is the workstation; as root (the `user` is written into the evidence).",
       "The decoy file `FOLDER/FILE` and a line in `/var/log/cyrange-sim/process.log`: `ISO-TIME "
       "HOSTNAME user=USER parent=explorer.exe cmd=\"FILE\" child=\"cmd.exe /c sim-downloader "
       "(simulated)\" exec=EXECUTION`.",
       "The same as on tiny guests.",
       "利用者が添付ファイルを開いた痕跡（ファイルとプロセス記録）を残します。"},
      {"beacon",
       "T1071.001",
       {{"url", true, "", "C2 URL; each beacon fetches `URL?id=EXECUTION&n=N`."},
        {"interval_seconds", true, "60", "Seconds between beacons, 1 to 86400."},
        {"jitter_percent", false, "10", "Random spread of the interval, 0 to 90 percent."},
        {"max_beacons", false, "500", "Beacons before the implant stops, 1 to 100000."},
        {"via_proxy", false, "", "`HOST:PORT` of the proxy (`http_proxy`); direct when not given."},
        {"c2_host", false, "",
         "Host that answers the beacons: the step installs a receiver there (nginx: any path; "
         "busybox: the URL must be `/cgi-bin/NAME`)."},
        {"receiver_log", false, "/var/log/c2-access.log",
         "Log of a busybox receiver on `c2_host` (tiny guests only)."},
        {"implant_path", false, "",
         "Where the implant script is written; default `/tmp/.cache/update-EXECUTION.sh`."}},
       "`target:` is the infected host; the implant runs there as root in the background "
       "(`setsid sh IMPLANT_PATH`, busybox wget with a Windows browser user agent) until "
       "`max_beacons` or until `/var/lib/cyrange/implant/EXECUTION.stop` exists. It records "
       "the answers and executes nothing.",
       "The implant script and its log `/var/lib/cyrange/implant/EXECUTION.log`; through a proxy, "
       "squid-format lines in the tiny proxy's `/var/log/squid/access.log` (client field `-`); on "
       "a busybox `c2_host`, `receiver_log` lines `07/Dec/2026:09:30:05 ADDR GET URI len=0`.",
       "The implant and its log as on tiny guests; squid's `/var/log/squid/access.log` (client "
       "address, `TCP_MISS/200`, the URL without its query) and, on an nginx `c2_host`, "
       "`/var/log/nginx/access.log` at a regular interval.",
       "感染端末から一定間隔で C2 へ HTTP ビーコンを送る模擬インプラントを起動します。"},
      {"run_commands",
       "T1059",
       {{"commands", true, "",
         "Shell commands separated by `;` or new lines (every `;` splits, even in quotes); each "
         "runs with `sh -c` and a 30 s limit, and a failing one does not fail the step."},
        {"user", false, "root",
         "Whose shell history records the commands; they run as root whatever it says."}},
       "`target:`; as root through the guest agent, with `/bin/sh` (busybox on tiny guests, "
       "dash on standard guests).",
       "Each command appended to `/home/USER/.ash_history` (`/root/.ash_history` for root) and "
       "a transcript in `/var/log/cyrange-sim/commands.log` (`ISO-TIME USER rc=N cmd=COMMAND` "
       "then the output), besides what the commands themselves write.",
       "As on tiny guests, but the history is bash's: `/home/USER/.bash_history` "
       "(`/root/.bash_history` for root).",
       "指定したコマンドを対象ホストで実行し、シェル履歴と実行記録を残します。"},
      {"smb_copy",
       "T1021.002",
       {{"source", true, "", "Host that connects and receives the copy."},
        {"share", true, "",
         "Share name; its folder is `/srv/SHARE` on the target (the standard image's Samba share "
         "is `share`). An empty folder gets three decoy `resident_list_N.csv` files."},
        {"user", false, "svc-backup", "Account that logs on."},
        {"password", false, "Spring2025", "Its password (SMB logons only)."},
        {"staging_dir", false, "", "Folder on `source`; default `/tmp/.stage-EXECUTION`."}},
       "`target:` is the file server. When it runs smbd and `source` has smbclient, `source` "
       "logs on as `user` and fetches the whole share over SMB (by name if it resolves); "
       "otherwise the files are copied through the guest agents. As root.",
       "The file server's `/var/log/auth.log` gains `MON DD HH:MM:SS HOSTNAME smbd[2211]: "
       "pam_unix(samba:session): session opened for user USER from SOURCE ADDRESS`; the files "
       "appear in `staging_dir` on `source` (no network traffic).",
       "Samba's `/var/log/samba/audit.log` records the connection and each file opened "
       "(`USER|SOURCE ADDRESS|…|share|connect|ok|…`, then `open`), the DNS host's dnsmasq.log "
       "the lookup; the files in `staging_dir`.",
       "ファイルサーバの共有を別ホストへコピーします（標準イメージでは実際の SMB）。"},
      {"stage_files",
       "T1560.001",
       {{"source_dir", true, "", "Folder to pack."},
        {"archive", true, "", "File name of the archive, created in `/tmp/` (gzip tar inside)."}},
       "`target:`; as root.",
       "`/tmp/ARCHIVE` and a line in `/var/log/cyrange-sim/process.log`: `ISO-TIME HOSTNAME "
       "cmd=\"7z a /tmp/ARCHIVE DIR\" (simulated archiver)`.",
       "The same as on tiny guests.",
       "持ち出し用にファイルを 1 つのアーカイブにまとめます。"},
      {"upload",
       "T1048.003",
       {{"destination", true, "", "URL the archive is POSTed to."},
        {"archive", true, "",
         "File in `/tmp/`; when missing, `size_mb` MiB of random filler is written there."},
        {"size_mb", false, "1", "Size of the filler, 0 to 256."},
        {"via_proxy", false, "", "`HOST:PORT` of the proxy; direct when not given."},
        {"receiver_host", false, "",
         "Host that receives: a receiver is installed as for "
         "`beacon`'s `c2_host`."},
        {"receiver_log", false, "/var/log/c2-access.log",
         "Log of a busybox receiver (tiny guests only)."}},
       "`target:` POSTs the file as root: curl where there is one (standard), else busybox "
       "wget; it gives up after 50 s.",
       "A line `ISO-TIME HOSTNAME upload /tmp/ARCHIVE -> URL` in "
       "`/var/log/cyrange-sim/process.log`; the proxy's `POST` line with its size; a busybox "
       "receiver's `receiver_log` line with `len=BYTES`.",
       "The process.log line; squid's and nginx's access logs show the `POST` and its size "
       "(squid drops the query string: put a file name in the URL's path if trainees should "
       "find it).",
       "アーカイブを HTTP POST で外部へ送信します。"},
      {"dns_query",
       "T1071.004",
       {{"domain", true, "", "Domain under which the names are asked."},
        {"count", false, "5", "Queries, 1 to 500."},
        {"resolver", false, "",
         "Server address for nslookup; the host's resolver when not given."}},
       "`target:`; as root, busybox nslookup with a 3 s limit each.",
       "Names `HEX.N.DOMAIN` (hex of the execution and a counter, looking like encoded data) in "
       "`/var/log/cyrange-sim/dns-queries.log` (`ISO-TIME query NAME`); the tiny image runs no "
       "DNS server, so the queries are not answered.",
       "The same log; the range's DNS host logs each query with the client address in "
       "`/var/log/dnsmasq.log` (NXDOMAIN for names it does not know).",
       "データを埋め込んだように見える DNS 問い合わせを繰り返します。"},
      {"encrypt_decoys",
       "T1486",
       {{"folder", true, "",
         "Absolute folder that must not exist yet (or was made by this step): only files the "
         "step creates there are touched."},
        {"files", false, "5", "Decoy files, 1 to 200."}},
       "`target:`; as root.",
       "`FOLDER/decoy_N.txt.locked` (reversible: ROT13 of base64), `README_RESTORE.txt` (a "
       "bilingual note saying how to restore), the label `.cyrange-decoy`, and a line "
       "`cmd=\"encrypt FOLDER\" (simulated ransomware, decoys only)` in "
       "`/var/log/cyrange-sim/process.log`.",
       "The same as on tiny guests.",
       "自ら作成した囮ファイルだけを可逆な方法で「暗号化」します。"},
      {"trainee_notice",
       "",
       {{"text_ja", false, "", "Japanese text; default the step's `description.ja`."},
        {"text_en", false, "", "English text; default the step's `description.en`."},
        {"sender", false, "Exercise control / 演習統制", "Who the notice is from."},
        {"subject", false, "", "Subject; default the step's id."},
        {"inbox", false, "/home/trainee/inbox", "Folder in the guest."}},
       "`target:` is a host with a trainee terminal; the file is written as root. The notice "
       "also reaches the team's inbox in the trainee client.",
       "`INBOX/EXECUTION-STEP.txt` with `From:`, `Subject:`, `Date:` and the text under "
       "`[日本語]` and `[English]`.",
       "The same as on tiny guests.",
       "外部からの連絡（ISP、銀行、報道など）を受講者に届けます。"},
  };
  return specs;
}

/// The step type called `type`, or nullptr.
inline const StepTypeSpec* find_step_type(std::string_view type) {
  for (const auto& spec : step_catalog())
    if (spec.type == type) return &spec;
  return nullptr;
}

}  // namespace cyrange::inject
