#pragma once

#include <QString>

#include <client-core/localized_text.h>
#include <orchestrator/common/expected.h>

namespace cyrange::qt {

/// Installs Qt's own strings and the app's `<name>_<ja|en>.qm` for `language`: from
/// the folder beside the executable (translations/), else the build tree's, replacing
/// what an earlier call installed. Returns false when the app's file was not found (the
/// app then shows its English source).
bool install_translations(const QString& name, client::Language language);

/// The language to start in: `given` (ja or en), else the saved setting "language",
/// else the system's language.
client::Language choose_language(const QString& given = {});

/// The language install_translations() last installed (English before any): the side of
/// a LocalizedText the app shows.
client::Language current_language();

/// `text` in the current language, as a QString.
QString localized(const client::LocalizedText& text);

/// An error's message in the current language (English where no Japanese was given).
QString localized(const Error& error);

}  // namespace cyrange::qt
