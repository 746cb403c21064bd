#include <orchestrator/privacy/consent.h>

namespace cyrange::privacy {

std::string_view to_string(Purpose purpose) {
  switch (purpose) {
    case Purpose::scoring:
      return "scoring";
    case Purpose::research:
      return "research";
  }
  return "scoring";
}

Expected<Purpose> parse_purpose(std::string_view name) {
  if (name == "scoring") return Purpose::scoring;
  if (name == "research") return Purpose::research;
  return make_error(ErrorCode::invalid_argument,
                    "Unknown consent purpose '" + std::string(name) +
                        "'; use 'scoring' (scoring and debrief) or 'research'. "
                        "同意の目的は scoring（採点と振り返り）か research（研究）です。");
}

}  // namespace cyrange::privacy
