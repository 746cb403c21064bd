// Research exports against the real PostgreSQL: only consenting trainees, fresh
// pseudonyms every time, k-anonymous organisation attributes, a data dictionary,
// and an audit entry.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <orchestrator/privacy/research_export.h>
#include <orchestrator/privacy/tests/privacy_test_env.h>

namespace cyrange::privacy {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/cyrange-export-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    path = tmpl;
  }
  ~TempDir() { fs::remove_all(path); }
};

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<nlohmann::json> read_jsonl(const fs::path& path) {
  std::vector<nlohmann::json> rows;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

// RFC 4180 fields of every record (quoted fields may hold commas and quotes).
std::vector<std::vector<std::string>> read_csv(const fs::path& path) {
  const std::string text = read(path);
  std::vector<std::vector<std::string>> records(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r') {
    } else if (c == '\n') {
      records.back().push_back(std::move(field));
      field.clear();
      records.emplace_back();
    } else {
      field += c;
    }
  }
  records.pop_back();  // after the last line break
  return records;
}

struct ExportFixture : ::testing::Test {
  testing::PrivacyDb env;
  TempDir dir;
  std::set<std::string> consenting, refusing;
  std::int64_t consenting_events = 0;

  // Twelve trainees of four organisations; nine consent to research, one withdrew,
  // two never consented.
  void SetUp() override {
    const std::vector<std::string> names = {"t01", "t02", "t03", "t04", "t05", "t06",
                                            "t07", "t08", "t09", "t10", "t11", "t12"};
    for (std::size_t i = 0; i < names.size(); ++i) {
      env.trainee(names[i], i % 2 ? "blue" : "red");
    }
    env.exercise("ex1", {"red", "blue"});
    env.organisation("Kakuu City", "municipality", "1000-4999", "tokyo", 365,
                     {"t01", "t02", "t03", "t04", "t05"});
    env.organisation("Minato Ward", "municipality", "1000-4999", "kanagawa", 365,
                     {"t06", "t07", "t08"});
    env.organisation("Naniwa Power", "critical_infrastructure", "5000+", "osaka", 365,
                     {"t09", "t10"});
    env.organisation("Tiny Clinic", "healthcare", "1-99", "kochi", 365, {"t11"});
    for (std::size_t i = 0; i < names.size(); ++i) {
      env.events("ex1", names[i], 3 + static_cast<int>(i));
      if (names[i] == "t04" || names[i] == "t12") {
        refusing.insert(names[i]);
        continue;
      }
      env.consent("ex1", names[i], "research");
      if (names[i] == "t05") {
        env.sql(
            "UPDATE consents SET withdrawn_at = now(), end_reason = 'withdrawn' WHERE user_id = " +
            std::to_string(env.users["t05"]));
        refusing.insert("t05");
        continue;
      }
      consenting.insert(names[i]);
      consenting_events += 3 + static_cast<std::int64_t>(i);
    }
  }

  ResearchExportOptions options(const std::string& sub, ExportFormat format = ExportFormat::jsonl,
                                int k = 3) {
    ResearchExportOptions o;
    o.exercise = "ex1";
    o.k = k;
    o.format = format;
    o.out_dir = dir.path / sub;
    o.actor = {std::nullopt, "operator researcher@host"};
    return o;
  }

  std::set<std::string> stored_pseudonyms() {
    std::set<std::string> out;
    std::stringstream all(env.sql("SELECT string_agg(pseudonym, ' ') FROM trainee_pseudonyms"));
    for (std::string p; all >> p;) out.insert(p);
    return out;
  }
};

void expect_k_anonymous(const std::map<std::string, int>& combinations, int k) {
  for (const auto& [combination, count] : combinations) {
    EXPECT_GE(count, k) << "combination " << combination << " appears only " << count << " times";
  }
}

