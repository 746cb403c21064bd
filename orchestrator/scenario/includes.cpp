// The public side of topology includes: which library a scenario belongs to, and
// templates read and checked on their own (parser.cpp reads them inside scenarios).
#include <orchestrator/scenario/includes.h>

#include <fstream>
#include <sstream>

#include <orchestrator/scenario/source_text.h>
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
  const auto read = read_yaml_file(*bytes);
  const auto* root = std::get_if<YAML::Node>(&read);
  return root && detail::looks_like_template(*root);
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
  auto read = read_yaml_file(*bytes);
  if (auto* problem = std::get_if<TextProblem>(&read)) {
    return make_error(ErrorCode::invalid_argument, format_problem(file, *problem));
  }
  const YAML::Node root = std::get<YAML::Node>(read);
  detail::YamlReader reader(s, strip_bom(*bytes));
  s.loc = reader.loc(root);
  auto includes = detail::include_context(file, library_root_of(path));
  s.topology = detail::read_topology(reader, root, includes);
  return validate(s);
}

}  // namespace cyrange::scenario
