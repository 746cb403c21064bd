#include <orchestrator/range/guest_agent.h>

#include <algorithm>
#include <thread>

#include <nlohmann/json.hpp>

namespace cyrange::range {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string base64_encode(const std::string& data) {
  std::string out;
  unsigned val = 0;
  int bits = -6;
  for (unsigned char c : data) {
    val = (val << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out.push_back(kAlphabet[(val >> bits) & 0x3f]);
      bits -= 6;
    }
  }
  if (bits > -6) out.push_back(kAlphabet[((val << 8) >> (bits + 8)) & 0x3f]);
  while (out.size() % 4) out.push_back('=');
  return out;
}

std::string base64_decode(const std::string& text) {
  std::string out;
  unsigned val = 0;
  int bits = -8;
  for (char c : text) {
    const char* p = std::char_traits<char>::find(kAlphabet, 64, c);
    if (!p) break;
    val = (val << 6) + static_cast<unsigned>(p - kAlphabet);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xff));
      bits -= 8;
    }
  }
  return out;
}

bool guest_ping(Hypervisor& hv, const std::string& domain) {
  auto reply = hv.agent_command(domain, R"({"execute":"guest-ping"})", 2);
  return reply.has_value() && reply->find("\"return\"") != std::string::npos;
}

Expected<ExecResult> guest_exec(Hypervisor& hv, const std::string& domain,
                                const std::vector<std::string>& argv,
                                std::chrono::milliseconds timeout) {
  if (argv.empty())
    return make_error(ErrorCode::invalid_argument,
                      "No command was given to run in '" + domain + "'.");
  nlohmann::json cmd = {{"execute", "guest-exec"},
                        {"arguments",
                         {{"path", argv.front()},
                          {"arg", std::vector<std::string>(argv.begin() + 1, argv.end())},
                          {"capture-output", true}}}};
  auto started = hv.agent_command(domain, cmd.dump(), 10);
  if (!started) return started.error();
  long long pid = -1;
  try {
    pid = nlohmann::json::parse(*started).at("return").at("pid").get<long long>();
  } catch (const nlohmann::json::exception& e) {
    return make_error(ErrorCode::internal, "The guest agent of '" + domain +
                                               "' answered guest-exec without a pid: " + *started);
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  nlohmann::json status_cmd = {{"execute", "guest-exec-status"}, {"arguments", {{"pid", pid}}}};
  // Most commands end within tens of milliseconds even under TCG: poll fast, then back off.
  auto pause = std::chrono::milliseconds(10);
  for (;;) {
    auto reply = hv.agent_command(domain, status_cmd.dump(), 10);
    if (!reply) return reply.error();
    try {
      auto ret = nlohmann::json::parse(*reply).at("return");
      if (ret.value("exited", false)) {
        ExecResult r;
        r.exit_code =
            ret.value("exitcode", ret.contains("signal") ? 128 + ret.value("signal", 0) : -1);
        r.out = base64_decode(ret.value("out-data", ""));
        r.err = base64_decode(ret.value("err-data", ""));
        return r;
      }
    } catch (const nlohmann::json::exception& e) {
      return make_error(ErrorCode::internal,
                        "The guest agent of '" + domain +
                            "' sent an unreadable guest-exec-status reply: " + *reply);
    }
    if (std::chrono::steady_clock::now() > deadline)
      return make_error(ErrorCode::unavailable, "The command '" + argv.front() + "' in '" + domain +
                                                    "' did not finish within " +
                                                    std::to_string(timeout.count()) +
                                                    " ms; check the guest's console.");
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(100));
  }
}

}  // namespace cyrange::range
