#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include <orchestrator/common/expected.h>

namespace cyrange {

/// Writes `text` to `path` for its owner (`mode`, 0600 by default; 0640 for a group that
/// reviews): into a new file beside it (created exclusively, with the mode from the start),
/// renamed over `path` at the end. So the data is never readable by others, not even
/// briefly, a link planted at `path` is replaced rather than followed, and a failure leaves
/// no half-written file. Errors name the file in English and Japanese.
Status write_private_file(const std::filesystem::path& path, std::string_view text,
                          mode_t mode = 0600);

/// Creates `path`, which must not exist yet (no link either), for writing by its owner only;
/// the descriptor, or an error naming the file. For exports written row by row.
Expected<int> create_private_file(const std::filesystem::path& path, mode_t mode = 0600);

}  // namespace cyrange
