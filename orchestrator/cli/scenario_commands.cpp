#include <orchestrator/cli/commands.h>

namespace cyrange::cli {

void add_scenario_commands(CLI::App& /*app*/) {}

}  // namespace cyrange::cli
