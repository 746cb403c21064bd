#include <client-qt/sign_in/profiles.h>

#include <QSettings>
#include <QStandardPaths>

namespace cyrange::qt {

namespace {

constexpr const char* kGroup = "profiles";
constexpr const char* kLast = "last_profile";

Profile read(QSettings& s, const QString& name) {
  s.beginGroup(name);
  Profile p{name, s.value("server").toString(), s.value("ca_file").toString(),
            s.value("plaintext", false).toBool()};
  s.endGroup();
  return p;
}

}  // namespace

std::filesystem::path Profile::token_file() const {
  const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
  return std::filesystem::path(base.toStdString()) / "cyrange" / "profiles" /
         (name.toStdString() + ".token");
}

client::ClientOptions Profile::options(const std::string& token) const {
  client::ClientOptions o;
  o.target = server.toStdString();
  o.ca_file = ca_file.toStdString();
  o.plaintext = plaintext;
  o.token = token;
  return o;
}

std::vector<Profile> ProfileStore::list() const {
  QSettings s;
  s.beginGroup(kGroup);
  std::vector<Profile> out;
  for (const QString& name : s.childGroups()) out.push_back(read(s, name));
  s.endGroup();
  return out;
}

std::optional<Profile> ProfileStore::last() const {
  QSettings s;
  const QString name = s.value(kLast).toString();
  if (name.isEmpty()) return std::nullopt;
  s.beginGroup(kGroup);
  if (!s.childGroups().contains(name)) return std::nullopt;
  Profile p = read(s, name);
  s.endGroup();
  return p;
}

Status ProfileStore::save(const Profile& profile, const std::string& token) {
  if (!token.empty()) {
    if (Status st = client::save_token(token, profile.token_file()); !st) return st;
  }
  QSettings s;
  s.beginGroup(kGroup);
  s.beginGroup(profile.name);
  s.setValue("server", profile.server);
  s.setValue("ca_file", profile.ca_file);
  s.setValue("plaintext", profile.plaintext);
  s.endGroup();
  s.endGroup();
  s.setValue(kLast, profile.name);
  s.sync();
  return Status::success();
}

void ProfileStore::remove(const QString& name) {
  QSettings s;
  s.beginGroup(kGroup);
  s.remove(name);
  s.endGroup();
  std::error_code ec;
  std::filesystem::remove(Profile{name, {}, {}, false}.token_file(), ec);
}

std::optional<std::string> ProfileStore::token(const Profile& profile) const {
  // Saved with mode 0600 (save_token); one others may read is not used.
  auto read = client::read_token_file(profile.token_file());
  if (!read) return std::nullopt;
  return *read;
}

bool is_loopback_target(const QString& server) {
  QString host = server.section(':', 0, -2);
  if (host.startsWith('[') && host.endsWith(']')) host = host.mid(1, host.size() - 2);
  if (host.compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0) return true;
  if (host == QStringLiteral("::1")) return true;
  // 127.0.0.0/8 written as a dotted quad.
  const QStringList parts = host.split('.');
  if (parts.size() != 4 || parts[0] != QStringLiteral("127")) return false;
  for (const QString& part : parts) {
    bool ok = false;
    const int value = part.toInt(&ok);
    if (!ok || value < 0 || value > 255) return false;
  }
  return true;
}

}  // namespace cyrange::qt
