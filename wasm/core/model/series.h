// Columnar storage of one (run, tag)'s points.
//
// ScalarSeries keeps every scalar point in 16 bytes or less: wall time as a
// double (8), step as a 32-bit delta from its block's base step (4: stored steps
// never decrease, because the restart rule drops every point with a step >= a
// lower newly arrived step, so deltas are >= 0; a new block starts when a delta
// would not fit), value as float32 (4) while every value is exactly a float, and
// as double from the first value that is not (the whole column is widened then).
//
// Storage is chunked: point i lives in chunk i >> kChunkShift at i & kChunkMask,
// one array per column per chunk. Every chunk but the last holds exactly
// kChunkPoints points; the last grows by realloc (doubling, from a small first
// capacity, up to kChunkPoints), so a long series is never copied whole when it
// grows (large reallocs are page remaps), and random access stays two loads.
// The first chunk's arrays are held inline, so a series of up to 64 Ki points
// retains nothing but its arrays and its one block (16 B/point after Shrink()).
#pragma once
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "data_compat.h"

namespace tbview {

class ScalarSeries {
 public:
  static constexpr unsigned kChunkShift = 16;
  static constexpr size_t kChunkPoints = size_t{1} << kChunkShift;  // 64 Ki
  static constexpr size_t kChunkMask = kChunkPoints - 1;

  ScalarSeries() = default;
  ~ScalarSeries() { Release(); }
  // Movable (the source is left empty), not copyable.
  ScalarSeries(ScalarSeries&& o) noexcept { TakeFrom(&o); }
  ScalarSeries& operator=(ScalarSeries&& o) noexcept {
    if (this != &o) {
      Release();
      TakeFrom(&o);
    }
    return *this;
  }
  ScalarSeries(const ScalarSeries&) = delete;
  ScalarSeries& operator=(const ScalarSeries&) = delete;

  // Applies the restart rule, then appends. Returns the number of stored points
  // the restart rule dropped (almost always 0). The common case (room in the last
  // chunk, a step >= the last one within this block's 32-bit reach, a value that
  // fits the value column) is inline: three stores and no call.
  __attribute__((always_inline)) size_t Append(int64_t step, double wall_time, double value) {
    // Everything in locals first: a store through tail_steps_ (uint32_t) may alias
    // tail_n_ as far as the compiler knows, so members would be reloaded.
    const uint32_t n = tail_n_;
    const uint64_t delta = static_cast<uint64_t>(step) - static_cast<uint64_t>(base_);
    // last_delta_ is kNoDelta when empty, so the first point takes the slow path.
    if (__builtin_expect(n < tail_cap_ && delta >= last_delta_ && delta <= UINT32_MAX, 1)) {
      uint32_t* const steps = tail_steps_;
      double* const walls = tail_walls_;
      const Values values = tail_values_;
      // The columns' next cache lines, fetched early: each tag's tails advance by
      // a new line every 8-16 points, and with many tags interleaved the demand
      // miss on a fresh line (often just zeroed by the kernel, not in cache) is
      // what a store would otherwise wait for. A prefetch never faults.
      __builtin_prefetch(walls + n + 16, 1);
      __builtin_prefetch(steps + n + 32, 1);
      if (!wide_) {
        if (__builtin_expect(FitsFloat(value), 1)) {
          __builtin_prefetch(values.f + n + 32, 1);
          steps[n] = static_cast<uint32_t>(delta);
          walls[n] = wall_time;
          values.f[n] = static_cast<float>(value);
          tail_n_ = n + 1;
          ++size_;
          last_delta_ = delta;
          return 0;
        }
      } else {
        steps[n] = static_cast<uint32_t>(delta);
        walls[n] = wall_time;
        values.d[n] = value;
        tail_n_ = n + 1;
        ++size_;
        last_delta_ = delta;
        return 0;
      }
    }
    return AppendSlow(step, wall_time, value);
  }

  // Asks for the cache lines the next Append writes (a hint; never faults).
  void PrefetchTail() const {
    const uint32_t n = tail_n_;
    __builtin_prefetch(tail_walls_ + n, 1);
    __builtin_prefetch(tail_steps_ + n, 1);
    __builtin_prefetch(tail_values_.f + (wide_ ? 2 * n : n), 1);
  }

