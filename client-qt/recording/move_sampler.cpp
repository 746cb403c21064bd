#include <client-qt/recording/move_sampler.h>

#include <algorithm>
#include <utility>

namespace cyrange::qt::recording {

MoveSampler::MoveSampler(std::chrono::milliseconds interval)
    : interval_ms_(std::max<std::int64_t>(1, interval.count())) {}

std::optional<PendingInput> MoveSampler::add(const PendingInput& move) {
  const std::uint32_t merged = std::max<std::uint32_t>(1, move.count);
  if (window_) {
    const std::int64_t since = move.input_ms - window_start_ms_;
    if (since >= 0 && since < interval_ms_) {
      const std::uint32_t total = window_->count + merged;
      *window_ = move;
      window_->count = total;
      return std::nullopt;
    }
  }
  std::optional<PendingInput> closed = take();
  window_ = move;
  window_->count = merged;
  window_start_ms_ = move.input_ms;
  return closed;
}

std::optional<PendingInput> MoveSampler::take() {
  std::optional<PendingInput> sample = std::move(window_);
  window_.reset();
  return sample;
}

}  // namespace cyrange::qt::recording
