#pragma once

#include <QStyledItemDelegate>

namespace cyrange::console {

/// Paints a cell's percentage as a progress bar with the cell's text on it (the
/// Provisioning tab's progress column). The percentage comes from `percent_role`; a row
/// whose `failed_role` is true shows its text alone, since a failure has no progress.
class ProgressDelegate : public QStyledItemDelegate {
  Q_OBJECT

 public:
  ProgressDelegate(int percent_role, int failed_role, QObject* parent = nullptr);

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override;
  /// Wide enough for a bar to be read as one, not only for its text.
  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

 private:
  int percent_role_;
  int failed_role_;
};

}  // namespace cyrange::console
