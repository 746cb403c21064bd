// privacy retention | org put|assign|list | withdraw | audit; export research | terminal.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <orchestrator/cli/commands.h>
#include <orchestrator/cli/db_flags.h>
#include <orchestrator/common/private_file.h>
#include <orchestrator/config/config.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/exercise/terminal.h>
#include <orchestrator/privacy/audit.h>
#include <orchestrator/privacy/organisation.h>
#include <orchestrator/privacy/pg_consent_store.h>
#include <orchestrator/privacy/research_export.h>
#include <orchestrator/privacy/retention.h>

namespace cyrange::cli {
namespace {

namespace pv = privacy;

std::string time_text(std::int64_t unix_seconds) {
  std::time_t tt = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void add_retention(CLI::App* privacy) {
  auto* cmd = privacy->add_subcommand(
      "retention",
      "Show (default) or delete (--apply) recordings older than their organisation's "
      "retention / 保存期間を過ぎた記録の確認・削除");
  auto db = std::make_shared<DbFlags>();
  auto options = std::make_shared<pv::RetentionOptions>();
  db->add_to(cmd);
  cmd->add_flag("--apply", options->apply, "Delete; without it nothing is changed (dry run)");
  cmd->add_option("--default-days", options->default_days,
                  "Retention for trainees without organisation")
      ->capture_default_str();
  cmd->callback([db, options] {
    options->actor = pv::host_operator();
    auto report = need(pv::enforce_retention(db->resolve(), *options));
    // Names last: Japanese names would break a padded column.
    std::cout << std::right << std::setw(6) << "days" << std::setw(10) << "events" << std::setw(11)
              << "terminals" << std::setw(8) << "ledger"
              << "  organisation / 組織\n";
    for (const auto& line : report.lines) {
      std::cout << std::setw(6) << line.retention_days << std::setw(10) << line.events
                << std::setw(11) << line.terminal_sessions << std::setw(8) << line.ledger_entries
                << "  " << (line.organisation.empty() ? "(none / 未登録)" : line.organisation)
                << "\n";
    }
    if (report.applied) {
      std::cout << "deleted " << report.events << " events and " << report.terminal_sessions
                << " terminal recordings, redacted " << report.ledger_entries
                << " score ledger entries (points kept) / 記録を削除し、得点記録から個人の情報を"
                   "除去しました（点数は保持）\n";
    } else {
      std::cout << "would delete " << report.events << " events and " << report.terminal_sessions
                << " terminal recordings and redact " << report.ledger_entries
                << " score ledger entries; run again with --apply to do it / "
                   "--apply を付けると削除と除去を行います\n";
    }
  });
}

void add_org(CLI::App* privacy) {
  auto* org = privacy->add_subcommand(
      "org", "Organisations trainees come from: retention and export attributes / 所属組織");
  org->require_subcommand(1);
  auto db = std::make_shared<DbFlags>();

  auto* put = org->add_subcommand("put", "Add or update an organisation / 組織の登録・更新");
  auto o = std::make_shared<pv::Organisation>();
  db->add_to(put);
  put->add_option("--name", o->name, "Organisation name")->required();
  put->add_option("--type", o->type, "municipality, private_company, ... (see the error list)")
      ->required();
  put->add_option("--size", o->size_band, "Staff band: 1-99, 100-299, 300-999, 1000-4999, 5000+")
      ->required();
  put->add_option("--region", o->region, "Prefecture code, e.g. tokyo, osaka, hokkaido")
      ->required();
  put->add_option("--retention-days", o->retention_days, "Days recordings are kept")
      ->capture_default_str();
  put->callback([db, o] {
    auto store = need(pv::PgOrganisationStore::open(db->resolve()));
    auto id = need(store->put(*o, pv::host_operator()));
    std::cout << "organisation '" << o->name << "' saved (id " << id << ") / 組織を登録しました\n";
  });

  auto* assign = org->add_subcommand("assign", "Make a user a member / ユーザーを組織に所属させる");
  auto user = std::make_shared<std::string>();
  auto name = std::make_shared<std::string>();
  db->add_to(assign);
  assign->add_option("--user", *user, "Login name")->required();
  assign->add_option("--org", *name, "Organisation name")->required();
  assign->callback([db, user, name] {
    auto store = need(pv::PgOrganisationStore::open(db->resolve()));
    if (Status st = store->assign(*user, *name, pv::host_operator()); !st) stop(st.error());
    std::cout << "user '" << *user << "' belongs to '" << *name << "' / 所属を登録しました\n";
  });

  auto* list = org->add_subcommand("list", "List organisations / 組織の一覧");
  db->add_to(list);
  list->callback([db] {
    auto store = need(pv::PgOrganisationStore::open(db->resolve()));
    for (const auto& org : need(store->list())) {
      std::cout << org.name << "\t" << org.type << "\t" << org.size_band << "\t" << org.region
                << "\t" << org.retention_days << " days\n";
    }
  });
}

void add_privacy_withdraw(CLI::App* privacy) {
  auto* cmd = privacy->add_subcommand(
      "withdraw",
      "Withdraw a trainee's consent on their written request (scoring: deletes their recording "
      "of the exercise) / 本人の依頼による同意の撤回");
  auto db = std::make_shared<DbFlags>();
  auto user = std::make_shared<std::string>();
  auto exercise = std::make_shared<std::string>();
  auto purpose = std::make_shared<std::string>();
  db->add_to(cmd);
  cmd->add_option("--user", *user, "Login name of the trainee")->required();
  cmd->add_option("--exercise", *exercise, "Exercise id")->required();
  cmd->add_option("--purpose", *purpose, "scoring or research")->required();
  cmd->callback([db, user, exercise, purpose] {
    const auto which = need(pv::parse_purpose(*purpose));
    auto store = need(pv::PgConsentStore::open(db->resolve()));
    const auto id = need(store->user_id_of(*user));
    auto done = need(store->withdraw(id, *exercise, which, pv::host_operator()));
    std::cout << "withdrawn: " << *purpose << " consent of '" << *user << "' for '" << *exercise
              << "'; deleted " << done.deleted_events << " events and "
              << done.deleted_terminal_sessions << " terminal recordings, redacted "
              << done.redacted_ledger_entries
              << " score ledger entries (points kept) / 同意を撤回しました（記録 "
              << done.deleted_events << " 件と端末記録 " << done.deleted_terminal_sessions
              << " 件を削除、得点記録 " << done.redacted_ledger_entries
              << " 件から個人の情報を除去、点数は保持）\n";
  });
}

void add_audit(CLI::App* privacy) {
  auto* cmd = privacy->add_subcommand(
      "audit", "Who exported, viewed or deleted recordings and consents / 監査ログ");
  auto db = std::make_shared<DbFlags>();
  auto limit = std::make_shared<std::size_t>(50);
  auto action = std::make_shared<std::string>();
  db->add_to(cmd);
  cmd->add_option("--limit", *limit, "Newest entries to show")->capture_default_str();
  cmd->add_option("--action", *action, "Only actions starting with this, e.g. research.");
  cmd->callback([db, limit, action] {
    auto log = need(pv::PgAuditLog::open(db->resolve()));
    for (const auto& r : need(log->recent(*limit, *action))) {
      std::cout << time_text(r.at_unix) << "  " << r.action << "  " << r.object << "  "
                << r.detail.dump() << "\n";
    }
  });
}

void add_export(CLI::App& app) {
  auto* exp =
      app.add_subcommand("export", "Export recordings; every export is audited / 記録の書き出し");
  exp->require_subcommand(1);

  auto* research = exp->add_subcommand(
      "research",
      "Consenting trainees only, re-keyed pseudonyms, k-anonymous organisation attributes, "
      "with a data dictionary / 研究用の匿名化書き出し");
  auto db = std::make_shared<DbFlags>();
  auto options = std::make_shared<pv::ResearchExportOptions>();
  auto format = std::make_shared<std::string>("jsonl");
  auto out = std::make_shared<std::string>();
  db->add_to(research);
  research->add_option("--exercise", options->exercise, "Exercise id")->required();
  research->add_option("--k", options->k, "Smallest group sharing one organisation description")
      ->capture_default_str();
  research->add_option("--format", *format, "jsonl or csv")->capture_default_str();
  research->add_option("--out", *out, "New or empty output directory")->required();
  research
      ->add_option("--max-suppressed-percent", options->max_suppressed_percent,
                   "Trainees that may be left out before generalising further")
      ->capture_default_str();
  research->callback([db, options, format, out] {
    options->format = need(pv::parse_export_format(*format));
    options->out_dir = *out;
    options->actor = pv::host_operator();
    auto report = need(pv::export_research(db->resolve(), *options));
    std::cout << "exported " << report.trainees_exported << " of " << report.trainees_consenting
              << " consenting trainees (" << report.trainees_suppressed
              << " left out for k-anonymity), " << report.events << " events, generalisation "
              << "type/size/region = " << report.levels.type << "/" << report.levels.size << "/"
              << report.levels.region << ", audit entry " << report.audit_id << "\n";
    for (const auto& f : report.files) std::cout << "  " << f.string() << "\n";
    if (!report.within_budget) {
      std::cerr << "Warning: more than " << options->max_suppressed_percent
                << "% of the consenting trainees had to be left out to reach k = " << options->k
                << "; consider a smaller k. k を満たすため多くの受講者を除外しました。\n";
    }
  });

  auto* terminal = exp->add_subcommand(
      "terminal", "A recorded terminal session as asciicast v2 (audited) / 端末記録の書き出し");
  auto tdb = std::make_shared<DbFlags>();
  auto session = std::make_shared<std::int64_t>(0);
  auto file = std::make_shared<std::string>();
  tdb->add_to(terminal);
  terminal->add_option("--session", *session, "Recording id (terminal_sessions.id)")->required();
  terminal->add_option("--out", *file, "The .cast file to write")->required();
  terminal->callback([tdb, session, file] {
    const std::string uri = tdb->resolve();
    auto registry = need(exercise::RangeRegistry::open(uri));
    const std::string cast = need(exercise::export_asciicast(*registry, *session));
    // Audited before the file exists: an export nobody can account for must not happen.
    if (Status st = pv::append_audit(uri, {pv::host_operator(),
                                           "recording.export",
                                           "terminal_session:" + std::to_string(*session),
                                           {{"format", "asciicast-v2"},
                                            {"out", std::filesystem::absolute(*file).string()},
                                            {"bytes", cast.size()}}});
        !st) {
      stop(st.error());
    }
    // A recording is personal data: for the operator's eyes only, never through a link.
    if (Status st = write_private_file(*file, cast); !st) stop(st.error());
    std::cout << "wrote " << *file << " (asciicast v2; play with `asciinema play " << *file
              << "`) / 書き出しました\n";
  });
}

}  // namespace

void add_privacy_commands(CLI::App& app) {
  auto* privacy = app.add_subcommand(
      "privacy", "Retention, organisations, consent withdrawal, audit log / プライバシー管理");
  privacy->require_subcommand(1);
  add_retention(privacy);
  add_org(privacy);
  add_privacy_withdraw(privacy);
  add_audit(privacy);
  add_export(app);
}

}  // namespace cyrange::cli
