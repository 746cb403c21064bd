#pragma once

#include <QDialog>

#include <client-core/exercise_client.h>
#include <client-qt/gui_relay.h>

class QLabel;
class QPushButton;
class QTableWidget;

namespace cyrange::qt {
class Session;
}

namespace cyrange::console {

/// Join codes for a training day: one per team, to read out or hand over on paper.
/// "Create codes" asks the server for new ones (earlier codes of the exercise stop working)
/// and lists team, code and expiry; "Copy" puts the list on the clipboard. The server keeps
/// only hashes, so a code is shown once: closing the dialog forgets it.
class JoinCodesDialog : public QDialog {
  Q_OBJECT

 public:
  JoinCodesDialog(qt::Session* session, QString exercise, QWidget* parent = nullptr);

  /// Asks the server for new codes valid `hours`.
  void create(int hours = 12);
  /// The codes shown, as "team<TAB>code<TAB>expiry" lines.
  QString text() const;

 signals:
  /// The codes arrived (or the request failed; the dialog says why).
  void finished_request(bool ok);

 private:
  void show_codes(const std::vector<client::JoinCodeInfo>& codes);

  client::ExerciseClient exercises_;
  QString exercise_;
  QTableWidget* table_;
  QLabel* status_;
  QPushButton* create_;
  qt::GuiRelay relay_;
};

}  // namespace cyrange::console
