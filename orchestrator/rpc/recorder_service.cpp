#include <orchestrator/rpc/recorder_service.h>

#include <deque>
#include <mutex>
#include <optional>
#include <utility>

#include <orchestrator/common/log.h>

namespace cyrange::rpc {

namespace v1 = cyrange::v1;
using recorder::EventKind;
using recorder::JsonObject;

namespace {

Error invalid(std::string message) {
  return make_error(ErrorCode::invalid_argument, std::move(message));
}

bool is_printable_id(const std::string& text) {
  if (text.empty() || text.size() > 200) return false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20) return false;
  }
  return true;
}

// The kind's fields as stored. Secrets: a redacted key or command keeps no text,
// whatever the client sent, so a faulty client cannot store a password.
Expected<recorder::Event> to_event(const v1::RecorderEvent& in) {
  recorder::Event out;
  out.exercise_id = in.exercise_id();
  out.monotonic_ns = in.monotonic_ns();
  out.wall_unix_us = in.wall_unix_us();
  JsonObject data;
  switch (in.kind_case()) {
    case v1::RecorderEvent::kKey: {
      const auto& k = in.key();
      out.kind = EventKind::key;
      data.str("key", k.key()).num("modifiers", k.modifiers());
      if (!k.target().empty()) data.str("target", k.target());
      if (k.redacted())
        data.boolean("redacted", true);
      else
        data.str("text", k.text());
      break;
    }
    case v1::RecorderEvent::kMouseMove:
      out.kind = EventKind::mouse_move;
      data.num("x", in.mouse_move().x())
          .num("y", in.mouse_move().y())
          .num("coalesced", in.mouse_move().coalesced());
      break;
    case v1::RecorderEvent::kClick:
      out.kind = EventKind::click;
      data.num("x", in.click().x())
          .num("y", in.click().y())
          .num("button", in.click().button())
          .num("modifiers", in.click().modifiers());
      break;
    case v1::RecorderEvent::kScroll:
      out.kind = EventKind::scroll;
      data.num("dx", in.scroll().dx()).num("dy", in.scroll().dy());
      break;
    case v1::RecorderEvent::kFocus:
      out.kind = EventKind::focus;
      data.str("target", in.focus().target());
      break;
    case v1::RecorderEvent::kCommand:
      out.kind = EventKind::command;
      data.str("host", in.command().host());
      if (in.command().redacted())
        data.boolean("redacted", true);
      else
        data.str("line", in.command().line());
      break;
    case v1::RecorderEvent::kAnswer:
      out.kind = EventKind::answer;
      data.str("question_id", in.answer().question_id()).str("answer", in.answer().answer());
      break;
    case v1::RecorderEvent::kHint:
      out.kind = EventKind::hint;
      data.str("hint_id", in.hint().hint_id());
      break;
    case v1::RecorderEvent::kReportEdit:
      out.kind = EventKind::report_edit;
      data.str("section", in.report_edit().section())
          .num("chars_added", in.report_edit().chars_added())
          .num("chars_removed", in.report_edit().chars_removed());
      break;
    case v1::RecorderEvent::kIdle:
      out.kind = EventKind::idle;
      data.num("duration_ms", static_cast<std::int64_t>(in.idle().duration_ms()));
      break;
    case v1::RecorderEvent::KIND_NOT_SET:
      return invalid("A recorded event has no kind; set one of key, mouse_move, click, ...");
  }
  out.data_json = std::move(data).done();
  return out;
}

}  // namespace

