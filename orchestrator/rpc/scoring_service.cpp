#include <orchestrator/rpc/scoring_service.h>

#include <mutex>
#include <set>

#include <orchestrator/common/log.h>

namespace cyrange::rpc {
namespace {

namespace v1 = cyrange::v1;

// Calls waiting for the two workers; the per-user limits keep it far from full.
constexpr std::size_t kScoringBacklog = 4096;

Error no_scoring() {
  return make_error(ErrorCode::unavailable,
                    "This server runs no live scoring; start cyranged with a database and an "
                    "exercise.");
}

v1::Verdict to_proto(scoring::Verdict verdict) {
  switch (verdict) {
    case scoring::Verdict::correct:
      return v1::VERDICT_CORRECT;
    case scoring::Verdict::part_correct:
      return v1::VERDICT_PART_CORRECT;
    case scoring::Verdict::wrong:
      return v1::VERDICT_WRONG;
    case scoring::Verdict::already_solved:
      return v1::VERDICT_ALREADY_SOLVED;
    case scoring::Verdict::already_given:
      return v1::VERDICT_ALREADY_GIVEN;
    case scoring::Verdict::recorded:
      return v1::VERDICT_RECORDED;
  }
  return v1::VERDICT_UNSPECIFIED;
}

v1::BoardMode to_proto(scoring::BoardMode mode) {
  switch (mode) {
    case scoring::BoardMode::live:
      return v1::BOARD_MODE_LIVE;
    case scoring::BoardMode::frozen:
      return v1::BOARD_MODE_FROZEN;
    case scoring::BoardMode::hidden:
      return v1::BOARD_MODE_HIDDEN;
  }
  return v1::BOARD_MODE_UNSPECIFIED;
}

v1::ObjectiveStatus to_proto(scoring::ObjectiveStatus status) {
  switch (status) {
    case scoring::ObjectiveStatus::open:
      return v1::OBJECTIVE_STATUS_OPEN;
    case scoring::ObjectiveStatus::partial:
      return v1::OBJECTIVE_STATUS_PARTIAL;
    case scoring::ObjectiveStatus::solved:
      return v1::OBJECTIVE_STATUS_SOLVED;
  }
  return v1::OBJECTIVE_STATUS_UNSPECIFIED;
}

void to_proto(const scoring::LedgerEntry& e, v1::LedgerEntry& out) {
  out.set_seq(e.seq);
  out.set_team(e.team);
  out.set_objective(e.objective);
  out.set_item(e.item);
  out.set_kind(std::string(scoring::to_string(e.kind)));
  out.set_points(e.points);
  out.set_actor(e.actor);
  out.set_reason(e.reason);
  out.set_exercise_time_ms(e.exercise_time.count());
}

void to_proto(const scoring::TeamStanding& s, v1::TeamStanding& out) {
  out.set_team(s.team);
  out.set_total(s.total);
  out.set_rank(s.rank);
  for (const auto& [id, progress] : s.objectives) {
    auto& o = *out.add_objectives();
    o.set_objective(id);
    o.set_status(to_proto(progress.status));
    o.set_partial_fraction(progress.partial_fraction);
    o.set_points(progress.state.points);
    for (const auto& part : progress.state.parts_solved) o.add_parts_solved(part);
    o.set_wrong_attempts(progress.state.wrong_attempts);
    for (const auto& hint : progress.state.hints_taken) o.add_hints_taken(hint);
    o.set_solution_revealed(progress.state.solution_revealed);
  }
}

void to_proto(const scoring::ScoreUpdate& u, const std::string& exercise,
              v1::ScoreboardUpdate& out) {
  out.Clear();
  out.set_exercise_id(exercise);
  out.set_snapshot(u.snapshot);
  out.set_through_seq(u.through_seq);
  out.set_mode(to_proto(u.visibility.mode));
  out.set_freeze_at_ms(u.visibility.freeze_at.count());
  out.set_team(u.team);
  for (const auto& e : u.entries) to_proto(e, *out.add_entries());
  for (const auto& s : u.standings) to_proto(s, *out.add_standings());
  if (u.own) to_proto(*u.own, *out.mutable_own());
  for (const auto& t : u.board) {
    auto& line = *out.add_board();
    line.set_team(t.team);
    line.set_total(t.total);
    line.set_rank(t.rank);
  }
}

v1::AnswerType to_proto(scoring::AnswerType type) {
  switch (type) {
    case scoring::AnswerType::text:
      return v1::ANSWER_TYPE_TEXT;
    case scoring::AnswerType::number:
      return v1::ANSWER_TYPE_NUMBER;
    case scoring::AnswerType::check_only:
      return v1::ANSWER_TYPE_CHECK_ONLY;
    case scoring::AnswerType::report_rubric:
      return v1::ANSWER_TYPE_REPORT_RUBRIC;
  }
  return v1::ANSWER_TYPE_UNSPECIFIED;
}

v1::RubricGrader to_proto(scenario::Grader grader) {
  switch (grader) {
    case scenario::Grader::instructor:
      return v1::RUBRIC_GRADER_INSTRUCTOR;
    case scenario::Grader::self:
      return v1::RUBRIC_GRADER_SELF;
    case scenario::Grader::review:
      return v1::RUBRIC_GRADER_REVIEW;
  }
  return v1::RUBRIC_GRADER_UNSPECIFIED;
}

void to_proto(const scoring::Task& in, v1::Task& out) {
  out.set_objective(in.objective);
  to_localized(in.question, *out.mutable_question());
  out.set_answer_type(to_proto(in.answer_type));
  out.set_points_available(in.points_available);
  out.set_points(in.points);
  for (const auto& part : in.parts) {
    auto& p = *out.add_parts();
    p.set_id(part.id);
    to_localized(part.question, *p.mutable_question());
    p.set_answer_type(to_proto(part.answer_type));
    p.set_points(part.points);
    p.set_solved(part.solved);
    p.set_wrong_attempts(part.wrong_attempts);
    p.set_attempts_unlimited(!part.attempts_left.has_value());
    p.set_attempts_left(part.attempts_left.value_or(0));
  }
  out.set_wrong_attempts(in.wrong_attempts);
  out.set_attempts_unlimited(!in.attempts_left.has_value());
  out.set_attempts_left(in.attempts_left.value_or(0));
  out.set_status(to_proto(in.status));
  for (const auto& hint : in.hints) {
    auto& h = *out.add_hints();
    h.set_id(hint.id);
    h.set_penalty(hint.penalty);
    h.set_taken(hint.taken);
    if (hint.text) to_localized(*hint.text, *h.mutable_text());
  }
  out.set_solution_revealed(in.solution_revealed);
  if (in.solution) to_localized(*in.solution, *out.mutable_solution());
  for (const auto& item : in.rubric) {
    auto& r = *out.add_rubric();
    r.set_id(item.item.id);
    to_localized(item.item.text, *r.mutable_text());
    r.set_points(item.item.points);
    r.set_met(item.met);
    r.set_graded_by(to_proto(item.item.graded_by));
  }
}

Status fill(const Expected<scoring::Outcome>& outcome, v1::ScoringResult& out) {
  if (!outcome) return outcome.error();
  out.set_verdict(to_proto(outcome->verdict));
  out.set_message(outcome->message.en);
  out.mutable_text()->set_ja(outcome->message.ja);
  out.mutable_text()->set_en(outcome->message.en);
  for (const auto& e : outcome->entries) to_proto(e, *out.add_entries());
  out.set_content_ja(outcome->content.ja);
  out.set_content_en(outcome->content.en);
  return Status::success();
}

// Streams one subscription. The writer thread only queues into the subscription and
// wakes us; writes start from here, one at a time, and never wait.
class ScoreboardWatchReactor final : public grpc::ServerWriteReactor<v1::ScoreboardUpdate> {
 public:
  ScoreboardWatchReactor(std::shared_ptr<scoring::ScoreHub> hub, std::string exercise,
                         std::shared_ptr<scoring::Subscription> subscription)
      : hub_(std::move(hub)),
        exercise_(std::move(exercise)),
        subscription_(std::move(subscription)),
        pump_(std::make_shared<Pump>()) {
    pump_->reactor = this;
  }

