#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/exercise/range_registry.h>

namespace cyrange::exercise {

/// Writes every recorded terminal session of `exercise` as asciicast v2 to
/// `dir`/<team>-<host>-<id>.cast (mode 0600, never through a link) and returns the files.
/// Audited before the first file exists: one "recording.export" row naming the exercise, the
/// sessions, the folder and `actor` (who asked, e.g. "operator root@host"), so an export
/// nobody can account for never happens; a failed audit writes nothing.
Expected<std::vector<std::filesystem::path>> export_exercise_recordings(
    RangeRegistry& registry, const std::string& exercise, const std::filesystem::path& dir,
    const std::string& actor);

}  // namespace cyrange::exercise
