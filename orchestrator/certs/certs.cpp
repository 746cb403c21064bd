#include <orchestrator/certs/certs.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <memory>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace cyrange::certs {
namespace {

namespace fs = std::filesystem;

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const {
    Free(p);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

void free_general_names(GENERAL_NAMES* names) { GENERAL_NAMES_free(names); }
using NamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<free_general_names>>;

// OpenSSL keeps a per-thread error queue; drain it into one readable reason.
std::string openssl_reason() {
  std::string reason;
  while (unsigned long code = ERR_get_error()) {
    std::array<char, 256> buf{};
    ERR_error_string_n(code, buf.data(), buf.size());
    if (!reason.empty()) reason += "; ";
    reason += buf.data();
  }
  return reason.empty() ? "unknown OpenSSL error" : reason;
}

Error ssl_error(const std::string& what) {
  return make_error(ErrorCode::internal, what + " failed: " + openssl_reason() + ".");
}

// Returns the canonical text of an IP address, or nothing when `host` is a DNS name.
std::optional<std::string> canonical_ip(const std::string& host) {
  std::array<unsigned char, 16> addr{};
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (inet_pton(AF_INET, host.c_str(), addr.data()) == 1) {
    return std::string(inet_ntop(AF_INET, addr.data(), text.data(), text.size()));
  }
  if (inet_pton(AF_INET6, host.c_str(), addr.data()) == 1) {
    return std::string(inet_ntop(AF_INET6, addr.data(), text.data(), text.size()));
  }
  return std::nullopt;
}

Expected<std::vector<std::string>> wanted_names(const std::vector<std::string>& hosts) {
  std::vector<std::string> names = {"localhost", "127.0.0.1", "::1"};
  for (const auto& host : hosts) {
    std::string name = canonical_ip(host).value_or(host);
    if (name.find('*') != std::string::npos) {
      // A wildcard would let this CA's server certificate stand for any name.
      return make_error(ErrorCode::invalid_argument,
                        "The host name '" + host +
                            "' is a wildcard; name the server's own DNS names or addresses with "
                            "--host (one per name).",
                        "ホスト名 '" + host +
                            "' はワイルドカードです。サーバー自身の DNS 名か IP アドレスを --host "
                            "で一つずつ指定してください。");
    }
    bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':';
    });
    if (!plain) {
      return make_error(ErrorCode::invalid_argument,
                        "The host name '" + host +
                            "' is not a DNS name or IP address; pass names like "
                            "range.example.org or 10.0.0.5 with --host.");
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

KeyPtr generate_key() { return KeyPtr(EVP_EC_gen("P-256")); }

Status add_extension(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str());
  if (ext == nullptr) return ssl_error("Adding the certificate extension '" + value + "'");
  int ok = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  if (ok != 1) return ssl_error("Adding the certificate extension '" + value + "'");
  return Status::success();
}

struct CertSpec {
  std::string common_name;
  int days = 365;
  bool is_ca = false;
  std::vector<std::string> alt_names;
};

Expected<CertPtr> make_certificate(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer,
                                   EVP_PKEY* issuer_key) {
  CertPtr cert(X509_new());
  BnPtr serial(BN_new());
  if (!cert || !serial || X509_set_version(cert.get(), 2) != 1 ||
      BN_rand(serial.get(), 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr) {
    return ssl_error("Preparing the certificate '" + spec.common_name + "'");
  }
  // Back-date a little so clocks a few minutes apart still accept a fresh certificate.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(spec.days) * 86400);
  X509_set_pubkey(cert.get(), subject_key);

  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("cyrange"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1,
                             -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, signer, cert.get(), nullptr, nullptr, 0);
  std::vector<std::pair<int, std::string>> extensions;
  if (spec.is_ca) {
    extensions = {{NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
                  {NID_key_usage, "critical,keyCertSign,cRLSign"},
                  {NID_subject_key_identifier, "hash"}};
  } else {
    std::string sans;
    for (const auto& alt : spec.alt_names) {
      if (!sans.empty()) sans += ",";
      sans += (canonical_ip(alt) ? "IP:" : "DNS:") + alt;
    }
    extensions = {{NID_basic_constraints, "critical,CA:FALSE"},
                  {NID_key_usage, "critical,digitalSignature,keyEncipherment"},
                  {NID_ext_key_usage, "serverAuth"},
                  {NID_subject_key_identifier, "hash"},
                  {NID_authority_key_identifier, "keyid"},
                  {NID_subject_alt_name, sans}};
  }
  for (const auto& [nid, value] : extensions) {
    if (auto st = add_extension(cert.get(), &ctx, nid, value); !st) return st.error();
  }
  if (X509_sign(cert.get(), issuer_key, EVP_sha256()) == 0) {
    return ssl_error("Signing the certificate '" + spec.common_name + "'");
  }
  return cert;
}

Status write_file(const fs::path& path, const std::string& data, mode_t mode) {
  // Write beside the target and rename, so a crash never leaves half a key behind,
  // and create with the final mode so a key is never briefly world-readable.
  fs::path tmp = path;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    return make_error(ErrorCode::failed_precondition,
                      "Cannot write '" + tmp.string() + "': " + std::strerror(errno) +
                          "; check the permissions of the directory.");
  }
  bool ok = ::fchmod(fd, mode) == 0 &&
            ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size());
  ok = (::close(fd) == 0) && ok;
  std::error_code ec;
  if (ok) fs::rename(tmp, path, ec);
  if (!ok || ec) {
    fs::remove(tmp, ec);
    return make_error(ErrorCode::failed_precondition,
                      "Cannot write '" + path.string() + "'; check free space and permissions.");
  }
  return Status::success();
}

template <class WriteFn>
Expected<std::string> to_pem(WriteFn&& write) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) return ssl_error("Encoding PEM");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

Status save_key(const fs::path& path, EVP_PKEY* key) {
  auto pem = to_pem([&](BIO* b) {
    return PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr);
  });
  if (!pem) return pem.error();
  return write_file(path, *pem, 0600);
}

