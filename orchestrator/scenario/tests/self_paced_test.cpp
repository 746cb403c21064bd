// The self-paced keys of the language: `self_paced:`, `auto_at:`, `default_option:` and
// `graded_by:`, read with their places, and the rules that apply only when enabled.
// The failing cases with their line and column are in data/self-paced.yaml.
#include <gtest/gtest.h>

#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/tests/library.h>
#include <orchestrator/scenario/validate.h>

namespace cyrange::scenario {
namespace {

// Line numbers below count from the first line of this text.
constexpr const char* kHead = R"(apiVersion: cyrange/v1
metadata:
  id: sp
  version: "1"
  title: {ja: 自習, en: Self-paced}
  summary: {ja: 自習, en: Self-paced}
topology:
  segments: [{name: lan, cidr: 10.0.0.0/24}]
  hosts:
    - {name: ws, role: workstation, image_profile: tiny, interfaces: [{segment: lan, address: 10.0.0.10}]}
)";

Scenario parse(const std::string& tail) {
  auto parsed = parse_scenario(std::string(kHead) + tail, "sp.yaml");
  EXPECT_TRUE(parsed.has_value()) << (parsed ? "" : parsed.error().message);
  return parsed ? std::move(*parsed) : Scenario{};
}

std::string errors_of(const Scenario& s) {
  std::string out;
  for (const auto& d : validate(s))
    if (d.severity == Severity::error) out += d.format() + "\n";
  return out;
}

TEST(SelfPacedLanguage, TheBlockIsReadWithEachValueAndItsPlace) {
  const Scenario s = parse(R"(self_paced:
  enabled: true
  clock_speed: 2.5
  time_limit: 1h30m
  idle_pause: 10m
)");
  ASSERT_TRUE(s.self_paced.has_value());
  const SelfPaced& p = *s.self_paced;
  EXPECT_TRUE(p.enabled);
  EXPECT_DOUBLE_EQ(p.clock_speed, 2.5);
  ASSERT_TRUE(p.time_limit_seconds.has_value());
  EXPECT_EQ(*p.time_limit_seconds, 5400);
  EXPECT_EQ(p.idle_pause_seconds, 600);
  EXPECT_EQ(p.loc.line, 12);
  EXPECT_EQ(p.loc.column, 3);
  EXPECT_EQ(p.clock_speed_loc.line, 13);
  EXPECT_EQ(p.clock_speed_loc.column, 16);
  EXPECT_EQ(p.time_limit_loc.line, 14);
  EXPECT_EQ(p.idle_pause_loc.line, 15);
  EXPECT_EQ(p.idle_pause_loc.column, 15);
  EXPECT_EQ(errors_of(s), "");
}

TEST(SelfPacedLanguage, DefaultsApplyAndAbsentMeansInstructorLed) {
  const Scenario defaults = parse("self_paced: {enabled: false}\n");
  ASSERT_TRUE(defaults.self_paced.has_value());
  EXPECT_FALSE(defaults.self_paced->enabled);
  EXPECT_DOUBLE_EQ(defaults.self_paced->clock_speed, 1);
  EXPECT_FALSE(defaults.self_paced->time_limit_seconds.has_value());
  EXPECT_EQ(defaults.self_paced->idle_pause_seconds, 15 * 60);
  EXPECT_FALSE(parse("").self_paced.has_value());
}

TEST(SelfPacedLanguage, EnabledIsRequiredInTheBlock) {
  const Scenario s = parse("self_paced: {clock_speed: 2}\n");
  EXPECT_NE(errors_of(s).find("sp.yaml:11:"), std::string::npos) << errors_of(s);
  EXPECT_NE(errors_of(s).find("enabled"), std::string::npos) << errors_of(s);
}

TEST(SelfPacedLanguage, AutoAtDefaultOptionAndGraderAreReadWithTheirPlaces) {
  const Scenario s = parse(R"(timeline:
  - {id: note, category: inject, type: note, trigger: manual, auto_at: 5m}
  - id: pick
    category: decision
    type: ask
    trigger: manual
    auto_at: 90s
    default_option: b
    options: [{id: a, label: {ja: あ, en: A}}, {id: b, label: {ja: い, en: B}}]
objectives:
  - id: report
    question: {ja: 報告, en: Report}
    opens: manual
    auto_at: 20m
    rubric:
      - {id: own, text: {ja: 自己, en: Own}, points: 5, graded_by: self}
      - {id: later, text: {ja: 後で, en: Later}, points: 5, graded_by: review}
      - {id: staff, text: {ja: 講師, en: Staff}, points: 5}
messages:
  - {id: m, trigger: manual, auto_at: 2m, text: {ja: 一, en: One}}
)");
  ASSERT_EQ(s.timeline.size(), 2u);
  ASSERT_TRUE(s.timeline[0].trigger.auto_at_seconds.has_value());
  EXPECT_EQ(*s.timeline[0].trigger.auto_at_seconds, 300);
  EXPECT_EQ(s.timeline[0].trigger.auto_at_loc.line, 12);
  EXPECT_EQ(s.timeline[0].trigger.auto_at_loc.column, 72);
  EXPECT_EQ(*s.timeline[1].trigger.auto_at_seconds, 90);
  EXPECT_EQ(s.timeline[1].trigger.auto_at_loc.line, 17);
  EXPECT_EQ(s.timeline[1].default_option, "b");
  EXPECT_EQ(s.timeline[1].default_option_loc.line, 18);
  EXPECT_EQ(s.timeline[1].default_option_loc.column, 21);
  ASSERT_EQ(s.objectives.size(), 1u);
  const Objective& report = s.objectives[0];
  EXPECT_EQ(report.opens.kind, Trigger::Kind::manual);
  EXPECT_EQ(*report.opens.auto_at_seconds, 1200);
  EXPECT_EQ(report.opens.auto_at_loc.line, 24);
  ASSERT_EQ(report.rubric.size(), 3u);
  EXPECT_EQ(report.rubric[0].graded_by, Grader::self);
  EXPECT_EQ(report.rubric[0].graded_by_loc.line, 26);
  EXPECT_EQ(report.rubric[1].graded_by, Grader::review);
  EXPECT_EQ(report.rubric[2].graded_by, Grader::instructor);
  EXPECT_EQ(report.rubric[2].graded_by_loc.line, 28);  // the item's own place
  EXPECT_EQ(report.rubric[2].graded_by_loc.column, 9);
  EXPECT_EQ(*s.messages.at(0).trigger.auto_at_seconds, 120);
  // Not self-paced: an instructor may grade and fire by hand; the file is valid.
  EXPECT_EQ(errors_of(s), "");
}

TEST(SelfPacedLanguage, WithoutSelfPacedEnabledManualTriggersAndInstructorsStayAllowed) {
  const std::string tail = R"(timeline:
  - {id: note, category: inject, type: note, trigger: manual}
  - {id: pick, category: decision, type: ask, trigger: {at: 0}, options: [{id: a, label: {ja: あ, en: A}}, {id: b, label: {ja: い, en: B}}]}
objectives:
  - id: report
    question: {ja: 報告, en: Report}
    rubric: [{id: staff, text: {ja: 講師, en: Staff}, points: 5}]
)";
  EXPECT_EQ(errors_of(parse(tail)), "");
  EXPECT_EQ(errors_of(parse("self_paced: {enabled: false}\n" + tail)), "");
  const std::string enabled = errors_of(parse("self_paced: {enabled: true}\n" + tail));
  EXPECT_NE(enabled.find("sp.yaml:13:55: error: step 'note' waits for an instructor"),
            std::string::npos)
      << enabled;
  EXPECT_NE(enabled.find("sp.yaml:14:10: error: decision 'pick' has no default option"),
            std::string::npos)
      << enabled;
  EXPECT_NE(enabled.find("sp.yaml:18:14: error: rubric item 'staff' of 'report' needs an "
                         "instructor"),
            std::string::npos)
      << enabled;
}

