// Nearest neighbours: of one selected point (exact, what the page lists), and
// of every point (the k-nearest-neighbour graph t-SNE and UMAP start from).
#pragma once
#include <cstdint>
#include <vector>

#include "projector_matrix.h"

namespace tbview {
namespace projector {

enum class Metric {
  kEuclidean,  // |a - b|
  kCosine,     // 1 - a.b / (|a| |b|); a zero vector is at distance 1 from everything
};

struct Neighbor {
  uint32_t index = 0;
  float distance = 0;
};

// The k points nearest to row `point` (itself excluded), nearest first, ties by
// lower index: exact, one pass over every row, top-k by partial sort.
std::vector<Neighbor> NearestNeighbors(const Matrix& x, uint64_t point, int k, Metric metric);

// The k nearest neighbours of every row, in Euclidean distance. Invariant:
// index and distance hold rows * k entries, row i's nearest first, never i
// itself. Rows with fewer than k other rows get k = rows - 1.
struct KnnGraph {
  int k = 0;
  std::vector<uint32_t> index;
  std::vector<float> distance;
};

// Exact (all pairs, rows^2 / 2 distances) when rows <= exact_limit. Above it,
// approximate: a forest of `trees` random-projection trees (each node split by
// the hyperplane halfway between two random points of it, leaves of at most
// max(2k, 32) points); every pair in a shared leaf is a candidate; then one
// round of neighbours of neighbours (the 10 nearest of each point's 10 nearest)
// adds candidates, and the k best are kept. Recall is not 1 (the tests measure
// it on clustered data and print it), which t-SNE and UMAP tolerate.
KnnGraph BuildKnnGraph(const Matrix& x, int k, uint64_t seed, uint64_t exact_limit = 20000, int trees = 8);

}  // namespace projector
}  // namespace tbview
