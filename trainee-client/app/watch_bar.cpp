#include <trainee-client/app/watch_bar.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <client-qt/translations.h>
#include <client-qt/watch_adapter.h>

namespace cyrange::trainee {

WatchBar::WatchBar(qt::Session* session, const QString& exercise, QWidget* parent)
    : QFrame(parent), api_(new qt::WatchAdapter(session, this)), rows_(new QVBoxLayout(this)) {
  setObjectName(QStringLiteral("watch-bar"));
  setFrameShape(QFrame::StyledPanel);
  setBackgroundRole(QPalette::AlternateBase);
  setAutoFillBackground(true);
  rows_->setContentsMargins(8, 4, 8, 4);
  hide();
  connect(api_, &qt::WatchAdapter::updated, this, &WatchBar::show_requests);
  connect(api_, &qt::WatchAdapter::failed, this,
          [this](quint64, const Error& e) { emit problem(qt::localized(e)); });
  api_->follow(exercise);
}

WatchBar::~WatchBar() = default;

bool WatchBar::watched() const {
  for (const auto& w : open_)
    if (w.accepted()) return true;
  return false;
}

void WatchBar::allow(qint64 id) { api_->answer(id, true); }
void WatchBar::decline(qint64 id) { api_->answer(id, false); }
void WatchBar::stop(qint64 id) { api_->end(id); }

void WatchBar::show_requests(const client::TerminalWatchesView& watches) {
  open_ = watches.open;
  while (QLayoutItem* item = rows_->takeAt(0)) {
    if (item->layout() != nullptr)
      while (QLayoutItem* inner = item->layout()->takeAt(0)) {
        delete inner->widget();
        delete inner;
      }
    delete item->widget();
    delete item;
  }
  for (const auto& w : open_) {
    const QString who = QString::fromStdString(w.instructor);
    const qint64 id = w.id;
    auto* row = new QHBoxLayout;
    auto* text = new QLabel(this);
    text->setWordWrap(true);
    row->addWidget(text, 1);
    if (w.asked()) {
      text->setText(tr("Instructor %1 asks to watch your team's terminals live (read-only: "
                       "they cannot type). Nothing is shown to them unless you allow it.")
                        .arg(who));
      auto* yes = new QPushButton(tr("Allow"), this);
      auto* no = new QPushButton(tr("Decline"), this);
      yes->setObjectName(QStringLiteral("allow-watch"));
      no->setObjectName(QStringLiteral("decline-watch"));
      connect(yes, &QPushButton::clicked, this, [this, id] { allow(id); });
      connect(no, &QPushButton::clicked, this, [this, id] { decline(id); });
      row->addWidget(yes);
      row->addWidget(no);
    } else {
      text->setText(tr("Being watched: %1 sees your team's terminals live (read-only), allowed "
                       "by %2.")
                        .arg(who, QString::fromStdString(w.answered_by)));
      auto* end = new QPushButton(tr("Stop watching"), this);
      end->setObjectName(QStringLiteral("stop-watch"));
      connect(end, &QPushButton::clicked, this, [this, id] { stop(id); });
      row->addWidget(end);
    }
    rows_->addLayout(row);
  }
  setVisible(!open_.empty());
  emit changed();
}

}  // namespace cyrange::trainee
