#include <orchestrator/range/image_builder.h>

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <vector>

#include <orchestrator/common/log.h>
#include <orchestrator/common/secrets.h>

namespace fs = std::filesystem;

namespace cyrange::range {
namespace {

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
  }
  void add(const std::string& bytes) {
    // Length prefix keeps "ab"+"c" and "a"+"bc" apart.
    std::string len = std::to_string(bytes.size()) + ":";
    EVP_DigestUpdate(ctx_.get(), len.data(), len.size());
    EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size());
  }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx_.get(), md, &n);
    std::string out;
    char buf[3];
    for (unsigned i = 0; i < n; ++i) {
      std::snprintf(buf, sizeof buf, "%02x", md[i]);
      out += buf;
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx_;
};

Expected<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::not_found, "Cannot read '" + path.string() + "'.");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Newest Debian cloud kernel in /boot, e.g. "6.1.0-56-cloud-amd64".
Expected<std::string> cloud_kernel_version() {
  std::vector<std::string> versions;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/boot", ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("vmlinuz-", 0) == 0 && name.find("-cloud-amd64") != std::string::npos)
      versions.push_back(name.substr(8));
  }
  if (versions.empty())
    return make_error(ErrorCode::failed_precondition,
                      "No Debian cloud kernel (/boot/vmlinuz-*-cloud-amd64) was found; install "
                      "linux-image-cloud-amd64 (scripts/install-deps.sh).");
  std::sort(versions.begin(), versions.end());
  return versions.back();
}

// Runs argv with output to a log file; returns the log's tail on failure. The log is
// opened here, never through a symbolic link: the cache folder may be writable by others.
Status run_logged(const std::vector<std::string>& argv, const fs::path& log_path) {
  const int log_fd =
      ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (log_fd < 0)
    return make_error(ErrorCode::permission_denied,
                      "Cannot open the build log '" + log_path.string() +
                          "': " + std::strerror(errno) +
                          " (a symbolic link there is refused); remove it and build again. "
                          "ビルドログを開けません。");
  // Built before fork: the child only calls async-signal-safe functions. A recipe gets no
  // secret of cyranged's environment.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  auto environment = child_environment();
  auto envp = environment_pointers(environment);
  pid_t pid = fork();
  if (pid < 0) {
    ::close(log_fd);
    return make_error(ErrorCode::internal, "Cannot fork to run " + argv.front() + ".");
  }
  if (pid == 0) {
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  ::close(log_fd);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return Status::success();
  auto log = read_file(log_path);
  // The tail only: a build log runs to megabytes, and this message is kept with the exercise.
  constexpr std::size_t kTail = 2000;
  std::string tail = log ? *log : std::string("no output");
  if (tail.size() > kTail) tail = "…" + tail.substr(tail.size() - kTail);
  return make_error(ErrorCode::internal, "The image recipe '" + argv.front() + "' failed (status " +
                                             std::to_string(status) + "; whole log in " +
                                             log_path.string() + "): " + tail);
}

// Virtual size from the qcow2 header (big-endian u64 at offset 24); 0 if not qcow2.
std::uint64_t qcow2_virtual_size(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  unsigned char h[32] = {};
  if (!in.read(reinterpret_cast<char*>(h), sizeof h)) return 0;
  if (h[0] != 'Q' || h[1] != 'F' || h[2] != 'I' || h[3] != 0xfb) return 0;
  std::uint64_t size = 0;
  for (int i = 24; i < 32; ++i) size = (size << 8) | h[i];
  return size;
}

std::string available_profiles(const fs::path& recipe_root) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(recipe_root, ec))
    if (fs::exists(e.path() / "build.sh")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

}  // namespace

bool is_plain_profile_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '.') return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

ImageProfile image_profile(const std::string& name) {
  ImageProfile p;
  p.name = name.empty() ? "tiny" : name;
  if (p.name == "standard") {
    // Debian with postfix/squid/nginx: 128 MiB leaves squid and postfix swapping into the OOM
    // killer.
    p.disk_file = "root-base.qcow2";
    p.root_disk = true;
    p.min_memory_mib = 256;
    p.configure = "/sbin/cyrange-configure";
  }
  return p;
}

std::string image_boot_args(const std::string& profile) {
  // Read by the standard image's stage-1 initramfs, which mounts the overlay as / and execs the
  // init.
  return image_profile(profile).root_disk ? "root=/dev/vda rw init=/sbin/cyrange-init" : "";
}

std::string default_recipe_root() {
  if (const char* env = std::getenv("CYRANGE_IMAGE_RECIPES")) return env;
  return CYRANGE_IMAGE_RECIPE_DIR;
}

