// The embedding matrix every projector reader produces and every projection
// consumes, and the engine's own random numbers.
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

namespace tbview {
namespace projector {

// A dense row-major float32 matrix: one row per point, one column per dimension.
// Invariant: values.size() == rows * cols.
struct Matrix {
  uint64_t rows = 0;
  uint64_t cols = 0;
  std::vector<float> values;

  const float* row(uint64_t i) const { return values.data() + i * cols; }
  float* row(uint64_t i) { return values.data() + i * cols; }
};

// A small, fully specified generator (xorshift64*), so a seed gives the same
// projection natively and in WebAssembly: the standard library's distributions
// are implementation-defined and differ between libstdc++ and libc++.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull) {
    if (state_ == 0) state_ = 1;
  }
  uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1Dull;
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }
  // Uniform integer in [0, n), n > 0.
  uint64_t Below(uint64_t n) { return Next() % n; }
  // Standard normal (Box-Muller, one value per call).
  double Normal() {
    double u = Uniform();
    if (u < 1e-300) u = 1e-300;
    const double v = Uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }

 private:
  uint64_t state_;
};

}  // namespace projector
}  // namespace tbview