Status save_cert(const fs::path& path, X509* cert) {
  auto pem = to_pem([&](BIO* b) { return PEM_write_bio_X509(b, cert); });
  if (!pem) return pem.error();
  return write_file(path, *pem, 0644);
}

Expected<CertPtr> load_cert(const fs::path& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  CertPtr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) {
    ERR_clear_error();
    return make_error(ErrorCode::not_found, "Cannot read the certificate '" + path.string() +
                                                "'; run `cyrange certs init` to create it.");
  }
  return cert;
}

Expected<KeyPtr> load_key(const fs::path& path) {
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  KeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key) {
    ERR_clear_error();
    return make_error(ErrorCode::not_found, "Cannot read the private key '" + path.string() +
                                                "'; run `cyrange certs init` to create it.");
  }
  return key;
}

Status verify_loaded(X509* ca, X509* cert, const std::string& cert_name) {
  StorePtr store(X509_STORE_new());
  StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !ctx || X509_STORE_add_cert(store.get(), ca) != 1 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr) != 1) {
    return ssl_error("Preparing the verification of '" + cert_name + "'");
  }
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_SERVER);
  if (X509_verify_cert(ctx.get()) != 1) {
    std::string reason = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    ERR_clear_error();
    return make_error(ErrorCode::failed_precondition,
                      "The certificate '" + cert_name + "' does not verify against the CA (" +
                          reason + "); run `cyrange certs init --force` to recreate it.");
  }
  return Status::success();
}

Expected<std::vector<std::string>> names_of(X509* cert) {
  NamesPtr names(
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  std::vector<std::string> result;
  if (!names) return result;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
    if (gn->type == GEN_DNS) {
      const ASN1_STRING* s = gn->d.dNSName;
      result.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                          static_cast<std::size_t>(ASN1_STRING_length(s)));
    } else if (gn->type == GEN_IPADD) {
      const ASN1_OCTET_STRING* s = gn->d.iPAddress;
      std::array<char, INET6_ADDRSTRLEN> text{};
      int family = ASN1_STRING_length(s) == 4 ? AF_INET : AF_INET6;
      if (inet_ntop(family, ASN1_STRING_get0_data(s), text.data(), text.size()) != nullptr) {
        result.emplace_back(text.data());
      }
    }
  }
  return result;
}

// An existing CA is kept only if its key matches and it is valid today.
bool ca_is_usable(const fs::path& cert_file, const fs::path& key_file) {
  auto cert = load_cert(cert_file);
  auto key = load_key(key_file);
  if (!cert || !key) return false;
  bool ok = X509_check_private_key(cert->get(), key->get()) == 1 &&
            X509_cmp_current_time(X509_get0_notAfter(cert->get())) > 0 &&
            X509_check_ca(cert->get()) != 0;
  ERR_clear_error();
  return ok;
}

bool server_is_usable(X509* ca, const fs::path& cert_file, const fs::path& key_file,
                      const std::vector<std::string>& wanted) {
  auto cert = load_cert(cert_file);
  auto key = load_key(key_file);
  if (!cert || !key) return false;
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    ERR_clear_error();
    return false;
  }
  if (!verify_loaded(ca, cert->get(), cert_file.string())) return false;
  auto have = names_of(cert->get());
  if (!have) return false;
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& n) {
    return std::find(have->begin(), have->end(), n) != have->end();
  });
}

