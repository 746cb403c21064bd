#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <orchestrator/range/image_builder.h>

namespace fs = std::filesystem;

namespace cyrange::range {
namespace {

// A stand-in recipe that counts its runs, so cache hits are observable.
class ImageBuilderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cyrange-image-test-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "recipes/fake");
    write_recipe("one");
    options_.profile = "fake";
    options_.recipe_root = (root_ / "recipes").string();
    options_.cache_root = (root_ / "cache").string();
  }
  void TearDown() override { fs::remove_all(root_); }
  void write_recipe(const std::string& marker) {
    std::ofstream(root_ / "recipes/fake/build.sh")
        << "set -e\n# " << marker << "\necho run >> " << (root_ / "runs").string()
        << "\ntouch \"$1/vmlinuz\" \"$1/initramfs.cpio\" \"$1/data-base.qcow2\"\n";
  }
  int runs() const {
    std::ifstream in(root_ / "runs");
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }
  fs::path root_;
  ImageBuildOptions options_;
};

TEST_F(ImageBuilderTest, SecondBuildIsACacheHitAndARecipeChangeRebuilds) {
  auto first = build_image(options_);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_FALSE(first->cache_hit);
  EXPECT_TRUE(fs::exists(first->initrd));
  auto second = build_image(options_);
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->cache_hit);
  EXPECT_EQ(second->dir, first->dir);
  EXPECT_EQ(runs(), 1);

  write_recipe("two");
  auto third = build_image(options_);
  ASSERT_TRUE(third.has_value());
  EXPECT_FALSE(third->cache_hit);
  EXPECT_NE(third->recipe_hash, first->recipe_hash);
  EXPECT_NE(third->dir, first->dir);
  EXPECT_EQ(runs(), 2);
}

TEST_F(ImageBuilderTest, FailingRecipeReportsItsOutputAndCachesNothing) {
  std::ofstream(root_ / "recipes/fake/build.sh") << "echo mkfs exploded >&2\nexit 3\n";
  auto r = build_image(options_);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("mkfs exploded"), std::string::npos) << r.error().message;
  // Only the build log may remain; no image folder, no half-built temp folder.
  for (const auto& e : fs::directory_iterator(options_.cache_root))
    EXPECT_EQ(e.path().extension(), ".log") << e.path();
}

TEST_F(ImageBuilderTest, UnknownProfileNamesTheRecipeFolder) {
  options_.profile = "standard";
  auto r = build_image(options_);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("standard"), std::string::npos);
}

}  // namespace
}  // namespace cyrange::range
