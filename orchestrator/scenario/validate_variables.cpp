// Variables built from other variables: cycles and values that grow too long.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <orchestrator/scenario/validate_checks.h>
#include <orchestrator/scenario/variables.h>

namespace cyrange::scenario::detail {
namespace {

/// Where length estimates stop growing: far above any limit, far below overflow.
constexpr std::size_t kSaturated = std::size_t{1} << 40;

/// Every text of `v` that may hold ${vars.x} references.
std::vector<std::string> texts_of(const Variable& v) {
  std::vector<std::string> texts = v.choices;
  texts.push_back(v.prefix);
  texts.push_back(v.suffix);
  return texts;
}

/// Walks the reference graph once: reports each cycle at the variable through which
/// it was entered, and bounds the longest value each variable can take (saturating, so that a
/// chain that doubles at every step cannot overflow).
class ChainCheck {
 public:
  ChainCheck(const Scenario& s, Findings& f) : findings_(f) {
    for (const auto& v : s.variables) by_name_.emplace(v.name, &v);
  }

  std::size_t longest(const Variable& v) {
    if (auto it = longest_.find(v.name); it != longest_.end()) return it->second;
    if (auto on = std::find(path_.begin(), path_.end(), v.name); on != path_.end()) {
      std::string chain;
      for (auto it = on; it != path_.end(); ++it) chain += *it + " -> ";
      if (reported_.insert(v.name).second)
        findings_.error(value_loc(v, "name"),
                        "variables refer to each other in a cycle: " + chain + v.name,
                        "give one of them a value that does not use ${vars.…}");
      return 0;
    }
    path_.push_back(v.name);
    std::size_t own = 0;
    switch (v.kind) {
      case VariableKind::word:
        own = static_cast<std::size_t>(std::max(v.length, 0)) + 2;  // a syllable may overshoot
        break;
      case VariableKind::hex:
        own = static_cast<std::size_t>(std::max(v.length, 0));
        break;
      case VariableKind::integer:
        own = 20;
        break;
      case VariableKind::address:
        own = 15;
        break;
      case VariableKind::choice:
        break;
    }
    std::size_t total = own, widest_choice = 0;
    for (const auto& text : texts_of(v)) {
      std::size_t length = text.size();
      for (const auto& ref : referenced_variables(text)) {
        auto dep = by_name_.find(ref);
        if (dep == by_name_.end()) continue;  // check_variable_refs reports it
        length = std::min(length + longest(*dep->second), kSaturated);
      }
      if (v.kind == VariableKind::choice)
        widest_choice = std::max(widest_choice, length);
      else
        total = std::min(total + length, kSaturated);
    }
    total = std::min(total + widest_choice, kSaturated);
    path_.pop_back();
    longest_[v.name] = total;
    return total;
  }

 private:
  Findings& findings_;
  std::map<std::string, const Variable*> by_name_;
  std::map<std::string, std::size_t> longest_;
  std::vector<std::string> path_;
  std::set<std::string> reported_;
};

}  // namespace

void check_variable_chains(const Scenario& s, const NameIndex&, Findings& f) {
  ChainCheck chains(s, f);
  std::map<std::string, std::size_t> longest;
  for (const auto& v : s.variables) longest[v.name] = chains.longest(v);
  for (const auto& v : s.variables) {
    if (longest[v.name] <= kMaxVariableValue) continue;
    // Only where the growth starts: a variable built from an overlong one says nothing new.
    bool from_overlong = false;
    for (const auto& text : texts_of(v))
      for (const auto& ref : referenced_variables(text))
        from_overlong = from_overlong || (longest.count(ref) && longest[ref] > kMaxVariableValue);
    if (from_overlong) continue;
    f.error(value_loc(v, "name"),
            "variable '" + v.name + "' can grow to " +
                (longest[v.name] >= kSaturated ? std::string("more than a terabyte")
                                               : std::to_string(longest[v.name]) + " characters") +
                " once the variables it uses are filled in (the limit is " +
                std::to_string(kMaxVariableValue) + ")",
            "use fewer or shorter ${vars.…} references in its value");
  }
}

}  // namespace cyrange::scenario::detail
