#include <orchestrator/store/database.h>

#include <algorithm>
#include <cctype>

#include <orchestrator/common/log.h>
#include <orchestrator/store/pqxx_access.h>

namespace cyrange::store {

struct Database::Impl {
  explicit Impl(const std::string& uri) : connection(uri) {}
  pqxx::connection connection;
};

namespace {

bool iequals_at(const std::string& text, std::size_t pos, std::string_view word) {
  if (pos + word.size() > text.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[pos + i])) != word[i]) return false;
  }
  return true;
}

// Replaces the value after every "password" keyword of a keyword/value string,
// e.g. "host=db password='a b' user=x" -> "host=db password=*** user=x".
std::string redact_keyword_form(std::string text) {
  for (std::size_t pos = 0; pos < text.size(); ++pos) {
    const bool word_start = pos == 0 || std::isspace(static_cast<unsigned char>(text[pos - 1]));
    if (!word_start || !iequals_at(text, pos, "password")) continue;
    std::size_t cursor = pos + 8;
    while (cursor < text.size() && text[cursor] == ' ') ++cursor;
    if (cursor >= text.size() || text[cursor] != '=') continue;
    ++cursor;
    while (cursor < text.size() && text[cursor] == ' ') ++cursor;
    std::size_t value_end = cursor;
    if (value_end < text.size() && text[value_end] == '\'') {
      for (++value_end; value_end < text.size() && text[value_end] != '\''; ++value_end) {
        if (text[value_end] == '\\') ++value_end;
      }
      value_end = std::min(value_end + 1, text.size());
    } else {
      while (value_end < text.size() && !std::isspace(static_cast<unsigned char>(text[value_end])))
        ++value_end;
    }
    text.replace(cursor, value_end - cursor, "***");
    pos = cursor + 2;
  }
  return text;
}

// Replaces the value of every password=... query parameter of a URI.
std::string redact_query(std::string text, std::size_t query_begin) {
  for (std::size_t pos = query_begin; pos < text.size(); ++pos) {
    if ((text[pos] != '?' && text[pos] != '&') || !iequals_at(text, pos + 1, "password=")) continue;
    const std::size_t value_begin = pos + 10;
    const std::size_t value_end = std::min(text.find_first_of("&#", value_begin), text.size());
    text.replace(value_begin, value_end - value_begin, "***");
  }
  return text;
}

}  // namespace

std::string redact_uri(std::string_view uri) {
  std::string text(uri);
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string::npos) return redact_keyword_form(std::move(text));
  const auto authority_begin = scheme_end + 3;
  auto authority_end = text.find_first_of("/?#", authority_begin);
  if (authority_end == std::string::npos) authority_end = text.size();
  const auto at = text.rfind('@', authority_end);
  if (at != std::string::npos && at >= authority_begin) {
    const auto colon = text.find(':', authority_begin);
    if (colon != std::string::npos && colon < at) {
      text.replace(colon + 1, at - colon - 1, "***");
      authority_end = text.find_first_of("/?#", authority_begin);
      if (authority_end == std::string::npos) authority_end = text.size();
    }
  }
  return redact_query(std::move(text), authority_end);
}

Database::Database(std::string uri, std::unique_ptr<Impl> impl)
    : uri_(std::move(uri)), impl_(std::move(impl)) {}

Database::~Database() = default;

Expected<std::unique_ptr<Database>> Database::connect(const std::string& uri) {
  try {
    auto impl = std::make_unique<Impl>(uri);
    return std::unique_ptr<Database>(new Database(uri, std::move(impl)));
  } catch (const std::exception& e) {
    // Every connect failure is "unavailable": a wrong URI and a stopped server look
    // the same to libpq, and the message carries libpq's own explanation.
    auto message = internal::unavailable_message(redact_uri(uri), e.what());
    log::get("store")->debug("{}", message);
    return make_error(ErrorCode::unavailable, std::move(message));
  }
}

namespace internal {

pqxx::connection& PqxxAccess::connection(Database& db) { return db.impl_->connection; }

bool is_connection_lost(const std::exception& error) {
  return dynamic_cast<const pqxx::broken_connection*>(&error) != nullptr ||
         dynamic_cast<const pqxx::in_doubt_error*>(&error) != nullptr;
}

// libpq's messages span several lines; ours are one sentence per error.
std::string one_line(std::string_view text) {
  std::string line;
  for (char c : text) {
    const bool space = c == '\n' || c == '\t' || c == ' ';
    if (space && (line.empty() || line.back() == ' ')) continue;
    line += space ? ' ' : c;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

std::string unavailable_message(const std::string& display_uri, std::string_view detail) {
  const std::string cleaned = one_line(detail);
  return "Cannot reach the PostgreSQL database '" + display_uri + "' (" + cleaned +
         "). Start the services with `./cyrange.sh services` (or check the database URI) "
         "and try again.";
}

Error to_error(const std::exception& error, std::string_view doing,
               const std::string& display_uri) {
  if (is_connection_lost(error)) {
    return make_error(ErrorCode::unavailable, unavailable_message(display_uri, error.what()));
  }
  return make_error(ErrorCode::internal, "PostgreSQL database '" + display_uri + "' failed while " +
                                             std::string(doing) + ": " + one_line(error.what()) +
                                             ".");
}

}  // namespace internal
}  // namespace cyrange::store
