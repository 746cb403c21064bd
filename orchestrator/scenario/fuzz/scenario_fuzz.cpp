// libFuzzer entry for the scenario language: any bytes go through the parser and
// the validator; a scenario without errors also goes through everything that
// consumes a valid one (variables, range mapping, dry-run plan, graph). A crash, a
// sanitizer report, an uncaught exception or a "the file could not be read"
// diagnostic is a bug to fix in the scenario library, never in this file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <orchestrator/scenario/dry_run.h>
#include <orchestrator/scenario/graph.h>
#include <orchestrator/scenario/parser.h>
#include <orchestrator/scenario/to_range.h>
#include <orchestrator/scenario/validate.h>
#include <orchestrator/scenario/variables.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace sc = cyrange::scenario;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto scenario = sc::parse_scenario(text, "fuzz.yaml");
  if (!scenario) return 0;
  const auto diagnostics = sc::validate(*scenario);
  for (const auto& d : diagnostics) {
    // The parser turns an exception it did not foresee into this diagnostic (parser.cpp)
    // rather than crash; for the fuzzer it is a crash all the same. Matched by its
    // fixed start, since other messages may quote any text of the input.
    if (d.message.rfind("the file could not be read: ", 0) == 0) {
      std::fprintf(stderr, "%s\n", d.format().c_str());
      std::abort();
    }
  }
  if (sc::count(diagnostics, sc::Severity::error) > 0) return 0;
  const auto vars = sc::resolve_variables(*scenario, 1, "t1");
  (void)sc::to_range_spec(*scenario, vars, "fuzz", "t1");
  (void)sc::format_plan(sc::plan_timeline(*scenario), 10);
  (void)sc::to_dot(*scenario);
  return 0;
}
