#include <console/widgets/progress_delegate.h>

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace cyrange::console {

ProgressDelegate::ProgressDelegate(int percent_role, int failed_role, QObject* parent)
    : QStyledItemDelegate(parent), percent_role_(percent_role), failed_role_(failed_role) {}

void ProgressDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                             const QModelIndex& index) const {
  const QVariant percent = index.data(percent_role_);
  if (!percent.isValid() || index.data(failed_role_).toBool()) {
    QStyledItemDelegate::paint(painter, option, index);
    return;
  }
  QStyle* style = option.widget ? option.widget->style() : QApplication::style();
  // The cell's own background first, so a selected row stays visibly selected.
  style->drawPrimitive(QStyle::PE_PanelItemViewItem, &option, painter, option.widget);
  QStyleOptionProgressBar bar;
  bar.initFrom(option.widget);
  bar.rect = option.rect.adjusted(2, 2, -2, -2);
  bar.minimum = 0;
  bar.maximum = 100;
  bar.progress = std::clamp(percent.toInt(), 0, 100);
  bar.text = index.data(Qt::DisplayRole).toString();
  bar.textVisible = true;
  bar.textAlignment = Qt::AlignCenter;
  bar.state = option.state | QStyle::State_Horizontal;
  style->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem& option,
                                 const QModelIndex& index) const {
  QSize size = QStyledItemDelegate::sizeHint(option, index);
  size.setWidth(std::max(size.width(), 8 * option.fontMetrics.averageCharWidth() + 60));
  return size;
}

}  // namespace cyrange::console
