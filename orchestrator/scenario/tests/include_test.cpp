// Topology includes: the cases of data/includes/ (a small library whose errors each state
// their FILE:LINE:COL), the resolved model of a scenario that extends a template, and the
// shipped templates.
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include <orchestrator/common/testing/golden.h>
#include <orchestrator/scenario/includes.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/validate.h>

namespace cyrange::scenario {
namespace {

namespace fs = std::filesystem;

const fs::path kLibrary = fs::path(SCENARIO_TEST_DATA) / "includes";

std::string read_include_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// `file` relative to `root` when inside it, so expectations and goldens need no absolute path.
std::string shown(const std::string& file, const fs::path& root) {
  const auto relative = fs::path(file).lexically_relative(root);
  return relative.empty() || *relative.begin() == ".." ? file : relative.generic_string();
}

/// "FILE:LINE:COL error: message" with FILE relative to `root`, one line per diagnostic and
/// one per note after it.
std::string problems(const std::vector<Diagnostic>& found, const fs::path& root) {
  std::string out;
  for (const auto& d : found) {
    out += shown(d.file, root) + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) +
           " " + severity_name(d.severity) + ": " + d.message + "\n";
    for (const auto& note : d.notes) out += problems({note}, root);
  }
  return out;
}

/// The resolved topology, one element per line with where it was written, for goldens.
std::string resolved_topology(const Scenario& s, const fs::path& root) {
  std::ostringstream out;
  auto at = [&](const SourceLocation& loc) {
    return "  @" + shown(loc.file, root) + ":" + std::to_string(loc.line) + ":" +
           std::to_string(loc.column);
  };
  auto interfaces = [&](const std::vector<Interface>& list) {
    for (const auto& i : list) {
      out << "    interface " << i.segment << " " << i.address
          << (i.gateway.empty() ? "" : " via " + i.gateway) << at(i.loc) << "\n";
    }
  };
  for (const auto& seg : s.topology.segments) {
    out << "segment " << seg.name << " " << seg.cidr << " zone=" << seg.zone << at(seg.loc)
        << "\n    en: " << seg.description.en << "\n    ja: " << seg.description.ja << "\n";
  }
  for (const auto& r : s.topology.routers) {
    out << "router " << r.name << " kind=" << r.kind << " image=" << r.image_profile
        << " memory=" << r.memory_mib << at(r.loc) << "\n";
    interfaces(r.interfaces);
    for (const auto& rule : r.rules) {
      out << "    rule " << rule.action << " " << rule.protocol << " " << rule.from << " -> "
          << rule.to;
      for (int port : rule.ports) out << " " << port;
      out << at(rule.loc) << "\n";
    }
  }
  for (const auto& h : s.topology.hosts) {
    out << "host " << h.name << " role=" << h.role << " image=" << h.image_profile
        << " memory=" << h.memory_mib << (h.trainee_terminal ? " terminal" : "") << at(h.loc)
        << "\n";
    interfaces(h.interfaces);
    out << "    en: " << h.description.en << "\n    ja: " << h.description.ja << "\n";
  }
  return out.str();
}

TEST(Includes, EveryCaseReportsExactlyItsErrorsInTheRightFile) {
  static const std::regex expect(R"(# expect: (\S+:\d+:\d+) (error|note): (.*))");
  int cases = 0;
  for (const auto& entry : fs::directory_iterator(kLibrary / "cases")) {
    SCOPED_TRACE(entry.path().string());
    ++cases;
    std::vector<std::pair<std::string, std::string>> expected;  // FILE:LINE:COL, "error: text"
    std::istringstream lines(read_include_file(entry.path()));
    std::smatch m;
    int errors = 0;
    for (std::string line; std::getline(lines, line);) {
      if (!std::regex_match(line, m, expect)) continue;
      expected.emplace_back(m[1], m[2].str() + ": " + m[3].str());
      errors += m[2] == "error";
    }
    auto loaded = load_scenario(entry.path());
    ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
    const auto found = validate(*loaded);
    const std::string got = problems(found, kLibrary);
    for (const auto& [where, text] : expected) {
      EXPECT_NE(got.find(where + " " + text), std::string::npos)
          << "missing " << where << " " << text << "\ngot:\n"
          << got;
    }
    EXPECT_EQ(count(found, Severity::error), errors) << got;
    // Every message says what to do; those at the include (about it) in both languages.
    for (const auto& d : found) {
      EXPECT_NE(d.message.find("; "), std::string::npos) << d.message;
      if (d.file == entry.path().string()) {
        EXPECT_NE(d.message.find(" / "), std::string::npos) << d.message;
      }
    }
  }
  EXPECT_GE(cases, 11);
}

TEST(Includes, TheTemplateComesFirstAndTheScenarioExtendsIt) {
  auto s = load_scenario(kLibrary / "cases/extends.yaml");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(problems(validate(*s), kLibrary), "");
  EXPECT_EQ(resolved_topology(*s, kLibrary),
            "segment lan 10.1.0.0/24 zone=  @templates/base.yaml:4:5\n"
            "    en: Office\n    ja: 庁内\n"
            "segment wan 10.2.0.0/24 zone=  @templates/base.yaml:5:5\n"
            "    en: Outside\n    ja: 外部\n"
            "segment dmz 10.3.0.0/24 zone=  @cases/extends.yaml:11:7\n"
            "    en: DMZ\n    ja: DMZ\n"
            "router edge kind=firewall image=tiny memory=128  @templates/base.yaml:7:5\n"
            "    interface lan 10.1.0.1  @templates/base.yaml:11:9\n"
            "    interface wan 10.2.0.1  @templates/base.yaml:12:9\n"
            "    interface dmz 10.3.0.1  @cases/extends.yaml:14:20\n"
            // The scenario's rules are evaluated before the template's.
            "    rule allow tcp lan -> dmz 25  @cases/extends.yaml:15:15\n"
            "    rule allow tcp lan -> wan 80  @templates/base.yaml:14:9\n"
            "    rule deny any any -> any  @templates/base.yaml:15:9\n"
            "host logs role=log_server image=tiny memory=128  @templates/base.yaml:17:5\n"
            "    interface lan 10.1.0.5 via 10.1.0.1  @templates/base.yaml:20:18\n"
            "    en: Log server\n    ja: ログサーバ\n"
            "host mail role=mail image=tiny memory=128  @cases/extends.yaml:17:7\n"
            "    interface dmz 10.3.0.25 via 10.3.0.1  @cases/extends.yaml:20:20\n"
            "    en: Mail\n    ja: メール\n");
}

TEST(Includes, ContentHashCoversTheIncludedTemplate) {
  const std::string text = read_include_file(kLibrary / "cases/extends.yaml");
  const auto file = (kLibrary / "cases/extends.yaml").string();
  auto with = parse_scenario(text, file, kLibrary);
  auto plain = parse_scenario(text, file);
  ASSERT_TRUE(with.has_value());
  ASSERT_TRUE(plain.has_value());
  EXPECT_NE(with->content_hash, plain->content_hash);
  EXPECT_EQ(with->content_hash, load_scenario(file)->content_hash);
}

TEST(Includes, TextWithoutALibraryRefusesTheInclude) {
  auto s = parse_scenario(read_include_file(kLibrary / "cases/extends.yaml"), "extends.yaml");
  ASSERT_TRUE(s.has_value());
  const std::string got = problems(validate(*s), kLibrary);
  EXPECT_NE(got.find("extends.yaml:9:12 error: the topology includes '../templates/base.yaml', "
                     "but this scenario was given as text without its scenario library"),
            std::string::npos)
      << got;
}

// cyranged gets a scenario as text with the name the client gave it: the text stands as a
// scenario folder of the server's library, so its includes read that library's templates
// (locations name them relative to the client's file name) and nothing outside it.
TEST(Includes, SubmittedTextReadsTheServersLibraryAndNothingOutsideIt) {
  const std::string text = read_include_file(kLibrary / "cases/extends.yaml");
  auto submitted = parse_submitted_scenario(text, "mine/extends.yaml", kLibrary);
  ASSERT_TRUE(submitted.has_value()) << submitted.error().message;
  EXPECT_EQ(problems(validate(*submitted), kLibrary), "");
  auto loaded = load_scenario(kLibrary / "cases/extends.yaml");
  ASSERT_TRUE(loaded.has_value());
  ASSERT_EQ(submitted->topology.hosts.size(), loaded->topology.hosts.size());
  EXPECT_EQ(submitted->topology.hosts.front().loc.file, "templates/base.yaml");
  EXPECT_EQ(submitted->file, "mine/extends.yaml");
  EXPECT_EQ(submitted->content_hash, loaded->content_hash);

  auto escaping = parse_submitted_scenario(read_include_file(kLibrary / "cases/escape.yaml"),
                                           "escape.yaml", kLibrary);
  ASSERT_TRUE(escaping.has_value());
  EXPECT_NE(problems(validate(*escaping), kLibrary).find("leads outside the scenario library"),
            std::string::npos)
      << problems(validate(*escaping), kLibrary);
}

TEST(Includes, ATemplateIsNotLoadedAsAScenario) {
  const auto file = kLibrary / "templates/base.yaml";
  EXPECT_TRUE(is_topology_template(file));
  EXPECT_FALSE(is_topology_template(kLibrary / "cases/extends.yaml"));
  auto loaded = load_scenario(file);
  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().message.rfind(
                file.string() + ":1:1: error: this file is a topology template, not a scenario", 0),
            0u)
      << loaded.error().message;
}

