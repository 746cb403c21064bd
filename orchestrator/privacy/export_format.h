#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include <orchestrator/common/expected.h>

namespace cyrange::privacy {

/// File formats of a research export.
enum class ExportFormat { jsonl, csv };

/// Parses "jsonl" or "csv"; the error lists both.
Expected<ExportFormat> parse_export_format(std::string_view name);

/// "jsonl" or "csv": the format's name and file extension.
std::string_view to_string(ExportFormat format);

/// `text` as one CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
std::string csv_field(std::string_view text);

/// Replaces stored pseudonyms and team ids with HMAC-SHA256 values under a random
/// key drawn for one export. The key is never stored or printed and is wiped on
/// destruction, so two exports cannot be linked through their ids, nor an export
/// to the database.
class Rekeyer {
 public:
  /// Draws a fresh key; internal when the system's random source fails.
  static Expected<Rekeyer> create();
  ~Rekeyer();
  Rekeyer(Rekeyer&& other) noexcept;
  Rekeyer(const Rekeyer&) = delete;
  Rekeyer& operator=(const Rekeyer&) = delete;
  Rekeyer& operator=(Rekeyer&&) = delete;

  /// "r-" and 20 hex digits for a stored trainee pseudonym.
  std::string trainee(std::string_view pseudonym) const;
  /// "t-" and 12 hex digits for a team id.
  std::string team(std::int64_t team_id) const;

 private:
  Rekeyer() = default;
  std::string mac_hex(std::string_view domain, std::string_view value, std::size_t bytes) const;
  std::array<unsigned char, 32> key_{};
};

/// Writes one table of an export: JSON Lines (one object per row) or CSV with a
/// header row. Cells are JSON values; in CSV, objects become JSON text in one field.
class TableWriter {
 public:
  /// Creates `path` (it must not exist) for `columns`.
  static Expected<TableWriter> create(const std::filesystem::path& path, ExportFormat format,
                                      std::vector<std::string> columns);
  /// Appends one row; `cells` has one value per column.
  void write(const std::vector<nlohmann::json>& cells);
  /// Flushes and closes; internal naming the file when writing failed.
  Status close();
  /// Rows written so far.
  std::int64_t rows() const { return rows_; }

 private:
  TableWriter() = default;
  std::filesystem::path path_;
  ExportFormat format_ = ExportFormat::jsonl;
  std::vector<std::string> columns_;
  std::ofstream out_;
  std::int64_t rows_ = 0;
};

}  // namespace cyrange::privacy
