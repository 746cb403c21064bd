#pragma once

#include <cmath>
#include <cstdint>
#include <string_view>

namespace cyrange::workforce {

/// Stable 64-bit hash of a text (FNV-1a), identical on every machine and build.
constexpr std::uint64_t stable_hash(std::string_view text,
                                    std::uint64_t basis = 0xcbf29ce484222325ULL) {
  std::uint64_t h = basis;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

/// One splitmix64 step; also a good mixer for combining stream ids.
constexpr std::uint64_t mix64(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Deterministic generator with its own distributions, because std:: distributions
/// differ between standard libraries and the logs must be byte-identical per seed.
class Rng {
 public:
  /// A stream named by up to three numbers below a root seed; streams never overlap in practice.
  explicit Rng(std::uint64_t root, std::uint64_t a = 0, std::uint64_t b = 0, std::uint64_t c = 0)
      : state_(mix64(mix64(mix64(root ^ 0x5851f42d4c957f2dULL) ^ a) ^
                     mix64(b + 0x632be59bd9b4e019ULL)) ^
               c) {}

  /// Next raw 64 bits.
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Uniform integer in [lo, hi].
  long long between(long long lo, long long hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<long long>(next() % span);
  }
  /// True with probability p.
  bool chance(double p) { return uniform() < p; }
  /// Exponential with the given mean.
  double exponential(double mean) { return -mean * std::log1p(-uniform()); }
  /// Approximately normal (sum of four uniforms: bounded tails suit clock times).
  double normal(double mean, double sd) {
    const double s = uniform() + uniform() + uniform() + uniform() - 2.0;
    return mean + sd * s * 1.7320508075688772;  // sqrt(12/4) scales the variance to 1
  }

 private:
  std::uint64_t state_;
};

}  // namespace cyrange::workforce
