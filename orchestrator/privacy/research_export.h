#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include <orchestrator/common/expected.h>
#include <orchestrator/privacy/anonymity.h>
#include <orchestrator/privacy/audit.h>
#include <orchestrator/privacy/export_format.h>

namespace cyrange::privacy {

/// What to export for research, where to, and who asks.
struct ResearchExportOptions {
  std::string exercise;
  int k = 5;  ///< every released organisation combination is shared by at least k trainees
  ExportFormat format = ExportFormat::jsonl;
  std::filesystem::path out_dir;    ///< created when missing; must be empty otherwise
  int max_suppressed_percent = 10;  ///< trainees that may be left out before generalising further
  Actor actor;
};

/// What an export wrote.
struct ResearchExportReport {
  std::filesystem::path out_dir;
  std::vector<std::filesystem::path> files;
  std::size_t trainees_consenting = 0;  ///< research consent and at least one recorded event
  std::size_t trainees_exported = 0;
  std::size_t trainees_suppressed = 0;  ///< left out to keep k-anonymity
  std::int64_t events = 0;              ///< rows of the events file
  Generalisation levels;
  bool within_budget = true;  ///< false: more than max_suppressed_percent were left out
  std::int64_t audit_id = 0;  ///< the audit_log row of this export
};

/// File names inside the output directory (the extension follows the format).
inline constexpr const char* kEventsStem = "events";
inline constexpr const char* kTraineesStem = "trainees";
inline constexpr const char* kDictionaryFile = "data_dictionary.md";
inline constexpr const char* kManifestFile = "manifest.json";

/// Exports the recording of `options.exercise` for research: only trainees with an
/// active research consent for it; their pseudonyms and team ids re-keyed under a
/// fresh key; their organisation's type, size and region generalised to
/// k-anonymity (suppressing who still stands out); event times relative to the
/// exercise start. Writes events, trainees, a bilingual data dictionary and a
/// manifest, and one audit entry (who, when, what, how many rows) in the same
/// transaction as the reads. On failure no file is left behind.
Expected<ResearchExportReport> export_research(const std::string& uri,
                                               const ResearchExportOptions& options);

/// The bilingual (Japanese, English) data dictionary of an export.
std::string data_dictionary(const ResearchExportOptions& options,
                            const ResearchExportReport& report);

}  // namespace cyrange::privacy
