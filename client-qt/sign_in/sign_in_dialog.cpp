#include <client-qt/sign_in/sign_in_dialog.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

#include <client-core/connection.h>
#include <client-qt/translations.h>

namespace cyrange::qt {

namespace {

// A line edit with a "Browse…" button that picks a file.
QWidget* with_browse(QLineEdit* edit, QWidget* parent, const QString& title) {
  auto* row = new QWidget(parent);
  auto* layout = new QHBoxLayout(row);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(edit, 1);
  auto* browse = new QPushButton(SignInDialog::tr("Browse…"), row);
  QObject::connect(browse, &QPushButton::clicked, row, [edit, row, title] {
    const QString file = QFileDialog::getOpenFileName(row, title, edit->text());
    if (!file.isEmpty()) edit->setText(file);
  });
  layout->addWidget(browse);
  return row;
}

}  // namespace

SignInDialog::SignInDialog(std::set<client::Role> roles, QWidget* parent)
    : QDialog(parent), roles_(std::move(roles)) {
  setWindowTitle(tr("Sign in to cyranged"));
  setMinimumWidth(520);
  auto* form = new QFormLayout;
  profile_box_ = new QComboBox(this);
  profile_box_->setEditable(true);
  profile_box_->setToolTip(tr("A name for these settings; they are remembered for next time."));
  server_ = new QLineEdit(this);
  server_->setPlaceholderText(QStringLiteral("cyrange.example.lg.jp:50051"));
  ca_file_ = new QLineEdit(this);
  ca_file_->setPlaceholderText(tr("ca.pem from the server's TLS folder"));
  plaintext_ = new QCheckBox(tr("Without TLS (only for this computer, 127.0.0.1)"), this);
  use_file_ = new QRadioButton(tr("Token file"), this);
  auto* use_paste = new QRadioButton(tr("Paste a token"), this);
  use_file_->setChecked(true);
  token_file_ = new QLineEdit(this);
  pasted_ = new QLineEdit(this);
  pasted_->setEchoMode(QLineEdit::Password);
  pasted_->setEnabled(false);
  connect(use_file_, &QRadioButton::toggled, token_file_, &QLineEdit::setEnabled);
  connect(use_paste, &QRadioButton::toggled, pasted_, &QLineEdit::setEnabled);

  form->addRow(tr("Profile"), profile_box_);
  form->addRow(tr("Server"), server_);
  form->addRow(tr("CA certificate"), with_browse(ca_file_, this, tr("CA certificate")));
  form->addRow(QString(), plaintext_);
  join_row_ = form->rowCount();
  form->addRow(use_file_, with_browse(token_file_, this, tr("Token file")));
  form->addRow(use_paste, pasted_);

  status_ = new QLabel(this);
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
  sign_in_ = buttons->addButton(tr("Sign in"), QDialogButtonBox::AcceptRole);
  sign_in_->setDefault(true);
  connect(sign_in_, &QPushButton::clicked, this, &SignInDialog::signIn);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(status_);
  layout->addWidget(buttons);

  ProfileStore store;
  profiles_ = store.list();
  for (const auto& p : profiles_) profile_box_->addItem(p.name);
  connect(profile_box_, &QComboBox::activated, this, &SignInDialog::load_profile);
  if (auto last = store.last()) {
    setProfile(*last);
  } else {
    profile_box_->setEditText(tr("default"));
  }
}

void SignInDialog::offerJoinCode() {
  if (use_code_) return;
  auto* form = findChild<QFormLayout*>();
  use_code_ = new QRadioButton(tr("Join code"), this);
  code_ = new QLineEdit(this);
  code_->setObjectName(QStringLiteral("join-code"));
  code_->setPlaceholderText(tr("from your instructor, e.g. K7QF-M2XD"));
  form->insertRow(join_row_, use_code_, code_);
  connect(use_code_, &QRadioButton::toggled, code_, &QLineEdit::setEnabled);
  connect(use_code_, &QRadioButton::toggled, this,
          [this](bool code) { sign_in_->setText(code ? tr("Join") : tr("Sign in")); });
  // A trainee who joined before signs in again with the token that join saved, and a
  // token given on the command line stays chosen.
  if (QFile::exists(token_file_->text()) || !pasted_->text().isEmpty()) {
    code_->setEnabled(false);
  } else {
    use_code_->setChecked(true);
  }
}

void SignInDialog::setJoinCode(const QString& code) {
  offerJoinCode();
  use_code_->setChecked(true);
  code_->setText(code);
}

void SignInDialog::load_profile(int index) {
  if (index >= 0 && index < static_cast<int>(profiles_.size())) setProfile(profiles_[index]);
}

void SignInDialog::setProfile(const Profile& profile) {
  profile_box_->setEditText(profile.name);
  server_->setText(profile.server);
  ca_file_->setText(profile.ca_file);
  plaintext_->setChecked(profile.plaintext);
  token_file_->setText(QString::fromStdString(profile.token_file().string()));
  use_file_->setChecked(true);
}

void SignInDialog::setPastedToken(const QString& token) {
  use_file_->setChecked(false);
  pasted_->setEnabled(true);
  pasted_->setText(token);
  for (auto* radio : findChildren<QRadioButton*>()) {
    if (radio != use_file_) radio->setChecked(true);
  }
}

void SignInDialog::fail(const QString& explanation) {
  status_->setText(explanation);
  adjustSize();  // the explanation wraps over several lines
  sign_in_->setEnabled(true);
  emit failed(explanation);
}

QString SignInDialog::explain(const Error& error) const {
  const QString server = server_->text();
  const QString detail = QString::fromStdString(error.message);
  switch (error.code) {
    case ErrorCode::unauthenticated:
      return tr(
          "The server refused the token: it is wrong, revoked or expired. Ask an "
          "administrator for a new one (cyrange users token NAME).");
    case ErrorCode::unavailable:
      if (detail.contains(QStringLiteral("handshake"), Qt::CaseInsensitive) ||
          detail.contains(QStringLiteral("SSL"), Qt::CaseInsensitive) ||
          detail.contains(QStringLiteral("certificate"), Qt::CaseInsensitive)) {
        return tr("The server at %1 answered, but its certificate is not signed by the CA "
                  "certificate given. Ask the operator for the server's ca.pem.")
            .arg(server);
      }
      return tr("Cannot reach cyranged at %1. Check the address and port, and that the server "
                "runs.")
          .arg(server);
    case ErrorCode::not_found:
    case ErrorCode::failed_precondition:
    case ErrorCode::resource_exhausted:
    case ErrorCode::permission_denied:
      // The server's own words (a wrong or expired join code, too many attempts).
      return localized(error);
    default:
      return tr("Signing in failed: %1").arg(detail);
  }
}

void SignInDialog::signIn() {
  status_->clear();
  const QString name = profile_box_->currentText().trimmed();
  if (name.isEmpty() || name.contains('/') || name.startsWith('.')) {
    fail(tr("Give the profile a name without '/' (for example training-room)."));
    return;
  }
  if (server_->text().trimmed().isEmpty()) {
    fail(tr("Enter the server address as host:port."));
    return;
  }
  if (plaintext_->isChecked() && !is_loopback_target(server_->text().trimmed())) {
    fail(
        tr("Without TLS the token would cross the network in clear; this is allowed only "
           "for 127.0.0.1 and localhost. Give the CA certificate instead."));
    return;
  }
  profile_ =
      Profile{name, server_->text().trimmed(), ca_file_->text().trimmed(), plaintext_->isChecked()};
  if (use_code_ && use_code_->isChecked()) {
    redeem(code_->text().trimmed());
    return;
  }
  std::optional<std::string> token;
  if (use_file_->isChecked()) {
    // A token file others may read is refused, as ssh refuses such a key (client-core says
    // why in both languages).
    auto read = client::read_token_file(token_file_->text().toStdString());
    if (!read) {
      fail(read.error().code == ErrorCode::permission_denied
               ? localized(read.error())
               : tr("Cannot read a token from %1. Choose the token file or paste the token.")
                     .arg(token_file_->text()));
      return;
    }
    token = *read;
  } else if (!pasted_->text().trimmed().isEmpty()) {
    token = pasted_->text().trimmed().toStdString();
  } else {
    fail(tr("Paste the token, or choose the token file."));
    return;
  }
  verify(*token);
}

std::optional<client::Connection> SignInDialog::open_connection(const std::string& token) {
  auto connection = client::Connection::open(profile_.options(token));
  if (!connection) {
    fail(tr("The CA certificate %1 cannot be read. Copy ca.pem from the server.")
             .arg(profile_.ca_file));
    return std::nullopt;
  }
  return *connection;
}

void SignInDialog::redeem(const QString& code) {
  if (code.isEmpty()) {
    fail(tr("Type the join code your instructor gave you (for example K7QF-M2XD)."));
    return;
  }
  auto connection = open_connection({});
  if (!connection) return;
  sign_in_->setEnabled(false);
  status_->setText(tr("Redeeming the join code at %1…").arg(profile_.server));
  relay_ = std::make_unique<GuiRelay>();
  relay_->then<client::JoinResult>(client::SystemClient(*connection).join_async(code.toStdString()),
                                   [this](const Expected<client::JoinResult>& ticket) {
                                     if (!ticket) {
                                       fail(explain(ticket.error()));
                                       return;
                                     }
                                     joined_ = *ticket;
                                     verify(ticket->token);
                                   });
}

void SignInDialog::verify(const std::string& token) {
  token_ = token;
  auto connection = open_connection(token_);
  if (!connection) return;
  sign_in_->setEnabled(false);
  status_->setText(tr("Connecting to %1…").arg(profile_.server));
  // A new relay per attempt: the answer of an abandoned attempt is dropped.
  relay_ = std::make_unique<GuiRelay>();
  relay_->then<client::Caller>(
      client::SystemClient(*connection).whoami_async(),
      [this, link = *connection](const Expected<client::Caller>& who) {
        if (!who) {
          fail(explain(who.error()));
          return;
        }
        if (!roles_.contains(who->role)) {
          fail(tr("%1 signed in as %2; this window is not for that role.")
                   .arg(QString::fromStdString(who->name),
                        QString::fromUtf8(client::to_string(who->role).data())));
          return;
        }
        if (Status saved = ProfileStore().save(profile_, token_); !saved) {
          fail(QString::fromStdString(saved.error().message));
          return;
        }
        connection_ = link;
        caller_ = *who;
        accept();
      });
}

}  // namespace cyrange::qt
