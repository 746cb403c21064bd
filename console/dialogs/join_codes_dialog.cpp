#include <console/dialogs/join_codes_dialog.h>

#include <chrono>

#include <QApplication>
#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <client-qt/session.h>
#include <client-qt/translations.h>

namespace cyrange::console {

JoinCodesDialog::JoinCodesDialog(qt::Session* session, QString exercise, QWidget* parent)
    : QDialog(parent),
      exercises_(session->connection()),
      exercise_(std::move(exercise)),
      table_(new QTableWidget(0, 3, this)),
      status_(new QLabel(this)) {
  setWindowTitle(tr("Join codes for %1").arg(exercise_));
  setMinimumSize(520, 360);
  auto* intro = new QLabel(tr("Hand each team its code. Trainees type it into cyrange-trainee "
                              "with the server address. Creating new codes makes the earlier "
                              "ones of this exercise stop working; the server keeps only their "
                              "hashes, so write the codes down before closing."),
                           this);
  intro->setWordWrap(true);
  table_->setHorizontalHeaderLabels({tr("Team"), tr("Code"), tr("Valid until")});
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->verticalHeader()->hide();
  table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
  mono.setPointSizeF(mono.pointSizeF() * 1.4);
  table_->setFont(mono);
  status_->setWordWrap(true);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  create_ = buttons->addButton(tr("Create codes"), QDialogButtonBox::ActionRole);
  auto* copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
  connect(create_, &QPushButton::clicked, this, [this] { create(); });
  connect(copy, &QPushButton::clicked, this,
          [this] { QApplication::clipboard()->setText(text()); });
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(intro);
  layout->addWidget(table_, 1);
  layout->addWidget(status_);
  layout->addWidget(buttons);
}

void JoinCodesDialog::create(int hours) {
  create_->setEnabled(false);
  status_->setText(tr("Creating codes…"));
  relay_.then<std::vector<client::JoinCodeInfo>>(
      exercises_.create_join_codes_async(exercise_.toStdString(), std::chrono::hours(hours)),
      [this](const Expected<std::vector<client::JoinCodeInfo>>& codes) {
        create_->setEnabled(true);
        if (!codes) {
          status_->setText(qt::localized(codes.error()));
          emit finished_request(false);
          return;
        }
        show_codes(*codes);
        emit finished_request(true);
      });
}

void JoinCodesDialog::show_codes(const std::vector<client::JoinCodeInfo>& codes) {
  table_->setRowCount(static_cast<int>(codes.size()));
  for (int row = 0; row < static_cast<int>(codes.size()); ++row) {
    const auto& code = codes[static_cast<std::size_t>(row)];
    table_->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(code.team)));
    table_->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(code.code)));
    table_->setItem(row, 2,
                    new QTableWidgetItem(QDateTime::fromMSecsSinceEpoch(code.expires_at_unix_ms)
                                             .toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
  }
  table_->resizeColumnsToContents();
  status_->setText(tr("%n code(s) created.", "", static_cast<int>(codes.size())));
}

QString JoinCodesDialog::text() const {
  QString out;
  for (int row = 0; row < table_->rowCount(); ++row) {
    QStringList cells;
    for (int col = 0; col < table_->columnCount(); ++col)
      cells << (table_->item(row, col) ? table_->item(row, col)->text() : QString());
    out += cells.join(QLatin1Char('\t')) + QLatin1Char('\n');
  }
  return out;
}

}  // namespace cyrange::console
