#pragma once

#include <functional>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <orchestrator/scenario/scenario.h>

namespace cyrange::scenario::detail {

// Internal to the parser: reads typed values out of yaml-cpp nodes and turns every
// shape problem (unknown or missing key, wrong type) into a Diagnostic instead of
// throwing, so that one run reports all problems of a file.

/// Typed, diagnosing access to the nodes of one scenario file.
class YamlReader {
 public:
  /// Diagnostics and ${vars.x} references are appended to `scenario`.
  /// `text` is the file's content, used to turn byte columns into character columns;
  /// `file` names it in locations (the scenario's file when empty, an included
  /// template's otherwise).
  YamlReader(Scenario& scenario, const std::string& text, std::string file = {});

  /// The 1-based location of `node` (the file's start when the node has no mark), with
  /// where its text ends: a scalar's last character (closing quote included), a flow
  /// list's or mapping's closing bracket, else the end of its first line.
  SourceLocation loc(const YAML::Node& node) const;
  /// Where `needle` is written inside the scalar `node` (its first occurrence), e.g. one
  /// ${…} of a long value; loc(node) when it cannot be found as written (escapes, folding).
  SourceLocation locate(const YAML::Node& node, const std::string& needle) const;
  /// Where each key's value of the mapping `node` was written, and one level below: the
  /// items of a list value ("key.N") and the values of a mapping value ("key.NAME").
  ValueLocations values(const YAML::Node& node) const;
  /// The 1-based location of a yaml-cpp mark (0-based line, byte column) in this file.
  SourceLocation at(int line, int byte_column) const;
  /// The file this reader reads, as locations name it.
  const std::string& file() const { return file_; }
  /// The scenario being read (an included template's reader fills the same one).
  Scenario& scenario() { return scenario_; }

  /// Checks that `node` is a mapping of shape `shape` (see object_shapes()): reports
  /// unknown, duplicate and missing keys. False when it is not a mapping at all.
  bool object(const YAML::Node& node, const std::string& shape, const std::string& what);
  /// object(), and on success the places of the mapping's values into `places`.
  bool object(const YAML::Node& node, const std::string& shape, const std::string& what,
              ValueLocations& places);

  /// The value of `key` in the mapping `parent`, or an undefined node.
  static YAML::Node child(const YAML::Node& parent, const char* key);

  /// A scalar as text; records ${vars.x} references. Non-scalars are reported.
  std::string str(const YAML::Node& parent, const char* key, const std::string& fallback = "");
  /// A scalar as text (for list items and map values).
  std::string scalar(const YAML::Node& node, const std::string& what);
  /// A whole number.
  long long integer(const YAML::Node& parent, const char* key, long long fallback);
  /// A number (integer or decimal).
  double number(const YAML::Node& parent, const char* key, double fallback);
  /// true/false.
  bool boolean(const YAML::Node& parent, const char* key, bool fallback);
  /// A duration: whole seconds, or "1h30m", "5m", "90s".
  int duration(const YAML::Node& parent, const char* key, int fallback);
  /// A bilingual text {ja, en}; loc is the parent's when absent.
  Text text(const YAML::Node& parent, const char* key);
  /// A list of scalars (a single scalar is reported).
  std::vector<std::string> str_list(const YAML::Node& parent, const char* key);
  /// A mapping of scalar values.
  std::map<std::string, std::string> str_map(const YAML::Node& parent, const char* key);
  /// Calls `each` for every item of the list `key`; reports a non-list.
  void for_each(const YAML::Node& parent, const char* key,
                const std::function<void(const YAML::Node&)>& each);

  /// Records a schema-level error at `where`.
  void error(const SourceLocation& where, const std::string& what, const std::string& fix);
  /// Records that `node` is not of the shape expected ("'x': expected a list, found a
  /// mapping"), in both languages.
  void wrong_shape(const YAML::Node& node, const std::string& subject,
                   const std::string& expected_en, const std::string& expected_ja,
                   const std::string& fix_en, const std::string& fix_ja);
  /// Attaches a note at `where` to the error recorded last.
  void note(const SourceLocation& where, const std::string& text);

 private:
  void scan_refs(const std::string& text, const YAML::Node& node);
  /// The byte just after the text of `node` that starts at byte `start` of line `line`.
  std::size_t end_of(const YAML::Node& node, int line, std::size_t start) const;
  Scenario& scenario_;
  std::string file_;
  std::vector<std::string> lines_;
};

/// Parses `value` as a duration ("1h30m", "5m", "90s", "300"); -1 when malformed.
int parse_duration(const std::string& value);

}  // namespace cyrange::scenario::detail