Expected<ImageInfo> build_image(const ImageBuildOptions& options) {
  auto logger = cyrange::log::get("range");
  fs::path recipe_root = options.recipe_root.empty() ? default_recipe_root() : options.recipe_root;
  // Only a folder directly under the recipe root: `recipe_root / "/x"` is "/x", and
  // "../x" or a symbolic link would run a build.sh the operator never put there.
  if (!is_plain_profile_name(options.profile))
    return make_error(
        ErrorCode::invalid_argument,
        "Image profile '" + options.profile +
            "' is not the name of a recipe folder (no '/', no '..', at most 64 "
            "characters of a-z, 0-9, '_', '-', '.'); use one of: " +
            available_profiles(recipe_root) +
            ". イメージプロファイル名が不正です。レシピフォルダ名を指定してください。");
  fs::path recipe = recipe_root / options.profile;
  std::error_code kind_ec;
  if (!fs::is_directory(fs::symlink_status(recipe, kind_ec)) ||
      !fs::is_regular_file(fs::symlink_status(recipe / "build.sh", kind_ec)))
    return make_error(ErrorCode::not_found, "No recipe for image profile '" + options.profile +
                                                "' at '" + recipe.string() +
                                                "' (a folder with build.sh, not a link); available "
                                                "profiles: " +
                                                available_profiles(recipe_root) +
                                                ". イメージプロファイルのレシピがありません。");
  const ImageProfile profile = image_profile(options.profile);
  auto kver = cloud_kernel_version();
  if (!kver) return kver.error();

  // Cache key: every file of the recipe plus the host binaries copied into the image.
  Sha256 hash;
  hash.add(options.profile);
  hash.add(*kver);
  std::vector<fs::path> inputs;
  for (const auto& e : fs::directory_iterator(recipe)) inputs.push_back(e.path());
  std::sort(inputs.begin(), inputs.end());
  for (const char* host_file : {"/bin/busybox", "/usr/sbin/qemu-ga"})
    inputs.emplace_back(host_file);
  inputs.emplace_back("/boot/vmlinuz-" + *kver);
  for (const auto& p : inputs) {
    auto bytes = read_file(p);
    if (!bytes) return bytes.error();
    hash.add(p.filename().string());
    hash.add(*bytes);
  }
  ImageInfo info;
  info.profile = options.profile;
  info.recipe_hash = hash.hex();
  info.dir =
      (fs::path(options.cache_root) / (options.profile + "-" + info.recipe_hash.substr(0, 16)))
          .string();
  info.kernel = info.dir + "/vmlinuz";
  info.initrd = info.dir + "/initramfs.cpio";
  info.data_base = info.dir + "/" + profile.disk_file;
  info.root_disk = profile.root_disk;
  fs::path stamp = fs::path(info.dir) / "recipe.sha256";

  auto stamped = read_file(stamp);
  if (!options.force && stamped && *stamped == info.recipe_hash + "\n") {
    info.cache_hit = true;
    info.disk_bytes = qcow2_virtual_size(info.data_base);
    logger->info("image {} is cached in {}", options.profile, info.dir);
    return info;
  }
  if (!options.allow_build)
    return make_error(ErrorCode::failed_precondition,
                      "Image profile '" + options.profile + "' is not built in '" +
                          options.cache_root +
                          "', and this cyranged does not run image recipes; build it with "
                          "`cyrange images build --profile " +
                          options.profile + " --cache " + options.cache_root +
                          "`, or start cyranged with --build-images (build_images: true). "
                          "イメージが未作成です。`cyrange images build` で作成するか、cyranged "
                          "を --build-images 付きで起動してください。");
  // Build beside the final folder and rename, so a crash never leaves a half image "cached".
  std::error_code ec;
  fs::create_directories(options.cache_root, ec);
  fs::path tmp = info.dir + ".tmp-" + std::to_string(getpid());
  fs::remove_all(tmp, ec);
  fs::create_directories(tmp, ec);
  if (ec)
    return make_error(ErrorCode::permission_denied,
                      "Cannot create '" + tmp.string() + "': " + ec.message() + ".");
  fs::path log_path = fs::path(options.cache_root) / (options.profile + "-build.log");
  auto built =
      run_logged({"/bin/sh", (recipe / "build.sh").string(), tmp.string(), *kver}, log_path);
  if (!built) {
    fs::remove_all(tmp, ec);
    return built.error();
  }
  if (!fs::exists(tmp / profile.disk_file)) {
    fs::remove_all(tmp, ec);
    return make_error(ErrorCode::internal, "The recipe of image profile '" + options.profile +
                                               "' finished without producing '" +
                                               profile.disk_file + "'; check " + log_path.string() +
                                               ".");
  }
  std::ofstream(tmp / "recipe.sha256") << info.recipe_hash << "\n";
  fs::remove_all(info.dir, ec);
  fs::rename(tmp, info.dir, ec);
  if (ec)
    return make_error(ErrorCode::internal,
                      "Cannot move the built image to '" + info.dir + "': " + ec.message() + ".");
  info.disk_bytes = qcow2_virtual_size(info.data_base);
  logger->info("image {} built in {}", options.profile, info.dir);
  return info;
}

Expected<std::map<std::string, ImageInfo>> build_images_for(const RangeSpec& spec,
                                                            const ImageBuildOptions& options) {
  std::map<std::string, ImageInfo> images;
  for (const auto& host : spec.hosts) {
    std::string name = image_profile(host.image_profile).name;
    if (images.count(name)) continue;
    ImageBuildOptions o = options;
    o.profile = name;
    auto image = build_image(o);
    if (!image) return image.error();
    images.emplace(name, std::move(*image));
  }
  return images;
}

}  // namespace cyrange::range
