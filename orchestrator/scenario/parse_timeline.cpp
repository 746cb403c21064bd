#include <orchestrator/scenario/parse_sections.h>

namespace cyrange::scenario::detail {
namespace {

Answer parse_answer(YamlReader& r, const YAML::Node& node) {
  static const std::map<std::string, AnswerKind> kinds = {
      {"exact", AnswerKind::exact},
      {"normalized", AnswerKind::normalized},
      {"regex", AnswerKind::regex},
      {"any_of", AnswerKind::any_of},
      {"numeric_range", AnswerKind::numeric_range},
      {"variable", AnswerKind::variable}};
  Answer a;
  a.loc = r.loc(node);
  if (!r.object(node, "answer", "an answer", a.value_locs)) return a;
  const std::string type = r.str(node, "type");
  if (auto it = kinds.find(type); it != kinds.end()) {
    a.kind = it->second;
  } else if (!type.empty()) {
    r.error(r.loc(YamlReader::child(node, "type")), "unknown answer type '" + type + "'",
            "use one of exact, normalized, regex, any_of, numeric_range, variable");
  }
  a.value = r.str(node, a.kind == AnswerKind::regex ? "pattern" : "value");
  a.values = r.str_list(node, "values");
  a.variable = r.str(node, "variable");
  a.center = r.str(node, "center");
  a.tolerance = r.number(node, "tolerance", 0);
  a.has_bounds =
      YamlReader::child(node, "min").IsDefined() || YamlReader::child(node, "max").IsDefined();
  a.min = r.number(node, "min", 0);
  a.max = r.number(node, "max", 0);
  return a;
}

// `auto_at:` beside the trigger (or `opens:`) of `owner`: kept in the trigger it backs up.
void parse_auto_at(YamlReader& r, const YAML::Node& owner, Trigger& t) {
  const YAML::Node node = YamlReader::child(owner, "auto_at");
  if (!node.IsDefined()) return;
  t.auto_at_loc = r.loc(node);
  const int seconds = r.duration(owner, "auto_at", -1);
  if (seconds >= 0) t.auto_at_seconds = seconds;
}

Grader parse_grader(YamlReader& r, const YAML::Node& item, SourceLocation& where) {
  static const std::map<std::string, Grader> graders = {
      {"instructor", Grader::instructor}, {"self", Grader::self}, {"review", Grader::review}};
  const YAML::Node node = YamlReader::child(item, "graded_by");
  where = r.loc(node.IsDefined() ? node : item);
  const std::string name = r.str(item, "graded_by", "instructor");
  if (auto it = graders.find(name); it != graders.end()) return it->second;
  r.error(where, "unknown grader '" + name + "' / 採点者 '" + name + "' は不明です",
          "write `graded_by: instructor`, `self` or `review` / instructor、self、review "
          "のいずれかを指定してください");
  return Grader::instructor;
}

// The keys that shape how an objective scores: expected commands, rubric, solution,
// time decay and the wrong-answer limit.
void parse_scoring_rules(YamlReader& r, const YAML::Node& node, Objective& o) {
  r.for_each(node, "expected_commands", [&](const YAML::Node& item) {
    ExpectedCommand c;
    c.loc = r.loc(item);
    if (!r.object(item, "expected_command", "an expected command", c.value_locs)) return;
    c.host = r.str(item, "host");
    c.pattern = r.str(item, "pattern");
    o.expected_commands.push_back(std::move(c));
  });
  r.for_each(node, "rubric", [&](const YAML::Node& item) {
    RubricItem i;
    i.loc = r.loc(item);
    if (!r.object(item, "rubric_item", "a rubric item", i.value_locs)) return;
    i.id = r.str(item, "id");
    i.text = r.text(item, "text");
    i.points = static_cast<int>(r.integer(item, "points", 0));
    i.graded_by = parse_grader(r, item, i.graded_by_loc);
    o.rubric.push_back(std::move(i));
  });
  o.solution = r.text(node, "solution");
  if (const YAML::Node decay = YamlReader::child(node, "decay"); decay.IsDefined()) {
    o.has_decay = true;
    o.decay.loc = r.loc(decay);
    if (r.object(decay, "decay", "a time decay", o.decay.value_locs)) {
      o.decay.start_seconds = r.duration(decay, "start", 0);
      o.decay.end_seconds = r.duration(decay, "end", 0);
      o.decay.floor_percent = static_cast<int>(r.integer(decay, "floor", 0));
    }
  }
  if (const YAML::Node wrong = YamlReader::child(node, "wrong_answers"); wrong.IsDefined()) {
    o.has_wrong_answers = true;
    o.wrong_answers.loc = r.loc(wrong);
    if (r.object(wrong, "wrong_answers", "a wrong-answer rule", o.wrong_answers.value_locs)) {
      o.wrong_answers.limit = static_cast<int>(r.integer(wrong, "limit", 0));
      o.wrong_answers.penalty = static_cast<int>(r.integer(wrong, "penalty", 0));
    }
  }
}

Objective parse_objective(YamlReader& r, const YAML::Node& node) {
  Objective o;
  o.loc = r.loc(node);
  if (!r.object(node, "objective", "an objective", o.value_locs)) return o;
  o.id = r.str(node, "id");
  o.question = r.text(node, "question");
  o.points = static_cast<int>(r.integer(node, "points", 0));
  if (const YAML::Node answer = YamlReader::child(node, "answer"); answer.IsDefined()) {
    o.has_answer = true;
    o.answer = parse_answer(r, answer);
  }
  if (const YAML::Node check = YamlReader::child(node, "check"); check.IsDefined()) {
    o.has_check = true;
    o.check.loc = r.loc(check);
    if (r.object(check, "check", "a state check", o.check.value_locs)) {
      o.check.host = r.str(check, "host");
      o.check.command = r.str(check, "command");
      o.check.expect = r.str(check, "expect");
    }
  }
  r.for_each(node, "hints", [&](const YAML::Node& item) {
    Hint h;
    h.loc = r.loc(item);
    if (!r.object(item, "hint", "a hint", h.value_locs)) return;
    h.text = r.text(item, "text");
    h.penalty = static_cast<int>(r.integer(item, "penalty", 0));
    o.hints.push_back(std::move(h));
  });
  r.for_each(node, "parts",
             [&](const YAML::Node& item) { o.parts.push_back(parse_objective(r, item)); });
  parse_scoring_rules(r, node, o);
  if (const YAML::Node opens = YamlReader::child(node, "opens"); opens.IsDefined()) {
    o.has_opens = true;
    o.opens = parse_trigger(r, opens);
  }
  parse_auto_at(r, node, o.opens);
  return o;
}

}  // namespace

Trigger parse_trigger(YamlReader& r, const YAML::Node& node) {
  Trigger t;
  t.loc = r.loc(node);
  if (node.IsScalar() && node.Scalar() == "manual") {
    t.kind = Trigger::Kind::manual;
    return t;
  }
  if (!r.object(node, "trigger", "a trigger", t.value_locs)) return t;
  const bool at = YamlReader::child(node, "at").IsDefined();
  const bool after = YamlReader::child(node, "after").IsDefined();
  const bool event = YamlReader::child(node, "on_event").IsDefined();
  const bool objective = YamlReader::child(node, "on_objective").IsDefined();
  if (at + after + event + objective != 1) {
    r.error(t.loc, "a trigger needs exactly one of at, after, on_event, on_objective",
            "write for example `{at: 5m}`, `{after: STEP, delay: 2m}`, "
            "`{on_event: answer:OBJECTIVE}`, `{on_objective: ID, state: solved}` or `manual`");
  }
  if (at) {
    t.kind = Trigger::Kind::at;
    t.at_seconds = r.duration(node, "at", 0);
  } else if (after) {
    t.kind = Trigger::Kind::after;
    t.after = r.str(node, "after");
    t.delay_seconds = r.duration(node, "delay", 0);
  } else if (event) {
    t.kind = Trigger::Kind::event;
    t.event = r.str(node, "on_event");
  } else if (objective) {
    t.kind = Trigger::Kind::objective;
    t.objective = r.str(node, "on_objective");
    t.state = r.str(node, "state", "solved");
  }
  return t;
}

std::vector<Step> parse_timeline(YamlReader& r, const YAML::Node& root) {
  std::vector<Step> out;
  r.for_each(root, "timeline", [&](const YAML::Node& node) {
    Step s;
    s.loc = r.loc(node);
    if (!r.object(node, "step", "a timeline step", s.value_locs)) return;
    s.id = r.str(node, "id");
    s.category = r.str(node, "category", "attack");
    s.type = r.str(node, "type");
    s.technique = r.str(node, "technique");
    s.technique_loc = r.loc(YamlReader::child(node, "technique"));
    s.target = r.str(node, "target");
    s.target_loc = r.loc(YamlReader::child(node, "target"));
    if (const YAML::Node trigger = YamlReader::child(node, "trigger"); trigger.IsDefined()) {
      s.trigger = parse_trigger(r, trigger);
    }
    parse_auto_at(r, node, s.trigger);
    s.params = r.str_map(node, "params");
    s.description = r.text(node, "description");
    r.for_each(node, "options", [&](const YAML::Node& item) {
      DecisionOption option;
      option.loc = r.loc(item);
      if (!r.object(item, "option", "a decision option", option.value_locs)) return;
      option.id = r.str(item, "id");
      option.label = r.text(item, "label");
      s.options.push_back(std::move(option));
    });
    s.default_option = r.str(node, "default_option");
    s.default_option_loc = r.loc(YamlReader::child(node, "default_option"));
    out.push_back(std::move(s));
  });
  return out;
}

std::vector<Objective> parse_objectives(YamlReader& r, const YAML::Node& root) {
  std::vector<Objective> out;
  r.for_each(root, "objectives",
             [&](const YAML::Node& node) { out.push_back(parse_objective(r, node)); });
  return out;
}

std::vector<Availability> parse_availability(YamlReader& r, const YAML::Node& root) {
  std::vector<Availability> out;
  r.for_each(root, "availability", [&](const YAML::Node& node) {
    Availability a;
    a.loc = r.loc(node);
    if (!r.object(node, "availability", "an availability check", a.value_locs)) return;
    a.id = r.str(node, "id");
    a.host = r.str(node, "host");
    a.service = r.str(node, "service");
    a.penalty_per_minute = static_cast<int>(r.integer(node, "penalty_per_minute", 0));
    a.from_seconds = r.duration(node, "from", 0);
    out.push_back(std::move(a));
  });
  return out;
}

std::vector<Message> parse_messages(YamlReader& r, const YAML::Node& root) {
  std::vector<Message> out;
  r.for_each(root, "messages", [&](const YAML::Node& node) {
    Message m;
    m.loc = r.loc(node);
    if (!r.object(node, "message", "a message", m.value_locs)) return;
    m.id = r.str(node, "id");
    if (const YAML::Node trigger = YamlReader::child(node, "trigger"); trigger.IsDefined()) {
      m.trigger = parse_trigger(r, trigger);
    }
    parse_auto_at(r, node, m.trigger);
    m.text = r.text(node, "text");
    out.push_back(std::move(m));
  });
  return out;
}

}  // namespace cyrange::scenario::detail
