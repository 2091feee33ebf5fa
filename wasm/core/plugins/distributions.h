// The distributions plugin's view: the nine basis-point values of one histogram,
// as TensorBoard's compressor computes them (float32 sums for float32 tensors,
// as numpy does).
#pragma once
#include <array>

#include "tensor.h"

namespace tbview {

// TensorBoard's NORMAL_HISTOGRAM_BPS: min, the normal distribution's -1.5, -1,
// -0.5, 0, 0.5, 1, 1.5 standard deviations, max, in basis points.
extern const std::array<int, 9> kDistributionBasisPoints;

// The values at kDistributionBasisPoints of a histogram tensor [k, 3] of rows
// (left, right, count), as TensorBoard's compressor.compress_histogram computes
// them: cumulative weights counts*10000/sum (numpy's pairwise sum, in float32
// for a float32 tensor as numpy does), for each basis point the first bucket
// whose cumulative weight exceeds it (skipping zero-weight buckets), linear
// interpolation between its left edge (the overall min for the first bucket
// or when nothing precedes it) and right edge (clamped to the overall max);
// basis points past the last weight get the overall max (last row's right).
// The interpolation itself is done in double, as numpy 1.x does for scalars.
// An empty tensor, or one that is not a numeric [k, 3], gives nine zeros.
std::array<double, 9> DistributionBasisPoints(const Tensor& histogram_k_by_3);

}  // namespace tbview