  /// Keeps the stream under the token re-check until OnDone deletes the reactor.
  void hold(StreamLease lease) { lease_ = std::move(lease); }

  void start() {
    std::weak_ptr<Pump> pump = pump_;
    subscription_->set_wake([pump] {
      if (auto p = pump.lock()) p->run();
    });
    pump_->run();
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard lock(pump_->mutex);
      pump_->writing = false;
      if (!ok) {
        finish_locked(grpc::Status(grpc::StatusCode::CANCELLED, "The watcher went away."));
        return;
      }
    }
    pump_->run();
  }

  void OnCancel() override {
    std::lock_guard lock(pump_->mutex);
    finish_locked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    {
      std::lock_guard lock(pump_->mutex);
      pump_->reactor = nullptr;  // a wake racing with us finds nobody home
    }
    hub_->unwatch(exercise_, subscription_);
    delete this;
  }

 private:
  // Shared with the wake callback so a late wake cannot touch a deleted reactor.
  struct Pump {
    std::mutex mutex;
    ScoreboardWatchReactor* reactor = nullptr;
    bool writing = false;
    bool finished = false;

    void run() {
      std::lock_guard lock(mutex);
      if (!reactor || writing || finished) return;
      auto update = reactor->subscription_->next();
      if (!update) return;
      to_proto(*update, reactor->exercise_, reactor->current_);
      writing = true;
      reactor->StartWrite(&reactor->current_);
    }
  };