  size_t size() const { return size_; }
  int64_t step(size_t i) const {
    // Almost every series has one block (its steps span less than 2^32).
    const Block* b = &blocks_.back();
    if (__builtin_expect(b->start > i, 0)) b = BlockOf(i);
    // Unsigned arithmetic: base + delta never overflows the real step, but the
    // intermediate must not be computed in signed int64.
    return static_cast<int64_t>(static_cast<uint64_t>(b->base) +
                                chunks_[i >> kChunkShift].steps[i & kChunkMask]);
  }
  double wall_time(size_t i) const { return chunks_[i >> kChunkShift].walls[i & kChunkMask]; }
  double value(size_t i) const {
    const Chunk& c = chunks_[i >> kChunkShift];
    return wide_ ? c.values.d[i & kChunkMask] : c.values.f[i & kChunkMask];
  }
  // Releases spare capacity (called when a load settles).
  void Shrink();
  uint64_t RetainedBytes() const;  // bytes held by the arrays (capacity)
  // Points dropped by the restart rule so far.
  uint64_t dropped() const { return dropped_; }

  // Whether `v` survives a round trip through float exactly (NaN counts: only its
  // payload bits could change, and no reader distinguishes NaN payloads).
  static bool FitsFloat(double v) {
    if (std::isnan(v)) return true;
    // Casting an out-of-range double to float is undefined behaviour: check first.
    if (!(std::fabs(v) <= static_cast<double>(FLT_MAX))) return std::isinf(v);
    return static_cast<double>(static_cast<float>(v)) == v;
  }

 private:
  static constexpr uint64_t kNoDelta = ~uint64_t{0};
  union Values {
    float* f;
    double* d;
  };
  struct Chunk {
    uint32_t* steps = nullptr;
    double* walls = nullptr;
    Values values{nullptr};
  };
  struct Block {
    size_t start;
    int64_t base;
  };

  size_t AppendSlow(int64_t step, double wall_time, double value);
  size_t TruncateFromStep(int64_t step);  // drops points with step >= `step`; returns how many
  const Block* BlockOf(size_t i) const;
  void GrowTail();
  void Widen();
  void Retail();                   // re-derives the tail_* fields from the chunks and size_
  void Release();                  // frees every chunk (leaves the fields to the caller)
  void TakeFrom(ScalarSeries* o);  // moves o's state here and empties o
  size_t chunk_count() const { return many_.empty() ? (one_.walls ? 1 : 0) : many_.size(); }

  // Hot: what Append reads and writes (one cache line).
  uint32_t* tail_steps_ = nullptr;  // the last chunk's arrays
  double* tail_walls_ = nullptr;
  Values tail_values_{nullptr};
  uint32_t tail_n_ = 0;             // points in the last chunk
  uint32_t tail_cap_ = 0;           // its capacity (kChunkPoints for every other chunk)
  uint64_t last_delta_ = kNoDelta;  // the last point's delta (kNoDelta when empty)
  int64_t base_ = 0;                // the last block's base step
  size_t size_ = 0;
  bool wide_ = false;
  // Cold.
  Chunk one_;                // chunk 0 while there is only one
  std::vector<Chunk> many_;  // every chunk, once there are two or more
  Chunk* chunks_ = &one_;    // &one_ or many_.data()
  std::vector<Block> blocks_;
  uint64_t dropped_ = 0;
};

// A blob kept by reference: payload bytes [offset, offset+length) of file `file`
// (a Logdir file id) can be read again from the source, so they are not copied.
// A default BlobRef (file -1) means "not by reference".
struct BlobRef {
  int file = -1;
  uint64_t offset = 0;
  uint64_t length = 0;
  bool valid() const { return file >= 0; }
};

// Invariant: `blobs` is either empty (every string is held in tensor.strings) or
// has tensor.strings.size() entries; where blobs[i].valid(), tensor.strings[i] is
// empty and its bytes are file blobs[i].file at [offset, offset + length), equal
// to the bytes the string had (see blob_refs.h). Only blob-plugin values (images,
// audio) of files that can be read again get references.
struct TensorPoint {
  int64_t step = 0;
  double wall_time = 0;
  Tensor tensor;
  std::vector<BlobRef> blobs;
};

// Blobs of the images and audio tags: those held in memory (strings of at least
// kMinBlobRefBytes) and those kept by reference.
struct BlobStats {
  uint64_t held = 0, held_bytes = 0;
  uint64_t by_reference = 0, by_reference_bytes = 0;
};

class TensorSeries {
 public:
  void Append(TensorPoint point);  // applies the restart rule
  const std::vector<TensorPoint>& points() const { return points_; }
  uint64_t RetainedBytes() const;
  uint64_t dropped() const { return dropped_; }
  // Adds this series' blobs (string elements of at least `min_bytes`) to *stats.
  void AddBlobStats(size_t min_bytes, BlobStats* stats) const;

 private:
  std::vector<TensorPoint> points_;
  uint64_t dropped_ = 0;
};

// Run-level events that are not tag values.
struct RunEvent {
  int64_t step = 0;
  double wall_time = 0;
  EventKind kind = EventKind::kEmpty;
  int32_t status = 0;  // session_log status or log level
  std::string text;    // session msg / log message / checkpoint path
  uint64_t bytes = 0;  // graph_def size
};

}  // namespace tbview
