// The public side of topology includes: which library a scenario belongs to, and
// templates read and checked on their own (parser.cpp reads them inside scenarios).
#include <orchestrator/scenario/includes.h>

#include <fstream>
#include <sstream>

#include <orchestrator/scenario/topology_include.h>
#include <orchestrator/scenario/validate.h>

namespace cyrange::scenario {
namespace {

std::optional<std::string> read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

std::filesystem::path library_root_of(const std::filesystem::path& scenario_file) {
  return std::filesystem::absolute(scenario_file).lexically_normal().parent_path().parent_path();
}

bool is_topology_template(const std::filesystem::path& path) {
  const auto bytes = read_bytes(path);
  if (!bytes) return false;
  try {
    return detail::looks_like_template(YAML::Load(*bytes));
  } catch (const YAML::Exception&) {
    return false;
  }
}

Expected<std::vector<Diagnostic>> validate_topology_template(const std::filesystem::path& path) {
  const std::string file = path.string();
  const auto bytes = read_bytes(path);
  if (!bytes) {
    return make_error(ErrorCode::not_found,
                      file +
                          ":1:1: error: the template file cannot be opened / テンプレートの"
                          "ファイルを開けません; check the path and that it is readable / "
                          "パスと読み取り権限を確認してください");
  }
  // A scenario with only a topology: the topology checks apply, the rest have nothing to see.
  Scenario s;
  s.file = file;
  detail::YamlReader reader(s, *bytes);
  YAML::Node root;
  try {
    root = YAML::Load(*bytes);
  } catch (const YAML::ParserException& e) {
    const SourceLocation at = reader.at(e.mark.line, e.mark.column);
    return make_error(ErrorCode::invalid_argument,
                      file + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                          ": error: " + e.msg +
                          "; fix the YAML syntax here / ここの YAML の構文を直してください");
  } catch (const YAML::Exception& e) {
    return make_error(ErrorCode::invalid_argument,
                      file + ":1:1: error: " + e.msg + "; fix the YAML syntax of the file");
  }
  s.loc = reader.loc(root);
  auto includes = detail::include_context(file, library_root_of(path));
  s.topology = detail::read_topology(reader, root, includes);
  return validate(s);
}

}  // namespace cyrange::scenario
