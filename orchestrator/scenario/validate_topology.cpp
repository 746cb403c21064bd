#include <orchestrator/range/service_catalog.h>
#include <orchestrator/scenario/net.h>
#include <orchestrator/scenario/validate_checks.h>

#include <map>

namespace cyrange::scenario::detail {
namespace {

/// Reports every name seen before in the same namespace: the error at the repeated
/// name's value, a note at the first one.
class DuplicateFinder {
 public:
  DuplicateFinder(std::string en, std::string ja, Findings& f)
      : en_(std::move(en)), ja_(std::move(ja)), f_(f) {}
  void see(const std::string& name, const SourceLocation& loc) {
    if (name.empty()) return;
    auto [it, fresh] = first_.emplace(name, loc);
    if (fresh) return;
    f_.error(loc,
             both("duplicate " + en_ + " '" + name + "' (first defined at line " +
                      std::to_string(it->second.line) + ")",
                  ja_ + " '" + name + "' が重複しています（最初の定義は " +
                      std::to_string(it->second.line) + " 行目）"),
             both("give each " + en_ + " a unique name", ja_ + "ごとに別の名前を付けてください"))
        .notes.push_back(make_note(it->second, both("'" + name + "' is first defined here",
                                                    "'" + name + "' の最初の定義はここです")));
  }

