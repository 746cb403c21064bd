#pragma once

#include <map>
#include <memory>

#include <QWidget>

#include <client-core/recorder_client.h>
#include <client-core/report_client.h>
#include <client-qt/gui_relay.h>
#include <trainee-client/app/day.h>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace cyrange::qt {
class Session;
}

namespace cyrange::trainee {

/// The team's incident report: timeline, scope, cause, measures taken, recommendations
/// and free text. "Save draft" stores a new version on the server (every save is kept);
/// "Submit" stores the final one for the instructor to grade, after which it is read-only.
/// When a teammate saved in between, the editor says so and offers their version.
class ReportEditor : public QWidget {
  Q_OBJECT

 public:
  ReportEditor(qt::Session* session, Day day, QWidget* parent = nullptr);

  /// Loads the latest version from the server.
  void load();
  /// The text of one section ("timeline", "scope", "cause", "measures", "recommendations",
  /// "free_text").
  QString section(const QString& name) const;
  /// Replaces one section's text (tests; typing does the same).
  void setSection(const QString& name, const QString& text);
  /// The version the editor is based on (0: nothing saved yet).
  int version() const { return version_; }
  bool submitted() const { return submitted_; }
  /// The status line (saved, conflict, error).
  QString status() const;

 public slots:
  /// Saves the text as a new draft version.
  void saveDraft();
  /// Saves and submits (the caller confirms first; see the Submit button).
  void submit();

 signals:
  /// A save or submit finished (ok or not); status() says how.
  void saved(bool ok);
  /// What the recorder notes (report saved, submitted).
  void action(cyrange::client::TraineeEventKind kind, const QString& target, const QString& text);

 private:
  void save(bool submit);
  void show_report(const client::ReportDocument& report);
  void set_read_only(bool read_only);
  client::ReportSections sections() const;

  client::ReportClient reports_;
  Day day_;
  std::map<QString, QPlainTextEdit*> editors_;
  QLabel* status_;
  QPushButton* save_;
  QPushButton* submit_;
  int version_ = 0;
  bool submitted_ = false;
  qt::GuiRelay relay_;
};

}  // namespace cyrange::trainee
