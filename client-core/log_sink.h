#pragma once

#include <functional>
#include <string_view>

namespace cyrange::client {

/// How bad a message of client-core is.
enum class LogLevel { info, warning, error };

/// Where client-core's own messages go: (level, component, message). A GUI sends them
/// to its log view; the default writes them through the project's spdlog facade.
using LogSink = std::function<void(LogLevel, std::string_view, std::string_view)>;

/// Replaces the sink (thread-safe); an empty sink restores the default.
void set_log_sink(LogSink sink);

/// Hands one message to the sink; for client-core's own code.
void client_log(LogLevel level, std::string_view component, std::string_view message);

}  // namespace cyrange::client