  void finish_locked(const grpc::Status& status) {
    if (pump_->finished) return;
    pump_->finished = true;
    Finish(status);
  }

  std::shared_ptr<scoring::ScoreHub> hub_;
  const std::string exercise_;
  std::shared_ptr<scoring::Subscription> subscription_;
  std::shared_ptr<Pump> pump_;
  v1::ScoreboardUpdate current_;
  StreamLease lease_;
};

}  // namespace

void to_localized(const scoring::Bilingual& in, cyrange::v1::LocalizedText& out) {
  out.set_ja(in.ja);
  out.set_en(in.en);
}

ScoringService::ScoringService(const CallGate& gate, std::shared_ptr<scoring::ScoreHub> hub,
                               std::shared_ptr<inbox::Inbox> inbox,
                               std::shared_ptr<timeline::TimelineHub> timeline)
    : gate_(gate), hub_(std::move(hub)), inbox_(std::move(inbox)), timeline_(std::move(timeline)) {
  // Ledger appends of one exercise are serialised anyway; two workers keep one
  // exercise's slow append from delaying another's.
  if (hub_) workers_ = std::make_unique<CallWorkers>(2, kScoringBacklog);
}

ScoringService::~ScoringService() {
  workers_.reset();  // every accepted call is answered before the rest goes
}

grpc::ServerUnaryReactor* ScoringService::deferred(
    grpc::CallbackServerContext* ctx, std::string_view method,
    std::function<Status(const identity::Identity&, scoring::ScoreHub&)> body,
    const char* limited_as) {
  auto* reactor = ctx->DefaultReactor();
  auto caller = gate_.authenticate(*ctx, method);
  if (!caller || !hub_) {
    reactor->Finish(to_grpc(!caller ? caller.error() : no_scoring()));
    return reactor;
  }
  // Refused here, not on the worker: a flood of guesses must not queue up behind it.
  if (limited_as != nullptr) {
    if (Status admitted = gate_.admit(*caller, limited_as); !admitted) {
      reactor->Finish(to_grpc(admitted.error()));
      return reactor;
    }
  }
  const bool queued = workers_->post([reactor, caller = *caller, body = std::move(body), hub = hub_,
                                      method = std::string(method)] {
    Status st = body(caller, *hub);
    reactor->Finish(st ? grpc::Status::OK : to_grpc(for_caller(caller, st.error(), method)));
  });
  if (!queued) reactor->Finish(to_grpc(server_busy(method)));
  return reactor;
}

template <class Body>
grpc::ServerUnaryReactor* ScoringService::call(grpc::CallbackServerContext* ctx,
                                               std::string_view method, Body&& body) {
  return gate_.unary(ctx, method, [&](const identity::Identity& caller) -> Status {
    if (!hub_) return no_scoring();
    return body(caller, *hub_);
  });
}

grpc::ServerUnaryReactor* ScoringService::SubmitAnswer(grpc::CallbackServerContext* ctx,
                                                       const v1::SubmitAnswerRequest* request,
                                                       v1::ScoringResult* response) {
  return deferred(
      ctx, "ScoringService.SubmitAnswer",
      [request, response](const identity::Identity& caller, scoring::ScoreHub& hub) {
        return fill(hub.submit(caller, request->exercise_id(), request->objective(),
                               request->part(), request->answer()),
                    *response);
      },
      kAnswerCalls);
}

