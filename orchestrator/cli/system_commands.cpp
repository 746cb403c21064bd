// version, db migrate|status, certs init, users add|token|revoke|disable|erase, whoami.
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <client-core/connection.h>
#include <client-core/system_client.h>
#include <orchestrator/certs/certs.h>
#include <orchestrator/cli/commands.h>
#include <orchestrator/cli/server_flags.h>
#include <orchestrator/common/loopback.h>
#include <orchestrator/common/version.h>
#include <orchestrator/config/config.h>
#include <orchestrator/identity/identity_store.h>
#include <orchestrator/store/migrations.h>

namespace cyrange::cli {
namespace {

[[noreturn]] void fail(const Error& error) {
  std::cerr << error.message << "\n";
  if (!error.message_ja.empty()) std::cerr << error.message_ja << "\n";
  throw CLI::RuntimeError(1);
}

template <class T>
T check(Expected<T> result) {
  if (!result) fail(result.error());
  return std::move(result).value();
}

void check(const Status& status) {
  if (!status) fail(status.error());
}

/// The configuration from $CYRANGE_CONFIG or /etc/cyrange/cyrange.yaml, for defaults.
config::Config base_config(const std::string& config_file) {
  std::optional<std::filesystem::path> path;
  if (!config_file.empty()) path = config_file;
  return check(config::load_config(path));
}

}  // namespace

std::chrono::seconds parse_ttl(const std::string& text) {
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  long long factor = unit.empty() || unit == "s" ? 1
                     : unit == "m"               ? 60
                     : unit == "h"               ? 3600
                     : unit == "d"               ? 86400
                                                 : 0;
  if (used == 0 || factor == 0 || n <= 0) {
    fail(make_error(ErrorCode::invalid_argument,
                    "The lifetime '" + text +
                        "' is not valid; write a positive number with s, m, h or d, e.g. 12h. "
                        "/ 有効期間 '" +
                        text + "' が正しくありません。12h のように指定してください。"));
  }
  return std::chrono::seconds(n * factor);
}

namespace {

std::string format_time(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void print_token(const identity::IssuedToken& token, const std::string& user) {
  // The token goes alone to stdout so scripts can capture it; the advice to stderr.
  std::cerr << "Token " << token.id << " for '" << user << "', valid until "
            << format_time(token.expires_at)
            << ". It is shown only once: store it safely (e.g. ~/.config/cyrange/token, mode "
               "0600).\n"
               "トークンはこの一度だけ表示されます。安全な場所に保存してください。\n";
  std::cout << token.token << "\n";
}

void add_version(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "version",
      "Show the version of cyrange; with --server also that of cyranged / バージョン表示");
  auto flags = std::make_shared<ServerFlags>();
  flags->add_to(cmd);
  cmd->callback([flags] {
    std::cout << "cyrange " << kVersion << " (api revision " << kApiRevision << ")\n";
    if (flags->server.empty()) return;
    client::Connection connection = flags->connect();
    client::SystemClient system(connection);
    auto health = check(system.health());
    std::cout << "server " << connection.options().target << ": "
              << (health.serving ? "serving" : "NOT serving");
    for (const auto& [component, state] : health.components) {
      std::cout << ", " << component << " " << state;
    }
    std::cout << "\n";
    if (connection.options().token.empty()) {
      std::cout << "(server version needs a token: pass --token or set $CYRANGE_TOKEN)\n";
      return;
    }
    auto version = check(system.version());
    std::cout << "cyranged " << version.server_version << " (api revision " << version.api_revision
              << ", schema version " << version.schema_version << ")\n";
    if (version.api_revision != kApiRevision) {
      std::cerr << "Warning: the server speaks api revision " << version.api_revision
                << " but this client speaks " << kApiRevision << "; upgrade the older side.\n";
    }
  });
}

void add_db(CLI::App& app) {
  auto* db =
      app.add_subcommand("db", "PostgreSQL schema: migrate, status / データベースのスキーマ");
  db->require_subcommand(1);
  auto uri = std::make_shared<std::string>();
  auto config_file = std::make_shared<std::string>();
  auto db_uri = [uri, config_file] {
    return uri->empty() ? base_config(*config_file).database_uri : *uri;
  };

  auto* migrate =
      db->add_subcommand("migrate", "Apply pending database migrations / マイグレーションの適用");
  migrate->add_option("--db", *uri,
                      "PostgreSQL URI (default: $CYRANGE_DB_URI, config, "
                      "postgresql:///cyrange)");
  migrate->add_option("--config", *config_file, "Configuration file for the defaults");
  auto daemon_role = std::make_shared<std::string>(store::kDefaultDaemonRole);
  migrate
      ->add_option("--daemon-role", *daemon_role,
                   "PostgreSQL role cyranged connects as: given data privileges only (no "
                   "DDL, the audit log append-only); empty: none / cyranged のロール")
      ->capture_default_str();
  migrate->callback([db_uri, daemon_role] {
    auto report = check(store::migrate(db_uri()));
    for (const auto& label : report.applied) std::cout << "applied " << label << "\n";
    if (report.applied.empty()) std::cout << "nothing to apply\n";
    std::cout << "schema at version " << report.to_version << " / スキーマのバージョン "
              << report.to_version << "\n";
    if (daemon_role->empty()) return;
    const auto granted = check(store::grant_daemon_role(db_uri(), *daemon_role));
    if (granted == store::DaemonGrant::granted) {
      std::cout << "role '" << *daemon_role
                << "' may read and write data, only add to the audit log, and change no schema "
                   "/ ロール '"
                << *daemon_role << "' に cyranged の権限を付与しました\n";
      return;
    }
    std::cerr << "Note: there is no PostgreSQL role '" << *daemon_role
              << "', so no privileges were granted; cyranged then has to connect as the "
                 "schema's owner, which can rewrite the audit log. Create the role "
                 "(scripts/services.sh does), point cyranged's database_uri at it "
                 "(?user="
              << *daemon_role << ") and run `cyrange db migrate` again.\n"
              << "注意: PostgreSQL のロール '" << *daemon_role
              << "' がないため、権限を付与していません。ロールを作成し（scripts/services.sh "
                 "が作成します）、cyranged の database_uri をそのロールに向けてから、"
                 "`cyrange db migrate` をもう一度実行してください。\n";
  });

  auto* status = db->add_subcommand(
      "status", "Show the schema version; fails when not current / スキーマの状態");
  status->add_option("--db", *uri, "PostgreSQL URI (default as for db migrate)");
  status->add_option("--config", *config_file, "Configuration file for the defaults");
  status->callback([db_uri] {
    auto state = check(store::verify_schema(db_uri()));
    std::cout << "schema at version " << state.current_version << " of " << state.latest_version
              << " (up to date) / スキーマは最新です\n";
  });
}

void add_certs(CLI::App& app) {
  auto* certs_cmd = app.add_subcommand("certs", "TLS certificates for cyranged / TLS 証明書");
  certs_cmd->require_subcommand(1);
  auto* init = certs_cmd->add_subcommand("init",
                                         "Create a local CA and a server certificate signed by it "
                                         "(kept when valid) / CA とサーバ証明書の作成");
  auto options = std::make_shared<certs::InitOptions>();
  auto dir = std::make_shared<std::string>();
  auto config_file = std::make_shared<std::string>();
  init->add_option("--dir", *dir,
                   "Directory for ca.pem, server.pem, server.key, the folder cyranged reads "
                   "(default: tls_dir, /var/lib/cyrange/tls)");
  init->add_option("--ca-key-dir", options->ca_key_dir,
                   "Directory for ca.key, apart from the server's key (default: the TLS "
                   "directory with -ca appended, /var/lib/cyrange/tls-ca)");
  init->add_option("--host", options->hosts,
                   "Extra DNS name or IP address of the server (repeatable); localhost, "
                   "127.0.0.1 and ::1 are always included");
  init->add_flag("--force", options->force, "Replace existing valid files");
  init->add_option("--config", *config_file, "Configuration file for the defaults");
  init->callback([options, dir, config_file] {
    options->dir = dir->empty() ? base_config(*config_file).tls_dir : std::filesystem::path(*dir);
    auto report = check(certs::init_certificates(*options));
    std::cout << (report.ca_created ? "created " : "kept    ")
              << (options->dir / certs::kCaCertFile).string() << " (CA)\n"
              << (report.server_created ? "created " : "kept    ")
              << (options->dir / certs::kServerCertFile).string() << " (server, for";
    for (const auto& name : report.subject_alt_names) std::cout << " " << name;
    std::cout << ")\n";
    if (report.ca_key_moved)
      std::cout << "moved   " << (options->dir / certs::kCaKeyFile).string() << " to "
                << (certs::ca_key_dir_of(*options) / certs::kCaKeyFile).string()
                << " (the CA key is kept apart from the server's) / CA の鍵を移動しました\n";
    std::cout
        << "The CA key is " << (certs::ca_key_dir_of(*options) / certs::kCaKeyFile).string()
        << ": keep it readable by root only. / CA の鍵は root のみ読めるようにしてください。\n";
    std::cout << "Clients need " << (options->dir / certs::kCaCertFile).string()
              << " (--ca). / クライアントには ca.pem を渡してください。\n";
  });
}

struct UserFlags {
  std::string name;
  std::string role;
  std::string team;
  std::string exercise;  // users add --exercise: the run a trainee plays in
  std::string display_name;
  std::string email;
  std::string ttl = "12h";
  std::string db;
  std::string config_file;
  bool save = false;
  std::int64_t token_id = 0;  // users revoke TOKEN-ID
  std::string user;           // users revoke --user NAME
  bool yes = false;           // users erase --yes
};

// The store with the configuration's maximum token lifetime (token_max_lifetime_h).
std::unique_ptr<identity::PgIdentityStore> open_identities(const UserFlags& f) {
  const config::Config config = base_config(f.config_file);
  auto store = check(identity::PgIdentityStore::open(f.db.empty() ? config.database_uri : f.db));
  store->set_max_token_lifetime(std::chrono::hours(config.token_max_lifetime_h));
  return store;
}

// Who ran an administrative command, for the audit log: the login of the process's user
// (and the one who ran sudo).
std::string cli_actor() {
  std::string who = "uid " + std::to_string(::geteuid());
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr)
    who = pw->pw_name;
  if (const char* sudo = std::getenv("SUDO_USER"); sudo != nullptr && *sudo != '\0')
    who = std::string(sudo) + " via sudo as " + who;
  return "cli:" + who;
}

// users revoke | disable | erase: what an administrator does when a token leaks or a
// person leaves. Open streams of the user end at cyranged's next token check.
void add_user_revocation(CLI::App* users, const std::shared_ptr<UserFlags>& f) {
  auto* revoke = users->add_subcommand(
      "revoke", "Revoke one token by id, or every token of a user / トークンの取り消し");
  revoke->add_option("TOKEN-ID", f->token_id, "Id of the token (printed when it was issued)");
  revoke->add_option("--user", f->user, "Revoke every token of this user");
  revoke->add_option("--db", f->db, "PostgreSQL URI (default as for db migrate)");
  revoke->add_option("--config", f->config_file, "Configuration file for the defaults");
  revoke->callback([f] {
    if ((f->token_id > 0) == !f->user.empty()) {
      fail(make_error(ErrorCode::invalid_argument,
                      "Give either a token id or --user NAME, not both and not neither.",
                      "トークン ID か --user NAME のどちらか一方を指定してください。"));
    }
    auto store = open_identities(*f);
    if (f->token_id > 0) {
      check(store->revoke_token(f->token_id, cli_actor()));
      std::cout << "Revoked token " << f->token_id << ". / トークン " << f->token_id
                << " を取り消しました。\n";
    } else {
      check(store->revoke_tokens(f->user, cli_actor()));
      std::cout << "Revoked every token of '" << f->user << "'. / '" << f->user
                << "' のすべてのトークンを取り消しました。\n";
    }
    std::cout << "Open streams of the token end at cyranged's next check. / "
                 "開いているストリームは cyranged の次の確認で終了します。\n";
  });

  auto* disable = users->add_subcommand(
      "disable", "Disable a user: tokens revoked, no new ones / ユーザの無効化");
  disable->add_option("NAME", f->name, "Login name")->required();
  disable->add_option("--db", f->db, "PostgreSQL URI (default as for db migrate)");
  disable->add_option("--config", f->config_file, "Configuration file for the defaults");
  disable->callback([f] {
    check(open_identities(*f)->disable_user(f->name, cli_actor()));
    std::cout << "Disabled '" << f->name << "'; its tokens are revoked. / '" << f->name
              << "' を無効にし、トークンを取り消しました。\n";
  });

  auto* erase = users->add_subcommand(
      "erase", "Erase a user's personal data (cannot be undone) / 個人データの消去");
  erase->add_option("NAME", f->name, "Login name")->required();
  erase->add_flag("--yes", f->yes, "Confirm: the login name, display name and e-mail go for good");
  erase->add_option("--db", f->db, "PostgreSQL URI (default as for db migrate)");
  erase->add_option("--config", f->config_file, "Configuration file for the defaults");
  erase->callback([f] {
    if (!f->yes) {
      fail(make_error(
          ErrorCode::failed_precondition,
          "Erasing '" + f->name +
              "' cannot be undone; run the command again with --yes to confirm.",
          "'" + f->name +
              "' の消去は元に戻せません。確認のため --yes を付けて再実行してください。"));
    }
    const auto pseudonym = check(open_identities(*f)->erase_user(f->name, cli_actor()));
    std::cout << "Erased the personal data of '" << f->name << "'; the account is disabled and "
              << "now named '" << pseudonym << "'. / '" << f->name
              << "' の個人データを消去しました（アカウントは無効、名前は '" << pseudonym
              << "'）。\n";
  });
}

void add_users(CLI::App& app) {
  auto* users =
      app.add_subcommand("users", "Users, roles and access tokens / ユーザ・ロール・トークン");
  users->require_subcommand(1);
  auto f = std::make_shared<UserFlags>();

  auto* add =
      users->add_subcommand("add", "Create a user and print a first access token / ユーザ作成");
  add->add_option("NAME", f->name, "Login name (letters, digits, '.', '_', '-')")->required();
  add->add_option("--role", f->role, "admin, instructor, designer or trainee")->required();
  add->add_option("--team", f->team, "Team of a trainee (created when missing)");
  add->add_option("--exercise", f->exercise,
                  "Exercise run a trainee plays in (required for trainees; it may be created "
                  "later)");
  add->add_option("--display-name", f->display_name, "Full name shown to instructors");
  add->add_option("--email", f->email, "E-mail address");
  add->add_option("--token-ttl", f->ttl, "Lifetime of the token: 30m, 12h, 7d...")
      ->capture_default_str();
  add->add_option("--db", f->db, "PostgreSQL URI (default as for db migrate)");
  add->add_option("--config", f->config_file, "Configuration file for the defaults");
  add->callback([f] {
    identity::NewUser user;
    user.name = f->name;
    user.role = check(identity::parse_role(f->role));
    if (!f->team.empty()) user.team = f->team;
    if (!f->exercise.empty()) user.exercise = f->exercise;
    // A trainee without a run would be one of "every exercise with a team of that name": a
    // trainee of an earlier cohort would reach a later cohort's team (#17, 4).
    if (user.role == identity::Role::trainee && !user.exercise) {
      fail(
          make_error(ErrorCode::invalid_argument,
                     "Trainee '" + f->name +
                         "' needs the exercise run they play in: add --exercise EXERCISE, the id "
                         "the exercise is (or will be) created with, e.g. day_1.",
                     "受講者 '" + f->name +
                         "' には参加する演習が必要です。--exercise で演習を作成する（またはこれから"
                         "作成する）ときの ID（例: day_1）を指定してください。"));
    }
    user.display_name = f->display_name;
    user.email = f->email;
    auto ttl = parse_ttl(f->ttl);
    auto store = open_identities(*f);
    check(store->add_user(user, cli_actor()));
    print_token(check(store->issue_token(f->name, ttl, std::nullopt, cli_actor())), f->name);
  });

  auto* token = users->add_subcommand(
      "token", "Issue a new access token for an existing user / トークン再発行");
  token->add_option("NAME", f->name, "Login name")->required();
  token->add_option("--token-ttl", f->ttl, "Lifetime of the token: 30m, 12h, 7d...")
      ->capture_default_str();
  token->add_flag("--save", f->save, "Also write it to ~/.config/cyrange/token (mode 0600)");
  token->add_option("--db", f->db, "PostgreSQL URI (default as for db migrate)");
  token->add_option("--config", f->config_file, "Configuration file for the defaults");
  token->callback([f] {
    auto ttl = parse_ttl(f->ttl);
    auto issued = check(open_identities(*f)->issue_token(f->name, ttl, std::nullopt, cli_actor()));
    if (f->save) {
      check(client::save_token(issued.token, client::default_token_file()));
      std::cerr << "Saved to " << client::default_token_file().string() << "\n";
    }
    print_token(issued, f->name);
  });

  add_user_revocation(users, f);
}

void add_whoami(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "whoami", "Ask cyranged who the given token belongs to / トークンの持ち主を確認");
  auto flags = std::make_shared<ServerFlags>();
  flags->add_to(cmd);
  cmd->callback([flags] {
    client::SystemClient system(flags->connect());
    auto caller = check(system.whoami());
    std::cout << caller.name << " (" << client::to_string(caller.role);
    if (caller.team_id) std::cout << ", team " << *caller.team_id;
    std::cout << ", user id " << caller.user_id << ")\n";
  });
}

}  // namespace

