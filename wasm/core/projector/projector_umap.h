// UMAP (McInnes, Healy and Melville 2018) in 2-D or 3-D, step-wise like Tsne:
// construct (kNN graph, fuzzy simplicial set), then Step(n) epochs at a time.
//
// Details (fixed, so a seed gives the same picture on every platform):
// - neighbours: BuildKnnGraph (exact up to 20,000 points, random-projection
//   forest above; see projector_knn.h);
// - each point's rho (distance to its nearest neighbour) and sigma (bisected so
//   the memberships sum to log2(k)); memberships symmetrized by fuzzy union
//   w + w' - w w';
// - the curve 1 / (1 + a d^(2b)) fitted to min_dist and spread by least squares
//   over 300 distances in [0, 3 spread] (grid search, refined three times);
// - start: uniform in [-10, 10] from the seed (umap-learn's "random"
//   initialization; its spectral start is not done here);
// - epochs: 500 up to 10,000 points, else 200 (or as given); each edge is
//   sampled in proportion to its weight, 5 negative samples per positive one,
//   learning rate decaying linearly from 1, gradients clipped to [-4, 4],
//   processed sequentially (deterministic, unlike umap-learn's parallel SGD).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "projector_matrix.h"

namespace tbview {
namespace projector {

struct UmapOptions {
  int dims = 2;        // 2 or 3
  int neighbors = 15;  // at least 2; above 200 counts as 200 (memory: rows x neighbors)
  double min_dist = 0.1;
  double spread = 1.0;
  int epochs = 0;  // 0: 500 up to 10,000 points, else 200
  int negative_samples = 5;
  uint64_t seed = 1;
};

class Umap {
 public:
  Umap(const Matrix& x, const UmapOptions& options);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // Runs up to `epochs` more epochs (never past epochs_total()).
  void Step(int epochs);
  int epoch() const { return epoch_; }
  int epochs_total() const { return total_; }
  bool done() const { return epoch_ >= total_; }
  // rows x dims, row-major.
  const std::vector<float>& positions() const { return positions_; }
  double a() const { return a_; }
  double b() const { return b_; }

 private:
  void OneEpoch();

  UmapOptions opt_;
  uint64_t n_ = 0;
  std::string error_;
  double a_ = 1.577, b_ = 0.895;
  int epoch_ = 0, total_ = 0;
  std::vector<uint32_t> head_, tail_;
  std::vector<double> epochs_per_sample_, next_sample_, next_negative_;
  std::vector<double> y_;
  std::vector<float> positions_;
  Rng rng_;
};

// The a, b of UMAP's curve for a min_dist and spread (exposed for tests).
void FitUmapCurve(double min_dist, double spread, double* a, double* b);

}  // namespace projector
}  // namespace tbview
