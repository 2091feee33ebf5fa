// The PR curves plugin's view: one [6, n] tensor (rows TP, FP, TN, FN,
// precision, recall) as the curve TensorBoard shows, with its TP + FP == 0 tail
// trimmed.
#pragma once
#include <cstdint>
#include <vector>

#include "series.h"

namespace tbview {

// One PR curve value. Vectors are of equal length: the thresholds kept.
struct PrCurvePoint {
  int64_t step = 0;
  double wall_time = 0;
  std::vector<double> thresholds;  // i / (n - 1), n = the tensor's width (0 for n == 1)
  std::vector<double> tp, fp, tn, fn;
  std::vector<double> precision, recall;
};

// Reads a [6, n] tensor (rows TP, FP, TN, FN, precision, recall). As
// TensorBoard's pr_curves plugin does, trailing thresholds where TP + FP == 0
// (precision undefined; counts truncated to integers) are dropped, keeping at
// least the first one, unless trim_tail is false. False (out untouched) when the
// tensor is not numeric [6, n] with n >= 1.
bool MakePrCurvePoint(const TensorPoint& point, PrCurvePoint* out, bool trim_tail = true);

// Every point of a series (points whose tensor is not [6, n] are skipped).
std::vector<PrCurvePoint> PrCurvePoints(const TensorSeries& series, bool trim_tail = true);

}  // namespace tbview
