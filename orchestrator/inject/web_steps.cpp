// Web and C2 steps: the tampered portal, the opened lure and the simulated implant.
// Everything planted is a labelled shell script that only talks HTTP inside the
// range and never executes what it receives.
#include <cctype>
#include <sstream>

#include <orchestrator/inject/step_kit.h>

namespace cyrange::inject {
namespace {

// busybox httpd hands CGIs "[::ffff:10.0.0.5]"; logs and CIDR checks want "10.0.0.5".
const char* kClientAddr = "addr=${REMOTE_ADDR#[}; addr=${addr%]}; addr=${addr#::ffff:}\n";

const char* kBanner =
    "# ==== CYRANGE TRAINING SIMULATION - HARMLESS ====\n"
    "# サイバー演習用の模擬スクリプトです。実害のある処理は含みません。\n";

// True when `host` runs nginx (the standard image), false for a busybox httpd.
Expected<bool> serves_with_nginx(StepRun& run, const std::string& host) {
  auto kind = run.sh(host, "if [ -x /usr/sbin/nginx ]; then echo nginx; else echo busybox; fi");
  if (!kind) return kind.error();
  return kind->out.rfind("nginx", 0) == 0;
}

// The clean page is kept outside the docroot; the CGI serves it with or without the script.
std::string portal_cgi(const std::string& cidrs, const std::string& injected,
                       const std::string& clean, const std::string& log) {
  return std::string("#!/bin/sh\n") + kBanner +
         "# Watering-hole filter: visitors from the listed ranges get one extra script tag.\n"
         "# (busybox awk has no math library: powers of two by loop.)\n" +
         kClientAddr + "hit=$(awk -v ip=\"$addr\" -v cidrs=" + shell_quote(cidrs) +
         " 'function n(a,  p){split(a,p,\".\");return ((p[1]*256+p[2])*256+p[3])*256+p[4]}"
         " BEGIN{x=n(ip);k=split(cidrs,c,/[ "
         ",]+/);for(i=1;i<=k;i++){if(c[i]==\"\")continue;split(c[i],q,\"/\");"
         "b=1;for(j=q[2];j<32;j++)b*=2;if(int(x/b)==int(n(q[1])/b)){print 1;exit}}print 0}')\n"
         "if [ \"$hit\" = 1 ]; then\n"
         "  body=$(awk -v tag=" +
         shell_quote(injected) +
         " '{if(!done&&sub(/<\\/body>/,tag \"</body>\"))done=1;print}END{if(!done)print tag}' " +
         shell_quote(clean) +
         ")\n"
         "else\n"
         "  body=$(cat " +
         shell_quote(clean) +
         ")\n"
         "fi\n"
         "printf 'Content-Type: text/html\\r\\n\\r\\n%s\\n' \"$body\"\n"
         "size=$(( ${#body} + 1 ))\n"
         "echo \"$addr - - [$(date '+%d/%b/%Y:%H:%M:%S %z')] \\\"${REQUEST_METHOD:-GET} "
         "${REQUEST_URI:-/} HTTP/1.1\\\" "
         "200 $size \\\"-\\\" \\\"$HTTP_USER_AGENT\\\"\" >> " +
         shell_quote(log) + "\n";
}

Status watering_hole(StepRun& run) {
  const std::string portal = run.item().target;
  if (auto h = run.host(portal, "the portal (the step's `target:`)"); !h) return h.error();
  const std::string cidrs = *run.param("cidrs");
  if (cidrs.find('/') == std::string::npos) {
    return run.bad_param("cidrs", "is '" + cidrs + "', not a list of address ranges",
                         "Write ranges like `10.30.0.0/24, 10.20.0.0/24`.");
  }
  const std::string tag = "<script src=\"" + *run.param("script_url") + "\"></script>";
  auto nginx = serves_with_nginx(run, portal);
  if (!nginx) return nginx.error();
  const std::string page = run.param_or("page", "index.html");
  if (*nginx) {
    const std::string root = run.param_or("docroot", "/var/www/html");
    std::string geo = "# CYRANGE TRAINING SIMULATION: watering-hole filter (step " + run.item().id +
                      ")\n"
                      "geo $cyr_wh_target {\n  default 0;\n";
    std::string list = cidrs;
    for (char& ch : list) ch = ch == ',' ? ' ' : ch;
    std::istringstream in(list);
    for (std::string c; in >> c;) geo += "  " + c + " 1;\n";
    geo += "}\nmap $cyr_wh_target $cyr_wh_index {\n  0 " + page + ";\n  1 cyr-target-" + page +
           ";\n}\n";
    if (auto st = run.put(portal, "/etc/nginx/conf.d/cyrange-watering-hole.conf", geo); !st)
      return st;
    const std::string script =
        "cd " + shell_quote(root) +
        " || return 1\n"
        "awk -v tag=" +
        shell_quote(tag) +
        " '{if(!done&&sub(/<\\/body>/,tag \"</body>\"))done=1;print}END{if(!done)print tag}' " +
        shell_quote(page) + " > " + shell_quote("cyr-target-" + page) +
        " || return 1\n"
        "sed -i 's/^\\([[:space:]]*\\)index .*;/\\1index $cyr_wh_index;/' "
        "/etc/nginx/sites-enabled/default || return 1\n"
        "nginx -t 2>/dev/null && nginx -s reload";
    if (auto st = run.once(portal, "wh", script); !st) return st;
    run.note("nginx geo/map filter for " + cidrs + " on " + portal);
    return Status::success();
  }
  const std::string root = run.param_or("docroot", "/www");
  const std::string clean = "/var/lib/cyrange/portal/clean-" + page;
  const std::string log = run.param_or("access_log", "/var/log/portal-access.log");
  if (auto st = run.put(portal, root + "/cgi-bin/index.cgi", portal_cgi(cidrs, tag, clean, log));
      !st)
    return st;
  const std::string script =
      "mkdir -p /var/lib/cyrange/portal \"$(dirname " + shell_quote(log) +
      ")\"\n"
      "[ -e " +
      shell_quote(clean) + " ] || cp " + shell_quote(root + "/" + page) + " " + shell_quote(clean) +
      " || return 1\n"
      "chmod 755 " +
      shell_quote(root + "/cgi-bin/index.cgi") + " && rm -f " + shell_quote(root + "/" + page);
  if (auto st = run.once(portal, "wh", script); !st) return st;
  run.note("busybox httpd CGI filter for " + cidrs + " on " + portal + ", log " + log);
  return Status::success();
}

Status open_attachment(StepRun& run) {
  const std::string ws = run.item().target;
  if (auto h = run.host(ws, "the workstation (the step's `target:`)"); !h) return h.error();
  const std::string file = *run.param("file");
  const std::string user = *run.param("user");
  const std::string folder = run.param_or("folder", "/home/" + user + "/Downloads");
  const std::string decoy = std::string("CYRANGE TRAINING SIMULATION - harmless decoy of '") +
                            file + "'.\nサイバー演習用の模擬ファイルです。\n";
  if (auto st = run.put(ws, folder + "/" + file, decoy); !st) return st;
  const std::string line = "user=" + user + " parent=explorer.exe cmd=\"" + file +
                           "\" child=\"cmd.exe /c sim-downloader (simulated)\" exec=" + run.tag();
  return run.once(
      ws, "open",
      "mkdir -p /var/log/cyrange-sim && echo \"$(date '+%Y-%m-%dT%H:%M:%S') $(hostname) \"" +
          shell_quote(line) + " >> /var/log/cyrange-sim/process.log");
}

// A tiny-guest CGI that answers beacons with a harmless task and logs each one.
std::string c2_cgi(const std::string& log) {
  return std::string("#!/bin/sh\n") + kBanner + kClientAddr +
         "echo \"$(date '+%d/%b/%Y:%H:%M:%S') $addr ${REQUEST_METHOD} ${REQUEST_URI} "
         "len=${CONTENT_LENGTH:-0}\" >> " +
         shell_quote(log) +
         "\n"
         "[ \"$REQUEST_METHOD\" = POST ] && head -c \"${CONTENT_LENGTH:-0}\" > /dev/null\n"
         "printf 'Content-Type: text/plain\\r\\n\\r\\nsleep\\n'\n";
}

// The path of an http:// URL ("/" when it has none), without query or fragment.
std::string url_path(const std::string& url) {
  const auto scheme = url.find("://");
  const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  if (slash == std::string::npos) return "/";
  return url.substr(slash, url.find_first_of("?#", slash) - slash);
}

// An nginx location that answers every request under the URL's path with a harmless
// task; nginx's access log (and a proxy's) is the evidence. A request's body is read to
// its end and dropped (nginx hands the request to its own task location without it):
// answering before an upload ends made squid cut the client off (curl: broken pipe).
Status install_nginx_receiver(StepRun& run, const std::string& host, const std::string& url) {
  const std::string path = url_path(url);
  std::string file;
  for (char c : path) file += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  const std::string task = "/cyrange-task" + file;
  const std::string conf =
      "# CYRANGE TRAINING SIMULATION: receiver for step " + run.item().id +
      " (records nothing, runs nothing)\nlocation ^~ " + path +
      " {\n  client_max_body_size 512m;\n  proxy_pass http://127.0.0.1:80" + task +
      ";\n  proxy_method GET;\n  proxy_pass_request_body off;\n"
      "  proxy_set_header Content-Length \"\";\n}\nlocation ^~ " +
      task +
      " {\n  allow 127.0.0.1;\n  deny all;\n  access_log off;\n  default_type text/plain;\n"
      "  return 200 \"sleep\\n\";\n}\n";
  // One file per path: a second step with the same URL replaces it instead of clashing.
  const std::string where = "/etc/nginx/cyrange.d/receiver" + file + ".conf";
  if (auto st = run.put(host, where, conf); !st) return st;
  auto r = run.sh(host, "nginx -t 2>&1 && nginx -s reload");
  if (!r) return r.error();
  run.note("nginx receiver " + path + " on " + host);
  return Status::success();
}

// The URL's path must be /cgi-bin/NAME on a busybox httpd receiver; nginx takes any path.
Status install_receiver(StepRun& run, const std::string& param, const std::string& url) {
  const std::string host = run.param_or(param, "");
  if (host.empty()) return Status::success();
  if (auto h = run.host(host, "the receiving server (`" + param + "`)"); !h) return h.error();
  auto nginx = serves_with_nginx(run, host);
  if (!nginx) return nginx.error();
  if (*nginx) return install_nginx_receiver(run, host, url);
  const auto p = url.find("/cgi-bin/");
  if (p == std::string::npos) {
    return run.bad_param(param, "needs the URL path to be /cgi-bin/NAME on a busybox receiver",
                         "Point the URL at http://HOST/cgi-bin/NAME or drop `" + param + "`.");
  }
  std::string name = url.substr(p + 9);
  name = name.substr(0, name.find_first_of("?#"));
  const std::string log = run.param_or("receiver_log", "/var/log/c2-access.log");
  if (auto st = run.put(host, "/www/cgi-bin/" + name, c2_cgi(log)); !st) return st;
  auto r = run.sh(host, "chmod 755 " + shell_quote("/www/cgi-bin/" + name) +
                            " && mkdir -p \"$(dirname " + shell_quote(log) + ")\"");
  if (!r) return r.error();
  run.note("receiver /cgi-bin/" + name + " on " + host + ", log " + log);
  return Status::success();
}

Status beacon(StepRun& run) {
  const std::string victim = run.item().target;
  if (auto h = run.host(victim, "the infected host (the step's `target:`)"); !h) return h.error();
  const std::string url = *run.param("url");
  auto interval = run.int_param("interval_seconds", 60, 1, 86400);
  if (!interval) return interval.error();
  auto jitter = run.int_param("jitter_percent", 10, 0, 90);
  if (!jitter) return jitter.error();
  auto max = run.int_param("max_beacons", 500, 1, 100000);
  if (!max) return max.error();
  if (auto st = install_receiver(run, "c2_host", url); !st) return st;
  const std::string dir = "/var/lib/cyrange/implant";
  const std::string path = run.param_or("implant_path", "/tmp/.cache/update-" + run.tag() + ".sh");
  const std::string stop = dir + "/" + run.tag() + ".stop";
  const std::string log = dir + "/" + run.tag() + ".log";
  const std::string proxy = run.param_or("via_proxy", "");
  std::string implant =
      std::string("#!/bin/sh\n") + kBanner +
      "# Simulated implant: sends HTTP GET beacons inside the range and only RECORDS the\n"
      "# text it receives; it executes nothing. Stop it with: touch " +
      stop + "\n";
  implant += "url=" + shell_quote(url) + " interval=" + std::to_string(*interval) +
             " jitter=" + std::to_string(*jitter) + " max=" + std::to_string(*max) +
             "\nstop=" + shell_quote(stop) + " log=" + shell_quote(log) +
             " id=" + shell_quote(run.tag()) + "\n";
  if (!proxy.empty()) implant += "export http_proxy=" + shell_quote("http://" + proxy) + "\n";
  implant +=
      "n=0\n"
      "while [ ! -e \"$stop\" ] && [ $n -lt $max ]; do\n"
      "  n=$((n + 1))\n"
      "  task=$(timeout 20 wget -q -O - -U 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)' "
      "\"$url?id=$id&n=$n\" 2>/dev/null | head -c 200)\n"
      "  echo \"$(date '+%Y-%m-%dT%H:%M:%S') beacon $n task=[$task] (recorded, not executed)\" >> "
      "\"$log\"\n"
      "  j=$((interval * jitter / 100)); r=0\n"
      "  [ $j -gt 0 ] && r=$(( $(od -An -N2 -tu2 /dev/urandom) % (2 * j + 1) - j ))\n"
      "  sleep $((interval + r))\n"
      "done\n";
  if (auto st = run.put(victim, path, implant); !st) return st;
  // setsid and closed descriptors: the guest agent's exec returns at once.
  if (auto st =
          run.once(victim, "start",
                   "mkdir -p " + dir + " && chmod 755 " + shell_quote(path) + " && setsid sh " +
                       shell_quote(path) + " </dev/null >/dev/null 2>&1 &");
      !st) {
    return st;
  }
  run.note("implant " + path + " beacons to " + url + " every " + std::to_string(*interval) +
           " s (+-" + std::to_string(*jitter) + "%), stop file " + stop);
  return Status::success();
}

}  // namespace

std::vector<StepType> web_step_types() {
  return {step_type("watering_hole", watering_hole), step_type("open_attachment", open_attachment),
          step_type("beacon", beacon)};
}

/// Shared with host steps: installs an HTTP receiver for uploads.
Status install_http_receiver(StepRun& run, const std::string& param, const std::string& url) {
  return install_receiver(run, param, url);
}

}  // namespace cyrange::inject
