#include <client-qt/terminal_session.h>

namespace cyrange::qt {

TerminalSession::TerminalSession(Session* session, client::TerminalTarget target, QObject* parent)
    : QObject(parent), session_(session), target_(std::move(target)) {}

TerminalSession::~TerminalSession() { terminal_.reset(); }

void TerminalSession::open() {
  // Callbacks of an earlier terminal that are still queued for the GUI thread are dropped.
  const quint64 generation = ++generation_;
  open_ = false;
  client::TerminalCallbacks callbacks;
  callbacks.on_opened =
      relay_.to_gui<client::TerminalInfo>([this, generation](const client::TerminalInfo& info) {
        if (generation != generation_) return;
        open_ = true;
        emit opened(info);
      });
  auto to_output = relay_.to_gui<QByteArray>([this, generation](const QByteArray& bytes) {
    if (generation == generation_) emit output(bytes);
  });
  callbacks.on_output = [to_output](std::string_view bytes) {
    to_output(QByteArray(bytes.data(), static_cast<qsizetype>(bytes.size())));
  };
  auto to_end = relay_.to_gui<Status>([this, generation](const Status& why) {
    if (generation != generation_) return;
    open_ = false;
    if (why.ok()) {
      emit closed();
    } else {
      emit lost(why.error());
    }
  });
  callbacks.on_end = [to_end](const Status& why) { to_end(why); };
  terminal_ =
      client::TerminalClient::open_async(session_->connection(), target_, std::move(callbacks));
}

void TerminalSession::close() {
  if (terminal_) terminal_->close_async();
}

void TerminalSession::sendKeys(const QByteArray& bytes) {
  if (!terminal_ || !open_) return;
  (void)terminal_->send_keys(std::string_view(bytes.constData(), bytes.size()));
}

void TerminalSession::resize(int cols, int rows) {
  target_.cols = cols;
  target_.rows = rows;
  if (terminal_ && open_) (void)terminal_->resize(cols, rows);
}

}  // namespace cyrange::qt
