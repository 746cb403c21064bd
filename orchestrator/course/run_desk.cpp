#include <orchestrator/course/course.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <random>
#include <utility>

#include <orchestrator/common/log.h>

namespace cyrange::course {
namespace {

constexpr std::array<std::pair<RunState, std::string_view>, 7> kStateNames{{
    {RunState::queued, "queued"},
    {RunState::starting, "starting"},
    {RunState::running, "running"},
    {RunState::paused, "paused"},
    {RunState::finished, "finished"},
    {RunState::expired, "expired"},
    {RunState::failed, "failed"},
}};

std::string random_suffix() {
  std::random_device device;
  char text[8];
  std::snprintf(text, sizeof text, "%06x", device() & 0xffffffu);
  return text;
}

// What a trainee reads when their range could not be started, resumed or built: the engine's
// message names the server's folders, build logs, libvirt and database errors, so it goes to
// cyranged's log (under the run's id) and the run keeps one sentence in both languages.
Error logged_failure(const Run& run, const char* doing, const std::string& internal,
                     ErrorCode code) {
  log::get("course")->error("run {} of {} (exercise {}): {} failed: {}", run.id, run.course,
                            run.exercise, doing, internal);
  return make_error(code,
                    "Your run could not be " + std::string(doing) +
                        " because of a problem on the server; it is logged for the operator "
                        "under run " +
                        std::to_string(run.id) + ". Try again later, or tell your instructor.",
                    "サーバー側の問題のため演習環境を準備できませんでした（実行 " +
                        std::to_string(run.id) +
                        " として運用担当者向けに記録済み）。しばらくしてから再度お試しいただくか、"
                        "講師に伝えてください。");
}

// The run's detail: both languages of `error` in one line.
std::string detail_of(const Error& error) {
  return error.message_ja.empty() ? error.message : error.message + " / " + error.message_ja;
}

bool is_staff(const identity::Identity& caller) {
  return caller.role == identity::Role::instructor || caller.role == identity::Role::admin;
}

Error trainees_only(const std::string& what) {
  return make_error(
      ErrorCode::permission_denied,
      "Only trainees " + what + " self-paced runs; sign in with a trainee token.",
      "自習の実行を" + what + "できるのは受講者だけです。受講者のトークンで接続してください。");
}

Error no_such_run(std::int64_t id) {
  const std::string n = std::to_string(id);
  return make_error(ErrorCode::not_found, "You have no self-paced run " + n + ".",
                    "自習の実行 " + n + " はありません。");
}

Error wrong_state(const Run& run, const std::string& action_en, const std::string& action_ja) {
  const std::string state(to_string(run.state));
  return make_error(
      ErrorCode::failed_precondition,
      "Run " + std::to_string(run.id) + " is " + state + "; it cannot be " + action_en + " now.",
      "実行 " + std::to_string(run.id) + " は " + state + " の状態のため、今は" + action_ja +
          "できません。");
}

bool open_to(const Course& course, const std::vector<std::string>& organisations) {
  if (course.organisations.empty()) return true;
  return std::any_of(organisations.begin(), organisations.end(), [&](const std::string& org) {
    return std::find(course.organisations.begin(), course.organisations.end(), org) !=
           course.organisations.end();
  });
}

// Whether two users' organisations meet; users without one count as one group, so an
// instructor of no organisation sees only trainees of none.
bool same_organisation(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  return std::any_of(a.begin(), a.end(), [&](const std::string& org) {
    return std::find(b.begin(), b.end(), org) != b.end();
  });
}

// An instructor sees the runs of the trainees of their own organisation only: self-paced
// results are the organisation's, and one daemon serves many organisations.
Expected<std::vector<Run>> organisation_runs(CourseStore& store, const identity::Identity& caller) {
  auto mine = store.organisations_of(caller.user_id);
  if (!mine) return mine.error();
  auto all = store.runs(0);
  if (!all) return all.error();
  std::map<std::int64_t, bool> shares;  // per trainee, asked once
  std::vector<Run> out;
  for (auto& run : *all) {
    auto known = shares.find(run.user_id);
    if (known == shares.end()) {
      auto theirs = store.organisations_of(run.user_id);
      if (!theirs) return theirs.error();
      known = shares.emplace(run.user_id, same_organisation(*mine, *theirs)).first;
    }
    if (known->second) out.push_back(std::move(run));
  }
  return out;
}

}  // namespace

std::string_view to_string(RunState state) {
  for (const auto& [s, name] : kStateNames)
    if (s == state) return name;
  return "unknown";
}

Expected<RunState> parse_run_state(std::string_view text) {
  for (const auto& [s, name] : kStateNames)
    if (name == text) return s;
  return make_error(ErrorCode::internal, "Unknown run state '" + std::string(text) + "'.");
}

bool is_open(RunState state) {
  return state == RunState::queued || state == RunState::starting || state == RunState::running ||
         state == RunState::paused;
}

RunDesk::RunDesk(std::shared_ptr<CourseStore> store, std::shared_ptr<RunEngine> engine,
                 RunLimits limits)
    : store_(std::move(store)), engine_(std::move(engine)), limits_(limits) {}

Expected<std::vector<Course>> RunDesk::courses(const identity::Identity& caller) {
  auto all = store_->courses();
  if (!all) return all.error();
  if (is_staff(caller)) return all;
  if (caller.role != identity::Role::trainee) return std::vector<Course>{};
  auto organisations = store_->organisations_of(caller.user_id);
  if (!organisations) return organisations.error();
  // A trainee who came with a course's join code takes that course only.
  auto joined = store_->joined_course(caller.user_id);
  if (!joined) return joined.error();
  std::vector<Course> out;
  for (auto& course : *all)
    if (!course.withdrawn && open_to(course, *organisations) && (!*joined || **joined == course.id))
      out.push_back(std::move(course));
  return out;
}

Expected<RunTicket> RunDesk::start(const identity::Identity& caller, const std::string& course_id) {
  if (caller.role != identity::Role::trainee) return trainees_only("start");
  if (caller.exercise_id)
    return make_error(ErrorCode::permission_denied,
                      "'" + caller.name + "' takes part in exercise '" + *caller.exercise_id +
                          "' only; start a self-paced run with the account of a course's join "
                          "code or with your own course token.",
                      "'" + caller.name + "' が参加できるのは演習 '" + *caller.exercise_id +
                          "' だけです。自習はコースの参加コードのアカウントか、ご自身のコース用"
                          "トークンで開始してください。");
  auto open = courses(caller);
  if (!open) return open.error();
  const auto course =
      std::find_if(open->begin(), open->end(), [&](const Course& c) { return c.id == course_id; });
  if (course == open->end())
    return make_error(
        ErrorCode::not_found,
        "There is no course '" + course_id + "' open to you; list the courses.",
        "受講できるコース '" + course_id + "' はありません。一覧を確認してください。");
  std::lock_guard lock(mutex_);
  auto existing = store_->open_run(course_id, caller.user_id);
  if (!existing) return existing.error();
  if (*existing) {
    Run run = **existing;
    if (run.state == RunState::paused) {
      run.state = RunState::queued;  // resumed when there is room, as a new run would be
      if (auto st = save(run); !st) return st.error();
      auto placed = try_place(run);
      if (!placed) return placed.error();
      run = *placed;
    }
    return ticket(caller, run);
  }
  const auto expires =
      std::chrono::system_clock::now() + std::chrono::hours(24) * course->expires_after_days;
  auto added = store_->add_run(course_id, caller.user_id, expires);
  if (!added) return added.error();
  notify();
  if (auto st = audit(caller, "course.run.start", *added); !st) return st.error();
  auto placed = try_place(*added);
  if (!placed) return placed.error();
  return ticket(caller, *placed);
}

Expected<Run> RunDesk::try_place(Run run) {
  if (run.state != RunState::queued) return run;
  auto load = store_->load(run.user_id);
  if (!load) return load.error();
  if (load->running >= limits_.capacity) return store_->run(run.id);  // with its position
  if (load->organisation_quota && load->organisation_running >= *load->organisation_quota)
    return store_->run(run.id);
  auto course = store_->course(run.course);
  if (!course) return course.error();
  if (run.exercise.empty()) {
    // Names of libvirt objects: [a-z0-9_], no '-' (range/naming.h). The random part keeps
    // runs of two databases sharing one libvirt apart.
    run.exercise = "self" + std::to_string(run.id) + "_" + random_suffix();
    run.team = "r" + std::to_string(run.id);
    run.state = RunState::starting;
    if (auto st = save(run); !st) return st.error();
    if (auto st = engine_->create(*course, run.exercise, run.team); !st) {
      const Error told = logged_failure(run, "started", st.error().message, st.error().code);
      run.state = RunState::failed;
      run.detail = detail_of(told);
      (void)save(run);
      return told;
    }
    return store_->run(run.id);
  }
  // A paused run: its guests come back from disk.
  if (auto st = engine_->resume(run.exercise); !st) {
    const Error told = logged_failure(run, "resumed", st.error().message, st.error().code);
    run.state = RunState::paused;
    run.detail = detail_of(told);
    (void)save(run);
    return told;
  }
  run.state = RunState::running;
  run.paused_at.reset();
  run.detail.clear();
  run.last_active_at = std::chrono::system_clock::now();
  if (auto st = save(run); !st) return st.error();
  return store_->run(run.id);
}

Expected<RunTicket> RunDesk::ticket(const identity::Identity& caller, Run run) {
  RunTicket out{std::move(run), {}};
  if (out.run.state == RunState::starting || out.run.state == RunState::running) {
    auto token =
        store_->issue_run_token(caller.user_id, out.run.exercise, out.run.team, limits_.token_ttl);
    if (!token) return token.error();
    out.token = std::move(*token);
  }
  return out;
}

Expected<Run> RunDesk::own_run(const identity::Identity& caller, std::int64_t id) {
  if (caller.role != identity::Role::trainee) return trainees_only("control");
  auto run = store_->run(id);
  if (!run) {
    if (run.error().code == ErrorCode::not_found) return no_such_run(id);
    return run.error();
  }
  if (run->user_id != caller.user_id) return no_such_run(id);  // never tell whose it is
  return run;
}

Expected<Run> RunDesk::pause(const identity::Identity& caller, std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto run = own_run(caller, id);
  if (!run) return run.error();
  if (run->state != RunState::running) return wrong_state(*run, "paused", "一時停止");
  if (auto st = engine_->suspend(run->exercise); !st) return st.error();
  run->state = RunState::paused;
  run->paused_at = std::chrono::system_clock::now();
  if (auto st = save(*run); !st) return st.error();
  if (auto st = audit(caller, "course.run.pause", *run); !st) return st.error();
  return store_->run(id);
}

Expected<RunTicket> RunDesk::resume(const identity::Identity& caller, std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto run = own_run(caller, id);
  if (!run) return run.error();
  if (run->state == RunState::running || run->state == RunState::starting ||
      run->state == RunState::queued)
    return ticket(caller, *run);
  if (run->state != RunState::paused) return wrong_state(*run, "resumed", "再開");
  run->state = RunState::queued;
  if (auto st = save(*run); !st) return st.error();
  auto placed = try_place(*run);
  if (!placed) return placed.error();
  if (auto st = audit(caller, "course.run.resume", *placed); !st) return st.error();
  return ticket(caller, *placed);
}

Expected<Run> RunDesk::end(const identity::Identity& caller, std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto run = own_run(caller, id);
  if (!run) return run.error();
  if (!is_open(run->state)) return wrong_state(*run, "ended", "終了");
  if (!run->exercise.empty())
    if (auto st = engine_->end(run->exercise); !st) return st.error();
  run->state = RunState::finished;
  run->ended_at = std::chrono::system_clock::now();
  if (auto st = save(*run); !st) return st.error();
  if (auto st = audit(caller, "course.run.end", *run); !st) return st.error();
  return store_->run(id);
}

Expected<Run> RunDesk::keep_alive(const identity::Identity& caller, std::int64_t id) {
  std::lock_guard lock(mutex_);
  auto run = own_run(caller, id);
  if (!run) return run.error();
  run->last_active_at = std::chrono::system_clock::now();
  // Nothing a watcher sees changes: no notice, so keep-alives cost no pass of the feed.
  if (auto st = store_->update(*run); !st) return st.error();
  return *run;
}

Expected<std::vector<Run>> RunDesk::runs(const identity::Identity& caller) {
  if (caller.role == identity::Role::admin) return store_->runs(0);
  if (caller.role == identity::Role::instructor) return organisation_runs(*store_, caller);
  if (caller.role != identity::Role::trainee) return trainees_only("list");
  return store_->runs(caller.user_id);
}

Status RunDesk::reopen() {
  auto all = store_->runs(0);
  if (!all) return all.error();
  Status first = Status::success();
  int loaded = 0;
  for (const auto& run : *all) {
    const bool kept = run.state == RunState::paused || run.state == RunState::finished ||
                      run.state == RunState::expired;
    if (!kept || run.exercise.empty()) continue;
    if (auto st = engine_->load_results(run.exercise); !st) {
      log::get("course")->warn("run {}: its results could not be loaded: {}", run.id,
                               st.error().message);
      if (first) first = st;
      continue;
    }
    ++loaded;
  }
  log::get("course")->info("results of {} paused or ended run(s) loaded", loaded);
  return first;
}

Status RunDesk::may_hand_out_codes(const identity::Identity& caller,
                                   const std::string& organisation) {
  if (caller.role == identity::Role::admin) return Status::success();
  if (caller.role == identity::Role::instructor) {
    auto mine = store_->organisations_of(caller.user_id);
    if (!mine) return mine.error();
    if (std::find(mine->begin(), mine->end(), organisation) != mine->end())
      return Status::success();
  }
  return make_error(ErrorCode::permission_denied,
                    "Only an admin or an instructor of organisation '" + organisation +
                        "' may hand out its course join codes.",
                    "組織 '" + organisation +
                        "' のコース参加コードを発行できるのは、管理者とその組織の講師だけです。");
}

Status RunDesk::oversee(const identity::Identity& caller, const std::string& exercise) {
  if (caller.role != identity::Role::instructor) return Status::success();
  auto owner = store_->run_owner(exercise);
  if (!owner) return owner.error();
  if (!*owner) return Status::success();  // a training day's exercise
  auto mine = store_->organisations_of(caller.user_id);
  if (!mine) return mine.error();
  auto theirs = store_->organisations_of(**owner);
  if (!theirs) return theirs.error();
  if (same_organisation(*mine, *theirs)) return Status::success();
  return make_error(ErrorCode::not_found,
                    "There is no exercise '" + exercise + "' that you may see.",
                    "参照できる演習 '" + exercise + "' はありません。");
}

Status RunDesk::tick(TimePoint now) {
  std::lock_guard lock(mutex_);
  auto all = store_->runs(0);
  if (!all) return all.error();
  Status first = Status::success();
  // Oldest first, so the queue is served in order.
  for (auto it = all->rbegin(); it != all->rend(); ++it) {
    if (!is_open(it->state)) continue;
    if (auto st = advance(*it, now); !st) {
      log::get("course")->warn("run {}: {}", it->id, st.error().message);
      if (first) first = st;
    }
  }
  return first;
}

Status RunDesk::advance(Run run, TimePoint now) {
  if (now >= run.expires_at) {
    if (!run.exercise.empty())
      if (auto st = engine_->end(run.exercise); !st) return st;
    run.state = RunState::expired;
    run.ended_at = now;
    log::get("course")->info("run {} of {} expired; its range was removed", run.id, run.course);
    return save(run);
  }
  switch (run.state) {
    case RunState::queued: {
      auto placed = try_place(run);
      return placed ? Status::success() : Status(placed.error());
    }
    case RunState::starting: {
      auto state = engine_->state(run.exercise);
      if (!state) return state.error();
      if (state->first == "failed") {
        run.state = RunState::failed;
        run.detail = detail_of(logged_failure(run, "started", state->second, ErrorCode::internal));
        return save(run);
      }
      if (state->first != "ready") return Status::success();
      auto course = store_->course(run.course);
      if (!course) return course.error();
      if (auto st = engine_->start_clock(run.exercise, course->clock_speed); !st) return st;
      run.state = RunState::running;
      run.started_at = now;
      run.last_active_at = now;
      return save(run);
    }
    case RunState::running: {
      auto course = store_->course(run.course);
      if (!course) return course.error();
      // No instructor decides in a run: a presented decision takes its default option.
      auto decided = engine_->decide_defaults(run.exercise);
      if (!decided) return decided.error();
      for (const auto& choice : *decided)
        log::get("course")->info("run {}: nobody decides, so the default was taken: {}", run.id,
                                 choice);
      if (course->time_limit) {
        auto elapsed = engine_->clock(run.exercise);
        if (!elapsed) return elapsed.error();
        if (*elapsed >= *course->time_limit) {
          if (auto st = engine_->end(run.exercise); !st) return st;
          run.state = RunState::finished;
          run.ended_at = now;
          run.detail = "The course's time limit was reached. / 制限時間に達しました。";
          log::get("course")->info("run {} of {} reached its time limit of {} s", run.id,
                                   run.course, course->time_limit->count());
          return save(run);
        }
      }
      if (now - run.last_active_at < limits_.idle_pause) return Status::success();
      if (auto st = engine_->suspend(run.exercise); !st) return st;
      run.state = RunState::paused;
      run.paused_at = now;
      log::get("course")->info("run {} paused after {} s without activity", run.id,
                               limits_.idle_pause.count());
      return save(run);
    }
    default:
      return Status::success();
  }
}

void RunDesk::on_change(std::function<void()> listener) {
  std::lock_guard lock(listener_mutex_);
  on_change_ = std::move(listener);
}

void RunDesk::notify() {
  std::function<void()> listener;
  {
    std::lock_guard lock(listener_mutex_);
    listener = on_change_;
  }
  if (listener) listener();
}

Status RunDesk::save(const Run& run) {
  Status st = store_->update(run);
  notify();  // also after a failed write: the watchers read what the store holds
  return st;
}

Status RunDesk::audit(const identity::Identity& caller, const std::string& action, const Run& run) {
  return store_->audit(caller.user_id, action,
                       "run:" + std::to_string(run.id) + " course:" + run.course);
}

RunDriver::RunDriver(std::shared_ptr<RunDesk> desk, std::chrono::milliseconds period)
    : desk_(std::move(desk)) {
  thread_ = std::thread([this, period] {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, period, [this] { return stop_; })) {
      lock.unlock();
      (void)desk_->tick();  // errors are logged per run
      lock.lock();
    }
  });
}

RunDriver::~RunDriver() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

}  // namespace cyrange::course
