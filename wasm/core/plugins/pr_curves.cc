#include "pr_curves.h"

#include <cmath>
#include <utility>

namespace tbview {

bool MakePrCurvePoint(const TensorPoint& point, PrCurvePoint* out, bool trim_tail) {
  const Tensor& t = point.tensor;
  if (t.is_string() || t.shape.size() != 2 || t.shape[0] != 6 || t.shape[1] < 1) return false;
  const size_t n = static_cast<size_t>(t.shape[1]);
  if (t.numbers.size() != 6 * n) return false;
  auto row = [&](size_t r, size_t i) { return t.numbers[r * n + i]; };
  size_t end = n;
  if (trim_tail) {
    // positives = (TP + FP).astype(int); keep up to the last nonzero, at least one.
    size_t last = n - 1;
    // numpy's float->int64 on x86 (cvttsd2si): NaN, inf and out-of-range values
    // become INT64_MIN; the sum wraps. Done in uint64_t: no UB on hostile values.
    auto as_int = [](double v) -> uint64_t {
      if (!(v > -9223372036854775808.0 && v < 9223372036854775808.0)) return uint64_t{1} << 63;
      return static_cast<uint64_t>(static_cast<int64_t>(v));
    };
    while (last > 0 && as_int(row(0, last)) + as_int(row(1, last)) == 0) --last;
    end = last + 1;
  }
  PrCurvePoint p;
  p.step = point.step;
  p.wall_time = point.wall_time;
  for (size_t i = 0; i < end; ++i) {
    p.thresholds.push_back(n > 1 ? static_cast<double>(i) / static_cast<double>(n - 1) : 0.0);
    p.tp.push_back(std::trunc(row(0, i)));
    p.fp.push_back(std::trunc(row(1, i)));
    p.tn.push_back(std::trunc(row(2, i)));
    p.fn.push_back(std::trunc(row(3, i)));
    p.precision.push_back(row(4, i));
    p.recall.push_back(row(5, i));
  }
  *out = std::move(p);
  return true;
}

std::vector<PrCurvePoint> PrCurvePoints(const TensorSeries& series, bool trim_tail) {
  std::vector<PrCurvePoint> out;
  out.reserve(series.points().size());
  for (const TensorPoint& p : series.points()) {
    PrCurvePoint c;
    if (MakePrCurvePoint(p, &c, trim_tail)) out.push_back(std::move(c));
  }
  return out;
}

}  // namespace tbview