Expected<recorder::Submission> to_submission(const identity::Identity& caller,
                                             const v1::RecordBatch& batch) {
  if (caller.role != identity::Role::trainee || !caller.team_id) {
    return make_error(ErrorCode::permission_denied,
                      "Only trainees record actions; '" + caller.name + "' is " +
                          std::string(identity::to_string(caller.role)) +
                          ". 操作の記録は受講者のみ行えます。");
  }
  if (!recorder::is_uuid(batch.client_id())) {
    return invalid("The recorder client id '" + batch.client_id().substr(0, 64) +
                   "' is not a UUID; the client library creates one in its buffer directory.");
  }
  if (batch.first_seq() == 0)
    return invalid("Recorder sequences start at 1, but a batch started at 0.");
  recorder::Submission out;
  out.user_id = caller.user_id;
  out.team_id = *caller.team_id;
  out.client_id = batch.client_id();
  for (char& c : out.client_id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  out.first_seq = batch.first_seq();
  out.events.reserve(static_cast<std::size_t>(batch.events_size()));
  for (const v1::RecorderEvent& in : batch.events()) {
    if (in.has_team_id() && in.team_id() != *caller.team_id) {
      return make_error(ErrorCode::permission_denied,
                        "An event names team " + std::to_string(in.team_id()) + ", but '" +
                            caller.name + "' is a trainee of team " +
                            std::to_string(*caller.team_id) +
                            "; a trainee records only for their own team. "
                            "他のチームのデータは記録できません。");
    }
    if (!is_printable_id(in.exercise_id())) {
      return invalid(
          "A recorded event has an empty, overlong or non-printable exercise id; set "
          "the id of the exercise the trainee plays.");
    }
    if (Status scope = identity::check_exercise_scope(caller, in.exercise_id()); !scope)
      return scope.error();
    auto event = to_event(in);
    if (!event) return event.error();
    out.events.push_back(std::move(event).value());
  }
  return out;
}

namespace {

using Reactor = grpc::ServerBidiReactor<v1::RecordBatch, v1::RecordAck>;

// Ends a stream at once, e.g. without a valid token.
class RecorderRefusal final : public Reactor {
 public:
  explicit RecorderRefusal(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

// One recording stream. Invariants that make it safe and bounded:
// - at most one submission of this stream is in the sink, so a client's batches
//   commit in order (the watermark needs that);
// - reading pauses while kRecordStreamMaxPendingEvents events wait, which is the
//   back-pressure: gRPC flow control then stops the client;
// - Finish() only once nothing is in the sink, so the sink's callback never
//   outlives the reactor.
// Decisions are taken under the mutex; gRPC and sink calls happen after it is
// released, so no reaction can re-enter while the state is half updated.
class RecordReactor final : public Reactor {
 public:
  RecordReactor(identity::Identity caller, std::shared_ptr<recorder::EventSink> sink,
                std::shared_ptr<privacy::ConsentCache> consents, std::string peer)
      : caller_(std::move(caller)),
        sink_(std::move(sink)),
        consents_(std::move(consents)),
        peer_(std::move(peer)) {
    std::unique_lock lock(mutex_);
    reading_ = true;
    lock.unlock();
    StartRead(&incoming_);
  }

  void OnReadDone(bool ok) override {
    std::unique_lock lock(mutex_);
    reading_ = false;
    if (!ok) {
      read_closed_ = true;
    } else if (!failure_) {
      accept(lock);
    }
    act(lock);
  }

  void OnWriteDone(bool ok) override {
    std::unique_lock lock(mutex_);
    writing_ = false;
    if (!ok) write_broken_ = true;  // the client is gone; it resends after its last ack
    act(lock);
  }

  void OnDone() override { delete this; }

  /// Keeps the stream under the token re-check until OnDone deletes the reactor.
  void hold(StreamLease lease) { lease_ = std::move(lease); }

 private:
  void accept(std::unique_lock<std::mutex>& /*held*/) {
    auto submission = to_submission(caller_, incoming_);
    if (!submission) {
      fail(to_grpc(submission.error()));
      return;
    }
    if (client_id_.empty()) client_id_ = submission->client_id;
    if (submission->client_id != client_id_) {
      fail(to_grpc(invalid("One recording stream carries one client id; open a new stream for '" +
                           submission->client_id + "'.")));
      return;
    }
    if (submission->events.empty()) return;
    if (Status consented = check_consent(*submission); !consented) {
      fail(to_grpc(consented.error()));
      return;
    }
    pending_events_ += submission->events.size();
    pending_.push_back(std::move(submission).value());
  }

  // The fast refusal: a cached answer per exercise of the stream, so a consenting
  // trainee's batches cost a map lookup; a miss asks PostgreSQL once per TTL.
  Status check_consent(const recorder::Submission& submission) {
    if (!consents_) return Status::success();
    const std::string* last = nullptr;
    for (const recorder::Event& e : submission.events) {
      if (last != nullptr && *last == e.exercise_id) continue;
      last = &e.exercise_id;
      auto allowed = consents_->allows_recording(caller_.user_id, e.exercise_id);
      if (!allowed) return allowed.error();
      if (!*allowed) return recorder::missing_consent(e.exercise_id);
    }
    return Status::success();
  }

  void fail(grpc::Status status) {
    if (!failure_) {
      log::get("recorder")
          ->info("Recording stream of '{}' from {} refused: {}", caller_.name, peer_,
                 status.error_message());
      failure_ = std::move(status);
    }
    read_closed_ = true;
  }

  void on_committed(Expected<std::uint64_t> result) {
    std::unique_lock lock(mutex_);
    in_flight_ = false;
    if (!result) {
      fail(to_grpc(result.error()));
    } else if (*result > ack_to_send_) {
      ack_to_send_ = *result;
    }
    act(lock);
  }

  // Decides the next steps under the lock, then performs them without it.
  void act(std::unique_lock<std::mutex>& lock) {
    if (finished_) return;
    std::optional<recorder::Submission> submit;
    bool write = false;
    bool read = false;
    std::optional<grpc::Status> finish;
    if (failure_) {
      pending_.clear();
      if (!in_flight_ && !writing_) finish = *failure_;
    } else {
      if (!in_flight_ && !pending_.empty()) submit = take_pending();
      if (!writing_ && !write_broken_ && ack_to_send_ > ack_sent_) {
        ack_.set_committed_seq(ack_to_send_);
        ack_sent_ = ack_to_send_;
        writing_ = write = true;
      }
      if (!reading_ && !read_closed_ && pending_events_ < kRecordStreamMaxPendingEvents) {
        reading_ = read = true;
      }
      const bool acked = write_broken_ || ack_sent_ == ack_to_send_;
      if (read_closed_ && !in_flight_ && !submit && pending_.empty() && !writing_ && acked) {
        finish = grpc::Status::OK;
      }
    }
    if (finish) finished_ = true;
    if (submit) in_flight_ = true;
    lock.unlock();
    if (submit) {
      sink_->submit(std::move(*submit),
                    [this](Expected<std::uint64_t> r) { on_committed(std::move(r)); });
    }
    if (write) StartWrite(&ack_);
    if (read) StartRead(&incoming_);
    if (finish) Finish(*finish);
  }

  // All waiting batches that continue each other, merged into one submission.
  recorder::Submission take_pending() {
    recorder::Submission merged = std::move(pending_.front());
    pending_.pop_front();
    while (!pending_.empty() && pending_.front().first_seq == merged.last_seq() + 1) {
      auto& next = pending_.front().events;
      merged.events.insert(merged.events.end(), std::make_move_iterator(next.begin()),
                           std::make_move_iterator(next.end()));
      pending_.pop_front();
    }
    pending_events_ -= merged.events.size();
    return merged;
  }

  const identity::Identity caller_;
  const std::shared_ptr<recorder::EventSink> sink_;
  const std::shared_ptr<privacy::ConsentCache> consents_;
  const std::string peer_;

  std::mutex mutex_;
  v1::RecordBatch incoming_;
  v1::RecordAck ack_;
  std::string client_id_;
  std::deque<recorder::Submission> pending_;
  std::size_t pending_events_ = 0;
  std::uint64_t ack_to_send_ = 0;
  std::uint64_t ack_sent_ = 0;
  bool reading_ = false;
  bool read_closed_ = false;
  bool writing_ = false;
  bool write_broken_ = false;
  bool in_flight_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> failure_;
  StreamLease lease_;
};

}  // namespace

RecorderService::RecorderService(const CallGate& gate, std::shared_ptr<recorder::EventSink> sink,
                                 std::shared_ptr<privacy::ConsentCache> consents)
    : gate_(gate), sink_(std::move(sink)), consents_(std::move(consents)) {}

Reactor* RecorderService::Record(grpc::CallbackServerContext* ctx) {
  auto caller = gate_.authenticate(*ctx, "RecorderService.Record");
  if (!caller) return new RecorderRefusal(to_grpc(caller.error()));
  if (caller->role != identity::Role::trainee || !caller->team_id) {
    return new RecorderRefusal(to_grpc(make_error(
        ErrorCode::permission_denied, "Only trainees record actions; '" + caller->name + "' is " +
                                          std::string(identity::to_string(caller->role)) +
                                          ". 操作の記録は受講者のみ行えます。")));
  }
  if (!sink_) {
    return new RecorderRefusal(
        to_grpc(make_error(ErrorCode::unavailable,
                           "This cyranged runs without recording; start it with a database. "
                           "記録機能が無効です。")));
  }
  auto* reactor = new RecordReactor(std::move(caller).value(), sink_, consents_, ctx->peer());
  reactor->hold(gate_.watch_stream(ctx));
  return reactor;
}

}  // namespace cyrange::rpc