TEST(SelfPacedLanguage, AnUnknownGraderIsAnErrorAtItsValue) {
  const std::string errors = errors_of(parse(R"(objectives:
  - id: report
    question: {ja: 報告, en: Report}
    rubric: [{id: x, text: {ja: 項目, en: Item}, points: 5, graded_by: nobody}]
)"));
  EXPECT_NE(errors.find("sp.yaml:14:70: error: unknown grader 'nobody'"), std::string::npos)
      << errors;
  EXPECT_NE(errors.find("`graded_by: instructor`, `self` or `review`"), std::string::npos)
      << errors;
}

TEST(SelfPacedLanguage, MessagesSayWhatToDoInEnglishAndJapanese) {
  const Scenario s = parse(R"(self_paced: {enabled: true}
timeline:
  - {id: note, category: inject, type: trainee_notice, trigger: manual}
)");
  const auto diagnostics = validate(s);
  ASSERT_EQ(count(diagnostics, Severity::error), 1);
  const std::string message = diagnostics.front().message;
  EXPECT_NE(message.find("add `auto_at:`"), std::string::npos) << message;
  EXPECT_NE(message.find("講師"), std::string::npos) << message;
  EXPECT_NE(message.find("auto_at: で指定"), std::string::npos) << message;
}

TEST(SelfPacedLanguage, QuickCheckIsACourseThatNeedsNoInstructor) {
  const Scenario s = testing::shipped("quick-check");
  ASSERT_TRUE(s.self_paced.has_value());
  EXPECT_TRUE(s.self_paced->enabled);
  EXPECT_EQ(errors_of(s), "");
}

}  // namespace
}  // namespace cyrange::scenario
