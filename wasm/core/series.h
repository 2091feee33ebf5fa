// Columnar storage of one (run, tag)'s points.
//
// ScalarSeries keeps every scalar point in 16 bytes or less: wall time as a
// double (8), step as a 32-bit delta from its block's base step (4: stored steps
// never decrease, because the restart rule drops every point with a step >= a
// lower newly arrived step, so deltas are >= 0; a new block starts when a delta
// would not fit), value as float32 (4) while every value is exactly a float, and
// as double from the first value that is not (the whole column is widened then).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "data_compat.h"

namespace tbview {

class ScalarSeries {
 public:
  // Applies the restart rule, then appends.
  void Append(int64_t step, double wall_time, double value);
  size_t size() const { return wall_times_.size(); }
  int64_t step(size_t i) const;
  double wall_time(size_t i) const { return wall_times_[i]; }
  double value(size_t i) const { return wide_ ? values_d_[i] : values_f_[i]; }
  // Releases spare capacity (called when a load settles).
  void Shrink();
  uint64_t RetainedBytes() const;  // bytes held by the arrays (capacity)
  // Points dropped by the restart rule so far.
  uint64_t dropped() const { return dropped_; }

 private:
  void TruncateFromStep(int64_t step);  // drop points with step >= `step`
  struct Block { size_t start; int64_t base; };
  std::vector<Block> blocks_;
  std::vector<uint32_t> step_deltas_;
  std::vector<double> wall_times_;
  std::vector<float> values_f_;
  std::vector<double> values_d_;
  bool wide_ = false;
  uint64_t dropped_ = 0;
};

// A blob kept by reference: payload bytes [offset, offset+length) of file `file`
// (a Logdir file id) can be read again from the source, so they are not copied.
struct BlobRef {
  int file = -1;
  uint64_t offset = 0;
  uint64_t length = 0;
};

struct TensorPoint {
  int64_t step = 0;
  double wall_time = 0;
  Tensor tensor;
};

class TensorSeries {
 public:
  void Append(TensorPoint point);  // applies the restart rule
  const std::vector<TensorPoint>& points() const { return points_; }
  uint64_t RetainedBytes() const;
  uint64_t dropped() const { return dropped_; }

 private:
  std::vector<TensorPoint> points_;
  uint64_t dropped_ = 0;
};

// Run-level events that are not tag values.
struct RunEvent {
  int64_t step = 0;
  double wall_time = 0;
  EventKind kind = EventKind::kEmpty;
  int32_t status = 0;   // session_log status or log level
  std::string text;     // session msg / log message / checkpoint path
  uint64_t bytes = 0;   // graph_def size
};

}  // namespace tbview
