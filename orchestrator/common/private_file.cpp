#include <orchestrator/common/private_file.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace cyrange {
namespace {

Error cannot_write(const std::filesystem::path& path, int error) {
  const std::string why = std::strerror(error);
  return make_error(error == EEXIST ? ErrorCode::already_exists : ErrorCode::failed_precondition,
                    "Cannot write '" + path.string() + "': " + why +
                        ". Check the folder's permissions, its free space, and that nothing is "
                        "in the way (a file or link of that name is not overwritten here).",
                    "'" + path.string() + "' を書き出せません: " + why +
                        "。フォルダの権限と空き容量、同名のファイルやリンクがないことを確認して"
                        "ください。");
}

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const auto n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

Status write_private_file(const std::filesystem::path& path, std::string_view text, mode_t mode) {
  std::string tmp = path.string() + ".tmp-XXXXXX";
  const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);  // O_EXCL, mode 0600 from the start
  if (fd < 0) return cannot_write(path, errno);
  const bool ok = ::fchmod(fd, mode) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
  const int error = errno;
  const bool closed = ::close(fd) == 0;
  if (!ok || !closed || ::rename(tmp.c_str(), path.c_str()) != 0) {
    const int failed = ok && closed ? errno : error;
    ::unlink(tmp.c_str());
    return cannot_write(path, failed);
  }
  return Status::success();
}

Expected<int> create_private_file(const std::filesystem::path& path, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) return cannot_write(path, errno);
  if (::fchmod(fd, mode) != 0) {  // whatever the umask
    const int error = errno;
    ::close(fd);
    return cannot_write(path, error);
  }
  return fd;
}

}  // namespace cyrange