 private:
  std::string en_, ja_;
  Findings& f_;
  std::map<std::string, SourceLocation> first_;
};

std::map<std::string, Ipv4Network> segment_networks(const Scenario& s) {
  std::map<std::string, Ipv4Network> out;
  for (const auto& seg : s.topology.segments) {
    if (auto net = parse_cidr(seg.cidr)) out.emplace(seg.name, *net);
  }
  return out;
}

/// Calls `visit(owner, interface)` for every interface of hosts and routers.
template <class Visit>
void for_each_interface(const Scenario& s, Visit visit) {
  for (const auto& r : s.topology.routers) {
    for (const auto& i : r.interfaces) visit(r.name, i);
  }
  for (const auto& h : s.topology.hosts) {
    for (const auto& i : h.interfaces) visit(h.name, i);
  }
}

/// How the guests apply rules (scenarios/images/*/configure: iptables FORWARD chain), said
/// where a warning is about them.
const std::string kRuleSemanticsEn =
    "rules are checked in order on the traffic the router forwards and the first match "
    "decides; they are stateful: replies to an allowed connection always pass, so allow only "
    "the direction that opens it; traffic no rule matches is forwarded, and traffic to the "
    "router itself is not filtered";
const std::string kRuleSemanticsJa =
    "ルールはルーターが中継する通信に上から順に適用され、最初に一致したものが決めます。"
    "ステートフルなので、許可した接続の応答は常に通ります（接続を開く方向だけ許可すれば"
    "足ります）。どのルールにも一致しない通信は中継され、ルーター自身宛ての通信は"
    "フィルタされません";

/// A last rule for everything else: `{action: deny}` (or an explicit `{action: allow}`).
bool is_catch_all(const FirewallRule& rule) {
  return rule.from == "any" && rule.to == "any" && rule.protocol == "any" && rule.ports.empty();
}

/// A firewall (or a router with rules) that does not end in a rule for any traffic lets
/// through everything its rules forgot, which is rarely meant.
void check_default_deny(const Router& r, Findings& f) {
  if (r.rules.empty()) {
    if (r.kind != "firewall") return;
    f.warning(value_loc(r, "kind"),
              both("firewall '" + r.name + "' has no rules, so it forwards everything (" +
                       kRuleSemanticsEn + ")",
                   "ファイアウォール '" + r.name + "' にルールがないため、すべて中継します（" +
                       kRuleSemanticsJa + "）"),
              both("list the allowed flows under `rules:` and end them with `{action: deny}`, "
                   "or make it `kind: router`",
                   "`rules:` に許可する通信を書いて最後を `{action: deny}` にするか、"
                   "`kind: router` にしてください"));
    return;
  }
  const FirewallRule& last = r.rules.back();
  if (is_catch_all(last)) return;
  f.warning(value_loc(last, "action"),
            both("the rules of '" + r.name +
                     "' do not end in a default deny, so traffic they "
                     "do not name is forwarded (" +
                     kRuleSemanticsEn + ")",
                 "'" + r.name +
                     "' のルールが既定の拒否で終わっていないため、ルールにない通信は"
                     "中継されます（" +
                     kRuleSemanticsJa + "）"),
            both("add `- {action: deny}` as the last rule (from, to and protocol default to "
                 "any), or `- {action: allow}` if forwarding the rest is meant",
                 "最後のルールとして `- {action: deny}` を加えてください（from・to・protocol の"
                 "既定は any）。残りを中継する意図なら `- {action: allow}` と明示してください"));
}

}  // namespace

void check_duplicate_names(const Scenario& s, const NameIndex&, Findings& f) {
  DuplicateFinder segments("segment", "セグメント", f),
      guests("host or router", "ホストまたはルーター", f), steps("step", "ステップ", f),
      objectives("objective", "設問", f), messages("message", "メッセージ", f),
      variables("variable", "変数", f), departments("department", "部署", f),
      personas("persona", "人物", f);
  for (const auto& x : s.topology.segments) segments.see(x.name, value_loc(x, "name"));
  for (const auto& x : s.topology.routers) guests.see(x.name, value_loc(x, "name"));
  for (const auto& x : s.topology.hosts) guests.see(x.name, value_loc(x, "name"));
  for (const auto& x : s.timeline) steps.see(x.id, value_loc(x, "id"));
  for_each_objective(s.objectives,
                     [&](const Objective& o) { objectives.see(o.id, value_loc(o, "id")); });
  for (const auto& x : s.messages) messages.see(x.id, value_loc(x, "id"));
  for (const auto& x : s.variables) variables.see(x.name, value_loc(x, "name"));
  for (const auto& x : s.workforce.departments) departments.see(x.id, value_loc(x, "id"));
  for (const auto& x : s.workforce.personas) personas.see(x.id, value_loc(x, "id"));
}

void check_segments(const Scenario& s, const NameIndex&, Findings& f) {
  std::vector<std::pair<const Segment*, Ipv4Network>> parsed;
  for (const auto& seg : s.topology.segments) {
    const SourceLocation& cidr_loc = value_loc(seg, "cidr");
    bool aligned = true;
    const auto net = parse_cidr(seg.cidr, &aligned);
    if (!net) {
      f.error(cidr_loc,
              both("segment '" + seg.name + "' has malformed CIDR '" + seg.cidr + "'",
                   "セグメント '" + seg.name + "' の CIDR '" + seg.cidr + "' の形式が不正です"),
              both("write it as an IPv4 network such as 10.10.1.0/24",
                   "10.10.1.0/24 のような IPv4 ネットワークで書いてください"));
      continue;
    }
    const std::string network = format_ipv4(net->base) + "/" + std::to_string(net->prefix);
    if (!aligned) {
      f.error(cidr_loc,
              both("segment '" + seg.name + "' CIDR '" + seg.cidr + "' has host bits set",
                   "セグメント '" + seg.name + "' の CIDR '" + seg.cidr +
                       "' にホスト部のビットが立っています"),
              both("use the network address " + network,
                   "ネットワークアドレス " + network + " を使ってください"));
    }
    if (net->prefix > 30) {
      f.error(cidr_loc,
              both("segment '" + seg.name + "' is too small for hosts",
                   "セグメント '" + seg.name + "' はホストを置くには小さすぎます"),
              both("use a prefix of /30 or shorter", "/30 以下のプレフィックスにしてください"));
    }
    for (const auto& [other, other_net] : parsed) {
      if (net->contains(other_net.base) || other_net.contains(net->base)) {
        f.error(cidr_loc,
                both("segment '" + seg.name + "' overlaps segment '" + other->name + "'",
                     "セグメント '" + seg.name + "' がセグメント '" + other->name +
                         "' と重なっています"),
                both("give every segment its own address range",
                     "セグメントごとに重ならないアドレス範囲を使ってください"))
            .notes.push_back(make_note(value_loc(*other, "cidr"),
                                       both("segment '" + other->name + "' has " + other->cidr,
                                            "セグメント '" + other->name + "' は " + other->cidr)));
      }
    }
    parsed.emplace_back(&seg, *net);
  }
}

void check_interface_segments(const Scenario& s, const NameIndex& names, Findings& f) {
  for_each_interface(s, [&](const std::string& owner, const Interface& i) {
    if (!i.segment.empty() && !names.segments.count(i.segment)) {
      f.error(value_loc(i, "segment"),
              both("'" + owner + "' is attached to undefined segment '" + i.segment + "'",
                   "'" + owner + "' の接続先セグメント '" + i.segment + "' は定義されていません"),
              both("name one of the segments under topology.segments",
                   "topology.segments のセグメント名を指定してください"));
    }
  });
  for (const auto& h : s.topology.hosts) {
    if (h.interfaces.empty()) {
      f.error(value_loc(h, "name"),
              both("host '" + h.name + "' has no network interface",
                   "ホスト '" + h.name + "' にネットワークインターフェースがありません"),
              both("add at least one entry under `interfaces:`",
                   "`interfaces:` に少なくとも1つ書いてください"));
    }
  }
}

void check_addresses(const Scenario& s, const NameIndex&, Findings& f) {
  const auto networks = segment_networks(s);
  std::map<std::uint32_t, std::pair<std::string, SourceLocation>> used;
  auto check_one = [&](const std::string& owner, const Interface& i, const std::string& value,
                       const char* field, bool unique) {
    if (value.empty() || is_reference(value)) return;
    const SourceLocation& where = value_loc(i, field);
    const std::string ja_field = unique ? "アドレス" : "ゲートウェイ";
    const auto address = parse_ipv4(value);
    if (!address) {
      f.error(where,
              both("'" + owner + "' has malformed " + field + " '" + value + "'",
                   "'" + owner + "' の" + ja_field + " '" + value + "' の形式が不正です"),
              both("write a plain IPv4 address such as 10.10.1.20 (no prefix)",
                   "10.10.1.20 のような IPv4 アドレスを書いてください（プレフィックスなし）"));
      return;
    }
    auto net = networks.find(i.segment);
    if (net == networks.end()) return;  // reported by the segment checks
    const std::string cidr =
        format_ipv4(net->second.base) + "/" + std::to_string(net->second.prefix);
    if (!net->second.contains(*address)) {
      f.error(where,
              both(std::string(field) + " " + value + " of '" + owner + "' is outside segment '" +
                       i.segment + "' (" + cidr + ")",
                   "'" + owner + "' の" + ja_field + " " + value + " はセグメント '" + i.segment +
                       "'（" + cidr + "）の範囲外です"),
              both("choose an address inside " + cidr + " or attach it to the right segment",
                   cidr + " 内のアドレスにするか、正しいセグメントに接続してください"));
    } else if (*address == net->second.base || *address == net->second.broadcast()) {
      f.error(where,
              both(std::string(field) + " " + value + " of '" + owner +
                       "' is the network or broadcast address of " + cidr,
                   "'" + owner + "' の" + ja_field + " " + value + " は " + cidr +
                       " のネットワークアドレスまたはブロードキャストアドレスです"),
              both("choose a host address inside " + cidr,
                   cidr + " 内のホストアドレスを選んでください"));
    }
    if (!unique) return;
    auto [it, fresh] = used.emplace(*address, std::make_pair(owner, where));
    if (!fresh) {
      f.error(where,
              both("address " + value + " of '" + owner + "' is already used by '" +
                       it->second.first + "'",
                   "'" + owner + "' のアドレス " + value + " は '" + it->second.first +
                       "' が使用済みです"),
              both("give every interface its own address",
                   "インターフェースごとに別のアドレスを付けてください"))
          .notes.push_back(make_note(
              it->second.second, both("'" + it->second.first + "' has " + value + " here",
                                      "'" + it->second.first + "' の " + value + " はここです")));
    }
  };
  for_each_interface(s, [&](const std::string& owner, const Interface& i) {
    check_one(owner, i, i.address, "address", true);
    check_one(owner, i, i.gateway, "gateway", false);
  });
}

void check_services(const Scenario& s, const NameIndex&, Findings& f) {
  std::string known;
  for (const auto& name : range::known_services()) known += (known.empty() ? "" : ", ") + name;
  for (const auto& h : s.topology.hosts) {
    for (std::size_t i = 0; i < h.services.size(); ++i) {
      const std::string& service = h.services[i];
      const SourceLocation& where = value_loc(h, "services." + std::to_string(i));
      if (!range::is_known_service(service)) {
        f.error(where,
                both("host '" + h.name + "' declares service '" + service +
                         "', which no image profile starts or checks",
                     "ホスト '" + h.name + "' のサービス '" + service +
                         "' はどのイメージも起動・確認しません"),
                both("use one of: " + known + "; or remove it from `services:`",
                     "次のいずれかにするか、`services:` から削除してください: " + known));
      } else if (range::is_known_image_profile(h.image_profile) &&
                 !range::profile_starts_service(h.image_profile, service)) {
        // The host would wait for a daemon its image does not have until the ready timeout.
        f.error(where,
                both("host '" + h.name + "' declares service '" + service + "', which the " +
                         h.image_profile + " image does not start",
                     "ホスト '" + h.name + "' のサービス '" + service + "' は " + h.image_profile +
                         " イメージにありません"),
                both("set `image_profile: standard` on '" + h.name + "', or remove the service",
                     "`image_profile: standard` を指定するか、サービスを削除してください"))
            .notes.push_back(make_note(
                value_loc(h, "image_profile"),
                both("'" + h.name + "' uses the " + h.image_profile + " image here",
                     "'" + h.name + "' の " + h.image_profile + " イメージの指定はここです")));
      }
    }
  }
}

void check_images(const Scenario& s, const NameIndex&, Findings& f) {
  auto check_guest = [&](const auto& guest) {
    const std::string& name = guest.name;
    const std::string& profile = guest.image_profile;
    if (profile.empty()) {
      f.error(value_loc(guest, "name"),
              both("host '" + name + "' has no image profile",
                   "ホスト '" + name + "' にイメージプロファイルがありません"),
              both("add `image_profile: tiny` (busybox) or `image_profile: standard` (Debian)",
                   "`image_profile: tiny`（busybox）または `image_profile: standard`（Debian）を"
                   "書いてください"));
    } else if (!range::is_known_image_profile(profile)) {
      // An error, not a warning: the profile names the recipe folder whose build.sh the
      // range host runs.
      std::string known;
      for (const auto& p : range::known_image_profiles()) known += (known.empty() ? "" : ", ") + p;
      f.error(value_loc(guest, "image_profile"),
              both("host '" + name + "' uses unknown image profile '" + profile + "'",
                   "ホスト '" + name + "' のイメージプロファイル '" + profile + "' は不明です"),
              both("use one of: " + known, "次のいずれかを指定してください: " + known));
    }
    if (guest.memory_mib < 64) {
      f.error(value_loc(guest, "memory_mib"),
              both("host '" + name + "' has less than 64 MiB of memory",
                   "ホスト '" + name + "' のメモリが 64 MiB 未満です"),
              both("set `memory_mib:` to 64 or more (128 for the tiny profile)",
                   "`memory_mib:` を 64 以上（tiny は 128）にしてください"));
    }
    if (guest.vcpus < 1) {
      f.error(value_loc(guest, "vcpus"),
              both("host '" + name + "' has no virtual CPU",
                   "ホスト '" + name + "' に仮想 CPU がありません"),
              both("set `vcpus:` to 1 or more", "`vcpus:` を 1 以上にしてください"));
    }
  };
  for (const auto& h : s.topology.hosts) check_guest(h);
  for (const auto& r : s.topology.routers) check_guest(r);
}

void check_firewall_rules(const Scenario& s, const NameIndex& names, Findings& f) {
  for (const auto& r : s.topology.routers) {
    if (r.kind != "router" && r.kind != "firewall") {
      f.error(value_loc(r, "kind"),
              both("'" + r.name + "' has unknown kind '" + r.kind + "'",
                   "'" + r.name + "' の種類 '" + r.kind + "' は不明です"),
              both("use `kind: router` or `kind: firewall`",
                   "`kind: router` または `kind: firewall` を指定してください"));
    }
    if (r.interfaces.size() < 2) {
      f.warning(value_loc(r, "name"),
                both("router '" + r.name + "' joins fewer than two segments",
                     "ルーター '" + r.name + "' がつなぐセグメントが2つ未満です"),
                both("attach it to every segment it routes between",
                     "中継するすべてのセグメントに接続してください"));
    }
    check_default_deny(r, f);
    for (const auto& rule : r.rules) {
      if (rule.action != "allow" && rule.action != "deny") {
        f.error(value_loc(rule, "action"),
                both("rule action '" + rule.action + "' is unknown",
                     "ルールの動作 '" + rule.action + "' は不明です"),
                both("use `action: allow` or `action: deny`",
                     "`action: allow` または `action: deny` を指定してください"));
      }
      for (const char* end : {"from", "to"}) {
        const std::string& segment = std::string(end) == "from" ? rule.from : rule.to;
        if (segment != "any" && !names.segments.count(segment)) {
          f.error(value_loc(rule, end),
                  both("rule of '" + r.name + "' names undefined segment '" + segment + "'",
                       "'" + r.name + "' のルールが未定義のセグメント '" + segment +
                           "' を指定しています"),
                  both("use a segment name or `any`", "セグメント名か `any` を指定してください"));
        }
      }
    }
  }
}

}  // namespace cyrange::scenario::detail
