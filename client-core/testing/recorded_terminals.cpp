#include <client-core/testing/recorded_terminals.h>

#include <stdlib.h>

#include <chrono>

#include <orchestrator/certs/certs.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/privacy/pg_consent_store.h>

namespace cyrange::client::testing {
namespace {

Error step_failed(const std::string& step, const Error& why) {
  return make_error(why.code,
                    "Setting up the recorded terminals failed at " + step + ": " + why.message);
}

}  // namespace

Status RecordedTerminals::start(const std::filesystem::path& cyranged_binary) {
  char tmpl[] = "/tmp/cyrange-recordings-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr)
    return make_error(ErrorCode::internal, "Cannot create a temporary folder under /tmp.");
  dir_ = tmpl;
  certs::InitOptions tls;
  tls.dir = dir_ / "tls";
  if (auto made = certs::init_certificates(tls); !made) return step_failed("certs", made.error());

  auto ids = identity::PgIdentityStore::open(db_.uri());
  if (!ids) return step_failed("identities", ids.error());
  using identity::Role;
  const std::vector<identity::NewUser> users = {{"ivy", Role::instructor, std::nullopt, "", ""},
                                                {"dan", Role::designer, std::nullopt, "", ""},
                                                {"alice", Role::trainee, "t1", "", ""},
                                                {"bob", Role::trainee, "t2", "", ""}};
  for (const auto& u : users) {
    if (u.team) {
      if (auto team = (*ids)->ensure_team(*u.team); !team)
        return step_failed("teams", team.error());
    }
    auto id = (*ids)->add_user(u);
    if (!id) return step_failed("user " + u.name, id.error());
    user_ids_[u.name] = *id;
    auto token = (*ids)->issue_token(u.name, std::chrono::hours(2));
    if (!token) return step_failed("token of " + u.name, token.error());
    tokens_[u.name] = token->token;
  }

  auto registry = exercise::RangeRegistry::open(db_.uri());
  if (!registry) return step_failed("registry", registry.error());
  registry_ = std::move(registry).value();
  if (Status begun = registry_->begin_exercise(kExercise, "replay-scenario", "hash", {"t1", "t2"});
      !begun)
    return step_failed("exercise", begun.error());
  if (Status ready = registry_->set_state(kExercise, exercise::kStateReady); !ready)
    return step_failed("exercise state", ready.error());

  if (Status given = consent_alice(); !given) return step_failed("alice's consent", given.error());

  auto spawned = daemon::DaemonProcess::spawn(
      cyranged_binary,
      {"--db", db_.uri(), "--listen", "127.0.0.1:0", "--tls-dir", (dir_ / "tls").string(),
       "--libvirt-uri", "test:///default", "--image-cache", (dir_ / "images").string(),
       "--pool-root", (dir_ / "pools").string()},
      dir_ / "cyranged.log");
  if (!spawned) return step_failed("cyranged", spawned.error());
  daemon_.emplace(std::move(spawned).value());
  auto listening = daemon_->wait_listening(std::chrono::seconds(30));
  if (!listening) return step_failed("cyranged listening", listening.error());
  address_ = *listening;
  return Status::success();
}

RecordedTerminals::~RecordedTerminals() {
  if (daemon_) daemon_->stop(std::chrono::seconds(5));
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

ClientOptions RecordedTerminals::options(const std::string& user) const {
  ClientOptions options;
  options.target = address_;
  options.ca_file = dir_ / "tls" / certs::kCaCertFile;
  options.token = tokens_.at(user);
  return options;
}

Expected<std::int64_t> RecordedTerminals::record(const std::string& team, const std::string& host,
                                                 const std::string& user,
                                                 const std::vector<exercise::TerminalChunk>& chunks,
                                                 bool ended, int cols, int rows) {
  auto id = registry_->open_terminal(kExercise, team, host, user_ids_.at(user), cols, rows);
  if (!id) return id.error();
  if (Status appended = append(*id, 0, chunks); !appended) return appended.error();
  if (ended) {
    if (Status closed = end(*id); !closed) return closed.error();
  }
  return *id;
}

Status RecordedTerminals::append(std::int64_t session, int first_seq,
                                 const std::vector<exercise::TerminalChunk>& chunks) {
  return registry_->append_terminal_chunks(session, first_seq, chunks);
}

Status RecordedTerminals::end(std::int64_t session) { return registry_->close_terminal(session); }

Status RecordedTerminals::consent_alice() {
  auto consents = privacy::PgConsentStore::open(db_.uri());
  if (!consents) return consents.error();
  auto texts = (*consents)->current_texts();
  if (!texts) return texts.error();
  for (const auto& text : *texts) {
    if (text.purpose != privacy::Purpose::scoring) continue;
    auto given = (*consents)->give(user_ids_.at("alice"), kExercise, privacy::Purpose::scoring,
                                   text.version, {user_ids_.at("alice"), "alice (trainee)"});
    if (!given) return given.error();
  }
  return Status::success();
}

Status RecordedTerminals::withdraw_alice() {
  auto consents = privacy::PgConsentStore::open(db_.uri());
  if (!consents) return consents.error();
  auto done = (*consents)->withdraw(user_ids_.at("alice"), kExercise, privacy::Purpose::scoring,
                                    {user_ids_.at("alice"), "alice (trainee)"});
  if (!done) return done.error();
  return Status::success();
}

std::string RecordedTerminals::log() const { return daemon_ ? daemon_->log() : std::string(); }

}  // namespace cyrange::client::testing
