#pragma once

#include <QColor>
#include <QPalette>

#include <console/models/dashboard_types.h>

namespace cyrange::console {

/// Background of a matrix cell in `state`, blended from `palette` roles so that a dark
/// palette gives a dark cell; state is never told by colour alone (the text has a glyph).
QColor cellBackground(CellState state, const QPalette& palette);
/// The palette's text colour (Text, Base, WindowText, HighlightedText) that contrasts
/// most with `background`.
QColor readableOn(const QColor& background, const QPalette& palette);
/// WCAG contrast ratio of two colours (1 = none, 21 = black on white).
double contrastRatio(const QColor& a, const QColor& b);
/// `a` mixed with `b`; `amount` 0 gives `a`, 1 gives `b`.
QColor blend(const QColor& a, const QColor& b, double amount);

}  // namespace cyrange::console
