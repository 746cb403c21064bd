#include <client-core/connection.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <client-core/internal/connection_impl.h>

namespace cyrange::client {

std::filesystem::path default_token_file() {
  const char* home = std::getenv("HOME");
  std::filesystem::path base = (home != nullptr && *home != '\0') ? home : "/root";
  return base / ".config" / "cyrange" / "token";
}

std::optional<std::string> find_token() {
  if (const char* env = std::getenv("CYRANGE_TOKEN"); env != nullptr && *env != '\0') {
    return std::string(env);
  }
  std::ifstream in(default_token_file());
  std::string line;
  if (in && std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) return line;
  }
  return std::nullopt;
}

Status save_token(const std::string& token, const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return make_error(
        ErrorCode::failed_precondition,
        "Cannot write the token file '" + file.string() + "': " + std::strerror(errno) + ".");
  }
  const std::string line = token + "\n";
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ok = ::close(fd) == 0 && ok;
  if (!ok) {
    return make_error(ErrorCode::failed_precondition,
                      "Cannot write the token file '" + file.string() + "'.");
  }
  return Status::success();
}

void Connection::Impl::prepare(grpc::ClientContext& ctx) const {
  ctx.set_deadline(std::chrono::system_clock::now() + options.timeout);
  // Per-call metadata rather than call credentials: gRPC refuses call credentials
  // on insecure channels, and plaintext must keep working for loopback tests.
  if (!options.token.empty()) ctx.AddMetadata("authorization", "Bearer " + options.token);
}

Error to_error(const grpc::Status& status, const ClientOptions& options) {
  const std::string& msg = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::UNAUTHENTICATED:
      return make_error(ErrorCode::unauthenticated, msg);
    case grpc::StatusCode::PERMISSION_DENIED:
      return make_error(ErrorCode::permission_denied, msg);
    case grpc::StatusCode::INVALID_ARGUMENT:
      return make_error(ErrorCode::invalid_argument, msg);
    case grpc::StatusCode::NOT_FOUND:
      return make_error(ErrorCode::not_found, msg);
    case grpc::StatusCode::ALREADY_EXISTS:
      return make_error(ErrorCode::already_exists, msg);
    case grpc::StatusCode::FAILED_PRECONDITION:
      return make_error(ErrorCode::failed_precondition, msg);
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return make_error(ErrorCode::unavailable,
                        "Cannot reach cyranged at '" + options.target + "' (" + msg +
                            "); check that it runs, the address (--server) and, with TLS, "
                            "the CA file (--ca).");
    default:
      return make_error(ErrorCode::internal,
                        "cyranged at '" + options.target + "' failed the call: " + msg);
  }
}

Connection::Connection(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

const ClientOptions& Connection::options() const { return impl_->options; }

Expected<Connection> Connection::open(const ClientOptions& options) {
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (options.plaintext) {
    creds = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    if (!options.ca_file.empty()) {
      std::ifstream in(options.ca_file);
      if (!in) {
        return make_error(ErrorCode::not_found,
                          "Cannot read the CA file '" + options.ca_file.string() +
                              "'; copy ca.pem from the server's TLS directory (created by "
                              "`cyrange certs init`) and pass it with --ca.");
      }
      std::ostringstream pem;
      pem << in.rdbuf();
      ssl.pem_root_certs = pem.str();
    }
    creds = grpc::SslCredentials(ssl);
  }
  impl->channel = grpc::CreateChannel(options.target, creds);
  return Connection(std::move(impl));
}

}  // namespace cyrange::client
