// The fake hypervisor's console: a tiny line shell on its own thread, so callers
// see output arrive asynchronously, as from libvirt's event loop. `yes` prints lines
// without end, as `cat /dev/urandom` in a real guest would, and honours
// set_output_paused() as the libvirt console does (output stops while paused).
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <orchestrator/range/fake_hypervisor.h>

namespace cyrange::range {
namespace {

class FakeConsole final : public ConsoleStream {
 public:
  FakeConsole(std::string host, ConsoleOutput on_output)
      : host_(std::move(host)), on_output_(std::move(on_output)), worker_([this] { run(); }) {}
  ~FakeConsole() override { close(); }

  Status write(std::string_view bytes) override {
    std::lock_guard lock(mu_);
    if (stop_) return make_error(ErrorCode::failed_precondition, "The fake console is closed.");
    input_.append(bytes);
    cv_.notify_one();
    return Status::success();
  }

  void set_output_paused(bool paused) override {
    {
      std::lock_guard lock(mu_);
      paused_ = paused;
    }
    cv_.notify_one();
  }

  void close() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    if (worker_.joinable() && worker_.get_id() != std::this_thread::get_id()) worker_.join();
  }

 private:
  void run() {
    std::string line;
    for (;;) {
      std::string chunk;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stop_ || !input_.empty() || (flooding_ && !paused_); });
        if (stop_) return;
        chunk.swap(input_);
      }
      if (flooding_ && chunk.empty()) {
        on_output_(std::string(4096, 'y'));
        continue;
      }
      std::string out;
      for (char c : chunk) {
        if (c == '\r' || c == '\n') {
          out += "\r\n";
          if (line == "hostname") out += host_ + "\r\n";
          // `su` asks for a password without echoing it, as a real shell does.
          out += line == "su" ? "Password: " : "$ ";
          secret_ = line == "su";
          if (line == "yes") flooding_ = true;
          line.clear();
        } else {
          if (!secret_) out += c;
          line += c;
        }
      }
      on_output_(out);
    }
  }

  std::string host_;
  ConsoleOutput on_output_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string input_;
  bool secret_ = false;    // the current line is typed at the password prompt
  bool flooding_ = false;  // `yes` was typed: output without end (worker thread only)
  bool paused_ = false;    // set_output_paused(true): no flood output until resumed
  bool stop_ = false;
  std::thread worker_;  // last: starts once everything above exists
};

}  // namespace

Expected<std::unique_ptr<ConsoleStream>> FakeHypervisor::open_console(const std::string& domain,
                                                                      ConsoleOutput on_output,
                                                                      ConsoleClosed) {
  {
    std::lock_guard lock(mu_);
    if (!domains_.count(domain))
      return make_error(ErrorCode::not_found, "Domain '" + domain + "' does not exist.");
  }
  // "cyr-<exercise>-<team>-<host>": the host is what follows the third dash.
  std::size_t pos = 0;
  for (int i = 0; i < 3 && pos != std::string::npos; ++i) pos = domain.find('-', pos + (i ? 1 : 0));
  std::string host = pos == std::string::npos ? domain : domain.substr(pos + 1);
  return std::unique_ptr<ConsoleStream>(new FakeConsole(host, std::move(on_output)));
}

}  // namespace cyrange::range
