#include <client-core/connection.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <cyrange/v1/common.pb.h>

#include <client-core/internal/connection_impl.h>
#include <orchestrator/common/loopback.h>

namespace cyrange::client {

std::filesystem::path default_token_file() {
  const char* home = std::getenv("HOME");
  std::filesystem::path base = (home != nullptr && *home != '\0') ? home : "/root";
  return base / ".config" / "cyrange" / "token";
}

Expected<std::string> read_token_file(const std::filesystem::path& file) {
  // Opened without following a link and checked through the open descriptor, so the file
  // checked is the file read.
  const int fd = ::open(file.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return make_error(errno == ENOENT ? ErrorCode::not_found : ErrorCode::failed_precondition,
                      "Cannot read the token file '" + file.string() +
                          "': " + std::strerror(errno) + " (a symbolic link is refused).",
                      "トークンファイル '" + file.string() +
                          "' を読めません（シンボリックリンクは使えません）。");
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    return make_error(ErrorCode::failed_precondition,
                      "The token file '" + file.string() + "' is not a regular file.",
                      "トークンファイル '" + file.string() + "' は通常のファイルではありません。");
  }
  if ((st.st_mode & 077) != 0 || st.st_uid != ::geteuid()) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return make_error(ErrorCode::permission_denied,
                      "The token file '" + file.string() + "' has mode " + mode +
                          (st.st_uid != ::geteuid() ? " and belongs to another user" : "") +
                          ": others may read it, so it is not used. Make it yours and private "
                          "(`chmod 600 " +
                          file.string() + "`), or get a new token if it was shared.",
                      "トークンファイル '" + file.string() + "'（モード " + mode +
                          "）は他のユーザーが読めるため使いません。`chmod 600 " + file.string() +
                          "` で自分だけが読めるようにするか、新しいトークンを発行してください。");
  }
  std::string text(4096, '\0');
  const ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  if (n < 0)
    return make_error(
        ErrorCode::failed_precondition,
        "Cannot read the token file '" + file.string() + "': " + std::strerror(errno) + ".");
  text.resize(static_cast<std::size_t>(n));
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty())
    return make_error(ErrorCode::not_found, "The token file '" + file.string() + "' is empty.",
                      "トークンファイル '" + file.string() + "' は空です。");
  return line;
}

std::optional<std::string> find_token() {
  if (const char* env = std::getenv("CYRANGE_TOKEN"); env != nullptr && *env != '\0') {
    std::string token(env);
    ::unsetenv("CYRANGE_TOKEN");  // no program started from here inherits it
    return token;
  }
  auto token = read_token_file(default_token_file());
  if (token) return *token;
  if (token.error().code != ErrorCode::not_found)
    std::fprintf(stderr, "%s\n%s\n", token.error().message.c_str(),
                 token.error().message_ja.c_str());
  return std::nullopt;
}

Status save_token(const std::string& token, const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
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

namespace {

LocalizedText lost_reason(const std::string& target) {
  return {"cyranged（" + target + "）への接続が切れました。再接続しています…",
          "The connection to cyranged at '" + target + "' was lost; reconnecting..."};
}

LocalizedText connecting_reason(const std::string& target) {
  return {"cyranged（" + target + "）に接続しています…",
          "Connecting to cyranged at '" + target + "'..."};
}

}  // namespace

// A connectivity watcher: its callback runs on its own strand, never after cancel().
struct Connection::Impl::Watcher final : Subscription::Control,
                                         std::enable_shared_from_this<Watcher> {
  std::shared_ptr<Strand> strand;
  std::function<void(const ConnectivityState&)> on_change;
  std::atomic<bool> cancelled{false};

  void deliver(ConnectivityState state) {
    strand->post([self = shared_from_this(), state = std::move(state)] {
      if (!self->cancelled) self->on_change(state);
    });
  }
  void cancel() override { cancelled = true; }
  void wait_idle() override { strand->wait_idle(); }
  bool ended() const override { return cancelled; }
};

Connection::Impl::~Impl() {
  stopping = true;
  if (monitor.joinable()) {
    if (monitor.get_id() == std::this_thread::get_id()) {
      monitor.detach();
    } else {
      monitor.join();
    }
  }
}

void Connection::Impl::prepare(grpc::ClientContext& ctx, bool with_deadline) const {
  if (with_deadline) ctx.set_deadline(std::chrono::system_clock::now() + options.timeout);
  // Per-call metadata rather than call credentials: gRPC refuses call credentials
  // on insecure channels, and plaintext must keep working for loopback tests.
  if (!options.token.empty()) ctx.AddMetadata("authorization", "Bearer " + options.token);
}

void Connection::Impl::note_result(const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    Error e = to_error(status, options);
    {
      std::lock_guard lock(mu);
      auth_failed = true;
    }
    publish({Connectivity::failed, {e.message_ja.empty() ? e.message : e.message_ja, e.message}});
    return;
  }
  if (status.ok()) {
    bool was_failed;
    {
      std::lock_guard lock(mu);
      was_failed = auth_failed;
      auth_failed = false;
      ever_connected = true;
    }
    if (was_failed) publish({Connectivity::connected, {}});
  }
}