client::Connection ServerFlags::connect() const {
  config::Config config = base_config(config_file);
  client::ClientOptions options;
  options.target = server.empty() ? config.listen_address : server;
  // `plaintext` of a configuration file is cyranged's own setting: it lets this command
  // talk without TLS to a daemon on this machine, never to another one (--plaintext to a
  // remote server is refused by Connection::open).
  options.plaintext = plaintext || (config.plaintext && is_loopback_target(options.target));
  if (!options.plaintext) {
    options.ca_file = ca.empty() ? config.tls_dir / certs::kCaCertFile : std::filesystem::path(ca);
  }
  if (!token_file.empty()) {
    options.token = check(client::read_token_file(token_file));
  } else if (!token.empty()) {
    std::cerr << "warning: a token given with --token can be read by other users of this machine "
                 "while the command starts; use --token-file FILE or $CYRANGE_TOKEN. / "
                 "--token のトークンは他のユーザーから見える場合があります。--token-file か "
                 "$CYRANGE_TOKEN を使ってください。\n";
    options.token = token;
  } else {
    options.token = client::find_token().value_or("");
  }
  return check(client::Connection::open(options));
}

void add_system_commands(CLI::App& app) {
  add_version(app);
  add_db(app);
  add_certs(app);
  add_users(app);
  add_whoami(app);
}

}  // namespace cyrange::cli
