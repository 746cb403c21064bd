#include <orchestrator/course/publish.h>

#include <algorithm>
#include <regex>

#include <orchestrator/exercise/exercise_manager.h>

namespace cyrange::course {

Expected<Course> course_from_scenario(const std::string& text, const std::string& file,
                                      const std::string& id) {
  auto parsed = exercise::checked_scenario(text, file, scenario::default_scenario_library(),
                                           "publish again", "公開し直してください");
  if (!parsed) return parsed.error();
  if (!parsed->self_paced || !parsed->self_paced->enabled)
    return make_error(ErrorCode::invalid_argument,
                      file +
                          " does not declare `self_paced: {enabled: true}`; a course runs "
                          "without an instructor, so the scenario must say how (see "
                          "docs/designer-guide.md, Self-paced courses).",
                      file +
                          " に `self_paced: {enabled: true}` がありません。自習コースは講師なしで"
                          "進むため、シナリオで進め方を宣言してください（docs/designer-guide.md "
                          "の「自習コース」）。");
  Course course;
  course.id = id;
  course.clock_speed = parsed->self_paced->clock_speed;
  if (const auto& limit = parsed->self_paced->time_limit_seconds)
    course.time_limit = std::chrono::seconds(*limit);
  if (course.id.empty()) {
    course.id = parsed->metadata.id;
    std::replace(course.id.begin(), course.id.end(), '-', '_');
  }
  if (!std::regex_match(course.id, std::regex("[a-z0-9_]{1,32}")))
    return make_error(
        ErrorCode::invalid_argument,
        "Course id '" + course.id +
            "' is not valid; give --id with 1-32 characters of a-z, 0-9 and '_'.",
        "コース ID '" + course.id +
            "' は使えません。a-z、0-9、'_' の 1〜32 文字を --id で指定してください。");
  course.scenario_id = parsed->metadata.id;
  course.title_ja = parsed->metadata.title.ja;
  course.title_en = parsed->metadata.title.en;
  course.scenario_file = file;
  course.scenario_yaml = text;
  return course;
}

}  // namespace cyrange::course