void Connection::Impl::publish(ConnectivityState next) {
  std::vector<std::shared_ptr<Watcher>> live;
  {
    std::lock_guard lock(mu);
    if (state.state == next.state && state.reason == next.reason) return;
    state = next;
    for (auto it = watchers.begin(); it != watchers.end();) {
      if (auto w = it->lock(); w && !w->cancelled) {
        live.push_back(std::move(w));
        ++it;
      } else {
        it = watchers.erase(it);
      }
    }
  }
  for (auto& w : live) w->deliver(next);
}

void Connection::Impl::ensure_monitor() {
  std::lock_guard lock(mu);
  if (monitor.joinable()) return;
  state = {Connectivity::connecting, connecting_reason(options.target)};
  // A plain thread waiting on the channel: gRPC has no callback for channel state in
  // 1.51 without a completion queue, and one thread per connection is cheap. It holds
  // only `this`, which joins it on destruction.
  monitor = std::thread([this] {
    auto last = channel->GetState(/*try_to_connect=*/true);
    for (;;) {
      ConnectivityState next;
      {
        std::lock_guard lock(mu);
        if (last == GRPC_CHANNEL_READY) ever_connected = true;
        if (auth_failed) {
          next = state;
        } else if (last == GRPC_CHANNEL_READY) {
          next = {Connectivity::connected, {}};
        } else if (last == GRPC_CHANNEL_SHUTDOWN) {
          next = {Connectivity::failed, {"接続は終了しました。", "The connection was shut down."}};
        } else {
          next =
              ever_connected
                  ? ConnectivityState{Connectivity::reconnecting, lost_reason(options.target)}
                  : ConnectivityState{Connectivity::connecting, connecting_reason(options.target)};
        }
      }
      publish(next);
      // Short waits so that destruction never waits long for this thread.
      while (!stopping && !channel->WaitForStateChange(last, std::chrono::system_clock::now() +
                                                                 std::chrono::milliseconds(200))) {
      }
      if (stopping) return;
      last = channel->GetState(/*try_to_connect=*/true);
    }
  });
}

Error to_error(const grpc::Status& status, const ClientOptions& options) {
  const std::string& msg = status.error_message();
  std::string ja;
  if (!status.error_details().empty()) {
    v1::ErrorDetail detail;
    if (detail.ParseFromString(status.error_details())) ja = detail.text().ja();
  }
  switch (status.error_code()) {
    case grpc::StatusCode::UNAUTHENTICATED:
      return make_error(ErrorCode::unauthenticated, msg, ja);
    case grpc::StatusCode::PERMISSION_DENIED:
      return make_error(ErrorCode::permission_denied, msg, ja);
    case grpc::StatusCode::INVALID_ARGUMENT:
      return make_error(ErrorCode::invalid_argument, msg, ja);
    case grpc::StatusCode::NOT_FOUND:
      return make_error(ErrorCode::not_found, msg, ja);
    case grpc::StatusCode::ALREADY_EXISTS:
      return make_error(ErrorCode::already_exists, msg, ja);
    case grpc::StatusCode::FAILED_PRECONDITION:
      return make_error(ErrorCode::failed_precondition, msg, ja);
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return make_error(ErrorCode::resource_exhausted, msg, ja);
    case grpc::StatusCode::ABORTED:
      return make_error(ErrorCode::aborted, msg, ja);
    case grpc::StatusCode::CANCELLED:
      return make_error(ErrorCode::cancelled, "The call to cyranged was cancelled.",
                        "cyranged への呼び出しを取り消しました。");
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return make_error(
          ErrorCode::unavailable,
          "cyranged at '" + options.target + "' did not answer within " +
              std::to_string(options.timeout.count()) +
              " ms; check that it runs and is not overloaded, then try again.",
          "cyranged（" + options.target + "）が " + std::to_string(options.timeout.count()) +
              " ミリ秒以内に応答しませんでした。起動しているか確認し、もう一度試してください。");
    case grpc::StatusCode::UNAVAILABLE:
      return make_error(ErrorCode::unavailable,
                        "Cannot reach cyranged at '" + options.target + "' (" + msg +
                            "); check that it runs, the address (--server) and, with TLS, "
                            "the CA file (--ca).",
                        "cyranged（" + options.target +
                            "）に接続できません。起動しているか、アドレスと CA "
                            "証明書を確認してください。");
    default:
      return make_error(ErrorCode::internal,
                        "cyranged at '" + options.target + "' failed the call: " + msg,
                        "cyranged（" + options.target + "）で処理に失敗しました: " + msg);
  }
}