// `folder`, created with mode 0700 when missing (whatever the umask).
Status private_folder(const fs::path& folder) {
  std::error_code ec;
  if (fs::exists(folder, ec)) return Status::success();
  fs::create_directories(folder, ec);
  if (!ec) fs::permissions(folder, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec)
    return make_error(
        ErrorCode::failed_precondition,
        "Cannot create the folder '" + folder.string() + "': " + ec.message() +
            "; choose another one with --dir or --ca-key-dir.",
        "フォルダ '" + folder.string() +
            "' を作成できません。--dir か --ca-key-dir で別の場所を指定してください。");
  return Status::success();
}

// Moves a CA key an earlier version kept beside the server's key to `to`: true when moved.
// Both present: the old one goes only when it is the same key.
Expected<bool> move_old_ca_key(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::exists(from, ec)) return false;
  if (!fs::exists(to, ec)) {
    fs::rename(from, to, ec);
    if (ec)
      return make_error(ErrorCode::failed_precondition,
                        "Cannot move the CA key '" + from.string() + "' to '" + to.string() +
                            "': " + ec.message() + "; move it by hand (keep mode 0600).");
    return true;
  }
  auto read = [](const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  if (read(from) != read(to))
    return make_error(ErrorCode::failed_precondition,
                      "Two different CA keys: '" + from.string() +
                          "' beside the server's key and '" + to.string() +
                          "'. Keep the one that signed ca.pem in '" + to.parent_path().string() +
                          "' and delete the other.",
                      "CA の鍵が二つあります。ca.pem に対応する鍵を '" + to.parent_path().string() +
                          "' に残し、もう一方を削除してください。");
  fs::remove(from, ec);
  return !ec;
}

}  // namespace

fs::path ca_key_dir_of(const InitOptions& options) {
  if (!options.ca_key_dir.empty()) return options.ca_key_dir;
  fs::path dir = options.dir;
  if (!dir.has_filename()) dir = dir.parent_path();  // "tls/" -> "tls"
  dir += "-ca";
  return dir;
}

Expected<InitReport> init_certificates(const InitOptions& options) {
  auto wanted = wanted_names(options.hosts);
  if (!wanted) return wanted.error();

  const fs::path ca_dir = ca_key_dir_of(options);
  for (const fs::path& folder : {options.dir, ca_dir}) {
    if (auto st = private_folder(folder); !st) return st.error();
  }
  const fs::path ca_cert = options.dir / kCaCertFile, ca_key = ca_dir / kCaKeyFile;
  const fs::path srv_cert = options.dir / kServerCertFile, srv_key = options.dir / kServerKeyFile;

  InitReport report;
  auto moved = move_old_ca_key(options.dir / kCaKeyFile, ca_key);
  if (!moved) return moved.error();
  report.ca_key_moved = *moved;
  if (options.force || !ca_is_usable(ca_cert, ca_key)) {
    KeyPtr key = generate_key();
    if (!key) return ssl_error("Generating the CA key");
    auto cert = make_certificate({"cyrange local CA", options.ca_days, true, {}}, key.get(),
                                 nullptr, key.get());
    if (!cert) return cert.error();
    if (auto st = save_key(ca_key, key.get()); !st) return st.error();
    if (auto st = save_cert(ca_cert, cert->get()); !st) return st.error();
    report.ca_created = true;
  }

  auto ca = load_cert(ca_cert);
  auto ca_private = load_key(ca_key);
  if (!ca) return ca.error();
  if (!ca_private) return ca_private.error();

  if (report.ca_created || options.force ||
      !server_is_usable(ca->get(), srv_cert, srv_key, *wanted)) {
    KeyPtr key = generate_key();
    if (!key) return ssl_error("Generating the server key");
    auto cert = make_certificate({"cyranged", options.server_days, false, *wanted}, key.get(),
                                 ca->get(), ca_private->get());
    if (!cert) return cert.error();
    if (auto st = save_key(srv_key, key.get()); !st) return st.error();
    if (auto st = save_cert(srv_cert, cert->get()); !st) return st.error();
    report.server_created = true;
  }

  auto names = subject_alt_names(srv_cert);
  if (!names) return names.error();
  report.subject_alt_names = std::move(names).value();
  return report;
}

Status verify_chain(const fs::path& ca_file, const fs::path& cert_file) {
  auto ca = load_cert(ca_file);
  if (!ca) return ca.error();
  auto cert = load_cert(cert_file);
  if (!cert) return cert.error();
  return verify_loaded(ca->get(), cert->get(), cert_file.string());
}

Expected<std::vector<std::string>> subject_alt_names(const fs::path& cert_file) {
  auto cert = load_cert(cert_file);
  if (!cert) return cert.error();
  return names_of(cert->get());
}

}  // namespace cyrange::certs
