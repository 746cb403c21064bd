#pragma once

#include <memory>
#include <optional>

#include <QDialog>

#include <client-core/report_client.h>
#include <client-qt/gui_relay.h>
#include <console/app/scenario_catalog.h>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTextBrowser;

namespace cyrange::console {

/// Grading one rubric item of a team's incident report as met: the note (why it is
/// met) is required, and the evidence says where it is (a report section, a terminal
/// recording and time).
class GradeDialog : public QDialog {
  Q_OBJECT

 public:
  GradeDialog(const ScenarioCatalog& catalog, const QStringList& teams, client::Language language,
              QWidget* parent = nullptr);

  QString team() const;
  QString objective() const;
  QString item() const;
  QString note() const;
  QString evidence() const;
  /// Shows the selected team's latest incident report beside the form, read from
  /// `connection` (the report the item is graded against).
  void showReportsOf(const client::Connection& connection, const QString& exercise);
  /// The report text shown (empty until it arrived).
  QString reportText() const;
  /// Offers `link`, the moment replayed in the Recordings tab, as the evidence: a button
  /// puts it into the evidence field (nothing shown when empty).
  void offerMoment(const QString& link);
  /// Fills the form (tests).
  void fill(const QString& team, const QString& objective, const QString& item, const QString& note,
            const QString& evidence);

 private:
  void fill_items();
  void update_ok();
  void load_report();

  const ScenarioCatalog& catalog_;
  client::Language language_;
  QComboBox* team_;
  QComboBox* objective_;
  QComboBox* item_;
  QPlainTextEdit* note_;
  QLineEdit* evidence_;
  QDialogButtonBox* buttons_;
  QTextBrowser* report_ = nullptr;
  std::optional<client::ReportClient> reports_;
  QString exercise_;
  std::unique_ptr<qt::GuiRelay> relay_;
};

}  // namespace cyrange::console
