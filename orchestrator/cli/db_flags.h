#pragma once

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include <orchestrator/common/expected.h>
#include <orchestrator/config/config.h>

namespace cyrange::cli {

/// Prints the error's sentence and ends the command with exit status 1.
[[noreturn]] inline void stop(const Error& error) {
  std::cerr << error.message << "\n";
  throw CLI::RuntimeError(1);
}

/// The value, or stop() with the error.
template <class T>
T need(Expected<T> result) {
  if (!result) stop(result.error());
  return std::move(result).value();
}

/// --db and --config of commands that work on the database of the system of record
/// directly (operator commands on the host).
struct DbFlags {
  std::string uri;
  std::string config_file;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--db", uri,
                    "PostgreSQL URI (default: $CYRANGE_DB_URI, config, postgresql:///cyrange)");
    cmd->add_option("--config", config_file, "Configuration file for the defaults");
  }

  std::string resolve() const {
    if (!uri.empty()) return uri;
    std::optional<std::filesystem::path> path;
    if (!config_file.empty()) path = config_file;
    return need(config::load_config(path)).database_uri;
  }
};

}  // namespace cyrange::cli
