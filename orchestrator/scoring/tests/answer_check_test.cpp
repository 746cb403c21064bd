#include <gtest/gtest.h>
#include <orchestrator/scoring/answer_check.h>

#include <cmath>
#include <functional>
#include <ostream>

namespace cyrange::scoring {
namespace {

struct NormalizeCase {
  const char* name;
  std::string input;
  std::string expected;
};
// Test logs name the case instead of dumping the parameter's bytes.
void PrintTo(const NormalizeCase& c, std::ostream* os) { *os << c.name; }

class NormalizeAnswer : public testing::TestWithParam<NormalizeCase> {};

TEST_P(NormalizeAnswer, Folds) {
  EXPECT_EQ(normalize_answer(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Table, NormalizeAnswer,
    testing::Values(NormalizeCase{"ascii_case", "FLAG{Abc}", "flag{abc}"},
                    NormalizeCase{"full_width_latin_digits", "ＡＢＣ１２３", "abc123"},
                    NormalizeCase{"half_width_katakana", "ｶﾀｶﾅ", "カタカナ"},
                    NormalizeCase{"half_width_voiced_mark_composes", "ｶﾞｲﾄﾞ", "ガイド"},
                    NormalizeCase{"ideographic_space_collapsed", "\u3000 東京\u3000\u3000タワー ",
                                  "東京 タワー"},
                    NormalizeCase{"tabs_newlines_nbsp", "\tpass\n\u00a0 word\r\n", "pass word"},
                    NormalizeCase{"zero_width_space_dropped", "ad\u200bmin", "admin"},
                    NormalizeCase{"full_width_punctuation", "ｆｌａｇ｛ｘ｝", "flag{x}"},
                    NormalizeCase{"only_whitespace", " \u3000\t", ""},
                    NormalizeCase{"german_sharp_s_full_case_fold", "STRAẞE Straße",
                                  "strasse strasse"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(NormalizeWidthAndSpace, KeepsCase) {
  EXPECT_EQ(normalize_width_and_space("ＡＢｃ\u3000 D"), "ABc D");
}

struct MatchCase {
  const char* name;
  std::function<Expected<AnswerRule>()> rule;
  std::string submitted;
  bool expected;
};
// Test logs name the case instead of dumping the parameter's bytes.
void PrintTo(const MatchCase& c, std::ostream* os) { *os << c.name; }

const TeamVariables kTeamVars{{"db_password", "Ｓ3cret-Ｐass"}, {"empty", ""}};

class AnswerMatches : public testing::TestWithParam<MatchCase> {};

TEST_P(AnswerMatches, Judges) {
  auto rule = GetParam().rule();
  ASSERT_TRUE(rule.has_value()) << rule.error().message;
  EXPECT_EQ(matches(*rule, GetParam().submitted, kTeamVars), GetParam().expected);
}

auto exact(std::string s) {
  return [s] { return Expected<AnswerRule>(AnswerRule::exact(s)); };
}
auto normal(std::string s) {
  return [s] { return Expected<AnswerRule>(AnswerRule::normalized(s)); };
}
auto regex(std::string s, bool icase = false) {
  return [s, icase] { return AnswerRule::regex(s, icase); };
}
auto any(std::vector<std::string> s) {
  return [s] { return AnswerRule::any_of(s); };
}
auto range(double lo, double hi) {
  return [lo, hi] { return AnswerRule::numeric_range(lo, hi); };
}
auto var(std::string s) {
  return [s] { return Expected<AnswerRule>(AnswerRule::variable(s)); };
}

INSTANTIATE_TEST_SUITE_P(
    Table, AnswerMatches,
    testing::Values(
        MatchCase{"exact_equal", exact("Flag{A}"), "Flag{A}", true},
        MatchCase{"exact_case_differs", exact("Flag{A}"), "flag{a}", false},
        MatchCase{"exact_full_width_differs", exact("ABC"), "ＡＢＣ", false},
        MatchCase{"exact_trailing_space_differs", exact("ABC"), "ABC ", false},
        MatchCase{"normalized_full_width_mixed_case", normal("abc123"), "ＡbＣ１２３", true},
        MatchCase{"normalized_half_width_katakana", normal("カタカナ"), "ｶﾀｶﾅ", true},
        MatchCase{"normalized_ideographic_space", normal("mimikatz lsass"),
                  "\u3000Mimikatz\u3000LSASS ", true},
        MatchCase{"normalized_different_word", normal("mimikatz"), "mimikat", false},
        MatchCase{"normalized_inner_space_matters", normal("pass word"), "password", false},
        MatchCase{"regex_full_match", regex("CVE-\\d{4}-\\d{4,}"), "CVE-2021-44228", true},
        MatchCase{"regex_partial_is_not_enough", regex("CVE-\\d{4}-\\d{4,}"), "see CVE-2021-44228",
                  false},
        MatchCase{"regex_full_width_digits_normalised", regex("CVE-\\d{4}-\\d{4,}"),
                  "CVE-２０２１-４４２２８", true},
        MatchCase{"regex_case_sensitive_by_default", regex("cve-\\d+"), "CVE-1", false},
        MatchCase{"regex_ignore_case", regex("cve-\\d+", true), "CVE-1", true},
        MatchCase{"any_of_second", any({"10.0.0.5", "web01"}), "ＷＥＢ01", true},
        MatchCase{"any_of_none", any({"10.0.0.5", "web01"}), "web02", false},
        MatchCase{"numeric_inside", range(100, 500), "300", true},
        MatchCase{"numeric_full_width_digits", range(100, 500), "３００", true},
        MatchCase{"numeric_low_bound_inclusive", range(100, 500), "100", true},
        MatchCase{"numeric_high_bound_inclusive", range(100, 500), " 500.0 ", true},
        MatchCase{"numeric_below", range(100, 500), "99.999", false},
        MatchCase{"numeric_above", range(100, 500), "501", false},
        MatchCase{"numeric_plus_sign", range(1, 2), "+1.5", true},
        MatchCase{"numeric_full_width_minus", range(-10, 0), "－５", true},
        MatchCase{"numeric_trailing_text", range(100, 500), "300 ms", false},
        MatchCase{"numeric_not_a_number", range(100, 500), "three hundred", false},
        MatchCase{"numeric_infinity_rejected", range(-1e308, 1e308), "inf", false},
        MatchCase{"numeric_empty", range(0, 1), "", false},
        MatchCase{"variable_normalised", var("db_password"), "s3cret-pass", true},
        MatchCase{"variable_wrong_value", var("db_password"), "s3cret", false},
        MatchCase{"variable_missing_for_team", var("flag"), "", false},
        MatchCase{"variable_empty_value_never_matches", var("empty"), "", false},
        MatchCase{"overlong_submission_rejected", any({std::string(2000, 'a')}),
                  std::string(2000, 'a'), false}),
    [](const auto& info) { return std::string(info.param.name); });

struct InvalidRuleCase {
  const char* name;
  std::function<Expected<AnswerRule>()> rule;
};
// Test logs name the case instead of dumping the parameter's bytes.
void PrintTo(const InvalidRuleCase& c, std::ostream* os) { *os << c.name; }

class InvalidRule : public testing::TestWithParam<InvalidRuleCase> {};

TEST_P(InvalidRule, IsRejectedWhenBuilt) {
  auto rule = GetParam().rule();
  ASSERT_FALSE(rule.has_value());
  EXPECT_EQ(rule.error().code, ErrorCode::invalid_argument);
  EXPECT_FALSE(rule.error().message.empty());
}

INSTANTIATE_TEST_SUITE_P(Table, InvalidRule,
                         testing::Values(InvalidRuleCase{"unbalanced_paren", regex("(abc")},
                                         InvalidRuleCase{"bad_repeat", regex("*abc")},
                                         InvalidRuleCase{"bad_range", regex("[z-a]")},
                                         InvalidRuleCase{"empty_any_of", any({})},
                                         InvalidRuleCase{"inverted_range", range(5, 1)},
                                         InvalidRuleCase{"nan_range", range(std::nan(""), 1)}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(InvalidRegex, MessageNamesThePattern) {
  auto rule = AnswerRule::regex("(abc");
  ASSERT_FALSE(rule);
  EXPECT_NE(rule.error().message.find("'(abc'"), std::string::npos) << rule.error().message;
}

TEST(ParseAnswerNumber, ParsesFullWidthAndRejectsJunk) {
  EXPECT_EQ(parse_answer_number("１２.５"), 12.5);
  EXPECT_EQ(parse_answer_number("\u3000４２\u3000"), 42);
  EXPECT_FALSE(parse_answer_number("4 2"));
  EXPECT_FALSE(parse_answer_number("0x10"));
}

}  // namespace
}  // namespace cyrange::scoring
