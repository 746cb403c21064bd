#include <orchestrator/cli/commands.h>

namespace cyrange::cli {

void add_system_commands(CLI::App& /*app*/) {}

}  // namespace cyrange::cli
