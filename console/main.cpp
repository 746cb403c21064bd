// cyrange-console: the instructor's window onto a training day.
#include <QApplication>
#include <QCommandLineParser>
#include <QSettings>

#include <client-qt/session.h>
#include <client-qt/sign_in/command_line.h>
#include <client-qt/sign_in/sign_in_dialog.h>
#include <client-qt/translations.h>
#include <console/app/console_shell.h>
#include <console/app/main_window.h>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("cyrange"));
  QApplication::setApplicationName(QStringLiteral("cyrange-console"));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("The instructor console of cyrange / cyrange 講師コンソール"));
  parser.addHelpOption();
  cyrange::qt::SignInOptions sign_in_options(parser,
                                             QStringLiteral("file holding the instructor's token"));
  QCommandLineOption exercise({QStringLiteral("exercise")}, QStringLiteral("exercise to open"),
                              QStringLiteral("id"));
  parser.addOption(exercise);
  parser.process(app);

  const auto language = sign_in_options.language();
  cyrange::qt::install_translations(QStringLiteral("cyrange_console"), language);

  cyrange::qt::SignInDialog sign_in(
      {cyrange::client::Role::instructor, cyrange::client::Role::admin});
  sign_in_options.fill(sign_in);
  if (sign_in.exec() != QDialog::Accepted) return 1;

  cyrange::qt::Session session(*sign_in.connection());
  cyrange::console::ConsoleShell shell(&session, sign_in.caller(), language);
  QString open = parser.value(exercise);
  if (open.isEmpty()) open = QSettings().value(QStringLiteral("console/exercise")).toString();
  if (!open.isEmpty()) shell.window()->openExercise(open);
  return app.exec();
}
