// Reducing a full-resolution scalar series to what one chart can show.
//
// Every point is stored; only the display is reduced. QueryScalars:
// 1. smooths the FULL series with TensorBoard's debiased exponential moving
//    average (so zooming never changes the smoothed curve), then
// 2. keeps, per pixel column of [x0, x1], the point with the lowest and the
//    point with the highest raw value (a spike is one of the two, so it always
//    survives), in x order, plus the nearest point just outside each end of the
//    range so the line runs to the chart's edge.
// Output is therefore at most 2 * width + 2 points (a column that also holds
// NaN values adds its first NaN point, so NaNs are never hidden either).
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "series.h"

namespace tbview {

struct ScalarQuery {
  enum XAxis { kStep, kRelative, kWallTime };
  XAxis x_axis = kStep;
  // Range on the chosen x axis, inclusive; NaN = unbounded on that side.
  double x0 = NAN, x1 = NAN;
  // Pixel columns; values < 1 count as 1.
  int width = 1000;
  // EMA weight in [0, 1] (TensorBoard's slider: default 0.6, at most 0.999).
  double smoothing = 0;
};

struct ScalarQueryResult {
  // One entry per output point, in x order. `x` is the chosen axis (step,
  // seconds since the series' first wall time, or wall time).
  std::vector<double> x, step, wall_time, value, smoothed;
  uint64_t total = 0;  // points whose x lies in the range
  // Of the raw values in range, finite values only; NaN when there are none.
  // p05/p95 (linear interpolation between order statistics, as d3.quantile)
  // give TensorBoard's "ignore outliers" y domain.
  double y_min = NAN, y_max = NAN, p05 = NAN, p95 = NAN;
};

void QueryScalars(const ScalarSeries& series, const ScalarQuery& query, ScalarQueryResult* out);

// TensorBoard's smoothing of a whole sequence, exposed for tests and exports:
// last = 0, n = 0; for each finite y: last = last*w + (1-w)*y, n += 1,
// smoothed = last / (1 - w^n) (no division when w == 1); non-finite values and
// every value of a constant sequence pass through unchanged.
class Smoother {
 public:
  // `constant`: whether every value of the sequence is equal (TensorBoard then
  // leaves the values as they are, avoiding rounding noise).
  Smoother(double weight, bool constant) : w_(weight), constant_(constant) {}
  double Next(double y) {
    if (constant_ || !std::isfinite(y)) return y;
    last_ = last_ * w_ + (1 - w_) * y;
    wn_ *= w_;  // w^n, kept incrementally
    return w_ == 1 ? last_ : last_ / (1 - wn_);
  }

 private:
  double w_;
  bool constant_;
  double last_ = 0;
  double wn_ = 1;
};

}  // namespace tbview
