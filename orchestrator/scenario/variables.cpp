#include <orchestrator/scenario/variables.h>

#include <regex>
#include <set>

#include <openssl/evp.h>

#include <orchestrator/scenario/net.h>

namespace cyrange::scenario {
namespace {

/// A small deterministic generator: splitmix64 seeded from sha256(seed, team, name),
/// because std:: distributions differ between standard libraries.
class Draw {
 public:
  Draw(std::uint64_t seed, const std::string& team, const std::string& name) {
    std::string input;
    for (int i = 0; i < 8; ++i) input += static_cast<char>((seed >> (8 * i)) & 0xff);
    input += '\0' + team + '\0' + name;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr);
    for (int i = 0; i < 8; ++i) state_ = (state_ << 8) | digest[i];
  }
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [lo, hi] (hi >= lo); the modulo bias is irrelevant here.
  long long between(long long lo, long long hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<long long>(span == 0 ? next() : next() % span);
  }

 private:
  std::uint64_t state_ = 0;
};

std::string random_word(Draw& draw, int letters) {
  static const char* syllables[] = {"ka", "ki", "ku", "ke", "ko", "sa", "shi", "su", "se", "so",
                                    "ta", "te", "to", "na", "ni", "no", "ha",  "hi", "fu", "ho",
                                    "ma", "mi", "mo", "ya", "yu", "ra", "ri",  "ru", "re", "ro"};
  std::string out;
  while (static_cast<int>(out.size()) < letters) {
    out += syllables[draw.between(0, std::size(syllables) - 1)];
  }
  return out;
}

std::string random_hex(Draw& draw, int digits) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < digits; ++i) out += hex[draw.between(0, 15)];
  return out;
}

std::set<std::uint32_t> static_addresses(const Scenario& s) {
  std::set<std::uint32_t> used;
  auto add = [&](const std::vector<Interface>& interfaces) {
    for (const auto& i : interfaces) {
      if (auto a = parse_ipv4(i.address)) used.insert(*a);
      if (auto g = parse_ipv4(i.gateway)) used.insert(*g);
    }
  };
  for (const auto& r : s.topology.routers) add(r.interfaces);
  for (const auto& h : s.topology.hosts) add(h.interfaces);
  return used;
}

std::string random_address(Draw& draw, const Scenario& s, const Variable& v,
                           std::set<std::uint32_t>& used) {
  std::optional<Ipv4Network> net;
  for (const auto& seg : s.topology.segments) {
    if (seg.name == v.segment) net = parse_cidr(seg.cidr);
  }
  if (!net || net->prefix > 30) return "";
  const long long last = static_cast<long long>(net->broadcast() - net->base) - 1;
  long long lo = v.min > 0 ? v.min : 1;
  long long hi = v.max > 0 ? std::min(v.max, last) : last;
  if (lo > hi) return "";
  std::uint32_t address = 0;
  for (int attempt = 0; attempt < 256; ++attempt) {
    address = net->base + static_cast<std::uint32_t>(draw.between(lo, hi));
    if (!used.count(address)) break;
  }
  used.insert(address);
  return format_ipv4(address);
}

const std::regex& reference() {
  static const std::regex ref(R"(\$\{vars\.([A-Za-z_][A-Za-z0-9_]*)\})");
  return ref;
}

/// Fills in the references between drawn values, each value once and its references
/// first (depth-first), so chains of any length resolve in linear work. Repeated
/// passes instead would let a cycle or a fan-out chain grow values exponentially.
class Resolver {
 public:
  explicit Resolver(std::map<std::string, std::string>& values) : values_(values) {}

  void resolve(const std::string& name) {
    auto it = values_.find(name);
    if (it == values_.end() || done_.count(name) || !active_.insert(name).second) return;
    std::map<std::string, std::string> filled;
    for (const auto& ref : referenced_variables(it->second)) {
      resolve(ref);
      // A reference back into the chain being resolved is a cycle: it stays as written.
      if (auto dep = values_.find(ref); dep != values_.end() && !active_.count(ref))
        filled.emplace(ref, dep->second);
    }
    std::string value = substitute(it->second, filled);
    if (value.size() <= kMaxVariableValue) it->second = std::move(value);
    active_.erase(name);
    done_.insert(name);
  }

 private:
  std::map<std::string, std::string>& values_;
  std::set<std::string> active_, done_;
};

}  // namespace

std::vector<std::string> referenced_variables(const std::string& text) {
  std::vector<std::string> names;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), reference());
       it != std::sregex_iterator(); ++it) {
    names.push_back((*it)[1].str());
  }
  return names;
}

std::string substitute(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  auto last = text.cbegin();
  for (auto it = std::sregex_iterator(text.begin(), text.end(), reference());
       it != std::sregex_iterator(); ++it) {
    out.append(last, (*it)[0].first);
    auto value = vars.find((*it)[1].str());
    out += value != vars.end() ? value->second : (*it)[0].str();
    last = (*it)[0].second;
  }
  out.append(last, text.cend());
  return out;
}

std::map<std::string, std::string> resolve_variables(const Scenario& s, std::uint64_t seed,
                                                     const std::string& team) {
  std::map<std::string, std::string> vars;
  std::set<std::uint32_t> used = static_addresses(s);
  for (const auto& v : s.variables) {
    Draw draw(seed, team, v.name);
    std::string value;
    switch (v.kind) {
      case VariableKind::choice:
        if (!v.choices.empty()) value = v.choices[draw.between(0, v.choices.size() - 1)];
        break;
      case VariableKind::word:
        value = v.prefix + random_word(draw, v.length) + v.suffix;
        break;
      case VariableKind::hex:
        value = v.prefix + random_hex(draw, v.length) + v.suffix;
        break;
      case VariableKind::integer:
        value = std::to_string(draw.between(v.min, std::max(v.min, v.max)));
        break;
      case VariableKind::address:
        value = random_address(draw, s, v, used);
        break;
    }
    vars[v.name] = value;
  }
  // Values may be built from other values ("${vars.user}@example.jp").
  Resolver resolver(vars);
  for (const auto& v : s.variables) resolver.resolve(v.name);
  return vars;
}

}  // namespace cyrange::scenario
