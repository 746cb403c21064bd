// `cyrange scenario validate` on a scenario that includes the shipped three-zone template,
// run as a child process in a scenario library of its own (a temporary folder).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <orchestrator/cli/tests/cli_process.h>

namespace {

namespace fs = std::filesystem;
using cyrange::cli::testing::Outcome;
using cyrange::cli::testing::run_cyrange;

const fs::path kSource = CYRANGE_SOURCE_DIR;

/// A scenario library: templates/ with the shipped template, three-zone-town/ using it.
class TemplateLibrary : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cyrange-include-cli-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "templates");
    fs::create_directories(root_ / "three-zone-town");
    fs::copy_file(kSource / "scenarios/templates/municipality-three-zone.yaml",
                  root_ / "templates/municipality-three-zone.yaml");
    fs::copy_file(kSource / "orchestrator/scenario/tests/data/three-zone-town/scenario.yaml",
                  root_ / "three-zone-town/scenario.yaml");
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_;
};

TEST_F(TemplateLibrary, AScenarioUsingTheTemplateAndTheTemplateItselfValidate) {
  const Outcome run = run_cyrange(
      "scenario validate three-zone-town/scenario.yaml templates/municipality-three-zone.yaml",
      root_, true);
  EXPECT_EQ(run.status, 0) << run.out;
  EXPECT_EQ(run.out,
            "2 file(s) checked: 0 error(s), 0 warning(s) / 検査 2 件: エラー 0 件、警告 0 件\n");
  // From elsewhere, by absolute path: the library is still the folder above the scenario's.
  const Outcome far =
      run_cyrange("scenario validate '" + (root_ / "three-zone-town/scenario.yaml").string() + "'",
                  fs::temp_directory_path(), true);
  EXPECT_EQ(far.status, 0) << far.out;
}