TEST_F(ExportFixture, JsonlContainsOnlyConsentingTraineesUnderFreshIdsAndIsKAnonymous) {
  auto report = testing::must(export_research(env.uri(), options("a")));
  const fs::path out = dir.path / "a";
  for (const char* f : {"events.jsonl", "trainees.jsonl", "data_dictionary.md", "manifest.json"}) {
    EXPECT_TRUE(fs::exists(out / f)) << f;
  }

  const auto trainees = read_jsonl(out / "trainees.jsonl");
  const auto events = read_jsonl(out / "events.jsonl");
  EXPECT_EQ(report.trainees_consenting, consenting.size());
  EXPECT_EQ(report.trainees_exported + report.trainees_suppressed, consenting.size());
  ASSERT_EQ(trainees.size(), report.trainees_exported);
  EXPECT_EQ(static_cast<std::int64_t>(events.size()), report.events);

  std::map<std::string, int> combinations;
  std::map<std::string, std::int64_t> expected_events;
  for (const auto& t : trainees) {
    combinations[t["organisation_type"].get<std::string>() + "|" +
                 t["organisation_size"].get<std::string>() + "|" +
                 t["organisation_region"].get<std::string>()]++;
    expected_events[t["trainee"].get<std::string>()] = t["events"].get<std::int64_t>();
    EXPECT_EQ(t["trainee"].get<std::string>().rfind("r-", 0), 0u);
  }
  expect_k_anonymous(combinations, 3);

  // Every event belongs to a released trainee, and nothing of the others is there.
  std::map<std::string, std::int64_t> seen;
  for (const auto& e : events) {
    ++seen[e["trainee"].get<std::string>()];
    EXPECT_EQ(e["kind"], "command");
    EXPECT_TRUE(e["data"].is_object());
    EXPECT_GE(e["t_ms"].get<std::int64_t>(), 0);
  }
  EXPECT_EQ(seen, expected_events);
  if (report.trainees_suppressed == 0) {
    EXPECT_EQ(report.events, consenting_events);
  }

  // No stored pseudonym, login, real name or e-mail address leaves the database.
  const std::string all = read(out / "trainees.jsonl") + read(out / "events.jsonl") +
                          read(out / "manifest.json") + read(out / "data_dictionary.md");
  for (const auto& p : stored_pseudonyms()) EXPECT_EQ(all.find(p), std::string::npos) << p;
  for (const auto& [name, id] : env.users) {
    EXPECT_EQ(all.find("\"" + name + "\""), std::string::npos) << name;
    EXPECT_EQ(all.find("Real Name of " + name), std::string::npos);
    EXPECT_EQ(all.find(name + "@example.org"), std::string::npos);
  }
  EXPECT_EQ(all.find("Kakuu City"), std::string::npos);

  const std::string dictionary = read(out / "data_dictionary.md");
  EXPECT_NE(dictionary.find("データ辞書"), std::string::npos);
  EXPECT_NE(dictionary.find("Data dictionary"), std::string::npos);
  EXPECT_NE(dictionary.find("t_ms"), std::string::npos);

  // Audited: who, what, how many rows; the manifest names the entry.
  EXPECT_EQ(env.sql("SELECT object || '/' || (detail->>'actor') || '/' || (detail->>'events') || "
                    "'/' || (detail->>'trainees') || '/' || (detail->>'format') FROM audit_log "
                    "WHERE action = 'research.export' AND id = " +
                    std::to_string(report.audit_id)),
            "exercise:ex1/operator researcher@host/" + std::to_string(report.events) + "/" +
                std::to_string(report.trainees_exported) + "/jsonl");
  EXPECT_EQ(nlohmann::json::parse(read(out / "manifest.json"))["audit_id"], report.audit_id);
}

TEST_F(ExportFixture, PseudonymsDifferBetweenTwoExports) {
  testing::must(export_research(env.uri(), options("first")));
  testing::must(export_research(env.uri(), options("second")));
  std::set<std::string> first, second;
  for (const auto& t : read_jsonl(dir.path / "first" / "trainees.jsonl")) {
    first.insert(t["trainee"].get<std::string>());
    first.insert(t["team"].get<std::string>());
  }
  for (const auto& t : read_jsonl(dir.path / "second" / "trainees.jsonl")) {
    second.insert(t["trainee"].get<std::string>());
    second.insert(t["team"].get<std::string>());
  }
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.size(), second.size());
  for (const auto& id : first) EXPECT_EQ(second.count(id), 0u) << id << " appears in both";
  EXPECT_EQ(env.sql("SELECT count(*) FROM audit_log WHERE action = 'research.export'"), "2");
}

