#include <console/models/cell_style.h>

#include <algorithm>
#include <cmath>

namespace cyrange::console {
namespace {

double channel(double c) { return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

double luminance(const QColor& c) {
  return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

}  // namespace

QColor blend(const QColor& a, const QColor& b, double amount) {
  const double t = std::clamp(amount, 0.0, 1.0);
  return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                          static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                          static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

double contrastRatio(const QColor& a, const QColor& b) {
  const double la = luminance(a);
  const double lb = luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor cellBackground(CellState state, const QPalette& palette) {
  const QColor base = palette.color(QPalette::Base);
  switch (state) {
    case CellState::solved:
      return blend(base, palette.color(QPalette::Highlight), 0.55);
    case CellState::partial:
      return blend(base, palette.color(QPalette::Highlight), 0.25);
    case CellState::attempted:
      return blend(base, palette.color(QPalette::Text), 0.10);
    case CellState::hinted:
      return blend(base, palette.color(QPalette::ToolTipBase), 0.65);
    case CellState::failed:
      return blend(base, palette.color(QPalette::Text), 0.30);
    case CellState::locked:
      return palette.color(QPalette::Window);
    case CellState::open:
      return base;
  }
  return base;
}

QColor readableOn(const QColor& background, const QPalette& palette) {
  QColor best = palette.color(QPalette::Text);
  for (QPalette::ColorRole role :
       {QPalette::Base, QPalette::WindowText, QPalette::HighlightedText}) {
    const QColor candidate = palette.color(role);
    if (contrastRatio(candidate, background) > contrastRatio(best, background)) best = candidate;
  }
  return best;
}

}  // namespace cyrange::console
