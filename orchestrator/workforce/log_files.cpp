#include <orchestrator/workforce/log_files.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace cyrange::workforce {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

constexpr std::size_t kFlushBytes = 1 << 20;

}  // namespace

Expected<LogCounts> write_day_logs(const DayGenerator& generator, std::vector<Event> injected,
                                   const RenderContext& context, const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return make_error(ErrorCode::failed_precondition, "Cannot create the output folder " +
                                                          dir.string() + ": " + ec.message() +
                                                          "; choose another --out folder.");
  }
  std::array<File, 4> files;
  std::array<std::string, 4> buffers;
  for (std::size_t k = 0; k < files.size(); ++k) {
    const auto path = dir / kLogFileNames[k];
    files[k].reset(std::fopen(path.c_str(), "wb"));
    if (!files[k]) {
      return make_error(ErrorCode::failed_precondition, "Cannot write " + path.string() + ": " +
                                                            std::strerror(errno) +
                                                            "; check that the folder is writable.");
    }
    buffers[k].reserve(kFlushBytes + 4096);
  }
  LogCounts counts;
  bool write_failed = false;
  auto flush = [&](std::size_t k) {
    if (buffers[k].empty()) return;
    if (std::fwrite(buffers[k].data(), 1, buffers[k].size(), files[k].get()) != buffers[k].size())
      write_failed = true;
    counts.bytes += static_cast<long long>(buffers[k].size());
    buffers[k].clear();
  };
  generator.run(std::move(injected), [&](const Event& e) {
    const auto k = static_cast<std::size_t>(log_of(e));
    counts.lines[k] += render(e, context, buffers[k]);
    ++counts.events[k];
    if (buffers[k].size() >= kFlushBytes) flush(k);
  });
  for (std::size_t k = 0; k < files.size(); ++k) {
    flush(k);
    if (std::fclose(files[k].release()) != 0) write_failed = true;
  }
  if (write_failed) {
    return make_error(ErrorCode::unavailable,
                      "Writing the workforce logs into " + dir.string() +
                          " failed (disk full?); free space and run again.");
  }
  return counts;
}

std::array<std::string, 4> render_logs(const std::vector<Event>& events,
                                       const RenderContext& context) {
  std::array<std::string, 4> logs;
  for (const auto& e : events) render(e, context, logs[static_cast<std::size_t>(log_of(e))]);
  return logs;
}

}  // namespace cyrange::workforce
