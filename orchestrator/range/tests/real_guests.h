#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include <orchestrator/range/image_builder.h>
#include <orchestrator/range/libvirt_hypervisor.h>
#include <orchestrator/range/team_range.h>

namespace cyrange::range::testing {

/// Tests on real tiny guests on qemu:///system: the image is built (or cached) and the
/// connection open before each test.
class RealGuestsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto image = build_image(ImageBuildOptions{});
    ASSERT_TRUE(image.has_value()) << image.error().message;
    auto hv = LibvirtHypervisor::connect("qemu:///system");
    ASSERT_TRUE(hv.has_value()) << hv.error().message;
    hv_ = std::move(*hv);
    options_.image = *image;
  }
  /// Fails the test if any object (or snapshot metadata) with the prefix is left.
  void expect_nothing_left(const std::string& prefix) {
    for (auto kind : {ObjectKind::domain, ObjectKind::network, ObjectKind::pool}) {
      auto left = hv_->list(kind, prefix);
      ASSERT_TRUE(left.has_value());
      EXPECT_TRUE(left->empty()) << left->front().name << " leaked";
    }
    for (const auto& e : std::filesystem::directory_iterator("/var/lib/libvirt/qemu/snapshot"))
      EXPECT_NE(e.path().filename().string().rfind(prefix, 0), 0u) << e.path() << " leaked";
  }
  std::unique_ptr<LibvirtHypervisor> hv_;
  TeamRangeOptions options_;
};

}  // namespace cyrange::range::testing
