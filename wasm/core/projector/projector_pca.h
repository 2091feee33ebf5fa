// Linear projections of an embedding: PCA on every point, and custom axes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "projector_matrix.h"

namespace tbview {
namespace projector {

// The principal components of every row of a matrix, exactly (no sampling, no
// random projection first, unlike TensorBoard's projector).
//
// Method: the sample covariance (divided by rows - 1) is accumulated in double
// over all points (rows x cols^2 / 2 multiply-adds). With cols <= 256 its full
// eigendecomposition is computed by cyclic Jacobi rotations; above that, the top
// components come from subspace iteration with Rayleigh-Ritz steps (k + 8
// vectors, started from seeded random vectors), stopped when every wanted
// eigenpair's residual |C v - l v| is below 1e-10 of the largest eigenvalue (or
// after 1000 steps; `converged` says which). Both give the eigenvectors of the
// same matrix to double precision.
//
// Invariants: axes are unit vectors in decreasing order of variance; each
// axis's sign is chosen so that its largest-magnitude coordinate is positive
// (deterministic across platforms).
struct PcaResult {
  int components = 0;  // k = min(requested, cols)
  uint64_t cols = 0;
  std::vector<double> mean;       // cols
  std::vector<double> axes;       // k x cols, row-major
  std::vector<double> variances;  // k eigenvalues of the covariance
  std::vector<double> explained;  // variances / total_variance
  double total_variance = 0;      // trace of the covariance
  bool converged = true;
  Matrix projected;  // rows x k: (x - mean) . axis
};

// PCA of `x` keeping `components` (TensorBoard shows 10). Needs at least 2 rows.
bool ComputePca(const Matrix& x, int components, PcaResult* out, std::string* error, uint64_t seed = 1);

// Symmetric eigendecomposition by cyclic Jacobi rotations: `a` (n x n,
// row-major) is destroyed; eigenvalues in decreasing order, eigenvectors as rows
// of `vectors` (n x n).
void SymmetricEigen(std::vector<double> a, int n, std::vector<double>* values, std::vector<double>* vectors);

// A custom axis, as TensorBoard's custom projection draws one: the direction
// mean(rows in `a`) - mean(rows in `b`) (b empty: the mean of every row),
// normalized; `coords` gets each point's (x - mean of all) . direction. Fails
// when a set is empty or out of range, or the two means coincide.
bool ProjectAlong(const Matrix& x, const std::vector<uint32_t>& a, const std::vector<uint32_t>& b,
                  std::vector<float>* coords, std::string* error);

}  // namespace projector
}  // namespace tbview
