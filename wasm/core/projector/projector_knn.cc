#include "projector_knn.h"

#include <algorithm>
#include <cmath>

namespace tbview {
namespace projector {
namespace {

float SquaredDistance(const float* a, const float* b, uint64_t d) {
  float s = 0;
  for (uint64_t j = 0; j < d; ++j) {
    const float t = a[j] - b[j];
    s += t * t;
  }
  return s;
}

bool Closer(const Neighbor& a, const Neighbor& b) {
  return a.distance < b.distance || (a.distance == b.distance && a.index < b.index);
}

// The k best neighbours of one point seen so far: a max-heap on (distance, index).
struct Best {
  std::vector<Neighbor> heap;
  void Offer(uint32_t j, float dist, int k) {
    const Neighbor n{j, dist};
    if (static_cast<int>(heap.size()) == k && !Closer(n, heap.front())) return;
    for (const Neighbor& h : heap) {
      if (h.index == j) return;
    }
    if (static_cast<int>(heap.size()) == k) {
      std::pop_heap(heap.begin(), heap.end(), Closer);
      heap.back() = n;
    } else {
      heap.push_back(n);
    }
    std::push_heap(heap.begin(), heap.end(), Closer);
  }
};

void SplitLeaves(const Matrix& x, std::vector<uint32_t>* ids, size_t begin, size_t end, size_t leaf, Rng* rng,
                 std::vector<std::pair<size_t, size_t>>* leaves, int depth) {
  const uint64_t d = x.cols;
  std::vector<float> normal(d);
  while (true) {
    const size_t n = end - begin;
    if (n <= leaf || depth > 64) {
      leaves->emplace_back(begin, end);
      return;
    }
    const uint32_t p = (*ids)[begin + rng->Below(n)];
    uint32_t q = (*ids)[begin + rng->Below(n)];
    for (int t = 0; t < 8 && q == p; ++t) q = (*ids)[begin + rng->Below(n)];
    double offset = 0;
    for (uint64_t j = 0; j < d; ++j) {
      normal[j] = x.row(p)[j] - x.row(q)[j];
      offset += static_cast<double>(normal[j]) * (x.row(p)[j] + x.row(q)[j]) * 0.5;
    }
    auto side = [&](uint32_t i) {
      double s = 0;
      for (uint64_t j = 0; j < d; ++j) s += static_cast<double>(normal[j]) * x.row(i)[j];
      return s > offset;
    };
    size_t mid =
        static_cast<size_t>(std::partition(ids->begin() + begin, ids->begin() + end, side) - ids->begin());
    if (mid == begin || mid == end) mid = begin + n / 2;  // identical points: split anyhow
    SplitLeaves(x, ids, begin, mid, leaf, rng, leaves, depth + 1);
    begin = mid;  // the other half in this frame
    ++depth;
  }
}

}  // namespace

std::vector<Neighbor> NearestNeighbors(const Matrix& x, uint64_t point, int k, Metric metric) {
  std::vector<Neighbor> all;
  if (point >= x.rows || k <= 0) return all;
  const uint64_t d = x.cols;
  const float* p = x.row(point);
  double pn = 0;
  for (uint64_t j = 0; j < d; ++j) pn += static_cast<double>(p[j]) * p[j];
  pn = std::sqrt(pn);
  all.reserve(x.rows);
  for (uint64_t i = 0; i < x.rows; ++i) {
    if (i == point) continue;
    const float* r = x.row(i);
    float dist;
    if (metric == Metric::kEuclidean) {
      dist = std::sqrt(SquaredDistance(p, r, d));
    } else {
      double dot = 0, rn = 0;
      for (uint64_t j = 0; j < d; ++j) {
        dot += static_cast<double>(p[j]) * r[j];
        rn += static_cast<double>(r[j]) * r[j];
      }
      rn = std::sqrt(rn);
      dist = (pn > 0 && rn > 0) ? static_cast<float>(1.0 - dot / (pn * rn)) : 1.0f;
    }
    all.push_back({static_cast<uint32_t>(i), dist});
  }
  const size_t keep = std::min<size_t>(all.size(), static_cast<size_t>(k));
  std::partial_sort(all.begin(), all.begin() + keep, all.end(), Closer);
  all.resize(keep);
  return all;
}

KnnGraph BuildKnnGraph(const Matrix& x, int k, uint64_t seed, uint64_t exact_limit, int trees) {
  KnnGraph g;
  const uint64_t n = x.rows, d = x.cols;
  if (n < 2 || k < 1) return g;
  k = static_cast<int>(std::min<uint64_t>(static_cast<uint64_t>(k), n - 1));
  g.k = k;
  std::vector<Best> best(n);
  if (n <= exact_limit) {
    for (uint64_t i = 0; i < n; ++i) {
      const float* a = x.row(i);
      for (uint64_t j = i + 1; j < n; ++j) {
        const float dist = SquaredDistance(a, x.row(j), d);
        best[i].Offer(static_cast<uint32_t>(j), dist, k);
        best[j].Offer(static_cast<uint32_t>(i), dist, k);
      }
    }
  } else {
    Rng rng(seed);
    const size_t leaf = std::max<size_t>(32, 2 * static_cast<size_t>(k));
    std::vector<uint32_t> ids(n);
    for (uint64_t i = 0; i < n; ++i) ids[i] = static_cast<uint32_t>(i);
    for (int t = 0; t < trees; ++t) {
      std::vector<std::pair<size_t, size_t>> leaves;
      SplitLeaves(x, &ids, 0, n, leaf, &rng, &leaves, 0);
      for (const auto& l : leaves) {
        for (size_t a = l.first; a < l.second; ++a) {
          for (size_t b = a + 1; b < l.second; ++b) {
            const float dist = SquaredDistance(x.row(ids[a]), x.row(ids[b]), d);
            best[ids[a]].Offer(ids[b], dist, k);
            best[ids[b]].Offer(ids[a], dist, k);
          }
        }
      }
    }
    // One round of neighbours of neighbours: for each point, the 10 nearest of
    // its 10 nearest are candidates too (the graph as it was before the round).
    const int local = std::min(k, 10);
    std::vector<uint32_t> near(n * local);
    for (uint64_t i = 0; i < n; ++i) {
      std::vector<Neighbor> h = best[i].heap;
      std::sort(h.begin(), h.end(), Closer);
      for (int j = 0; j < local; ++j) near[i * local + j] = j < static_cast<int>(h.size()) ? h[j].index : i;
    }
    for (uint64_t i = 0; i < n; ++i) {
      for (int a = 0; a < local; ++a) {
        const uint32_t via = near[i * local + a];
        for (int b = 0; b < local; ++b) {
          const uint32_t c = near[static_cast<uint64_t>(via) * local + b];
          if (c != i) best[i].Offer(c, SquaredDistance(x.row(i), x.row(c), d), k);
        }
      }
    }
    // A point whose leaves held fewer than k others is completed at random.
    for (uint64_t i = 0; i < n; ++i) {
      for (int tries = 0; static_cast<int>(best[i].heap.size()) < k && tries < 64 * k; ++tries) {
        const uint64_t j = rng.Below(n);
        if (j != i) best[i].Offer(static_cast<uint32_t>(j), SquaredDistance(x.row(i), x.row(j), d), k);
      }
      for (uint64_t j = 0; static_cast<int>(best[i].heap.size()) < k && j < n; ++j) {
        if (j != i) best[i].Offer(static_cast<uint32_t>(j), SquaredDistance(x.row(i), x.row(j), d), k);
      }
    }
  }
  g.index.resize(n * k);
  g.distance.resize(n * k);
  for (uint64_t i = 0; i < n; ++i) {
    std::vector<Neighbor>& h = best[i].heap;
    std::sort_heap(h.begin(), h.end(), Closer);
    for (int j = 0; j < k; ++j) {
      g.index[i * k + j] = h[j].index;
      g.distance[i * k + j] = std::sqrt(h[j].distance);
    }
    std::vector<Neighbor>().swap(h);
  }
  return g;
}

}  // namespace projector
}  // namespace tbview
