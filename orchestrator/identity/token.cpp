#include <orchestrator/identity/token.h>

#include <cstdlib>
#include <ctime>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <orchestrator/common/log.h>

namespace cyrange::identity {
namespace {

constexpr std::size_t kTokenBytes = 32;

std::string base64url(const unsigned char* data, std::size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  out.reserve((size * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    const unsigned v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (size - i == 1) {
    const unsigned v = data[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (size - i == 2) {
    const unsigned v = (data[i] << 16) | (data[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

}  // namespace

std::string generate_token() {
  unsigned char bytes[kTokenBytes];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Never hand out a guessable token; without a working CSPRNG nothing is safe.
    log::get("identity")->critical("OpenSSL RAND_bytes failed; cannot generate an API token.");
    std::abort();
  }
  return std::string(kTokenPrefix) + base64url(bytes, sizeof bytes);
}

std::string hash_token(std::string_view token) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(token.data(), token.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    log::get("identity")->critical("OpenSSL SHA-256 failed; cannot hash an API token.");
    std::abort();
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    hex += kHex[digest[i] >> 4];
    hex += kHex[digest[i] & 0xf];
  }
  return hex;
}

std::string format_utc(std::chrono::system_clock::time_point when) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

Error missing_token_error() {
  return make_error(
      ErrorCode::unauthenticated,
      "No access token was given. Log in with the token an administrator issued to you. "
      "/ アクセストークンがありません。管理者から発行されたトークンでログインしてください。");
}

Error unknown_token_error() {
  return make_error(
      ErrorCode::unauthenticated,
      "The access token is not known to this cyrange server. Check that it was copied "
      "completely, or ask an administrator for a new one. "
      "/ このアクセストークンは登録されていません。全体がコピーされているか確認するか、"
      "管理者に新しいトークンを依頼してください。");
}

Error revoked_token_error() {
  return make_error(
      ErrorCode::unauthenticated,
      "The access token was revoked. Ask an administrator for a new one. "
      "/ このアクセストークンは取り消されています。管理者に新しいトークンを依頼してください。");
}

Error disabled_user_error() {
  return make_error(
      ErrorCode::unauthenticated,
      "The account of this access token is disabled. Ask an administrator to enable it or for "
      "another account. / このアクセストークンのアカウントは無効にされています。管理者に相談して"
      "ください。");
}

Error expired_token_error(std::string_view expired_at) {
  const std::string when(expired_at);
  return make_error(ErrorCode::unauthenticated, "The access token expired at " + when +
                                                    ". Ask an administrator for a new one. "
                                                    "/ このアクセストークンは " +
                                                    when +
                                                    " に有効期限が切れました。"
                                                    "管理者に新しいトークンを依頼してください。");
}

}  // namespace cyrange::identity