TEST_F(ExportFixture, KAnonymityHoldsForEveryKAndSuppressesWhoStandsOut) {
  for (int k : {2, 3, 4, 5, 9, 10}) {
    auto report = testing::must(
        export_research(env.uri(), options("k" + std::to_string(k), ExportFormat::jsonl, k)));
    std::map<std::string, int> combinations;
    std::set<std::string> released;
    for (const auto& t : read_jsonl(dir.path / ("k" + std::to_string(k)) / "trainees.jsonl")) {
      combinations[t["organisation_type"].get<std::string>() + "|" +
                   t["organisation_size"].get<std::string>() + "|" +
                   t["organisation_region"].get<std::string>()]++;
      released.insert(t["trainee"].get<std::string>());
    }
    SCOPED_TRACE("k = " + std::to_string(k));
    expect_k_anonymous(combinations, k);
    EXPECT_EQ(released.size(), report.trainees_exported);
    for (const auto& e : read_jsonl(dir.path / ("k" + std::to_string(k)) / "events.jsonl")) {
      EXPECT_EQ(released.count(e["trainee"].get<std::string>()), 1u);
    }
    if (k == 10) {
      // Nine consenting trainees can never be a group of ten: nobody is released.
      EXPECT_EQ(report.trainees_exported, 0u);
      EXPECT_EQ(report.events, 0);
      EXPECT_FALSE(report.within_budget);
    }
  }
}

TEST_F(ExportFixture, WithinTheSuppressionLimitTheLoneTraineeIsLeftOutAndTheRestStayExact) {
  auto o = options("limit", ExportFormat::jsonl, 2);
  o.max_suppressed_percent = 20;  // one of nine
  auto report = testing::must(export_research(env.uri(), o));
  EXPECT_EQ(report.levels.height(), 0);
  EXPECT_EQ(report.trainees_suppressed, 1u);
  EXPECT_TRUE(report.within_budget);
  std::set<std::string> regions;
  for (const auto& t : read_jsonl(dir.path / "limit" / "trainees.jsonl")) {
    regions.insert(t["organisation_region"].get<std::string>());
  }
  EXPECT_EQ(regions, (std::set<std::string>{"kanagawa", "osaka", "tokyo"}))
      << "the clinic in Kochi is the only one of its kind";
}

TEST_F(ExportFixture, CsvHasAHeaderAndTheSameRows) {
  auto report = testing::must(export_research(env.uri(), options("csv", ExportFormat::csv)));
  const auto trainees = read_csv(dir.path / "csv" / "trainees.csv");
  const auto events = read_csv(dir.path / "csv" / "events.csv");
  ASSERT_FALSE(trainees.empty());
  EXPECT_EQ(trainees[0],
            (std::vector<std::string>{"trainee", "team", "organisation_type", "organisation_size",
                                      "organisation_region", "events"}));
  EXPECT_EQ(events[0], (std::vector<std::string>{"trainee", "team", "kind", "t_ms", "data"}));
  EXPECT_EQ(trainees.size() - 1, report.trainees_exported);
  EXPECT_EQ(static_cast<std::int64_t>(events.size() - 1), report.events);
  std::map<std::string, int> combinations;
  for (std::size_t i = 1; i < trainees.size(); ++i) {
    ASSERT_EQ(trainees[i].size(), 6u);
    combinations[trainees[i][2] + "|" + trainees[i][3] + "|" + trainees[i][4]]++;
  }
  expect_k_anonymous(combinations, 3);
  ASSERT_GT(events.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(events[1][4])["host"], "ws01");
}

TEST_F(ExportFixture, RefusesANonEmptyDirectoryAndAnUnknownExerciseLeavingNothing) {
  fs::create_directories(dir.path / "used");
  std::ofstream(dir.path / "used" / "old.txt") << "earlier export";
  auto used = export_research(env.uri(), options("used"));
  ASSERT_FALSE(used);
  EXPECT_EQ(used.error().code, ErrorCode::already_exists);

  auto o = options("missing");
  o.exercise = "no-such-exercise";
  auto missing = export_research(env.uri(), o);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_FALSE(fs::exists(dir.path / "missing"));
  EXPECT_EQ(env.sql("SELECT count(*) FROM audit_log WHERE action = 'research.export'"), "0");

  auto weak = options("weak", ExportFormat::jsonl, 1);
  ASSERT_FALSE(export_research(env.uri(), weak));
}

}  // namespace
}  // namespace cyrange::privacy
