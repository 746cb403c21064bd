#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::range {
class TeamRange;
}

namespace cyrange::inject {

/// What a command run inside a guest returned.
struct GuestResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// The only way inject steps touch a team's guests: run a command, write a file.
/// Narrow on purpose so steps stay testable without a hypervisor.
class GuestRunner {
 public:
  virtual ~GuestRunner() = default;
  /// Runs argv inside `host`; an error only when the command could not be run at all.
  virtual Expected<GuestResult> exec(const std::string& host,
                                     const std::vector<std::string>& argv) = 0;
  /// Writes `content` to `path` inside `host`, creating parent folders; replaces the file.
  virtual Status write_file(const std::string& host, const std::string& path,
                            const std::string& content) = 0;
};

/// GuestRunner over a real team range (qemu guest agent through TeamRange::exec).
class RangeGuestRunner : public GuestRunner {
 public:
  /// Borrows `range`, which must outlive the runner.
  explicit RangeGuestRunner(range::TeamRange& range);
  Expected<GuestResult> exec(const std::string& host,
                             const std::vector<std::string>& argv) override;
  Status write_file(const std::string& host, const std::string& path,
                    const std::string& content) override;

 private:
  range::TeamRange& range_;
};

/// Test double: records every command and keeps written files per host. A handler
/// may script answers; by default every command succeeds with empty output.
class FakeGuestRunner : public GuestRunner {
 public:
  /// Answers one exec; `argv` as passed in.
  using Handler =
      std::function<GuestResult(const std::string& host, const std::vector<std::string>& argv)>;
  /// One recorded exec.
  struct Call {
    std::string host;
    std::vector<std::string> argv;
  };
  Expected<GuestResult> exec(const std::string& host,
                             const std::vector<std::string>& argv) override;
  Status write_file(const std::string& host, const std::string& path,
                    const std::string& content) override;
  /// Replaces the default answer.
  void set_handler(Handler handler);
  /// Every exec so far, in order.
  std::vector<Call> calls() const;
  /// Content of a written file, or empty if never written.
  std::string file(const std::string& host, const std::string& path) const;
  /// Paths written on `host`, sorted.
  std::vector<std::string> files(const std::string& host) const;

 private:
  mutable std::mutex mu_;
  Handler handler_;
  std::vector<Call> calls_;
  std::map<std::string, std::map<std::string, std::string>> files_;
};

}  // namespace cyrange::inject
