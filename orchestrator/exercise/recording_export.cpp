#include <orchestrator/exercise/recording_export.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include <orchestrator/exercise/terminal.h>

namespace cyrange::exercise {
namespace {

namespace fs = std::filesystem;

// Recordings are personal data: readable by the exporting user only, and never written
// through a link someone planted in the folder.
Status write_private(const fs::path& file, const std::string& text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    const std::string why = std::strerror(errno);
    return make_error(ErrorCode::failed_precondition,
                      "Cannot write the recording '" + file.string() + "': " + why +
                          ". Check the folder's permissions and that the file is not a link.",
                      "端末記録 '" + file.string() + "' を書き出せません: " + why +
                          "。フォルダの権限と、ファイルがリンクでないことを確認してください。");
  }
  std::size_t done = 0;
  while (done < text.size()) {
    const auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = std::strerror(errno);
      ::close(fd);
      return make_error(ErrorCode::internal,
                        "Writing the recording '" + file.string() + "' failed: " + why +
                            ". Check the space left on the disk.",
                        "端末記録 '" + file.string() + "' の書き込みに失敗しました: " + why +
                            "。ディスクの空きを確認してください。");
    }
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return Status::success();
}

}  // namespace

Expected<std::vector<fs::path>> export_exercise_recordings(RangeRegistry& registry,
                                                           const std::string& exercise,
                                                           const fs::path& dir,
                                                           const std::string& actor) {
  auto sessions = registry.terminal_sessions(exercise);
  if (!sessions) return sessions.error();
  std::vector<fs::path> files;
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& s : *sessions) {
    files.push_back(dir / (s.team + "-" + s.host + "-" + std::to_string(s.id) + ".cast"));
    ids.push_back(s.id);
  }
  const nlohmann::json detail = {
      {"format", "asciicast-v2"}, {"out", fs::absolute(dir).string()}, {"sessions", ids}};
  if (Status st =
          registry.audit_by(actor, "recording.export", "exercise:" + exercise,
                            detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      !st)
    return st.error();
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (std::size_t i = 0; i < sessions->size(); ++i) {
    auto cast = export_asciicast(registry, (*sessions)[i].id);
    if (!cast) return cast.error();
    if (Status st = write_private(files[i], *cast); !st) return st.error();
  }
  return files;
}

}  // namespace cyrange::exercise
