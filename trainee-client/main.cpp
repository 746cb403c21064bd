// cyrange-trainee: a trainee's window for a whole training day.
#include <QApplication>
#include <QCommandLineParser>

#include <client-qt/session.h>
#include <client-qt/sign_in/command_line.h>
#include <client-qt/sign_in/sign_in_dialog.h>
#include <client-qt/translations.h>
#include <trainee-client/app/courses_window.h>
#include <trainee-client/app/day_finder.h>
#include <trainee-client/app/trainee_app.h>

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QApplication::setOrganizationName(QStringLiteral("cyrange"));
  QApplication::setApplicationName(QStringLiteral("cyrange-trainee"));

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QStringLiteral("The trainee client of cyrange / cyrange 受講者クライアント"));
  parser.addHelpOption();
  cyrange::qt::SignInOptions sign_in_options(parser,
                                             QStringLiteral("file holding a trainee token"));
  QCommandLineOption code(
      {QStringLiteral("code")},
      QStringLiteral("join code from the instructor / 講師から受け取った参加コード"),
      QStringLiteral("code"));
  parser.addOption(code);
  QCommandLineOption courses(
      {QStringLiteral("courses")},
      QStringLiteral("open the self-paced courses instead of a training day / 自習コースを開く"));
  parser.addOption(courses);
  parser.process(app);

  const auto language = sign_in_options.language();
  cyrange::qt::install_translations(QStringLiteral("cyrange_trainee"), language);

  cyrange::qt::SignInDialog sign_in({cyrange::client::Role::trainee});
  sign_in_options.fill(sign_in);
  sign_in.offerJoinCode();
  if (parser.isSet(code)) sign_in.setJoinCode(parser.value(code));
  if (sign_in.exec() != QDialog::Accepted) return 1;

  cyrange::qt::Session session(*sign_in.connection());
  cyrange::trainee::TraineeApp trainee(&session, sign_in.profile());
  cyrange::trainee::DayFinder finder(&session);
  QObject::connect(&finder, &cyrange::trainee::DayFinder::found, &trainee,
                   &cyrange::trainee::TraineeApp::start);
  // With no training day for the trainee, the self-paced courses open instead.
  cyrange::trainee::CoursesWindow study(&session, sign_in.profile());
  const auto open_courses = [&study](const QString& notice) {
    study.setNotice(notice);
    study.show();
    study.refresh();
  };
  QObject::connect(&finder, &cyrange::trainee::DayFinder::failed, &app, open_courses);
  const auto& joined = sign_in.joined();
  if (joined && !joined->course_id.empty()) {
    // A course's join code: the course list opens on the new trainee's token.
    open_courses({});
  } else if (joined) {
    trainee.start({QString::fromStdString(joined->exercise_id),
                   QString::fromStdString(joined->team),
                   QString::fromStdString(joined->user_name)});
  } else if (parser.isSet(courses)) {
    open_courses({});
  } else {
    finder.find(QString::fromStdString(sign_in.caller().name));
  }
  return app.exec();
}
