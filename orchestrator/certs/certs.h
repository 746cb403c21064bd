#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>

namespace cyrange::certs {

/// File names inside the TLS directory, shared by `cyrange certs init`, cyranged and clients.
inline constexpr const char* kCaCertFile = "ca.pem";
inline constexpr const char* kCaKeyFile = "ca.key";
inline constexpr const char* kServerCertFile = "server.pem";
inline constexpr const char* kServerKeyFile = "server.key";

/// What `cyrange certs init` should produce.
struct InitOptions {
  std::filesystem::path dir;       ///< created if missing (mode 0700)
  std::vector<std::string> hosts;  ///< extra DNS names or IP addresses for the server
  bool force = false;              ///< replace valid existing files
  int ca_days = 3650;              ///< validity of the local CA
  int server_days = 825;           ///< validity of the server certificate
  /// Where ca.key is kept, apart from the folder cyranged reads (mode 0700); empty: `dir`
  /// with "-ca" appended (/var/lib/cyrange/tls-ca).
  std::filesystem::path ca_key_dir{};
};

/// The folder of the CA's key for `options` (ca_key_dir or its default).
std::filesystem::path ca_key_dir_of(const InitOptions& options);

/// What init_certificates did, for the command to report.
struct InitReport {
  bool ca_created = false;      ///< false: a valid CA was kept
  bool server_created = false;  ///< false: a valid server certificate was kept
  bool ca_key_moved = false;    ///< a ca.key found beside the server's key was moved out
  std::vector<std::string> subject_alt_names;  ///< SANs of the server certificate in place
};

/// Creates (or keeps, when valid) a local CA and a server certificate signed by it,
/// with SANs localhost, 127.0.0.1, ::1 plus `hosts`. Keys are written with mode 0600, new
/// folders with 0700; the CA's key lives in its own folder (ca_key_dir_of), never beside the
/// server's key: cyranged reads the TLS folder, and its key signs nothing but the server's.
/// A ca.key left in the TLS folder by an earlier version is moved there.
Expected<InitReport> init_certificates(const InitOptions& options);

/// Checks that `cert_file` chains to `ca_file` and is currently valid; the error
/// says which file is wrong and to rerun `cyrange certs init`.
Status verify_chain(const std::filesystem::path& ca_file, const std::filesystem::path& cert_file);

/// The DNS and IP subject alternative names of a PEM certificate.
Expected<std::vector<std::string>> subject_alt_names(const std::filesystem::path& cert_file);

}  // namespace cyrange::certs