TEST_F(TemplateLibrary, AHostTheTemplateHasIsRefusedAtTheScenariosLine) {
  // A host named like the template's web isolation server, first under `hosts:`.
  std::ifstream in(root_ / "three-zone-town/scenario.yaml");
  std::string text;
  int number = 0, inserted_at = 0;
  for (std::string line; std::getline(in, line);) {
    text += line + "\n";
    ++number;
    if (line != "  hosts:") continue;
    text +=
        "    - {name: isolation, role: workstation, image_profile: tiny, interfaces: "
        "[{segment: lgwan, address: 10.20.0.50}]}\n";
    inserted_at = ++number;
  }
  in.close();
  ASSERT_GT(inserted_at, 0);
  std::ofstream(root_ / "three-zone-town/scenario.yaml") << text;
  const Outcome run = run_cyrange("scenario validate three-zone-town/scenario.yaml", root_, true);
  EXPECT_EQ(run.status, 1) << run.out;
  // At the repeated name's value, with the template's definition as a note.
  EXPECT_NE(run.out.find("three-zone-town/scenario.yaml:" + std::to_string(inserted_at) +
                         ":14: error: host or router 'isolation' is already defined by the "
                         "included template templates/municipality-three-zone.yaml"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("\ntemplates/municipality-three-zone.yaml:89:11: note: 'isolation' is "
                         "defined here in the template"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("1 file(s) checked: 1 error(s)"), std::string::npos) << run.out;
}

TEST_F(TemplateLibrary, AMistakeInTheTemplateIsReportedInTheTemplate) {
  std::ofstream(root_ / "templates/municipality-three-zone.yaml", std::ios::app)
      << "  - {name: stray, role: workstation, image_profile: huge, interfaces: "
         "[{segment: lgwan, address: 10.20.0.60}]}\n";
  std::ifstream in(root_ / "templates/municipality-three-zone.yaml");
  int lines = 0;
  for (std::string line; std::getline(in, line);) ++lines;
  const Outcome run = run_cyrange("scenario validate three-zone-town/scenario.yaml", root_, true);
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_NE(run.out.find("templates/municipality-three-zone.yaml:" + std::to_string(lines) +
                         ":53: error: host 'stray' uses unknown image profile 'huge'"),
            std::string::npos)
      << run.out;
}

TEST_F(TemplateLibrary, JsonGivesEachProblemsRangeSeverityFixAndNotesForEditors) {
  fs::create_directories(root_ / "town");
  std::ofstream(root_ / "town/scenario.yaml") << R"(apiVersion: cyrange/v1
metadata:
  id: town
  version: "1"
  title: {ja: 町, en: Town}
  summary: {ja: 町, en: Town}
topology:
  segments:
    - {name: lan, cidr: 10.0.0.0/24}
    - {name: lan, cidr: 10.0.1.0/24}
timeline:
  - {id: note, category: inject, type: notify_team, trigger: {at: 1m}}
)";
  const Outcome run =
      run_cyrange("scenario validate --json town/scenario.yaml broken.yaml", root_, false);
  EXPECT_EQ(run.status, 1) << run.out;
  const auto out = nlohmann::json::parse(run.out);
  EXPECT_EQ(out.at("errors"), 2);
  EXPECT_EQ(out.at("warnings"), 1);
  EXPECT_EQ(out.at("files"), nlohmann::json::array({"town/scenario.yaml", "broken.yaml"}));
  const auto& list = out.at("diagnostics");
  ASSERT_EQ(list.size(), 3u) << run.out;
  // The second `lan`, underlined exactly, with the first as a note.
  const auto& duplicate = list.at(0);
  EXPECT_EQ(duplicate.at("file"), "town/scenario.yaml");
  EXPECT_EQ(duplicate.at("line"), 10);
  EXPECT_EQ(duplicate.at("column"), 14);
  EXPECT_EQ(duplicate.at("end_line"), 10);
  EXPECT_EQ(duplicate.at("end_column"), 17);
  EXPECT_EQ(duplicate.at("severity"), "error");
  EXPECT_EQ(duplicate.at("message").get<std::string>().rfind("duplicate segment 'lan'", 0), 0u);
  EXPECT_EQ(duplicate.at("fix").get<std::string>().rfind("give each segment a unique name", 0), 0u);
  ASSERT_EQ(duplicate.at("notes").size(), 1u);
  const auto& note = duplicate.at("notes").at(0);
  EXPECT_EQ(note.at("severity"), "note");
  EXPECT_EQ(note.at("line"), 9);
  EXPECT_EQ(note.at("column"), 14);
  EXPECT_EQ(note.at("end_column"), 17);
  // The unknown step type, a warning at the `type:` value.
  const auto& warning = list.at(1);
  EXPECT_EQ(warning.at("severity"), "warning");
  EXPECT_EQ(warning.at("line"), 12);
  EXPECT_EQ(warning.at("column"), 40);
  EXPECT_EQ(warning.at("end_column"), 51);
  // A file that cannot be read at all is one error diagnostic, not a crash of the output.
  const auto& missing = list.at(2);
  EXPECT_EQ(missing.at("file"), "broken.yaml");
  EXPECT_EQ(missing.at("line"), 1);
  EXPECT_EQ(missing.at("severity"), "error");
  EXPECT_FALSE(missing.at("fix").get<std::string>().empty());
}

TEST_F(TemplateLibrary, NotesFollowTheirErrorInThePlainOutput) {
  fs::create_directories(root_ / "town");
  std::ofstream(root_ / "town/scenario.yaml") << R"(apiVersion: cyrange/v1
metadata: {id: town, version: "1", title: {ja: 町, en: Town}, summary: {ja: 町, en: Town}}
topology:
  segments:
    - {name: lan, cidr: 10.0.0.0/24}
    - {name: lan, cidr: 10.0.1.0/24}
)";
  const Outcome run = run_cyrange("scenario validate town/scenario.yaml", root_, true);
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_NE(run.out.find("town/scenario.yaml:6:14: error: duplicate segment 'lan'"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("\ntown/scenario.yaml:5:14: note: 'lan' is first defined here"),
            std::string::npos)
      << run.out;
  EXPECT_NE(run.out.find("1 file(s) checked: 1 error(s), 0 warning(s)"), std::string::npos)
      << run.out;
}

}  // namespace
