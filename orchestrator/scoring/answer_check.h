#pragma once

#include <orchestrator/common/expected.h>

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace cyrange::scoring {

/// Per-team values for answers that differ between teams (a generated password, an address).
using TeamVariables = std::map<std::string, std::string>;

/// Longer submissions never match: answers are short, and std::regex recurses per character.
inline constexpr std::size_t kMaxAnswerBytes = 1024;

/// Folds text to its comparable form: Unicode NFKC with case folding (full-width and
/// half-width forms unified, invisible characters dropped), trimmed, and every run of
/// whitespace (including the ideographic space U+3000) collapsed to one ASCII space.
std::string normalize_answer(std::string_view text);

/// Like normalize_answer() but keeps letter case; used for regular expressions and numbers.
std::string normalize_width_and_space(std::string_view text);

/// How one submitted answer is judged. Built only through the factories, so a rule that
/// exists is valid (a bad pattern is reported when the scenario is loaded, not mid-exercise).
class AnswerRule {
 public:
  /// The kinds of comparison a scenario can ask for.
  enum class Kind { exact, normalized, regex, any_of, numeric_range, variable };

  /// Byte-for-byte equality, for answers where case and width carry meaning.
  static AnswerRule exact(std::string expected);
  /// Equality after normalize_answer() on both sides.
  static AnswerRule normalized(std::string expected);
  /// ECMAScript full match against the width/space-normalised submission.
  static Expected<AnswerRule> regex(std::string pattern, bool ignore_case = false);
  /// Normalised equality with any one of the accepted answers.
  static Expected<AnswerRule> any_of(std::vector<std::string> accepted);
  /// A number (full-width digits allowed) within [min, max], both ends inclusive.
  static Expected<AnswerRule> numeric_range(double min, double max);
  /// Normalised equality with the team's value of the named variable.
  static AnswerRule variable(std::string name);

  /// Which comparison this rule performs.
  Kind kind() const { return kind_; }
  /// The accepted answers as written in the scenario (the pattern for regex rules).
  const std::vector<std::string>& accepted() const { return accepted_; }
  /// Inclusive bounds of a numeric_range rule.
  double min() const { return min_; }
  double max() const { return max_; }
  /// The team variable a variable rule compares against.
  const std::string& variable_name() const { return variable_; }

  /// True when the submission satisfies this rule for a team with these variables.
  bool matches(std::string_view submitted, const TeamVariables& team_variables) const;

 private:
  explicit AnswerRule(Kind kind) : kind_(kind) {}

  Kind kind_;
  std::vector<std::string> accepted_;
  std::vector<std::string> folded_;            // accepted_ after normalize_answer(), computed once
  std::shared_ptr<const std::regex> pattern_;  // shared: std::regex copies are costly
  double min_ = 0;
  double max_ = 0;
  std::string variable_;
};

/// Free-function form of AnswerRule::matches().
inline bool matches(const AnswerRule& rule, std::string_view submitted,
                    const TeamVariables& team_variables) {
  return rule.matches(submitted, team_variables);
}

/// Parses a decimal number after width/space normalisation ("３００" is 300); nullopt otherwise.
std::optional<double> parse_answer_number(std::string_view text);

}  // namespace cyrange::scoring
