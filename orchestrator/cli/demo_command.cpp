#include <orchestrator/cli/commands.h>

namespace cyrange::cli {

void add_demo_command(CLI::App& /*app*/) {}

}  // namespace cyrange::cli
