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

TEST(ImageProfile, StandardBootsFromItsRootDiskWithMoreMemory) {
  auto standard = image_profile("standard");
  EXPECT_TRUE(standard.root_disk);
  EXPECT_EQ(standard.disk_file, "root-base.qcow2");
  EXPECT_GE(standard.min_memory_mib, 256);
  EXPECT_NE(image_boot_args("standard").find("root=/dev/vda"), std::string::npos);
  EXPECT_NE(image_boot_args("standard").find("init=/sbin/cyrange-init"), std::string::npos);
  // Tiny (and an unset profile) keep booting the initramfs alone.
  for (const std::string name : {"tiny", ""}) {
    auto tiny = image_profile(name);
    EXPECT_EQ(tiny.name, "tiny");
    EXPECT_FALSE(tiny.root_disk);
    EXPECT_EQ(tiny.disk_file, "data-base.qcow2");
    EXPECT_EQ(image_boot_args(name), "");
  }
}

TEST_F(ImageBuilderTest, StandardRecipeYieldsItsRootDiskAndItsVirtualSize) {
  fs::create_directories(root_ / "recipes/standard");
  std::ofstream(root_ / "recipes/standard/build.sh")
      << "set -e\ntouch \"$1/vmlinuz\" \"$1/initramfs.cpio\"\n"
      << "qemu-img create -q -f qcow2 \"$1/root-base.qcow2\" 96M\n";
  options_.profile = "standard";
  auto image = build_image(options_);
  ASSERT_TRUE(image.has_value()) << image.error().message;
  EXPECT_TRUE(image->root_disk);
  EXPECT_EQ(fs::path(image->data_base).filename(), "root-base.qcow2");
  EXPECT_EQ(image->disk_bytes, 96ULL << 20);
  auto cached = build_image(options_);
  ASSERT_TRUE(cached.has_value());
  EXPECT_TRUE(cached->cache_hit);
  EXPECT_EQ(cached->disk_bytes, 96ULL << 20);
}

TEST_F(ImageBuilderTest, RecipeWithoutItsDiskIsNotCached) {
  fs::create_directories(root_ / "recipes/standard");
  // Writes the tiny profile's file name, not the standard root disk.
  std::ofstream(root_ / "recipes/standard/build.sh") << "touch \"$1/data-base.qcow2\"\n";
  options_.profile = "standard";
  auto image = build_image(options_);
  ASSERT_FALSE(image.has_value());
  EXPECT_NE(image.error().message.find("root-base.qcow2"), std::string::npos)
      << image.error().message;
  EXPECT_FALSE(build_image(options_).has_value());  // not a cache hit the second time either
}

TEST_F(ImageBuilderTest, RangeImagesAreBuiltOncePerProfileItsHostsUse) {
  fs::create_directories(root_ / "recipes/standard");
  std::ofstream(root_ / "recipes/standard/build.sh")
      << "echo run >> " << (root_ / "runs").string() << "\ntouch \"$1/root-base.qcow2\"\n";
  fs::rename(root_ / "recipes/fake", root_ / "recipes/tiny");
  RangeSpec spec;
  for (const auto& [name, profile] : std::vector<std::pair<std::string, std::string>>{
           {"a", "standard"}, {"b", ""}, {"c", "standard"}, {"d", "tiny"}}) {
    HostSpec h;
    h.name = name;
    h.image_profile = profile;
    spec.hosts.push_back(h);
  }
  auto images = build_images_for(spec, options_);
  ASSERT_TRUE(images.has_value()) << images.error().message;
  ASSERT_EQ(images->size(), 2u);
  EXPECT_TRUE(images->at("standard").root_disk);
  EXPECT_FALSE(images->at("tiny").root_disk);
  EXPECT_NE(images->at("standard").dir, images->at("tiny").dir);
  EXPECT_EQ(runs(), 2);  // one build per profile, not per host
}

TEST_F(ImageBuilderTest, UnknownProfileNamesTheRecipeFolder) {
  options_.profile = "standard";
  auto r = build_image(options_);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("standard"), std::string::npos);
}

}  // namespace
}  // namespace cyrange::range