grpc::ServerUnaryReactor* ScoringService::TakeHint(grpc::CallbackServerContext* ctx,
                                                   const v1::TakeHintRequest* request,
                                                   v1::ScoringResult* response) {
  return deferred(
      ctx, "ScoringService.TakeHint",
      [request, response](const identity::Identity& caller, scoring::ScoreHub& hub) {
        return fill(
            hub.take_hint(caller, request->exercise_id(), request->objective(), request->hint()),
            *response);
      },
      kAnswerCalls);
}

grpc::ServerUnaryReactor* ScoringService::PushHint(grpc::CallbackServerContext* ctx,
                                                   const v1::PushHintRequest* request,
                                                   v1::ScoringResult* response) {
  return deferred(
      ctx, "ScoringService.PushHint",
      [this, request, response](const identity::Identity& caller, scoring::ScoreHub& hub) {
        auto pushed = hub.push_hint(caller, request->exercise_id(), request->team(),
                                    request->objective(), request->hint());
        if (Status st = fill(pushed, *response); !st) return st;
        if (inbox_ && pushed->verdict == scoring::Verdict::recorded) {
          // The team reads the hint among its messages; once per hint (the source).
          inbox::InboxMessage note;
          note.exercise = request->exercise_id();
          note.team = request->team();
          note.source = "hint:" + request->objective() + "/" + request->hint();
          note.kind = "notice";
          note.sender = "講師 / Instructor";
          note.subject = "ヒント: " + request->objective() + " / Hint: " + request->objective();
          note.text_ja = pushed->content.ja;
          note.text_en = pushed->content.en;
          if (!pushed->entries.empty())
            note.exercise_time =
                static_cast<double>(pushed->entries.front().exercise_time.count()) / 1000.0;
          if (Status delivered = inbox_->deliver(note); !delivered) {
            log::get("rpc")->warn("hint for team {} not delivered to its inbox: {}",
                                  request->team(), delivered.error().message);
          }
        }
        return Status::success();
      });
}

grpc::ServerUnaryReactor* ScoringService::Adjust(grpc::CallbackServerContext* ctx,
                                                 const v1::AdjustRequest* request,
                                                 v1::ScoringResult* response) {
  return deferred(ctx, "ScoringService.Adjust",
                  [request, response](const identity::Identity& caller, scoring::ScoreHub& hub) {
                    return fill(
                        hub.adjust(caller, request->exercise_id(), request->team(),
                                   request->objective(), request->points(), request->reason()),
                        *response);
                  });
}

grpc::ServerUnaryReactor* ScoringService::RevealSolution(grpc::CallbackServerContext* ctx,
                                                         const v1::RevealSolutionRequest* request,
                                                         v1::ScoringResult* response) {
  return deferred(ctx, "ScoringService.RevealSolution",
                  [request, response](const identity::Identity& caller, scoring::ScoreHub& hub) {
                    return fill(hub.reveal_solution(caller, request->exercise_id(), request->team(),
                                                    request->objective()),
                                *response);
                  });
}

grpc::ServerUnaryReactor* ScoringService::GetSolution(grpc::CallbackServerContext* ctx,
                                                      const v1::GetSolutionRequest* request,
                                                      v1::LocalizedText* response) {
  return call(ctx, "ScoringService.GetSolution",
              [&](const identity::Identity& caller, scoring::ScoreHub& hub) -> Status {
                auto text = hub.solution(caller, request->exercise_id(), request->team(),
                                         request->objective());
                if (!text) return text.error();
                response->set_ja(text->ja);
                response->set_en(text->en);
                return Status::success();
              });
}

grpc::ServerUnaryReactor* ScoringService::GradeRubric(grpc::CallbackServerContext* ctx,
                                                      const v1::GradeRubricRequest* request,
                                                      v1::ScoringResult* response) {
  return deferred(ctx, "ScoringService.GradeRubric",
                  [request, response](const identity::Identity& caller, scoring::ScoreHub& hub) {
                    return fill(hub.grade_rubric(caller, request->exercise_id(), request->team(),
                                                 request->objective(), request->item(),
                                                 request->note(), request->evidence()),
                                *response);
                  });
}

