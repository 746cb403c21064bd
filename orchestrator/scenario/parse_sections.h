#pragma once

#include <yaml-cpp/yaml.h>

#include <orchestrator/scenario/yaml_reader.h>

namespace cyrange::scenario::detail {

// One function per section of the file; each fills its part of the Scenario.

/// metadata:
Metadata parse_metadata(YamlReader& r, const YAML::Node& node);
/// variables:
std::vector<Variable> parse_variables(YamlReader& r, const YAML::Node& root);
/// workforce:
Workforce parse_workforce(YamlReader& r, const YAML::Node& node);
/// topology: the segments, routers and hosts written in `node` itself (includes are
/// resolved around it by read_topology(), topology_include.h).
Topology parse_topology(YamlReader& r, const YAML::Node& node);
/// The `interfaces:` list of a host, router or router extension.
std::vector<Interface> parse_interfaces(YamlReader& r, const YAML::Node& owner);
/// The `rules:` list of a router or router extension.
std::vector<FirewallRule> parse_rules(YamlReader& r, const YAML::Node& router);
/// A trigger mapping (or the word `manual`).
Trigger parse_trigger(YamlReader& r, const YAML::Node& node);
/// timeline:
std::vector<Step> parse_timeline(YamlReader& r, const YAML::Node& root);
/// objectives:
std::vector<Objective> parse_objectives(YamlReader& r, const YAML::Node& root);
/// availability:
std::vector<Availability> parse_availability(YamlReader& r, const YAML::Node& root);
/// messages:
std::vector<Message> parse_messages(YamlReader& r, const YAML::Node& root);
/// self_paced:
SelfPaced parse_self_paced(YamlReader& r, const YAML::Node& node);

}  // namespace cyrange::scenario::detail
