#include <trainee-client/app/inbox_view.h>

#include <QDateTime>
#include <QListWidget>
#include <QSplitter>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <client-qt/inbox_adapter.h>
#include <client-qt/translations.h>

namespace cyrange::trainee {

namespace {

// The subject, or the start of the text for a message without one.
QString subject_of(const client::InboxEntry& entry) {
  if (!entry.subject.empty()) return QString::fromStdString(entry.subject);
  const QString text = qt::localized(entry.text).section(QLatin1Char('\n'), 0, 0);
  return text.size() > 60 ? text.left(59) + QStringLiteral("…") : text;
}

QString label_of(const client::InboxEntry& entry) {
  const QString when =
      QDateTime::fromMSecsSinceEpoch(entry.delivered_unix_ms).toString(QStringLiteral("HH:mm"));
  QString kind;
  switch (entry.kind) {
    case client::InboxKind::briefing:
      kind = InboxView::tr("Briefing");
      break;
    case client::InboxKind::notice:
      kind = InboxView::tr("Notice");
      break;
    default:
      kind = entry.sender.empty() ? InboxView::tr("Message") : QString::fromStdString(entry.sender);
      break;
  }
  return QStringLiteral("%1  %2 — %3").arg(when, kind, subject_of(entry));
}

}  // namespace

InboxView::InboxView(qt::Session* session, QWidget* parent)
    : QWidget(parent),
      inbox_(new qt::InboxAdapter(session, this)),
      list_(new QListWidget(this)),
      text_(new QTextBrowser(this)) {
  setObjectName(QStringLiteral("inbox"));
  list_->setObjectName(QStringLiteral("inbox-list"));
  text_->setOpenExternalLinks(false);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(list_);
  split->addWidget(text_);
  split->setStretchFactor(1, 2);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(split);
  connect(inbox_, &qt::InboxAdapter::received, this, &InboxView::add);
  connect(list_, &QListWidget::currentRowChanged, this, &InboxView::show_entry);
}

void InboxView::watch(const QString& exercise) { inbox_->watch(exercise); }

QString InboxView::briefing() const {
  for (const auto& entry : entries_)
    if (entry.kind == client::InboxKind::briefing) return qt::localized(entry.text);
  return {};
}

void InboxView::add(const client::InboxEntry& entry) {
  for (const auto& known : entries_)
    if (known.id == entry.id) return;  // a resumed stream's snapshot repeats them
  // The briefing stays on top; everything else newest first below it.
  const bool briefing = entry.kind == client::InboxKind::briefing;
  int row = 0;
  if (!briefing && !entries_.empty() && entries_.front().kind == client::InboxKind::briefing)
    row = 1;
  entries_.insert(entries_.begin() + row, entry);
  auto* item = new QListWidgetItem(label_of(entry));
  if (briefing) {
    QFont bold = item->font();
    bold.setBold(true);
    item->setFont(bold);
  }
  list_->insertItem(row, item);
  if (list_->currentRow() < 0 || briefing) list_->setCurrentRow(row);
  if (!entry.snapshot) emit arrived(subject_of(entry));
}

void InboxView::show_entry(int row) {
  if (row < 0 || row >= static_cast<int>(entries_.size())) {
    text_->clear();
    return;
  }
  const auto& entry = entries_[static_cast<std::size_t>(row)];
  text_->setPlainText(
      QStringLiteral("%1\n%2\n\n%3")
          .arg(subject_of(entry), QString::fromStdString(entry.sender), qt::localized(entry.text)));
}

}  // namespace cyrange::trainee
