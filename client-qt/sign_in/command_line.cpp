#include <client-qt/sign_in/command_line.h>

#include <client-core/connection.h>
#include <client-qt/sign_in/sign_in_dialog.h>
#include <client-qt/translations.h>

namespace cyrange::qt {

SignInOptions::SignInOptions(QCommandLineParser& parser, const QString& token_help)
    : parser_(parser),
      server_({QStringLiteral("server")}, QStringLiteral("host:port of cyranged"),
              QStringLiteral("address")),
      ca_({QStringLiteral("ca")}, QStringLiteral("CA certificate (PEM)"), QStringLiteral("file")),
      token_file_({QStringLiteral("token-file")}, token_help, QStringLiteral("file")),
      plaintext_({QStringLiteral("plaintext")}, QStringLiteral("no TLS (loopback only)")),
      lang_({QStringLiteral("lang")}, QStringLiteral("ja or en"), QStringLiteral("language")) {
  parser_.addOptions({server_, ca_, token_file_, plaintext_, lang_});
}

client::Language SignInOptions::language() const { return choose_language(parser_.value(lang_)); }

void SignInOptions::fill(SignInDialog& dialog) const {
  if (parser_.isSet(server_)) {
    dialog.setProfile({QStringLiteral("command-line"), parser_.value(server_), parser_.value(ca_),
                       parser_.isSet(plaintext_)});
  }
  if (parser_.isSet(token_file_)) {
    // Only a private token file (mode 0600, the user's own, no link).
    if (auto read = client::read_token_file(parser_.value(token_file_).toStdString()))
      dialog.setPastedToken(QString::fromStdString(*read));
  }
}

}  // namespace cyrange::qt