TEST(Includes, ATemplateCheckedOnItsOwnReportsItsOwnProblems) {
  auto clean = validate_topology_template(kLibrary / "templates/base.yaml");
  ASSERT_TRUE(clean.has_value()) << clean.error().message;
  EXPECT_EQ(problems(*clean, kLibrary), "");
  auto broken = validate_topology_template(kLibrary / "templates/broken.yaml");
  ASSERT_TRUE(broken.has_value()) << broken.error().message;
  const std::string got = problems(*broken, kLibrary);
  EXPECT_NE(got.find("templates/broken.yaml:8:5 error: unknown key 'memroy_mib' in a host"),
            std::string::npos)
      << got;
  EXPECT_EQ(count(*broken, Severity::error), 2) << got;
}

// The shipped templates: each clean on its own, and the municipality one as a small
// scenario in the library sees it (scenarios/NAME/scenario.yaml including ../templates/).
TEST(ShippedTemplates, EachValidatesOnItsOwn) {
  int checked = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(SCENARIO_LIBRARY_DIR) / "templates")) {
    if (entry.path().extension() != ".yaml") continue;
    SCOPED_TRACE(entry.path().string());
    ++checked;
    EXPECT_TRUE(is_topology_template(entry.path()));
    auto found = validate_topology_template(entry.path());
    ASSERT_TRUE(found.has_value()) << found.error().message;
    EXPECT_EQ(problems(*found, fs::path(SCENARIO_LIBRARY_DIR).lexically_normal()), "");
  }
  EXPECT_GE(checked, 1);
}

// Update: CYRANGE_UPDATE_GOLDEN=1 ctest --test-dir build -R ShippedTemplates; review the diff.
TEST(ShippedTemplates, MunicipalityThreeZoneResolvedModel) {
  const fs::path library = fs::path(SCENARIO_LIBRARY_DIR).lexically_normal();
  const fs::path source = fs::path(SCENARIO_TEST_DATA) / "three-zone-town/scenario.yaml";
  // Read as if it were scenarios/three-zone-town/scenario.yaml.
  auto s = parse_scenario(read_include_file(source),
                          (library / "three-zone-town/scenario.yaml").string(), library);
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(problems(validate(*s), library), "");
  cyrange::testing::expect_golden(
      fs::path(CYRANGE_SOURCE_DIR) / "orchestrator/scenario/tests/golden/three_zone_town.txt",
      resolved_topology(*s, library));
}

}  // namespace
}  // namespace cyrange::scenario
