#pragma once

#include <memory>
#include <optional>
#include <set>

#include <QDialog>

#include <client-core/connection.h>
#include <client-core/system_client.h>
#include <client-qt/gui_relay.h>
#include <client-qt/sign_in/profiles.h>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;

namespace cyrange::qt {

/// Signing in to cyranged: a remembered profile (server, CA, token file) or a new one;
/// the token from a file or pasted. "Sign in" checks the connection and the caller's
/// role asynchronously (the window never freezes) and explains a wrong address, an
/// untrusted certificate, a refused token or a wrong role in the user's language.
class SignInDialog : public QDialog {
  Q_OBJECT

 public:
  /// Accepts only callers with one of `roles` (e.g. instructor and admin for the console).
  explicit SignInDialog(std::set<client::Role> roles, QWidget* parent = nullptr);

  /// After accept(): the open connection and who signed in.
  const std::optional<client::Connection>& connection() const { return connection_; }
  const client::Caller& caller() const { return caller_; }
  /// The profile used.
  const Profile& profile() const { return profile_; }

  /// Fills the form (tests, and a profile chosen in the list).
  void setProfile(const Profile& profile);
  /// Pastes a token instead of reading a file.
  void setPastedToken(const QString& token);
  /// Offers (and selects) a join code instead of a token: the trainee types the code
  /// the instructor handed out and the server answers with a token for that day.
  void offerJoinCode();
  /// Selects the join code and types `code` (tests, and a code given on the command line).
  void setJoinCode(const QString& code);
  /// After accept() through a join code: the exercise, team and token it gave.
  const std::optional<client::JoinResult>& joined() const { return joined_; }

 public slots:
  /// Checks the form, connects and asks who the caller is.
  void signIn();

 signals:
  /// A sign-in attempt failed with this explanation (also shown in the dialog).
  void failed(const QString& explanation);

 private:
  void load_profile(int index);
  void fail(const QString& explanation);
  QString explain(const Error& error) const;
  /// A connection with `token` (empty: for Join); fails the dialog when the CA is unreadable.
  std::optional<client::Connection> open_connection(const std::string& token);
  /// Redeems a join code, then verifies the token it gives.
  void redeem(const QString& code);
  /// Asks who the token's caller is and accepts when the role fits.
  void verify(const std::string& token);

  std::set<client::Role> roles_;
  std::vector<Profile> profiles_;
  QComboBox* profile_box_;
  QLineEdit* server_;
  QLineEdit* ca_file_;
  QCheckBox* plaintext_;
  QRadioButton* use_file_;
  QLineEdit* token_file_;
  QLineEdit* pasted_;
  QRadioButton* use_code_ = nullptr;
  QLineEdit* code_ = nullptr;
  int join_row_ = 0;
  QLabel* status_;
  QPushButton* sign_in_;
  Profile profile_;
  std::string token_;
  std::optional<client::Connection> connection_;
  client::Caller caller_;
  std::optional<client::JoinResult> joined_;
  std::unique_ptr<GuiRelay> relay_ = std::make_unique<GuiRelay>();
};

}  // namespace cyrange::qt
