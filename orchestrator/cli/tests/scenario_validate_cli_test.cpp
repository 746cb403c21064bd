// `cyrange scenario validate` on a scenario that includes the shipped three-zone template,
// run as a child process in a scenario library of its own (a temporary folder).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

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
  EXPECT_NE(run.out.find("three-zone-town/scenario.yaml:" + std::to_string(inserted_at) +
                         ":7: error: host or router 'isolation' is already defined by the "
                         "included template templates/municipality-three-zone.yaml"),
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
                         ":5: error: host 'stray' uses unknown image profile 'huge'"),
            std::string::npos)
      << run.out;
}

}  // namespace
