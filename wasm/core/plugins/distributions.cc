#include "distributions.h"

#include <algorithm>
#include <vector>

namespace tbview {

const std::array<int, 9> kDistributionBasisPoints = {0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000};

namespace {

// numpy's pairwise summation (numpy/core/src/umath/loops_utils.h.src), in T,
// as np.add.reduce does it for a float array: identity 0 plus pairwise_sum.
template <typename T>
T PairwiseSum(const T* a, size_t n) {
  if (n < 8) {
    T res = 0;
    for (size_t i = 0; i < n; ++i) res += a[i];
    return res;
  }
  if (n <= 128) {
    T r[8];
    for (int j = 0; j < 8; ++j) r[j] = a[j];
    size_t i = 8;
    for (; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; ++j) r[j] += a[i + j];
    T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) res += a[i];
    return res;
  }
  size_t n2 = n / 2;
  n2 -= n2 % 8;
  return PairwiseSum(a, n2) + PairwiseSum(a + n2, n - n2);
}

template <typename T>
std::array<double, 9> Compress(const Tensor& h) {
  const size_t k = static_cast<size_t>(h.shape[0]);
  std::vector<T> counts(k), rights(k);
  for (size_t i = 0; i < k; ++i) {
    rights[i] = static_cast<T>(h.numbers[3 * i + 1]);
    counts[i] = static_cast<T>(h.numbers[3 * i + 2]);
  }
  const T minmin = static_cast<T>(h.numbers[0]);
  const T maxmax = rights[k - 1];
  T total = PairwiseSum(counts.data(), k);
  if (total == 0) total = 1;  // `counts.sum() or 1.0`
  std::vector<T> weights(k);
  T acc = 0;
  for (size_t i = 0; i < k; ++i) {
    T w = static_cast<T>(counts[i] * static_cast<T>(10000)) / total;
    acc = i == 0 ? w : static_cast<T>(acc + w);
    weights[i] = acc;
  }
  std::array<double, 9> out{};
  size_t b = 0;
  while (b < out.size()) {
    const double bp = kDistributionBasisPoints[b];
    // np.searchsorted(weights, bp, side="right")
    size_t i =
        static_cast<size_t>(std::upper_bound(weights.begin(), weights.end(), bp,
                                             [](double x, T w) { return x < static_cast<double>(w); }) -
                            weights.begin());
    bool found = false;
    while (i < k) {
      const T cumsum = weights[i];
      const T cumsum_prev = i > 0 ? weights[i - 1] : static_cast<T>(0);
      if (cumsum == cumsum_prev) {
        ++i;
        continue;
      }
      const T lhs = (i == 0 || cumsum_prev == 0) ? minmin : std::max(rights[i - 1], minmin);
      const T rhs = std::min(rights[i], maxmax);
      // _lerp(x, x0, x1, y0, y1) = y0 + (x - x0) * float(y1 - y0) / (x1 - x0):
      // the differences of two array elements are taken in T, the rest in double.
      const double dy = static_cast<double>(static_cast<T>(rhs - lhs));
      const double dx = static_cast<double>(static_cast<T>(cumsum - cumsum_prev));
      out[b] = static_cast<double>(lhs) + (bp - static_cast<double>(cumsum_prev)) * dy / dx;
      ++b;
      found = true;
      break;
    }
    if (!found) break;
  }
  for (; b < out.size(); ++b) out[b] = static_cast<double>(maxmax);
  return out;
}

}  // namespace

std::array<double, 9> DistributionBasisPoints(const Tensor& h) {
  if (h.is_string() || h.shape.size() != 2 || h.shape[1] != 3 || h.shape[0] <= 0 ||
      h.numbers.size() != static_cast<size_t>(h.shape[0]) * 3) {
    return std::array<double, 9>{};
  }
  if (h.dtype == kDtFloat) return Compress<float>(h);
  return Compress<double>(h);
}

}  // namespace tbview
