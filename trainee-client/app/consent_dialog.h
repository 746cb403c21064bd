#pragma once

#include <map>
#include <memory>
#include <set>

#include <QDialog>
#include <QString>

#include <client-core/privacy_client.h>
#include <client-qt/gui_relay.h>

class QButtonGroup;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace cyrange::qt {
class Session;
}

namespace cyrange::trainee {

/// Consent before anything is recorded: the server's current texts for both purposes
/// (scoring and debrief; research), each with an explicit "I agree" / "I do not agree"
/// (nothing is preselected on the first visit). "Continue" records the choices on the
/// server: agreeing gives consent to the version shown, not agreeing withdraws an earlier
/// one (which deletes its recording). Opened again from the settings to change them.
class ConsentDialog : public QDialog {
  Q_OBJECT

 public:
  ConsentDialog(qt::Session* session, QString exercise, QWidget* parent = nullptr);

  /// Loads the texts and the trainee's current consents (asynchronously).
  void load();
  /// The purposes agreed to, after accept().
  const std::set<client::ConsentPurpose>& agreed() const { return agreed_; }
  /// Chooses for `purpose` as a click would (tests).
  void choose(client::ConsentPurpose purpose, bool agree);

 public slots:
  /// Records the choices on the server, then accepts.
  void confirm();

 signals:
  /// The texts are shown and the dialog waits for the trainee's choice.
  void ready();
  /// Loading or recording failed; the dialog shows why.
  void failed(const QString& explanation);

 private:
  void show_texts(const std::vector<client::ConsentTextView>& texts,
                  const std::vector<client::ConsentView>& current);
  void update_continue();
  void fail(const QString& explanation);

  client::PrivacyClient privacy_;
  QString exercise_;
  std::vector<client::ConsentTextView> texts_;
  std::set<client::ConsentPurpose> active_;  ///< consents in force when the dialog opened
  std::map<client::ConsentPurpose, QButtonGroup*> choices_;
  std::set<client::ConsentPurpose> agreed_;
  QVBoxLayout* texts_layout_;
  QLabel* status_;
  QPushButton* continue_;
  std::unique_ptr<qt::GuiRelay> relay_ = std::make_unique<qt::GuiRelay>();
};

}  // namespace cyrange::trainee
