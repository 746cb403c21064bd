#include <client-qt/translations.h>

#include <vector>

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QPointer>
#include <QSettings>
#include <QTranslator>

namespace cyrange::qt {

namespace {
client::Language g_language = client::Language::en;
// The translators install_translations() put in, removed when it switches language.
std::vector<QPointer<QTranslator>> g_installed;
}  // namespace

client::Language current_language() { return g_language; }

QString localized(const client::LocalizedText& text) {
  return QString::fromStdString(text.in(g_language));
}

QString localized(const Error& error) {
  return localized(client::LocalizedText{error.message_ja, error.message});
}

bool install_translations(const QString& name, client::Language language) {
  g_language = language;
  for (const auto& old : g_installed) {
    if (old == nullptr) continue;
    QCoreApplication::removeTranslator(old);
    delete old.data();
  }
  g_installed.clear();
  const QString code =
      language == client::Language::ja ? QStringLiteral("ja") : QStringLiteral("en");
  // Owned by the application: translators must live as long as it does.
  auto* qt_strings = new QTranslator(QCoreApplication::instance());
  if (qt_strings->load(QStringLiteral("qtbase_") + code,
                       QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
    QCoreApplication::installTranslator(qt_strings);
    g_installed.emplace_back(qt_strings);
  }
  auto* own = new QTranslator(QCoreApplication::instance());
  const QString file = name + QLatin1Char('_') + code;
  for (const QString& dir :
       {QCoreApplication::applicationDirPath() + QStringLiteral("/translations"),
        QStringLiteral(CYRANGE_TRANSLATIONS_DIR)}) {
    if (own->load(file, dir)) {
      QCoreApplication::installTranslator(own);
      g_installed.emplace_back(own);
      return true;
    }
  }
  return false;
}

client::Language choose_language(const QString& given) {
  QString lang = given;
  if (lang.isEmpty()) lang = QSettings().value(QStringLiteral("language")).toString();
  if (lang.isEmpty())
    lang = QLocale::system().name().startsWith(QStringLiteral("ja")) ? QStringLiteral("ja")
                                                                     : QStringLiteral("en");
  return lang == QStringLiteral("ja") ? client::Language::ja : client::Language::en;
}

}  // namespace cyrange::qt
