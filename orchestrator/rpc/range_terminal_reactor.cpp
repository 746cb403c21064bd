#include <orchestrator/rpc/range_terminal_reactor.h>

#include <algorithm>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include <orchestrator/common/log.h>
#include <orchestrator/rpc/call_gate.h>

namespace cyrange::rpc {

namespace v1 = cyrange::v1;

namespace {

class TerminalRefusal final : public TerminalReactor {
 public:
  explicit TerminalRefusal(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

// One trainee terminal. Lock order: the console's lock (held while libvirt's event
// thread delivers output) may be taken before mu_, never after it; so the session
// is only called with mu_ released. Reads are strictly sequential, which makes the
// session pointer stable while a read is handled: it is set by the opener thread
// before the next read starts, and cleared only in OnDone.
class RelayReactor final : public TerminalReactor {
 public:
  RelayReactor(identity::Identity caller, std::shared_ptr<exercise::TerminalBroker> broker)
      : caller_(std::move(caller)), broker_(std::move(broker)) {
    StartRead(&in_);
  }

  /// Keeps the stream under the token re-check until OnDone deletes the reactor.
  void hold(StreamLease lease) { lease_ = std::move(lease); }

  void OnReadDone(bool ok) override {
    if (!ok) {  // the client closed its side or went away
      close_session();
      end(grpc::Status::OK);
      return;
    }
    if (!session_) {
      if (!in_.has_open() || opener_.joinable()) {
        end(to_grpc(make_error(ErrorCode::invalid_argument,
                               "The first message of a terminal stream must be `open`.")));
        return;
      }
      exercise::TerminalRequest request{
          in_.open().exercise_id(), in_.open().team(), in_.open().host(),
          in_.open().has_size() ? static_cast<int>(in_.open().size().cols()) : 80,
          in_.open().has_size() ? static_cast<int>(in_.open().size().rows()) : 24};
      // Opening reads PostgreSQL and talks to libvirt: not inside a reaction.
      opener_ = std::thread([this, request] { open(request); });
      return;
    }
    if (in_.has_keys()) {
      if (auto s = session_->write(in_.keys()); !s) {
        end(to_grpc(s.error()));
        return;
      }
    } else if (in_.has_resize()) {
      session_->resize(static_cast<int>(in_.resize().cols()),
                       static_cast<int>(in_.resize().rows()));
    }
    StartRead(&in_);
  }

  void OnWriteDone(bool ok) override {
    std::unique_lock lock(mu_);
    writing_ = false;
    if (!ok) {
      out_.clear();
      queued_ = 0;
      if (!status_) status_ = grpc::Status::OK;
    }
    if (ok && !finished_) resume_if_caught_up(lock);
    pump(lock);
  }

  void OnDone() override {
    if (opener_.joinable()) opener_.join();
    close_session();
    delete this;
  }

 private:
  void open(const exercise::TerminalRequest& request) {
    auto session = broker_->open(
        caller_, request,
        [this](std::string_view bytes) {
          std::unique_lock lock(mu_);
          output(bytes, lock);
        },
        [this](const std::string& why) {
          log::get("terminal")->info("terminal of '{}' ended: {}", caller_.name, why);
          std::unique_lock lock(mu_);
          if (!status_) status_ = grpc::Status::OK;
          pump(lock);
        });
    if (!session) {
      log::get("terminal")
          ->info("terminal refused for '{}': {}", caller_.name, session.error().message);
      end(to_grpc(for_caller(caller_, session.error(), "RangeService.Terminal")));
      return;
    }
    session_ = std::move(*session);
    {
      std::unique_lock lock(mu_);
      v1::TerminalOutput opened;
      opened.mutable_opened()->set_session_id(session_->id());
      opened.mutable_opened()->set_team(session_->team());
      opened.mutable_opened()->set_host(session_->host());
      opened.mutable_opened()->set_recorded(session_->recorded());
      if (!session_->recorded()) {
        auto* notice = opened.mutable_opened()->mutable_notice();
        notice->set_en(
            "This terminal is not recorded, because you have not agreed to the recording of "
            "your actions for scoring and the debrief; agree in the trainee client to have "
            "your work here count.");
        notice->set_ja(
            "採点と振り返りのための操作記録に同意していないため、この端末は記録されません。"
            "ここでの作業を評価に含めるには、受講者クライアントで同意してください。");
      }
      out_.push_back(std::move(opened));
      if (!early_.empty()) {
        v1::TerminalOutput o;
        o.set_data(std::move(early_));
        out_.push_back(std::move(o));
        early_.clear();
      }
      opened_ = true;
      pump(lock);
    }
    // A fresh prompt for the newcomer; the guest's shell may have printed its last one long ago.
    (void)session_->write("\r");
    bool read = false;
    {
      std::lock_guard lock(mu_);
      read = !finished_;
    }
    if (read) StartRead(&in_);
  }

  void close_session() {
    if (session_) session_->close();
  }

  // Output of the guest, on the console's thread (its lock held; mu_ held here). A client
  // that stopped reading gets at most max_queued_output queued: past it the console is
  // paused, and whatever still arrives past twice that is dropped and counted, so memory
  // stays bounded whatever the guest prints.
  void output(std::string_view bytes, std::unique_lock<std::mutex>& lock) {
    auto& flow = broker_->flow();
    const std::size_t limit = broker_->limits().max_queued_output;
    if (queued_ + bytes.size() > 2 * limit) {
      dropped_ += bytes.size();
      flow.dropped_output_bytes += bytes.size();
      return;
    }
    queued_ += bytes.size();
    flow.saw_queued(queued_);
    if (!opened_) {
      early_.append(bytes);
    } else {
      v1::TerminalOutput o;
      o.set_data(std::string(bytes));
      out_.push_back(std::move(o));
    }
    if (queued_ > limit && !paused_ && opened_) {
      paused_ = true;
      ++flow.pauses;
      session_->set_output_paused(true);  // only sets a flag: safe under both locks
    }
    pump(lock);
  }

  // Once the client has caught up (half the limit), reads the console again and tells
  // the client what it missed; mu_ held on entry, released around the console call.
  void resume_if_caught_up(std::unique_lock<std::mutex>& lock) {
    if (!paused_ || queued_ > broker_->limits().max_queued_output / 2) return;
    paused_ = false;
    if (dropped_ > 0) {
      const std::string bytes = std::to_string(dropped_);
      std::string text = "\r\n[cyrange: ";
      text.append(bytes).append(" bytes of output were dropped while your connection was ");
      text.append("behind / 接続の遅れのため出力 ").append(bytes);
      text.append(" バイトを破棄しました]\r\n");
      v1::TerminalOutput notice;
      notice.set_data(std::move(text));
      dropped_ = 0;
      out_.push_back(std::move(notice));
    }
    lock.unlock();
    session_->set_output_paused(false);  // takes the console's lock: never under mu_
    lock.lock();
  }

  void end(grpc::Status status) {
    std::unique_lock lock(mu_);
    if (!status_) status_ = std::move(status);
    pump(lock);
  }

  // Writes the next output or finishes once all is written; mu_ held on entry and exit.
  void pump(std::unique_lock<std::mutex>& lock) {
    if (writing_ || finished_) return;
    if (!out_.empty()) {
      current_ = std::move(out_.front());
      out_.pop_front();
      queued_ -= std::min(queued_, current_.data().size());
      writing_ = true;
      lock.unlock();
      StartWrite(&current_);
      lock.lock();
      return;
    }
    if (status_) {
      finished_ = true;
      grpc::Status status = *status_;
      lock.unlock();
      Finish(status);
      lock.lock();
    }
  }

  const identity::Identity caller_;
  const std::shared_ptr<exercise::TerminalBroker> broker_;
  v1::TerminalInput in_;
  std::unique_ptr<exercise::TerminalSession> session_;
  std::thread opener_;

  std::mutex mu_;
  std::deque<v1::TerminalOutput> out_;
  v1::TerminalOutput current_;
  std::string early_;        // output that arrived before `opened` was queued
  std::size_t queued_ = 0;   // output bytes in early_, out_ and current_ not yet written
  std::size_t dropped_ = 0;  // output dropped since the client last caught up
  bool paused_ = false;      // the console is not read until the client catches up
  bool opened_ = false;
  bool writing_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> status_;
  StreamLease lease_;
};

}  // namespace

TerminalReactor* reject_terminal(grpc::Status status) {
  return new TerminalRefusal(std::move(status));
}

TerminalReactor* make_terminal_reactor(identity::Identity caller,
                                       std::shared_ptr<exercise::TerminalBroker> broker,
                                       StreamLease lease) {
  auto* reactor = new RelayReactor(std::move(caller), std::move(broker));
  reactor->hold(std::move(lease));
  return reactor;
}

}  // namespace cyrange::rpc
