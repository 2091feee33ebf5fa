// t-SNE with the Barnes-Hut approximation (van der Maaten 2014), in 2-D or 3-D,
// as a step-wise computation: a worker constructs it (the slow kNN and
// affinity set-up), then calls Step(n) as often as it likes, reading
// positions() in between to draw the points moving, reporting iteration(), and
// simply not calling Step to pause.
//
// Details (fixed, so a seed gives the same picture on every platform):
// - affinities from the exact k = min(rows - 1, 3 * perplexity) nearest
//   neighbours (BuildKnnGraph: exact up to 20,000 points, approximate above),
//   each row's Gaussian bandwidth found by bisection to the perplexity, then
//   symmetrized P = (P_j|i + P_i|j) / 2 rows;
// - start: Gaussian with standard deviation 1e-4 from the seed (projector Rng);
// - early exaggeration 12 for the first 250 iterations, momentum 0.5 then 0.8,
//   per-coordinate gains (+0.2 / x0.8, at least 0.01), the embedding recentred
//   after each step;
// - repulsion from a 2^dims-ary space-partitioning tree with opening angle theta.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "projector_matrix.h"

namespace tbview {
namespace projector {

struct TsneOptions {
  int dims = 2;              // 2 or 3
  double perplexity = 30;    // clamped to 100 (memory: rows x 3 perplexity) and (rows - 1) / 3
  double learning_rate = 0;  // 0: max(rows / 12 / 4, 50), as scikit-learn's "auto"
  double theta = 0.5;        // Barnes-Hut opening angle; 0 is exact (slow)
  uint64_t seed = 1;
  int exaggeration_iterations = 250;
  double exaggeration = 12;
};

class Tsne {
 public:
  // Sets everything up; check ok() (fails for fewer than 3 points or bad options).
  Tsne(const Matrix& x, const TsneOptions& options);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  // Runs `iterations` more gradient steps.
  void Step(int iterations);
  int iteration() const { return iteration_; }
  // rows x dims, row-major.
  const std::vector<float>& positions() const { return positions_; }
  // The perplexity actually used (after clamping).
  double perplexity() const { return perplexity_; }

 private:
  void OneStep();

  TsneOptions opt_;
  uint64_t n_ = 0;
  double perplexity_ = 0, learning_rate_ = 0;
  std::string error_;
  // Symmetric affinities in compressed rows.
  std::vector<uint64_t> row_start_;
  std::vector<uint32_t> col_;
  std::vector<double> p_;
  std::vector<double> y_, update_, gains_, grad_;
  std::vector<float> positions_;
  int iteration_ = 0;
};
}  // namespace projector
}  // namespace tbview
