#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/range/range_spec.h>

namespace cyrange::range {

/// Where a profile's recipe lives and where built images are cached.
struct ImageBuildOptions {
  std::string profile = "tiny";
  std::string cache_root = "/var/lib/cyrange/images";
  std::string recipe_root;  ///< folder holding <profile>/build.sh; default: the source tree's
                            ///< scenarios/images
  bool force = false;       ///< rebuild even when the cache holds this recipe hash
  /// False: never run a recipe, only take images already in the cache (cyranged without
  /// --build-images: a scenario sent over the API must not run scripts on the host).
  bool allow_build = true;
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
  bool root_disk = false;  ///< data_base is the root filesystem, not a data disk (standard profile)
  std::uint64_t disk_bytes = 0;  ///< virtual size of data_base (0 if it is not qcow2)
};

/// How the engine boots hosts of one image profile.
struct ImageProfile {
  std::string name;
  std::string disk_file =
      "data-base.qcow2";  ///< file in the image folder that overlays are backed by
  bool root_disk =
      false;  ///< boot with root=/dev/vda init=/sbin/cyrange-init instead of the initramfs alone
  int min_memory_mib = 0;  ///< hosts get at least this much memory
  std::string configure =
      "/bin/cyrange-configure";  ///< applies a host's configuration (see the image's recipe)
};

/// Properties of a profile by name; names without an entry get the tiny profile's conventions.
ImageProfile image_profile(const std::string& name);

/// Extra kernel arguments a host of this profile boots with (empty for tiny).
std::string image_boot_args(const std::string& profile);

/// Default recipe folder (scenarios/images of the source tree, or $CYRANGE_IMAGE_RECIPES).
std::string default_recipe_root();

/// True for a name that can only mean a folder directly under the recipe root: 1-64 characters
/// of a-z, A-Z, 0-9, '_', '-' and '.', not starting with '.' (no '/', no "..", not absolute).
bool is_plain_profile_name(std::string_view name);

/// Builds the profile into <cache_root>/<profile>-<hash16>/ unless that folder is complete already.
/// The profile must be a plain name (is_plain_profile_name) of a real folder under the recipe
/// root (a symbolic link is refused); the build log is never written through a symbolic link.
Expected<ImageInfo> build_image(const ImageBuildOptions& options);

/// Builds (or takes from the cache) every profile the spec's hosts use; empty profile means "tiny".
Expected<std::map<std::string, ImageInfo>> build_images_for(const RangeSpec& spec,
                                                            const ImageBuildOptions& options);

}  // namespace cyrange::range
