#pragma once

// The rows of recorder_events in PostgreSQL's binary COPY format, which spares
// the server parsing timestamps, uuids and integers from text.

#include <cstdint>
#include <string>
#include <string_view>

#include <orchestrator/recorder/event.h>

namespace cyrange::recorder {

/// Signature, flags and header extension length that start a binary COPY stream.
inline constexpr std::string_view kCopyHeader{"PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0", 19};

/// The field count -1 that ends a binary COPY stream.
inline constexpr std::string_view kCopyTrailer{"\377\377", 2};

/// The 16 bytes of a canonical 8-4-4-4-12 UUID text (any case); empty when
/// `text` is not one.
std::string uuid_bytes(std::string_view text);

/// Appends the binary COPY tuple of `event` with sequence `seq`, in kEventColumns
/// order; `client_uuid` is uuid_bytes(submission.client_id), `trainee` the pseudonym.
void append_copy_tuple(std::string& out, const Submission& submission, const Event& event,
                       std::uint64_t seq, std::string_view trainee, std::string_view client_uuid);

}  // namespace cyrange::recorder
