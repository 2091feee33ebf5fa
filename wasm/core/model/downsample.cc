// Min/max-per-column reduction of a scalar series, after full-series smoothing.
// See downsample.h for the contract.
#include "downsample.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tbview {

namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();

// A kept point: its index and its smoothed value (known only while the one
// smoothing pass is at that index, so it is captured then).
struct Pick {
  size_t index = kNone;
  double smoothed = 0;
};

struct Column {
  Pick min, max, nan;
};

double XOf(const ScalarSeries& s, ScalarQuery::XAxis axis, size_t i, double t0) {
  switch (axis) {
    case ScalarQuery::kStep: return static_cast<double>(s.step(i));
    case ScalarQuery::kRelative: return s.wall_time(i) - t0;
    case ScalarQuery::kWallTime: return s.wall_time(i);
  }
  return 0;
}

// Linear interpolation between order statistics of `v` (d3.quantile, numpy's
// default). Reorders `v`.
double Quantile(std::vector<double>* v, double p) {
  if (v->empty()) return NAN;
  double pos = p * static_cast<double>(v->size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  std::nth_element(v->begin(), v->begin() + static_cast<std::ptrdiff_t>(lo), v->end());
  double a = (*v)[lo];
  if (lo + 1 >= v->size()) return a;
  // The next order statistic is the smallest of the part after lo.
  double b = *std::min_element(v->begin() + static_cast<std::ptrdiff_t>(lo) + 1, v->end());
  return a + (b - a) * (pos - static_cast<double>(lo));
}

}  // namespace

void QueryScalars(const ScalarSeries& series, const ScalarQuery& query, ScalarQueryResult* out) {
  *out = ScalarQueryResult();
  const size_t n = series.size();
  if (n == 0) return;
  const int width = std::max(1, query.width);
  const double t0 = series.wall_time(0);
  const double w = std::min(1.0, std::max(0.0, query.smoothing));

  // Range: unbounded sides become the data's extent on that axis.
  double x0 = query.x0, x1 = query.x1;
  if (std::isnan(x0) || std::isnan(x1)) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (size_t i = 0; i < n; ++i) {
      double x = XOf(series, query.x_axis, i, t0);
      if (std::isnan(x)) continue;
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    if (std::isnan(x0)) x0 = lo;
    if (std::isnan(x1)) x1 = hi;
  }
  if (!(x0 <= x1)) return;  // empty range, or no finite x at all
  const double span = x1 - x0;

  bool constant = true;
  const double v0 = series.value(0);
  for (size_t i = 1; i < n && constant; ++i) constant = series.value(i) == v0;
  Smoother smoother(w, constant);

  std::vector<Column> columns(static_cast<size_t>(width));
  Pick before, after;  // nearest point outside each end
  double before_x = -std::numeric_limits<double>::infinity();
  double after_x = std::numeric_limits<double>::infinity();
  std::vector<double> finite;

  // One pass in series order: smoothing must see every point, in order.
  for (size_t i = 0; i < n; ++i) {
    const double y = series.value(i);
    const double sm = smoother.Next(y);
    const double x = XOf(series, query.x_axis, i, t0);
    if (x < x0) {
      if (x > before_x || before.index == kNone) before = Pick{i, sm}, before_x = x;
      continue;
    }
    if (x > x1) {
      if (x < after_x || after.index == kNone) after = Pick{i, sm}, after_x = x;
      continue;
    }
    if (std::isnan(x)) continue;
    ++out->total;
    size_t c = span > 0 ? static_cast<size_t>((x - x0) / span * width) : 0;
    if (c >= columns.size()) c = columns.size() - 1;  // x == x1
    Column& col = columns[c];
    if (std::isnan(y)) {
      if (col.nan.index == kNone) col.nan = Pick{i, sm};
      continue;
    }
    if (std::isfinite(y)) finite.push_back(y);
    if (col.min.index == kNone || y < series.value(col.min.index)) col.min = Pick{i, sm};
    if (col.max.index == kNone || y > series.value(col.max.index)) col.max = Pick{i, sm};
  }

  if (!finite.empty()) {
    auto mm = std::minmax_element(finite.begin(), finite.end());
    out->y_min = *mm.first;
    out->y_max = *mm.second;
    out->p05 = Quantile(&finite, 0.05);
    out->p95 = Quantile(&finite, 0.95);
  }

  auto emit = [&](const Pick& p) {
    size_t i = p.index;
    out->x.push_back(XOf(series, query.x_axis, i, t0));
    out->step.push_back(static_cast<double>(series.step(i)));
    out->wall_time.push_back(series.wall_time(i));
    out->value.push_back(series.value(i));
    out->smoothed.push_back(p.smoothed);
  };
  if (before.index != kNone) emit(before);
  Pick picks[3];
  for (const Column& col : columns) {
    int k = 0;
    if (col.min.index != kNone) picks[k++] = col.min;
    if (col.max.index != kNone && col.max.index != col.min.index) picks[k++] = col.max;
    if (col.nan.index != kNone) picks[k++] = col.nan;
    // In x order (ties by series order) within the column.
    std::sort(picks, picks + k, [&](const Pick& a, const Pick& b) {
      double xa = XOf(series, query.x_axis, a.index, t0), xb = XOf(series, query.x_axis, b.index, t0);
      return xa != xb ? xa < xb : a.index < b.index;
    });
    for (int j = 0; j < k; ++j) emit(picks[j]);
  }
  if (after.index != kNone) emit(after);
}

}  // namespace tbview
