#include <orchestrator/cli/commands.h>

namespace cyrange::cli {

void add_range_commands(CLI::App& /*app*/) {}

}  // namespace cyrange::cli
