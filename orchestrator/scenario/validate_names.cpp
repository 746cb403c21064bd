// Names that leave the scenario and become names of other systems: guests' hostnames and
// libvirt objects (host, router and segment names, the scenario id), domain names (mail
// domains, `domain` settings) and file names (mail attachments). Each must be one those
// systems accept; the message says the rule.
#include <regex>

#include <orchestrator/scenario/validate_checks.h>

namespace cyrange::scenario::detail {
namespace {

/// Why `label` is not an RFC 1123 label (letters, digits, '-', not at either end, 1-63
/// characters); empty when it is one.
std::string label_problem(const std::string& label) {
  static const std::regex allowed("[A-Za-z0-9-]*");
  if (label.empty()) return "an empty label (two dots in a row, or a dot at an end)";
  if (label.size() > 63) return "label '" + label + "' is longer than 63 characters";
  if (!std::regex_match(label, allowed))
    return "label '" + label + "' has characters other than letters, digits and '-'";
  if (label.front() == '-' || label.back() == '-')
    return "label '" + label + "' starts or ends with '-'";
  return {};
}

/// Why `name` is not a DNS domain name (RFC 1035/1123: at most 253 characters, labels as
/// above); empty when it is one.
std::string domain_problem(const std::string& name) {
  if (name.size() > 253) return "it is longer than 253 characters";
  std::string::size_type start = 0;
  while (true) {
    const auto dot = name.find('.', start);
    const std::string problem =
        label_problem(name.substr(start, dot == std::string::npos ? dot : dot - start));
    if (!problem.empty()) return problem;
    if (dot == std::string::npos) return {};
    start = dot + 1;
  }
}

const std::string kDomainRuleEn =
    "a domain name is at most 253 characters of dot-separated labels, each 1 to 63 letters, "
    "digits or '-', not starting or ending with '-' (RFC 1123)";
const std::string kDomainRuleJa =
    "ドメイン名は 253 文字以内で、ドット区切りの各ラベルは英字・数字・'-' の 1〜63 文字"
    "（先頭と末尾に '-' は不可、RFC 1123）です";

/// Reports `value` (a domain, or a mail address whose domain is checked) when invalid.
void check_domain(const std::string& value, const std::string& what_en, const std::string& what_ja,
                  const SourceLocation& where, Findings& f) {
  if (value.empty() || is_reference(value)) return;
  const auto at = value.rfind('@');
  const std::string domain = at == std::string::npos ? value : value.substr(at + 1);
  const std::string problem = domain_problem(domain);
  if (problem.empty()) return;
  f.error(where,
          both(what_en + " '" + value + "' is not a valid domain name: " + problem,
               what_ja + " '" + value + "' は正しいドメイン名ではありません（" + problem + "）"),
          both(kDomainRuleEn, kDomainRuleJa));
}

/// Guest names: the hostname inside the guest (an RFC 1123 label) and the libvirt domain
/// cyr-EXERCISE-TEAM-NAME, whose disk files take the name too (range/naming.cpp: 1-24
/// characters, "pool" reserved).
void check_guest_name(const std::string& name, const SourceLocation& where, Findings& f) {
  static const std::regex pattern("[a-z0-9]([a-z0-9-]{0,22}[a-z0-9])?");
  if (name.empty() || is_reference(name)) return;
  if (std::regex_match(name, pattern) && name != "pool") return;
  f.error(where,
          both("host or router name '" + name + "' cannot be a guest's hostname and libvirt name",
               "ホストまたはルーターの名前 '" + name +
                   "' はゲストのホスト名と libvirt の名前に使えません"),
          both("use 1 to 24 lower-case letters, digits and '-', starting and ending with a "
               "letter or digit (a hostname label, RFC 1123, within libvirt's name length for "
               "cyr-EXERCISE-TEAM-NAME); 'pool' is reserved",
               "英小文字・数字・'-' の 1〜24 文字で、先頭と末尾は英小文字か数字にしてください"
               "（RFC 1123 のホスト名ラベルで、cyr-演習-チーム-名前 の libvirt 名に収まる長さ）。"
               "'pool' は予約済みです"));
}

void check_segment_name(const std::string& name, const SourceLocation& where, Findings& f) {
  static const std::regex pattern("[a-z0-9_-]{1,24}");
  if (name.empty() || is_reference(name) || std::regex_match(name, pattern)) return;
  f.error(where,
          both("segment name '" + name + "' cannot be a libvirt network name",
               "セグメント名 '" + name + "' は libvirt のネットワーク名に使えません"),
          both("use 1 to 24 lower-case letters, digits, '_' and '-' (the network is "
               "cyr-EXERCISE-TEAM-net-NAME, also a file name on the hypervisor)",
               "英小文字・数字・'_'・'-' の 1〜24 文字にしてください（ネットワーク名 "
               "cyr-演習-チーム-net-名前 はハイパーバイザー上のファイル名にもなります）"));
}

/// A file name a guest writes (a mail attachment): one path component a Linux file system
/// and a mail client take.
void check_file_name(const std::string& name, const std::string& what_en,
                     const std::string& what_ja, const SourceLocation& where, Findings& f) {
  if (name.empty() || is_reference(name)) return;
  const bool control = std::any_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  if (name.size() <= 255 && name.find('/') == std::string::npos && !control && name != "." &&
      name != "..")
    return;
  f.error(where,
          both(what_en + " '" + name + "' cannot be a file name",
               what_ja + " '" + name + "' はファイル名に使えません"),
          both("use at most 255 bytes (a Japanese character takes 3) without '/' or control "
               "characters, and not '.' or '..'",
               "255 バイト以内（日本語は1文字3バイト）で、'/' や制御文字を含まず、'.' や '..' "
               "以外の名前にしてください"));
}

}  // namespace

void check_system_names(const Scenario& s, const NameIndex&, Findings& f) {
  static const std::regex scenario_id("[a-z0-9][a-z0-9-]{0,62}");
  if (!s.metadata.id.empty() && !std::regex_match(s.metadata.id, scenario_id)) {
    f.error(value_loc(s.metadata, "id"),
            both("scenario id '" + s.metadata.id + "' cannot name exercises and files",
                 "シナリオ id '" + s.metadata.id + "' は演習やファイルの名前に使えません"),
            both("use 1 to 63 lower-case letters, digits and '-', starting with a letter or "
                 "digit (an exercise created from it takes its first 24 characters)",
                 "英小文字・数字・'-' の 1〜63 文字で、先頭は英小文字か数字にしてください（演習 id "
                 "はその先頭 24 文字から作られます）"));
  }
  for (const auto& seg : s.topology.segments)
    check_segment_name(seg.name, value_loc(seg, "name"), f);
  for (const auto& r : s.topology.routers) check_guest_name(r.name, value_loc(r, "name"), f);
  for (const auto& h : s.topology.hosts) {
    check_guest_name(h.name, value_loc(h, "name"), f);
    for (const auto& [key, value] : h.config) {
      if (key == "domain" || key.ends_with("_domain"))
        check_domain(value, "setting " + key + " of '" + h.name + "'",
                     "'" + h.name + "' の設定 " + key, value_loc(h, "config." + key), f);
    }
  }
  for (const auto& p : s.workforce.personas) {
    check_domain(p.mailbox, "the mailbox of persona '" + p.id + "'",
                 "人物 '" + p.id + "' のメールアドレス", value_loc(p, "mailbox"), f);
    for (std::size_t i = 0; i < p.live.mail_to.size(); ++i) {
      check_domain(p.live.mail_to[i], "live persona '" + p.id + "' mails",
                   "人物 '" + p.id + "' の宛先", value_loc(p.live, "mail_to." + std::to_string(i)),
                   f);
    }
  }
  for (const auto& step : s.timeline) {
    for (const auto& [key, value] : step.params) {
      const SourceLocation& where = value_loc(step, "params." + key);
      const std::string en = "parameter " + key + " of step '" + step.id + "'";
      const std::string ja = "ステップ '" + step.id + "' のパラメーター " + key;
      if (key == "domain" || key.ends_with("_domain")) check_domain(value, en, ja, where, f);
      if (key == "attachment") check_file_name(value, en, ja, where, f);
    }
  }
}

}  // namespace cyrange::scenario::detail
