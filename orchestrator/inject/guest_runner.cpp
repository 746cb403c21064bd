#include <orchestrator/inject/guest_runner.h>

#include <algorithm>

#include <orchestrator/range/guest_agent.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::inject {

RangeGuestRunner::RangeGuestRunner(range::TeamRange& range) : range_(range) {}

Expected<GuestResult> RangeGuestRunner::exec(const std::string& host,
                                             const std::vector<std::string>& argv) {
  auto r = range_.exec(host, argv, std::chrono::seconds(60));
  if (!r) return r.error();
  return GuestResult{r->exit_code, r->out, r->err};
}

Status RangeGuestRunner::write_file(const std::string& host, const std::string& path,
                                    const std::string& content) {
  // The agent passes argv as JSON; chunks keep each call far below its message
  // limit. The file appears under its name only once complete (mv), so a crash
  // mid-write never leaves a half file that a re-run would trust.
  constexpr std::size_t kChunk = 24 * 1024;
  const std::string tmp = path + ".part";
  std::size_t pos = 0;
  do {
    const std::string piece = content.substr(pos, kChunk);
    const bool first = pos == 0;
    pos += kChunk;
    const bool last = pos >= content.size();
    std::string script =
        first ? "mkdir -p \"$(dirname \"$2\")\" && echo \"$1\" | base64 -d > \"$2.part\""
              : "echo \"$1\" | base64 -d >> \"$2.part\"";
    if (last) script += " && mv -f \"$2.part\" \"$2\"";
    auto r = exec(host, {"/bin/sh", "-c", script, "sh", range::base64_encode(piece), path});
    if (!r) return r.error();
    if (r->exit_code != 0) {
      return make_error(ErrorCode::internal,
                        "Writing '" + path + "' on host '" + host + "' failed (exit " +
                            std::to_string(r->exit_code) + "): " + r->err +
                            " Check the guest's free space and that the path is writable.");
    }
  } while (pos < content.size());
  return Status::success();
}

Expected<GuestResult> FakeGuestRunner::exec(const std::string& host,
                                            const std::vector<std::string>& argv) {
  Handler handler;
  {
    std::lock_guard lock(mu_);
    calls_.push_back({host, argv});
    // Marker checks see the files written so far, as in a real guest.
    if (argv.size() == 3 && argv[0] == "test" && argv[1] == "-e") {
      const auto& files = files_[host];
      return GuestResult{files.count(argv[2]) ? 0 : 1, "", ""};
    }
    handler = handler_;
  }
  if (handler) return handler(host, argv);
  return GuestResult{0, "", ""};
}

Status FakeGuestRunner::write_file(const std::string& host, const std::string& path,
                                   const std::string& content) {
  std::lock_guard lock(mu_);
  files_[host][path] = content;
  return Status::success();
}

void FakeGuestRunner::set_handler(Handler handler) {
  std::lock_guard lock(mu_);
  handler_ = std::move(handler);
}

std::vector<FakeGuestRunner::Call> FakeGuestRunner::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

std::string FakeGuestRunner::file(const std::string& host, const std::string& path) const {
  std::lock_guard lock(mu_);
  auto h = files_.find(host);
  if (h == files_.end()) return "";
  auto f = h->second.find(path);
  return f == h->second.end() ? "" : f->second;
}

std::vector<std::string> FakeGuestRunner::files(const std::string& host) const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  if (auto h = files_.find(host); h != files_.end()) {
    for (const auto& [path, content] : h->second) out.push_back(path);
  }
  return out;
}

}  // namespace cyrange::inject
