// Columnar series storage: see series.h for the layout and its invariants.
//
// The restart rule keeps stored steps non-decreasing (a point with a lower step
// first drops every stored point whose step is >= its own), so a ScalarSeries can
// store steps as non-negative 32-bit deltas from a per-block base and find a step
// by binary search, and a TensorSeries can truncate with one lower_bound.
#include "series.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

namespace tbview {

namespace {

// Whether `v` survives a round trip through float exactly (NaN counts: only its
// payload bits could change, and no reader distinguishes NaN payloads).
inline bool FitsFloat(double v) {
  if (std::isnan(v)) return true;
  // Casting an out-of-range double to float is undefined behaviour: check first.
  if (!(std::fabs(v) <= static_cast<double>(FLT_MAX))) return std::isinf(v);
  return static_cast<double>(static_cast<float>(v)) == v;
}

template <typename T>
uint64_t CapacityBytes(const std::vector<T>& v) {
  return static_cast<uint64_t>(v.capacity()) * sizeof(T);
}

}  // namespace

// ---------------------------------------------------------------- ScalarSeries

int64_t ScalarSeries::step(size_t i) const {
  // Almost every series has one block (its steps span less than 2^32).
  size_t b = blocks_.size() - 1;
  if (blocks_[b].start > i) {
    auto it = std::upper_bound(blocks_.begin(), blocks_.end(), i,
                               [](size_t idx, const Block& blk) { return idx < blk.start; });
    b = static_cast<size_t>(it - blocks_.begin()) - 1;
  }
  // Unsigned arithmetic: base + delta never overflows the real step, but the
  // intermediate must not be computed in signed int64.
  return static_cast<int64_t>(static_cast<uint64_t>(blocks_[b].base) + step_deltas_[i]);
}

void ScalarSeries::Append(int64_t step, double wall_time, double value) {
  size_t n = wall_times_.size();
  uint64_t delta = 0;
  bool new_block = true;
  if (n > 0) {
    // The common case in one unsigned comparison chain: a step below the block
    // base wraps to a huge delta, so `delta <= UINT32_MAX` also means step >= base.
    delta = static_cast<uint64_t>(step) - static_cast<uint64_t>(blocks_.back().base);
    if (delta <= std::numeric_limits<uint32_t>::max() && delta >= step_deltas_[n - 1]) {
      new_block = false;
    } else {
      // The step is lower than the last stored step (a restart), or beyond what
      // a 32-bit delta from this block's base can reach.
      if (step < this->step(n - 1)) {
        TruncateFromStep(step);
        n = wall_times_.size();
      }
      if (n > 0) {
        delta = static_cast<uint64_t>(step) - static_cast<uint64_t>(blocks_.back().base);
        // After a truncation every stored step is < `step`, so delta >= 0 here.
        new_block = delta > std::numeric_limits<uint32_t>::max();
      }
    }
  }
  if (new_block) {
    blocks_.push_back(Block{n, step});
    delta = 0;
  }
  step_deltas_.push_back(static_cast<uint32_t>(delta));
  wall_times_.push_back(wall_time);
  if (!wide_) {
    if (FitsFloat(value)) {
      values_f_.push_back(static_cast<float>(value));
      return;
    }
    // The first value that float cannot hold exactly widens the whole column.
    values_d_.reserve(std::max(values_f_.capacity(), values_f_.size() + 1));
    values_d_.assign(values_f_.begin(), values_f_.end());
    std::vector<float>().swap(values_f_);
    wide_ = true;
  }
  values_d_.push_back(value);
}

void ScalarSeries::TruncateFromStep(int64_t step) {
  // Steps are non-decreasing: find the first point with a step >= `step`.
  size_t lo = 0, hi = wall_times_.size();
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (this->step(mid) < step) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  size_t keep = lo;
  dropped_ += wall_times_.size() - keep;
  step_deltas_.resize(keep);
  wall_times_.resize(keep);
  if (wide_) {
    values_d_.resize(keep);
  } else {
    values_f_.resize(keep);
  }
  while (!blocks_.empty() && blocks_.back().start >= keep) blocks_.pop_back();
}

void ScalarSeries::Shrink() {
  blocks_.shrink_to_fit();
  step_deltas_.shrink_to_fit();
  wall_times_.shrink_to_fit();
  values_f_.shrink_to_fit();
  values_d_.shrink_to_fit();
}

uint64_t ScalarSeries::RetainedBytes() const {
  return CapacityBytes(blocks_) + CapacityBytes(step_deltas_) + CapacityBytes(wall_times_) +
         CapacityBytes(values_f_) + CapacityBytes(values_d_);
}

// ---------------------------------------------------------------- TensorSeries

void TensorSeries::Append(TensorPoint point) {
  if (!points_.empty() && point.step < points_.back().step) {
    auto it = std::lower_bound(points_.begin(), points_.end(), point.step,
                               [](const TensorPoint& p, int64_t s) { return p.step < s; });
    dropped_ += static_cast<uint64_t>(points_.end() - it);
    points_.erase(it, points_.end());
  }
  points_.push_back(std::move(point));
}

uint64_t TensorSeries::RetainedBytes() const {
  uint64_t total = CapacityBytes(points_);
  for (const TensorPoint& p : points_) {
    const Tensor& t = p.tensor;
    total += CapacityBytes(t.shape) + CapacityBytes(t.numbers) + CapacityBytes(t.strings);
    for (const std::string& s : t.strings) {
      // Strings longer than the small-string buffer own a heap block.
      if (s.capacity() > sizeof(std::string) - 1) total += s.capacity() + 1;
    }
  }
  return total;
}

}  // namespace tbview
