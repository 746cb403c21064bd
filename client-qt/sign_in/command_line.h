#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>

#include <client-core/localized_text.h>

namespace cyrange::qt {

class SignInDialog;

/// The command-line options both apps share: --server, --ca, --token-file, --plaintext
/// and --lang. Add them to the parser, process it, then fill the sign-in dialog.
class SignInOptions {
 public:
  /// Adds the options to `parser`; `token_help` says whose token the file holds.
  SignInOptions(QCommandLineParser& parser, const QString& token_help);

  /// The language to start in (--lang, else the saved setting, else the system's).
  client::Language language() const;
  /// Fills `dialog` with the server, CA and token given on the command line, if any.
  void fill(SignInDialog& dialog) const;

 private:
  QCommandLineParser& parser_;
  QCommandLineOption server_;
  QCommandLineOption ca_;
  QCommandLineOption token_file_;
  QCommandLineOption plaintext_;
  QCommandLineOption lang_;
};

}  // namespace cyrange::qt
