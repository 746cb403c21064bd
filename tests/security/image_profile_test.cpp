// A scenario's image_profile names the recipe folder whose build.sh the range host runs as
// the daemon's user. These tests hold the three doors shut: the validator refuses unknown
// profiles, the builder runs only folders directly under the recipe root (and never writes
// its log through a link), and an exercise created over the API runs no recipe unless the
// operator started cyranged with --build-images. Real PostgreSQL; a recipe that leaves a
// marker file shows whether it ran.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <orchestrator/exercise/exercise_manager.h>
#include <orchestrator/exercise/range_registry.h>
#include <orchestrator/range/fake_hypervisor.h>
#include <orchestrator/range/image_builder.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/validate.h>
#include <orchestrator/store/testing/temp_database.h>

namespace fs = std::filesystem;

namespace cyrange::security {
namespace {

std::string read_text(const fs::path& file) {
  std::ifstream in(file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string quick_check_yaml() {
  return read_text(fs::path(CYRANGE_SOURCE_DIR "/scenarios/quick-check/scenario.yaml"));
}

// recipes/tiny is the operator's recipe; outside/ is a folder a scenario must not reach.
// Both recipes leave a marker, so a test sees which one ran.
class RecipeFolders : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cyrange-profile-test-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "recipes/tiny");
    fs::create_directories(root_ / "outside");
    fs::create_directories(root_ / "cache");
    write_recipe(root_ / "recipes/tiny/build.sh", "tiny-ran", true);
    write_recipe(root_ / "outside/build.sh", "outside-ran", true);
    options_.recipe_root = (root_ / "recipes").string();
    options_.cache_root = (root_ / "cache").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  void write_recipe(const fs::path& file, const std::string& marker, bool succeed) {
    std::ofstream(file) << "touch " << (root_ / marker).string() << "\n"
                        << (succeed ? "touch \"$1/vmlinuz\" \"$1/initramfs.cpio\" "
                                      "\"$1/data-base.qcow2\"\n"
                                    : "exit 1\n");
  }
  bool ran(const std::string& marker) const { return fs::exists(root_ / marker); }

  fs::path root_;
  range::ImageBuildOptions options_;
};

TEST(ImageProfileValidation, AnUnknownProfileIsAnErrorWithItsPlaceAndWhatToDo) {
  std::string yaml = quick_check_yaml();
  const std::string tiny = "image_profile: tiny";
  const auto at = yaml.find(tiny);
  ASSERT_NE(at, std::string::npos) << "quick-check has no tiny host any more";
  yaml.replace(at, tiny.size(), "image_profile: ../../../tmp/evil");
  auto parsed = scenario::parse_scenario(yaml, "evil.yaml");
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  bool found = false;
  for (const auto& d : scenario::validate(*parsed)) {
    if (d.message.find("../../../tmp/evil") == std::string::npos) continue;
    found = true;
    EXPECT_EQ(d.severity, scenario::Severity::error) << d.format();
    EXPECT_EQ(d.file, "evil.yaml");
    EXPECT_GT(d.line, 0) << d.format();
    EXPECT_GT(d.column, 0) << d.format();
    EXPECT_NE(d.message.find("use one of: standard, tiny"), std::string::npos) << d.format();
    EXPECT_NE(d.message.find("イメージプロファイル"), std::string::npos) << d.format();
  }
  EXPECT_TRUE(found) << "no diagnostic names the profile";
}

TEST_F(RecipeFolders, OnlyPlainFolderNamesUnderTheRecipeRootAreBuilt) {
  fs::create_directory_symlink(root_ / "outside", root_ / "recipes/linked");
  const std::vector<std::string> refused = {"../outside",
                                            (root_ / "outside").string(),
                                            "tiny/../../outside",
                                            "linked",
                                            "..",
                                            ".",
                                            "",
                                            ".hidden",
                                            "tiny/"};
  for (const auto& profile : refused) {
    options_.profile = profile;
    auto built = range::build_image(options_);
    EXPECT_FALSE(built.has_value()) << "profile '" << profile << "' was built";
    if (!built) {
      EXPECT_NE(built.error().message.find("tiny"), std::string::npos)
          << "the refusal lists the profiles there are: " << built.error().message;
    }
  }
  EXPECT_FALSE(ran("outside-ran")) << "a recipe outside the recipe root ran";
  EXPECT_FALSE(ran("tiny-ran"));
  options_.profile = "tiny";  // the control: the operator's own recipe still builds
  auto built = range::build_image(options_);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  EXPECT_TRUE(ran("tiny-ran"));
}

TEST_F(RecipeFolders, TheBuildLogIsNeverWrittenThroughALink) {
  const fs::path victim = root_ / "victim.conf";
  std::ofstream(victim) << "keep me\n";
  fs::create_symlink(victim, root_ / "cache/tiny-build.log");
  options_.profile = "tiny";
  auto built = range::build_image(options_);
  ASSERT_FALSE(built.has_value()) << "the build wrote its log through a symbolic link";
  EXPECT_EQ(built.error().code, ErrorCode::permission_denied) << built.error().message;
  EXPECT_EQ(read_text(victim), "keep me\n");
  EXPECT_FALSE(ran("tiny-ran")) << "the recipe ran although its log could not be opened safely";
}

// An exercise created as CreateExercise creates it (ExerciseManager::create) on a daemon
// without --build-images: the missing image is not built, the exercise fails and says how
// the operator builds it. With the flag, the same request runs the operator's recipe.
TEST_F(RecipeFolders, AnExerciseFromTheApiRunsNoRecipeUnlessTheOperatorAllowedIt) {
  store::testing::TempDatabase db;
  auto registry = exercise::RangeRegistry::open(db.uri());
  ASSERT_TRUE(registry.has_value()) << registry.error().message;
  std::shared_ptr<exercise::RangeRegistry> shared_registry = std::move(registry).value();
  ::setenv("CYRANGE_IMAGE_RECIPES", options_.recipe_root.c_str(), 1);
  // The allowed run must stop after the recipe (this test arms no timeline).
  write_recipe(root_ / "recipes/tiny/build.sh", "tiny-ran", false);

  // Creates the exercise and waits for its provisioning (the manager joins it when it goes).
  auto provision = [&](bool build_images, const std::string& id) {
    exercise::ExerciseManagerDeps deps;
    deps.hypervisor = std::make_shared<range::FakeHypervisor>();
    deps.libvirt_uri = "test:///profiles";
    deps.registry = shared_registry;
    deps.image_cache = options_.cache_root;
    deps.pool_root = (root_ / "pools").string();
    deps.build_images = build_images;
    exercise::ExerciseManager manager(std::move(deps));
    auto created = manager.create({id, quick_check_yaml(), "scenario.yaml", {"team1"}, 0});
    EXPECT_TRUE(created.has_value()) << created.error().message;
  };
  provision(false, "noimages");
  auto refused = shared_registry->exercise("noimages");
  ASSERT_TRUE(refused.has_value()) << refused.error().message;
  EXPECT_EQ(refused->state, exercise::kStateFailed);
  EXPECT_NE(refused->detail.find("--build-images"), std::string::npos) << refused->detail;
  EXPECT_NE(refused->detail.find("cyrange images build --profile tiny"), std::string::npos)
      << refused->detail;
  EXPECT_FALSE(ran("tiny-ran")) << "cyranged ran an image recipe without --build-images";

  provision(true, "withimages");
  EXPECT_TRUE(ran("tiny-ran")) << "with --build-images the operator's recipe runs";
  ::unsetenv("CYRANGE_IMAGE_RECIPES");
}

}  // namespace
}  // namespace cyrange::security
