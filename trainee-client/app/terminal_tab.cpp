#include <trainee-client/app/terminal_tab.h>

#include <algorithm>

#include <QLabel>
#include <QTimer>
#include <QVBoxLayout>

#include <client-qt/session.h>
#include <client-qt/terminal/terminal_view.h>
#include <client-qt/terminal_session.h>
#include <client-qt/translations.h>

namespace cyrange::trainee {

TerminalTab::TerminalTab(qt::Session* session, client::TerminalTarget target, QWidget* parent)
    : QWidget(parent),
      terminal_(new qt::TerminalSession(session, std::move(target), this)),
      view_(new qt::TerminalView(this)),
      notice_(new QLabel(this)),
      retry_(new QTimer(this)) {
  setObjectName(QStringLiteral("terminal:") + host());
  view_->setObjectName(QStringLiteral("terminal-view:") + host());
  notice_->setWordWrap(true);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->addWidget(notice_);
  layout->addWidget(view_, 1);

  retry_->setSingleShot(true);
  connect(retry_, &QTimer::timeout, this, &TerminalTab::open);
  connect(view_, &qt::TerminalView::input, terminal_, &qt::TerminalSession::sendKeys);
  connect(view_, &qt::TerminalView::sizeChanged, terminal_, &qt::TerminalSession::resize);
  connect(terminal_, &qt::TerminalSession::output, view_, &qt::TerminalView::feed);
  connect(terminal_, &qt::TerminalSession::opened, this, [this](const client::TerminalInfo& info) {
    failures_ = 0;
    view_->setBanner({});
    notice_->setText(info.recorded ? tr("Connected to %1. What you type here is recorded for "
                                        "scoring and the debrief.")
                                         .arg(host())
                                   : tr("Connected to %1. This terminal is not recorded: %2")
                                         .arg(host(), qt::localized(info.notice)));
    emit opened();
  });
  connect(terminal_, &qt::TerminalSession::closed, this, [this] {
    view_->setBanner(tr("The session on %1 ended. Reconnecting…").arg(host()));
    retry_->start(1000);
  });
  connect(terminal_, &qt::TerminalSession::lost, this, &TerminalTab::on_lost);
}

TerminalTab::~TerminalTab() = default;

QString TerminalTab::host() const { return QString::fromStdString(terminal_->target().host); }

bool TerminalTab::isOpen() const { return terminal_->isOpen(); }

void TerminalTab::open() {
  started_ = true;
  retry_->stop();
  terminal_->open();
}

void TerminalTab::on_lost(const Error& error) {
  ++failures_;
  const int seconds = std::min(15, 1 << std::min(failures_ - 1, 4));
  view_->setBanner(tr("Connection to %1 lost (%2). Reconnecting in %3 s…")
                       .arg(host(), QString::fromStdString(error.message))
                       .arg(seconds));
  retry_->start(seconds * 1000);
}

}  // namespace cyrange::trainee