grpc::ServerUnaryReactor* ScoringService::SetScoreboardMode(
    grpc::CallbackServerContext* ctx, const v1::SetScoreboardModeRequest* request,
    v1::SetScoreboardModeResponse* /*response*/) {
  return deferred(ctx, "ScoringService.SetScoreboardMode",
                  [request](const identity::Identity& caller, scoring::ScoreHub& hub) -> Status {
                    scoring::BoardMode mode;
                    switch (request->mode()) {
                      case v1::BOARD_MODE_LIVE:
                        mode = scoring::BoardMode::live;
                        break;
                      case v1::BOARD_MODE_FROZEN:
                        mode = scoring::BoardMode::frozen;
                        break;
                      case v1::BOARD_MODE_HIDDEN:
                        mode = scoring::BoardMode::hidden;
                        break;
                      default:
                        return make_error(
                            ErrorCode::invalid_argument,
                            "SetScoreboardMode needs a mode: live, frozen or hidden.");
                    }
                    return hub.set_mode(caller, request->exercise_id(), mode);
                  });
}

grpc::ServerUnaryReactor* ScoringService::GetScoreboard(grpc::CallbackServerContext* ctx,
                                                        const v1::GetScoreboardRequest* request,
                                                        v1::ScoreboardUpdate* response) {
  return call(ctx, "ScoringService.GetScoreboard",
              [&](const identity::Identity& caller, scoring::ScoreHub& hub) -> Status {
                auto board = hub.board(caller, request->exercise_id(), request->team());
                if (!board) return board.error();
                to_proto(*board, request->exercise_id(), *response);
                return Status::success();
              });
}

std::set<std::string> ScoringService::locked_objectives(const std::string& exercise,
                                                        const std::string& team) const {
  std::set<std::string> locked;
  if (!timeline_) return locked;
  auto found = timeline_->find(exercise);
  if (!found) return locked;  // no timeline: every objective is open from the start
  auto executions = (*found)->executions(team);
  if (!executions) return locked;
  for (const auto& execution : *executions) {
    if (execution.item.kind == timeline::ItemKind::objective &&
        execution.state != timeline::ExecState::done)
      locked.insert(execution.item.id);
  }
  return locked;
}

grpc::ServerUnaryReactor* ScoringService::ListTasks(grpc::CallbackServerContext* ctx,
                                                    const v1::ListTasksRequest* request,
                                                    v1::ListTasksResponse* response) {
  return call(ctx, "ScoringService.ListTasks",
              [&](const identity::Identity& caller, scoring::ScoreHub& hub) -> Status {
                auto listed = hub.tasks(caller, request->exercise_id(), request->team());
                if (!listed) return listed.error();
                response->set_exercise_id(request->exercise_id());
                response->set_team(listed->first);
                // A trainee sees a task once the timeline opened it (staff see every one).
                const auto locked = caller.role == identity::Role::trainee
                                        ? locked_objectives(request->exercise_id(), listed->first)
                                        : std::set<std::string>{};
                for (const auto& task : listed->second)
                  if (!locked.contains(task.objective)) to_proto(task, *response->add_tasks());
                return Status::success();
              });
}

grpc::ServerWriteReactor<v1::ScoreboardUpdate>* ScoringService::WatchScoreboard(
    grpc::CallbackServerContext* ctx, const v1::GetScoreboardRequest* request) {
  auto caller = gate_.authenticate(*ctx, "ScoringService.WatchScoreboard");
  Expected<std::shared_ptr<scoring::Subscription>> subscription =
      !caller ? Expected<std::shared_ptr<scoring::Subscription>>(caller.error())
      : !hub_ ? Expected<std::shared_ptr<scoring::Subscription>>(no_scoring())
              : hub_->watch(*caller, request->exercise_id(), request->team());
  if (!subscription) {
    // A reactor that only reports the refusal.
    class Refusal : public grpc::ServerWriteReactor<v1::ScoreboardUpdate> {
     public:
      explicit Refusal(const grpc::Status& status) { Finish(status); }
      void OnDone() override { delete this; }
    };
    return new Refusal(to_grpc(subscription.error()));
  }
  auto* reactor =
      new ScoreboardWatchReactor(hub_, request->exercise_id(), std::move(subscription).value());
  reactor->hold(gate_.watch_stream(ctx));
  reactor->start();
  return reactor;
}

}  // namespace cyrange::rpc
