#include <client-core/log_sink.h>

#include <memory>
#include <mutex>
#include <string>

#include <orchestrator/common/log.h>

namespace cyrange::client {

namespace {

std::mutex sink_mutex;
std::shared_ptr<const LogSink> current_sink;

void default_sink(LogLevel level, std::string_view component, std::string_view message) {
  auto logger = log::get(std::string(component));
  switch (level) {
    case LogLevel::info:
      logger->info("{}", message);
      break;
    case LogLevel::warning:
      logger->warn("{}", message);
      break;
    case LogLevel::error:
      logger->error("{}", message);
      break;
  }
}

}  // namespace

void set_log_sink(LogSink sink) {
  std::lock_guard lock(sink_mutex);
  current_sink = sink ? std::make_shared<const LogSink>(std::move(sink)) : nullptr;
}

void client_log(LogLevel level, std::string_view component, std::string_view message) {
  std::shared_ptr<const LogSink> sink;
  {
    std::lock_guard lock(sink_mutex);
    sink = current_sink;
  }
  // Called outside the lock: a sink may log itself or replace the sink.
  if (sink) {
    (*sink)(level, component, message);
  } else {
    default_sink(level, component, message);
  }
}

}  // namespace cyrange::client
