#pragma once

namespace cyrange {

/// The release of this build, from the top-level CMake project version.
inline constexpr const char* kVersion = CYRANGE_VERSION;
/// Incremented on every incompatible change of the cyrange.v1 wire package.
inline constexpr unsigned kApiRevision = 2;

}  // namespace cyrange
