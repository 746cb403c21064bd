#include <orchestrator/common/log.h>
#include <orchestrator/scoring/answer_check.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <charconv>
#include <cmath>

namespace cyrange::scoring {
namespace {

// NFKC (optionally with case folding) then whitespace trimmed and collapsed. Whitespace is
// handled after normalisation so that compatibility spaces (U+3000, U+00A0) are caught too.
std::string fold(std::string_view text, bool casefold) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = casefold ? icu::Normalizer2::getNFKCCasefoldInstance(status)
                                                : icu::Normalizer2::getNFKCInstance(status);
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  icu::UnicodeString normal;
  if (U_SUCCESS(status)) normal = normalizer->normalize(source, status);
  if (U_FAILURE(status)) {
    // Only a broken ICU installation gets here; comparing unnormalised text is the safe fallback.
    log::get("scoring")->error("ICU normalisation failed ({}); comparing answers without it.",
                               u_errorName(status));
    normal = source;
  }
  icu::UnicodeString collapsed;
  bool pending_space = false;
  for (int32_t i = 0; i < normal.length();) {
    UChar32 c = normal.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c)) {
      pending_space = !collapsed.isEmpty();
      continue;
    }
    if (pending_space) collapsed.append(static_cast<UChar>(u' '));
    pending_space = false;
    collapsed.append(c);
  }
  std::string out;
  collapsed.toUTF8String(out);
  return out;
}

}  // namespace

std::string normalize_answer(std::string_view text) { return fold(text, true); }

std::string normalize_width_and_space(std::string_view text) { return fold(text, false); }

std::optional<double> parse_answer_number(std::string_view text) {
  std::string normal = normalize_width_and_space(text);
  const char* begin = normal.data();
  const char* end = begin + normal.size();
  if (begin != end && *begin == '+') ++begin;  // "+5" is a number a person would write
  double value = 0;
  auto [rest, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || rest != end || begin == end || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

AnswerRule AnswerRule::exact(std::string expected) {
  AnswerRule rule(Kind::exact);
  rule.accepted_.push_back(std::move(expected));
  return rule;
}

AnswerRule AnswerRule::normalized(std::string expected) {
  AnswerRule rule(Kind::normalized);
  rule.folded_.push_back(normalize_answer(expected));
  rule.accepted_.push_back(std::move(expected));
  return rule;
}

Expected<AnswerRule> AnswerRule::regex(std::string pattern, bool ignore_case) {
  auto flags = std::regex::ECMAScript;
  if (ignore_case) flags |= std::regex::icase;
  AnswerRule rule(Kind::regex);
  try {
    rule.pattern_ = std::make_shared<const std::regex>(pattern, flags);
  } catch (const std::regex_error& e) {
    return make_error(ErrorCode::invalid_argument,
                      "The answer pattern '" + pattern +
                          "' is not a valid ECMAScript regular expression (" + e.what() +
                          "); correct the pattern in the scenario.");
  }
  rule.accepted_.push_back(std::move(pattern));
  return rule;
}

Expected<AnswerRule> AnswerRule::any_of(std::vector<std::string> accepted) {
  if (accepted.empty()) {
    return make_error(ErrorCode::invalid_argument,
                      "An any-of answer rule lists no accepted answers; add at least one.");
  }
  AnswerRule rule(Kind::any_of);
  for (const auto& answer : accepted) rule.folded_.push_back(normalize_answer(answer));
  rule.accepted_ = std::move(accepted);
  return rule;
}

Expected<AnswerRule> AnswerRule::numeric_range(double min, double max) {
  if (!std::isfinite(min) || !std::isfinite(max) || min > max) {
    return make_error(ErrorCode::invalid_argument,
                      "The numeric answer range [" + std::to_string(min) + ", " +
                          std::to_string(max) +
                          "] is empty or not finite; give a minimum not above the maximum.");
  }
  AnswerRule rule(Kind::numeric_range);
  rule.min_ = min;
  rule.max_ = max;
  return rule;
}

AnswerRule AnswerRule::variable(std::string name) {
  AnswerRule rule(Kind::variable);
  rule.variable_ = std::move(name);
  return rule;
}

bool AnswerRule::matches(std::string_view submitted, const TeamVariables& team_variables) const {
  if (submitted.size() > kMaxAnswerBytes) return false;
  switch (kind_) {
    case Kind::exact:
      return submitted == accepted_.front();
    case Kind::normalized:
    case Kind::any_of: {
      std::string folded = normalize_answer(submitted);
      for (const auto& candidate : folded_) {
        if (folded == candidate) return true;
      }
      return false;
    }
    case Kind::regex:
      return std::regex_match(normalize_width_and_space(submitted), *pattern_);
    case Kind::numeric_range: {
      auto value = parse_answer_number(submitted);
      return value && *value >= min_ && *value <= max_;
    }
    case Kind::variable: {
      auto found = team_variables.find(variable_);
      // A team without the variable cannot be judged; an empty value must not match "".
      if (found == team_variables.end() || found->second.empty()) return false;
      return normalize_answer(submitted) == normalize_answer(found->second);
    }
  }
  return false;
}

}  // namespace cyrange::scoring
