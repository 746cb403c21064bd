#include <orchestrator/privacy/export_format.h>

#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <orchestrator/common/private_file.h>

namespace cyrange::privacy {

Expected<ExportFormat> parse_export_format(std::string_view name) {
  if (name == "jsonl") return ExportFormat::jsonl;
  if (name == "csv") return ExportFormat::csv;
  return make_error(ErrorCode::invalid_argument,
                    "Unknown export format '" + std::string(name) +
                        "'; use jsonl or csv. 出力形式は jsonl か csv です。");
}

std::string_view to_string(ExportFormat format) {
  return format == ExportFormat::csv ? "csv" : "jsonl";
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Expected<Rekeyer> Rekeyer::create() {
  Rekeyer rekeyer;
  if (RAND_bytes(rekeyer.key_.data(), static_cast<int>(rekeyer.key_.size())) != 1) {
    return make_error(ErrorCode::internal,
                      "The system's random number generator failed while drawing the export key; "
                      "nothing was exported. Check that the OpenSSL random source works.");
  }
  return rekeyer;
}

Rekeyer::Rekeyer(Rekeyer&& other) noexcept : key_(other.key_) {
  OPENSSL_cleanse(other.key_.data(), other.key_.size());
}

Rekeyer::~Rekeyer() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::string Rekeyer::mac_hex(std::string_view domain, std::string_view value,
                             std::size_t bytes) const {
  // The domain keeps a trainee pseudonym and a team id from ever mapping alike.
  std::string message(domain);
  message += '\0';
  message += value;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac, &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < bytes && i < length; ++i) {
    hex += kHex[mac[i] >> 4];
    hex += kHex[mac[i] & 0x0f];
  }
  return hex;
}

std::string Rekeyer::trainee(std::string_view pseudonym) const {
  return "r-" + mac_hex("trainee", pseudonym, 10);
}

std::string Rekeyer::team(std::int64_t team_id) const {
  return "t-" + mac_hex("team", std::to_string(team_id), 6);
}

Expected<TableWriter> TableWriter::create(const std::filesystem::path& path, ExportFormat format,
                                          std::vector<std::string> columns) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    return make_error(ErrorCode::already_exists,
                      "The export file '" + path.string() +
                          "' exists already; export into a new or empty directory. "
                          "出力先のファイルが既に存在します。");
  }
  // Created exclusively for the exporting operator (never through a planted link), then
  // opened as a stream: the file checked after opening must be the one created.
  auto created = create_private_file(path);
  if (!created) return created.error();
  struct stat made {};
  const bool stated = ::fstat(*created, &made) == 0;
  ::close(*created);
  TableWriter writer;
  writer.path_ = path;
  writer.format_ = format;
  writer.columns_ = std::move(columns);
  writer.out_.open(path, std::ios::binary);
  struct stat opened {};
  if (!stated || ::lstat(path.c_str(), &opened) != 0 || !S_ISREG(opened.st_mode) ||
      opened.st_ino != made.st_ino || opened.st_dev != made.st_dev)
    writer.out_.close();
  if (!writer.out_) {
    return make_error(
        ErrorCode::failed_precondition,
        "Cannot create the export file '" + path.string() +
            "'; check that the directory is writable. 出力ファイルを作成できません。");
  }
  if (format == ExportFormat::csv) {
    for (std::size_t i = 0; i < writer.columns_.size(); ++i) {
      writer.out_ << (i ? "," : "") << csv_field(writer.columns_[i]);
    }
    writer.out_ << "\r\n";
  }
  return writer;
}

void TableWriter::write(const std::vector<nlohmann::json>& cells) {
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
  if (format_ == ExportFormat::jsonl) {
    // Written by hand to keep the columns in their documented order.
    out_ << '{';
    for (std::size_t i = 0; i < columns_.size() && i < cells.size(); ++i) {
      out_ << (i ? "," : "") << nlohmann::json(columns_[i]).dump() << ':'
           << cells[i].dump(-1, ' ', false, kReplace);
    }
    out_ << "}\n";
  } else {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      const auto& cell = cells[i];
      out_ << (i ? "," : "")
           << csv_field(cell.is_string() ? cell.get<std::string>()
                                         : cell.dump(-1, ' ', false, kReplace));
    }
    out_ << "\r\n";
  }
  ++rows_;
}

Status TableWriter::close() {
  out_.flush();
  const bool ok = static_cast<bool>(out_);
  out_.close();
  if (ok) return Status::success();
  return make_error(ErrorCode::internal, "Writing the export file '" + path_.string() +
                                             "' failed (disk full?); the export was not completed. "
                                             "出力ファイルの書き込みに失敗しました。");
}

}  // namespace cyrange::privacy
