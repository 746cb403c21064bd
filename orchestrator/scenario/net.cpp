#include <orchestrator/scenario/net.h>

#include <regex>

namespace cyrange::scenario {

std::optional<std::uint32_t> parse_ipv4(const std::string& text) {
  static const std::regex quad(R"((\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3}))");
  std::smatch m;
  if (!std::regex_match(text, m, quad)) return std::nullopt;
  std::uint32_t out = 0;
  for (int i = 1; i <= 4; ++i) {
    const int octet = std::stoi(m[i].str());
    if (octet > 255) return std::nullopt;
    out = (out << 8) | static_cast<std::uint32_t>(octet);
  }
  return out;
}

std::optional<Ipv4Network> parse_cidr(const std::string& text, bool* aligned) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  const auto address = parse_ipv4(text.substr(0, slash));
  const std::string prefix = text.substr(slash + 1);
  if (!address || prefix.empty() || prefix.size() > 2 ||
      prefix.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  Ipv4Network net{0, std::stoi(prefix)};
  if (net.prefix > 32) return std::nullopt;
  net.base = *address & net.mask();
  if (aligned) *aligned = net.base == *address;
  return net;
}

std::string format_ipv4(std::uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
         std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

std::string target_host(const std::string& url) {
  std::size_t start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  const std::size_t end = url.find_first_of(":/", start);
  return url.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace cyrange::scenario
