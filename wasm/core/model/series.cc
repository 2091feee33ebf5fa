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
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <new>
#include <utility>

namespace tbview {

namespace {

template <typename T>
uint64_t CapacityBytes(const std::vector<T>& v) {
  return static_cast<uint64_t>(v.capacity()) * sizeof(T);
}

[[noreturn]] void OutOfMemory() {
#if defined(__cpp_exceptions)
  throw std::bad_alloc();
#else
  std::abort();
#endif
}

// realloc for trivially copyable arrays (n > 0). Large blocks are page-mapped by
// the allocator, and growing them remaps pages instead of copying bytes.
template <typename T>
T* Resize(T* p, size_t n) {
  void* q = std::realloc(p, n * sizeof(T));
  if (!q) OutOfMemory();
  return static_cast<T*>(q);
}

// The first capacity of a series' first chunk (then doubled up to kChunkPoints).
constexpr uint32_t kFirstCapacity = 256;

}  // namespace

// ---------------------------------------------------------------- ScalarSeries
//
// Invariants (size_ > 0): chunk_count() == ceil(size_ / kChunkPoints); every chunk
// but the last is full (kChunkPoints points, capacity kChunkPoints); the last holds
// tail_n_ in [1, kChunkPoints] points in tail_cap_ >= tail_n_ slots and tail_* alias
// its arrays; blocks_ is non-empty, base_ == blocks_.back().base and last_delta_ is
// the last point's delta. size_ == 0: no chunks, no blocks, tail_cap_ == 0 and
// last_delta_ == kNoDelta (so Append's inline test fails and AppendSlow starts).

void ScalarSeries::Release() {
  const size_t n = chunk_count();
  for (size_t c = 0; c < n; ++c) {
    std::free(chunks_[c].steps);
    std::free(chunks_[c].walls);
    std::free(chunks_[c].values.f);
  }
}

void ScalarSeries::TakeFrom(ScalarSeries* o) {
  tail_steps_ = o->tail_steps_;
  tail_walls_ = o->tail_walls_;
  tail_values_ = o->tail_values_;
  tail_n_ = o->tail_n_;
  tail_cap_ = o->tail_cap_;
  last_delta_ = o->last_delta_;
  base_ = o->base_;
  size_ = o->size_;
  wide_ = o->wide_;
  one_ = o->one_;
  many_ = std::move(o->many_);
  chunks_ = many_.empty() ? &one_ : many_.data();
  blocks_ = std::move(o->blocks_);
  dropped_ = o->dropped_;
  // o: empty, owning nothing.
  o->tail_steps_ = nullptr;
  o->tail_walls_ = nullptr;
  o->tail_values_.f = nullptr;
  o->tail_n_ = o->tail_cap_ = 0;
  o->last_delta_ = kNoDelta;
  o->base_ = 0;
  o->size_ = 0;
  o->wide_ = false;
  o->one_ = Chunk();
  std::vector<Chunk>().swap(o->many_);
  o->chunks_ = &o->one_;
  std::vector<Block>().swap(o->blocks_);
  o->dropped_ = 0;
}

const ScalarSeries::Block* ScalarSeries::BlockOf(size_t i) const {
  auto it = std::upper_bound(blocks_.begin(), blocks_.end(), i,
                             [](size_t idx, const Block& blk) { return idx < blk.start; });
  return &*(it - 1);
}

void ScalarSeries::Retail() {
  const size_t n = chunk_count();
  if (n == 0) {
    tail_steps_ = nullptr;
    tail_walls_ = nullptr;
    tail_values_.f = nullptr;
    tail_n_ = tail_cap_ = 0;
    return;
  }
  Chunk& c = chunks_[n - 1];
  tail_steps_ = c.steps;
  tail_walls_ = c.walls;
  tail_values_ = c.values;
  tail_n_ = static_cast<uint32_t>(size_ - (n - 1) * kChunkPoints);
}

// Makes room for one more point in the last chunk: the first chunk, a bigger
// last chunk (realloc, no more than kChunkPoints), or a new full-size chunk.
void ScalarSeries::GrowTail() {
  const size_t n = chunk_count();
  if (n > 0 && tail_cap_ < kChunkPoints) {
    const size_t cap =
        std::min<size_t>(kChunkPoints, std::max<size_t>(kFirstCapacity, size_t{tail_cap_} * 2));
    Chunk& c = chunks_[n - 1];
    c.steps = Resize(c.steps, cap);
    c.walls = Resize(c.walls, cap);
    if (wide_) {
      c.values.d = Resize(c.values.d, cap);
    } else {
      c.values.f = Resize(c.values.f, cap);
    }
    tail_cap_ = static_cast<uint32_t>(cap);
    Retail();
    return;
  }
  Chunk c;
  const size_t cap = n == 0 ? kFirstCapacity : kChunkPoints;
  c.steps = Resize<uint32_t>(nullptr, cap);
  c.walls = Resize<double>(nullptr, cap);
  if (wide_) {
    c.values.d = Resize<double>(nullptr, cap);
  } else {
    c.values.f = Resize<float>(nullptr, cap);
  }
  if (n == 0) {
    one_ = c;
  } else {
    if (many_.empty()) many_.push_back(one_);
    many_.push_back(c);
    one_ = Chunk();
    chunks_ = many_.data();
  }
  tail_cap_ = static_cast<uint32_t>(cap);
  Retail();
}
// Every value so far to double, chunk by chunk (each chunk keeps its capacity).
void ScalarSeries::Widen() {
  const size_t n = chunk_count();
  for (size_t k = 0; k < n; ++k) {
    Chunk& c = chunks_[k];
    const size_t cap = k + 1 < n ? kChunkPoints : tail_cap_;
    const size_t used = k + 1 < n ? kChunkPoints : tail_n_;
    double* d = Resize<double>(nullptr, cap);
    for (size_t i = 0; i < used; ++i) d[i] = c.values.f[i];
    std::free(c.values.f);
    c.values.d = d;
  }
  wide_ = true;
  Retail();
}

size_t ScalarSeries::AppendSlow(int64_t step, double wall_time, double value) {
  size_t dropped = 0;
  uint64_t delta = 0;
  bool new_block = true;
  if (size_ > 0) {
    // The common case in one unsigned comparison chain: a step below the block
    // base wraps to a huge delta, so `delta <= UINT32_MAX` also means step >= base.
    delta = static_cast<uint64_t>(step) - static_cast<uint64_t>(base_);
    if (delta <= std::numeric_limits<uint32_t>::max() && delta >= last_delta_) {
      new_block = false;
    } else {
      // The step is lower than the last stored step (a restart), or beyond what
      // a 32-bit delta from this block's base can reach.
      if (step < this->step(size_ - 1)) dropped = TruncateFromStep(step);
      if (size_ > 0) {
        delta = static_cast<uint64_t>(step) - static_cast<uint64_t>(base_);
        // After a truncation every stored step is < `step`, so delta >= 0 here.
        new_block = delta > std::numeric_limits<uint32_t>::max();
      }
    }
  }
  if (new_block) {
    blocks_.push_back(Block{size_, step});
    base_ = step;
    delta = 0;
  }
  if (tail_n_ == tail_cap_) GrowTail();
  // The first value that float cannot hold exactly widens the whole column.
  if (!wide_ && !FitsFloat(value)) Widen();
  tail_steps_[tail_n_] = static_cast<uint32_t>(delta);
  tail_walls_[tail_n_] = wall_time;
  if (wide_) {
    tail_values_.d[tail_n_] = value;
  } else {
    tail_values_.f[tail_n_] = static_cast<float>(value);
  }
  ++tail_n_;
  ++size_;
  last_delta_ = delta;
  return dropped;
}

size_t ScalarSeries::TruncateFromStep(int64_t step) {
  // Steps are non-decreasing: find the first point with a step >= `step`.
  size_t lo = 0, hi = size_;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (this->step(mid) < step) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  const size_t keep = lo;
  const size_t dropped = size_ - keep;
  dropped_ += dropped;
  // Free the chunks past the new end; the new last chunk keeps its capacity
  // (a full chunk's is kChunkPoints).
  const size_t had = chunk_count();
  const size_t need = (keep + kChunkPoints - 1) >> kChunkShift;
  if (need < had) {
    for (size_t k = need; k < had; ++k) {
      std::free(chunks_[k].steps);
      std::free(chunks_[k].walls);
      std::free(chunks_[k].values.f);
    }
    if (need <= 1) {
      one_ = need == 1 ? chunks_[0] : Chunk();
      std::vector<Chunk>().swap(many_);
      chunks_ = &one_;
    } else {
      many_.resize(need);
    }
    tail_cap_ = need == 0 ? 0 : static_cast<uint32_t>(kChunkPoints);
  }
  size_ = keep;
  while (!blocks_.empty() && blocks_.back().start >= keep) blocks_.pop_back();
  if (keep == 0) {
    last_delta_ = kNoDelta;
    base_ = 0;
  } else {
    base_ = blocks_.back().base;
    last_delta_ = static_cast<uint64_t>(this->step(keep - 1)) - static_cast<uint64_t>(base_);
  }
  Retail();
  return dropped;
}

void ScalarSeries::Shrink() {
  blocks_.shrink_to_fit();
  many_.shrink_to_fit();
  if (!many_.empty()) chunks_ = many_.data();
  const size_t n = chunk_count();
  if (n == 0 || tail_cap_ == tail_n_) return;
  Chunk& c = chunks_[n - 1];
  c.steps = Resize(c.steps, tail_n_);
  c.walls = Resize(c.walls, tail_n_);
  if (wide_) {
    c.values.d = Resize(c.values.d, tail_n_);
  } else {
    c.values.f = Resize(c.values.f, tail_n_);
  }
  tail_cap_ = tail_n_;
  Retail();
}

uint64_t ScalarSeries::RetainedBytes() const {
  const size_t n = chunk_count();
  const uint64_t slots = n == 0 ? 0 : (n - 1) * kChunkPoints + tail_cap_;
  const uint64_t per_point = sizeof(uint32_t) + sizeof(double) + (wide_ ? sizeof(double) : sizeof(float));
  return slots * per_point + CapacityBytes(blocks_) + CapacityBytes(many_);
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
    total +=
        CapacityBytes(t.shape) + CapacityBytes(t.numbers) + CapacityBytes(t.strings) + CapacityBytes(p.blobs);
    for (const std::string& s : t.strings) {
      // Strings longer than the small-string buffer own a heap block.
      if (s.capacity() > sizeof(std::string) - 1) total += s.capacity() + 1;
    }
  }
  return total;
}

void TensorSeries::AddBlobStats(size_t min_bytes, BlobStats* stats) const {
  for (const TensorPoint& p : points_) {
    for (const std::string& s : p.tensor.strings) {
      if (s.size() < min_bytes) continue;
      ++stats->held;
      stats->held_bytes += s.size();
    }
    for (const BlobRef& b : p.blobs) {
      if (!b.valid()) continue;
      ++stats->by_reference;
      stats->by_reference_bytes += b.length;
    }
  }
}

}  // namespace tbview
