#include <orchestrator/exercise/recording_export.h>

#include <nlohmann/json.hpp>

#include <orchestrator/common/private_file.h>
#include <orchestrator/exercise/terminal.h>

namespace cyrange::exercise {

namespace fs = std::filesystem;

Expected<std::vector<fs::path>> export_exercise_recordings(RangeRegistry& registry,
                                                           const std::string& exercise,
                                                           const fs::path& dir,
                                                           const std::string& actor) {
  auto sessions = registry.terminal_sessions(exercise);
  if (!sessions) return sessions.error();
  std::vector<fs::path> files;
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& s : *sessions) {
    files.push_back(dir / (s.team + "-" + s.host + "-" + std::to_string(s.id) + ".cast"));
    ids.push_back(s.id);
  }
  const nlohmann::json detail = {
      {"format", "asciicast-v2"}, {"out", fs::absolute(dir).string()}, {"sessions", ids}};
  if (Status st =
          registry.audit_by(actor, "recording.export", "exercise:" + exercise,
                            detail.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      !st)
    return st.error();
  std::error_code ec;
  fs::create_directories(dir, ec);
  for (std::size_t i = 0; i < sessions->size(); ++i) {
    auto cast = export_asciicast(registry, (*sessions)[i].id);
    if (!cast) return cast.error();
    if (Status st = write_private_file(files[i], *cast); !st) return st.error();
  }
  return files;
}

}  // namespace cyrange::exercise
