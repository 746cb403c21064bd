// cyrange-console: the instructor's window onto a training day.
#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QSettings>

#include <client-qt/session.h>
#include <client-qt/sign_in/sign_in_dialog.h>
#include <client-qt/translations.h>
#include <console/app/main_window.h>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("cyrange"));
  QApplication::setApplicationName(QStringLiteral("cyrange-console"));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("The instructor console of cyrange / cyrange 講師コンソール"));
  parser.addHelpOption();
  QCommandLineOption server({QStringLiteral("server")}, QStringLiteral("host:port of cyranged"),
                            QStringLiteral("address"));
  QCommandLineOption ca({QStringLiteral("ca")}, QStringLiteral("CA certificate (PEM)"),
                        QStringLiteral("file"));
  QCommandLineOption token_file({QStringLiteral("token-file")},
                                QStringLiteral("file holding the instructor's token"),
                                QStringLiteral("file"));
  QCommandLineOption plaintext({QStringLiteral("plaintext")},
                               QStringLiteral("no TLS (loopback only)"));
  QCommandLineOption exercise({QStringLiteral("exercise")}, QStringLiteral("exercise to open"),
                              QStringLiteral("id"));
  QCommandLineOption lang({QStringLiteral("lang")}, QStringLiteral("ja or en"),
                          QStringLiteral("language"));
  parser.addOptions({server, ca, token_file, plaintext, exercise, lang});
  parser.process(app);

  const auto language = cyrange::qt::choose_language(parser.value(lang));
  cyrange::qt::install_translations(QStringLiteral("cyrange_console"), language);

  cyrange::qt::SignInDialog sign_in(
      {cyrange::client::Role::instructor, cyrange::client::Role::admin});
  if (parser.isSet(server)) {
    cyrange::qt::Profile profile{QStringLiteral("command-line"), parser.value(server),
                                 parser.value(ca), parser.isSet(plaintext)};
    sign_in.setProfile(profile);
    if (parser.isSet(token_file)) {
      QFile file(parser.value(token_file));
      if (file.open(QIODevice::ReadOnly))
        sign_in.setPastedToken(QString::fromUtf8(file.readLine()).trimmed());
    }
  }
  if (sign_in.exec() != QDialog::Accepted) return 1;

  cyrange::qt::Session session(*sign_in.connection());
  cyrange::console::MainWindow window(&session, sign_in.caller(), language);
  window.show();
  QString open = parser.value(exercise);
  if (open.isEmpty()) open = QSettings().value(QStringLiteral("console/exercise")).toString();
  if (!open.isEmpty()) window.openExercise(open);
  return app.exec();
}
