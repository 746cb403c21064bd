#include <orchestrator/scenario/graph.h>

#include <map>
#include <vector>

#include <orchestrator/scenario/dry_run.h>

namespace cyrange::scenario {
namespace {

std::string quote(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// A DOT label of several lines; each line is escaped on its own.
std::string label(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) {
    const std::string q = quote(line);
    out += (out.empty() ? "" : "\\n") + q.substr(1, q.size() - 2);
  }
  return "\"" + out + "\"";
}

std::string node_id(const std::string& kind, const std::string& name) {
  return quote(kind + ":" + name);
}

}  // namespace

std::string to_dot(const Scenario& s) {
  std::string out = "digraph " + quote(s.metadata.id.empty() ? "scenario" : s.metadata.id) +
                    " {\n  rankdir=LR;\n  node [fontname=\"sans\"];\n";
  for (const auto& seg : s.topology.segments) {
    out += "  " + node_id("segment", seg.name) + " [shape=ellipse, style=filled, " +
           "fillcolor=lightblue, label=" + label({seg.name, seg.cidr}) + "];\n";
  }
  for (const auto& r : s.topology.routers) {
    out += "  " + node_id("host", r.name) + " [shape=diamond, label=" + label({r.name, r.kind}) +
           "];\n";
    for (const auto& i : r.interfaces) {
      out += "  " + node_id("host", r.name) + " -> " + node_id("segment", i.segment) +
             " [dir=none, label=" + quote(i.address) + "];\n";
    }
  }
  for (const auto& h : s.topology.hosts) {
    out += "  " + node_id("host", h.name) + " [shape=box, label=" + label({h.name, h.role}) +
           (h.trainee_terminal ? ", peripheries=2" : "") + "];\n";
    for (const auto& i : h.interfaces) {
      out += "  " + node_id("host", h.name) + " -> " + node_id("segment", i.segment) +
             " [dir=none, label=" + quote(i.address) + "];\n";
    }
  }
  // The attack path follows the simulated timeline order, not the file order.
  std::map<std::string, const Step*> steps;
  for (const auto& step : s.timeline) steps.emplace(step.id, &step);
  // Consecutive steps on the same host share one edge, so the path reads as hops.
  struct Hop {
    std::string from, to;
    std::vector<std::string> lines;
  };
  std::vector<Hop> hops;
  std::string previous = node_id("actor", "attacker");
  out += "  " + previous + " [shape=octagon, color=red, label=\"attacker\"];\n";
  for (const auto& event : plan_timeline(s)) {
    if (event.kind != PlannedEvent::Kind::step) continue;
    const Step* step = steps.at(event.id);
    if (step->target.empty() || step->category != "attack") continue;
    const std::string target = node_id("host", step->target);
    const std::string line = step->id + (step->technique.empty() ? "" : " " + step->technique);
    if (!hops.empty() && hops.back().to == target) {
      hops.back().lines.push_back(line);
    } else {
      hops.push_back({previous, target, {line}});
    }
    previous = target;
  }
  for (const auto& hop : hops) {
    out += "  " + hop.from + " -> " + hop.to +
           " [color=red, fontcolor=red, label=" + label(hop.lines) + "];\n";
  }
  return out + "}\n";
}

}  // namespace cyrange::scenario
