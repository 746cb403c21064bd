#pragma once

#include <string>

#include <orchestrator/course/course.h>

namespace cyrange::course {

/// A course made from scenario text: parsed and validated (invalid_argument listing
/// every error as FILE:LINE:COL), refused unless it declares `self_paced: {enabled: true}`;
/// id from `id` or else the scenario's id with '-' as '_', titles from the scenario's
/// metadata, clock speed from its self_paced block.
Expected<Course> course_from_scenario(const std::string& text, const std::string& file,
                                      const std::string& id);

}  // namespace cyrange::course
