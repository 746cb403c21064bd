#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <client-core/connection.h>
#include <orchestrator/certs/certs.h>
#include <orchestrator/config/config.h>
#include <orchestrator/identity/fake_authenticator.h>
#include <orchestrator/rpc/server.h>

namespace cyrange::rpc::testing {

/// A health probe whose answer the test sets.
class SwitchProbe : public HealthProbe {
 public:
  explicit SwitchProbe(std::string name) : name_(std::move(name)) {}
  std::string component() const override { return name_; }
  Status check() const override {
    if (up_) return Status::success();
    return make_error(ErrorCode::unavailable, "secret-internal-detail");
  }
  void set_up(bool up) { up_ = up; }

 private:
  std::string name_;
  std::atomic<bool> up_{true};
};

/// A Server on 127.0.0.1 with a picked port, in plaintext or with TLS from a
/// temporary `certs init`, plus client options that reach it.
struct LoopbackServer {
  std::filesystem::path tls_dir;
  std::shared_ptr<identity::FakeAuthenticator> auth =
      std::make_shared<identity::FakeAuthenticator>();
  std::shared_ptr<SwitchProbe> probe = std::make_shared<SwitchProbe>("postgresql");
  std::unique_ptr<Server> server;

  /// Starts the server or returns the error message.
  std::string start(bool tls) {
    config::Config config;
    config.listen_address = "127.0.0.1:0";
    config.plaintext = !tls;
    // Health tests switch the probe and ask again at once (HealthCacheTest covers the cache).
    config.health_cache_s = 0;
    if (tls) {
      char tmpl[] = "/tmp/cyrange-rpc-tls-XXXXXX";
      if (mkdtemp(tmpl) == nullptr) return "mkdtemp failed";
      tls_dir = tmpl;
      config.tls_dir = tls_dir;
      auto made = certs::init_certificates({tls_dir, {}});
      if (!made) return made.error().message;
    }
    ServerDeps deps;
    deps.probes = {probe};
    deps.schema_version = 7;
    auto started = Server::start(config, auth, std::move(deps));
    if (!started) return started.error().message;
    server = std::move(started).value();
    return {};
  }

  client::ClientOptions client_options(std::string token = {}) const {
    client::ClientOptions options;
    options.target = server->address();
    options.plaintext = server->plaintext();
    if (!options.plaintext) options.ca_file = tls_dir / certs::kCaCertFile;
    options.token = std::move(token);
    options.timeout = std::chrono::seconds(5);
    return options;
  }

  ~LoopbackServer() {
    if (server) server->shutdown(std::chrono::milliseconds(200));
    server.reset();
    if (!tls_dir.empty()) std::filesystem::remove_all(tls_dir);
  }
};

}  // namespace cyrange::rpc::testing
