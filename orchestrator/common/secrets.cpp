#include <orchestrator/common/secrets.h>

#include <array>
#include <cstring>
#include <string_view>

extern char** environ;

namespace cyrange {
namespace {

constexpr std::array<std::string_view, 2> kSecretVariables = {"CYRANGE_TOKEN", "PGPASSWORD"};

bool is_secret(std::string_view entry) {
  for (std::string_view name : kSecretVariables)
    if (entry.size() > name.size() && entry.starts_with(name) && entry[name.size()] == '=')
      return true;
  return false;
}

}  // namespace

std::vector<std::string> child_environment() {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e)
    if (!is_secret(*e)) out.emplace_back(*e);
  return out;
}

std::vector<char*> environment_pointers(std::vector<std::string>& environment) {
  std::vector<char*> out;
  for (auto& entry : environment) out.push_back(entry.data());
  out.push_back(nullptr);
  return out;
}

void hide_secret_arguments(int argc, char** argv) {
  constexpr std::string_view kFlag = "--token";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == kFlag && i + 1 < argc) {
      std::memset(argv[i + 1], 'x', std::strlen(argv[i + 1]));
      ++i;
    } else if (arg.starts_with(kFlag) && arg.size() > kFlag.size() && arg[kFlag.size()] == '=') {
      std::memset(argv[i] + kFlag.size() + 1, 'x', arg.size() - kFlag.size() - 1);
    }
  }
}

}  // namespace cyrange
