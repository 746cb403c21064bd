#pragma once

#include <string>

#include <orchestrator/common/expected.h>

namespace cyrange::range {

/// Where a profile's recipe lives and where built images are cached.
struct ImageBuildOptions {
  std::string profile = "tiny";
  std::string cache_root = "/var/lib/cyrange/images";
  std::string recipe_root;  ///< folder holding <profile>/build.sh; default: the source tree's scenarios/images
  bool force = false;       ///< rebuild even when the cache holds this recipe hash
};

/// A built guest image: kernel, initramfs and the qcow2 base of the data disk.
struct ImageInfo {
  std::string profile;
  std::string recipe_hash;  ///< SHA-256 (hex) of every recipe input
  std::string dir;
  std::string kernel;
  std::string initrd;
  std::string data_base;  ///< qcow2 every host's overlay is backed by
  bool cache_hit = false;
};

/// Default recipe folder (scenarios/images of the source tree, or $CYRANGE_IMAGE_RECIPES).
std::string default_recipe_root();

/// Builds the profile into <cache_root>/<profile>-<hash16>/ unless that folder is complete already.
Expected<ImageInfo> build_image(const ImageBuildOptions& options);

}  // namespace cyrange::range