Connection::Connection(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

const ClientOptions& Connection::options() const { return impl_->options; }

const std::shared_ptr<Executor>& Connection::executor() const { return impl_->executor; }

ConnectivityState Connection::connectivity() const {
  impl_->ensure_monitor();
  std::lock_guard lock(impl_->mu);
  return impl_->state;
}

Subscription Connection::watch_connectivity(
    std::function<void(const ConnectivityState&)> on_change) const {
  impl_->ensure_monitor();
  auto watcher = std::make_shared<Impl::Watcher>();
  watcher->strand = Strand::make(impl_->executor);
  watcher->on_change = std::move(on_change);
  ConnectivityState now;
  {
    std::lock_guard lock(impl_->mu);
    impl_->watchers.push_back(watcher);
    now = impl_->state;
  }
  watcher->deliver(std::move(now));
  return Subscription(watcher);
}

Expected<Connection> Connection::open(const ClientOptions& options) {
  // Without TLS the bearer token (and a join code, and the token Join answers) crosses the
  // network in clear; on loopback or a unix socket nobody else can read it.
  if (options.plaintext && !is_loopback_target(options.target)) {
    return make_error(
        ErrorCode::failed_precondition,
        "Refusing to connect to cyranged at '" + options.target +
            "' without TLS: the access token would travel in clear text. Plaintext is allowed "
            "only to a loopback address (127.0.0.1, ::1, localhost) or a unix socket; drop "
            "--plaintext (plaintext: true in a configuration file) and pass the server's CA "
            "certificate with --ca.",
        "cyranged（" + options.target +
            "）には TLS なしで接続しません。アクセストークンが平文で流れるためです。平文はループ"
            "バックアドレス（127.0.0.1、::1、localhost）か unix ソケットにのみ使えます。"
            "--plaintext（設定ファイルの plaintext: true）を外し、サーバーの CA 証明書を --ca "
            "で指定してください。");
  }
  auto impl = std::make_shared<Impl>();
  impl->options = options;
  impl->executor = Executor::shared();
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
                              "`cyrange certs init`) and pass it with --ca.",
                          "CA 証明書ファイル '" + options.ca_file.string() +
                              "' を読めません。サーバーの TLS ディレクトリの ca.pem "
                              "をコピーして指定してください。");
      }
      std::ostringstream pem;
      pem << in.rdbuf();
      ssl.pem_root_certs = pem.str();
    }
    creds = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments args;
  // Keepalive notices a dead link (a killed server, a dropped network) while streams
  // are idle; the server permits pings this often (rpc/server.cpp).
  const int keepalive_ms = static_cast<int>(options.keepalive.count());
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, keepalive_ms);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, std::max(1000, keepalive_ms / 2));
  args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  args.SetInt(GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA, 0);
  const int backoff_ms = static_cast<int>(options.max_backoff.count());
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, std::min(250, backoff_ms));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, std::min(250, backoff_ms));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, backoff_ms);
  // Each connection dials on its own: by default gRPC shares one subchannel per address
  // across the process, so a connection opened just after the server came back would
  // inherit the failed attempt's backoff and fail its first call without trying.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  impl->channel = grpc::CreateCustomChannel(options.target, creds, args);
  return Connection(std::move(impl));
}

}  // namespace cyrange::client
