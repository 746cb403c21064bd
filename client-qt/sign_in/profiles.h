#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <QString>

#include <client-core/connection.h>
#include <orchestrator/common/expected.h>

namespace cyrange::qt {

/// A remembered way to reach cyranged: everything but the token lives in QSettings;
/// the token lives in its own file with mode 0600 (never in the settings file).
struct Profile {
  QString name;            ///< shown in the sign-in dialog, e.g. "training-room"
  QString server;          ///< host:port
  QString ca_file;         ///< CA certificate (PEM); empty: system roots
  bool plaintext = false;  ///< only accepted for loopback addresses

  /// The file that holds this profile's token: <config>/cyrange/profiles/<name>.token.
  std::filesystem::path token_file() const;
  /// The options to open a connection with `token`.
  client::ClientOptions options(const std::string& token) const;
};

/// The profiles of one app (QSettings group "profiles") and the last one used.
class ProfileStore {
 public:
  /// Profiles of the app named by QCoreApplication (organisation "cyrange").
  ProfileStore() = default;

  /// Every remembered profile, by name.
  std::vector<Profile> list() const;
  /// The profile used last, if any.
  std::optional<Profile> last() const;
  /// Remembers `profile` (and makes it the last used); with a token, writes it 0600.
  Status save(const Profile& profile, const std::string& token = {});
  /// Forgets a profile and deletes its token file.
  void remove(const QString& name);
  /// The token saved for `profile`, if any.
  std::optional<std::string> token(const Profile& profile) const;
};

/// True for "localhost", 127.0.0.0/8 and ::1 addresses (with a port), where plaintext
/// may be allowed; everything else needs TLS.
bool is_loopback_target(const QString& server);

}  // namespace cyrange::qt
