#include "projector_umap.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "projector_knn.h"

namespace tbview {
namespace projector {

void FitUmapCurve(double min_dist, double spread, double* a, double* b) {
  const int kSamples = 300;
  double xs[kSamples], ys[kSamples];
  for (int i = 0; i < kSamples; ++i) {
    xs[i] = 3 * spread * (i + 1) / kSamples;
    ys[i] = xs[i] < min_dist ? 1.0 : std::exp(-(xs[i] - min_dist) / spread);
  }
  auto loss = [&](double la, double lb) {
    const double ea = std::exp(la);
    double s = 0;
    for (int i = 0; i < kSamples; ++i) {
      const double f = 1 / (1 + ea * std::pow(xs[i], 2 * lb));
      s += (f - ys[i]) * (f - ys[i]);
    }
    return s;
  };
  // Grid over log(a) in [-3, 5] and b in [0.1, 3], refined around the best.
  double ca = 1, cb = 1.5, wa = 4, wb = 1.45;
  for (int round = 0; round < 4; ++round) {
    double best = HUGE_VAL, ba = ca, bb = cb;
    for (int i = 0; i <= 24; ++i) {
      for (int j = 0; j <= 24; ++j) {
        const double la = ca - wa + 2 * wa * i / 24, lb = cb - wb + 2 * wb * j / 24;
        if (lb <= 0.01) continue;
        const double l = loss(la, lb);
        if (l < best) {
          best = l;
          ba = la;
          bb = lb;
        }
      }
    }
    ca = ba;
    cb = bb;
    wa /= 8;
    wb /= 8;
  }
  *a = std::exp(ca);
  *b = cb;
}

Umap::Umap(const Matrix& x, const UmapOptions& options) : opt_(options), n_(x.rows), rng_(options.seed) {
  if (opt_.dims != 2 && opt_.dims != 3) {
    error_ = "UMAP: dims must be 2 or 3";
    return;
  }
  if (n_ < 3 || n_ > (1ull << 31)) {
    error_ = "UMAP needs at least 3 points";
    return;
  }
  if (opt_.neighbors < 2 || !(opt_.min_dist >= 0) || !(opt_.spread > 0) || opt_.epochs < 0 ||
      opt_.negative_samples < 0) {
    error_ = "UMAP: neighbors must be at least 2, min_dist not negative, spread above 0";
    return;
  }
  FitUmapCurve(opt_.min_dist, opt_.spread, &a_, &b_);
  total_ = opt_.epochs > 0 ? opt_.epochs : (n_ <= 10000 ? 500 : 200);
  const KnnGraph g = BuildKnnGraph(x, std::min(opt_.neighbors, 200) - 1, opt_.seed);
  const int k = g.k;
  const double target = std::log2(static_cast<double>(k + 1));
  std::vector<std::tuple<uint32_t, uint32_t, double>> edges;
  edges.reserve(2 * n_ * k);
  for (uint64_t i = 0; i < n_; ++i) {
    const float* d = &g.distance[i * k];
    double rho = 0;
    for (int j = 0; j < k; ++j) {
      if (d[j] > 0) {
        rho = d[j];
        break;
      }
    }
    double lo = 0, hi = HUGE_VAL, sigma = 1;
    for (int it = 0; it < 64; ++it) {
      double sum = 0;
      for (int j = 0; j < k; ++j) sum += std::exp(-std::max(0.0, d[j] - rho) / sigma);
      if (std::fabs(sum - target) < 1e-5) break;
      if (sum > target) {
        hi = sigma;
        sigma = (lo + hi) / 2;
      } else {
        lo = sigma;
        sigma = hi == HUGE_VAL ? sigma * 2 : (lo + hi) / 2;
      }
    }
    for (int j = 0; j < k; ++j) {
      const double w = std::exp(-std::max(0.0, d[j] - rho) / sigma);
      const uint32_t a = static_cast<uint32_t>(i), b = g.index[i * k + j];
      edges.emplace_back(std::min(a, b), std::max(a, b), w);
    }
  }
  std::sort(edges.begin(), edges.end());
  // Fuzzy union of w(i,j) and w(j,i); each undirected edge once.
  std::vector<double> weights;
  for (size_t e = 0; e < edges.size();) {
    const uint32_t a = std::get<0>(edges[e]), b = std::get<1>(edges[e]);
    double w = 0;
    for (; e < edges.size() && std::get<0>(edges[e]) == a && std::get<1>(edges[e]) == b; ++e) {
      w = w + std::get<2>(edges[e]) - w * std::get<2>(edges[e]);
    }
    head_.push_back(a);
    tail_.push_back(b);
    weights.push_back(w);
  }
  const double max_w = weights.empty() ? 1 : *std::max_element(weights.begin(), weights.end());
  size_t kept = 0;
  for (size_t e = 0; e < weights.size(); ++e) {
    if (weights[e] < max_w / total_) continue;  // would never be sampled
    head_[kept] = head_[e];
    tail_[kept] = tail_[e];
    epochs_per_sample_.push_back(max_w / weights[e]);
    ++kept;
  }
  head_.resize(kept);
  tail_.resize(kept);
  next_sample_ = epochs_per_sample_;
  next_negative_.resize(kept);
  for (size_t e = 0; e < kept; ++e) {
    next_negative_[e] = opt_.negative_samples > 0 ? epochs_per_sample_[e] / opt_.negative_samples : HUGE_VAL;
  }
  y_.resize(n_ * opt_.dims);
  for (double& v : y_) v = -10 + 20 * rng_.Uniform();
  positions_.assign(y_.begin(), y_.end());
}

void Umap::Step(int epochs) {
  if (!ok()) return;
  for (int i = 0; i < epochs && epoch_ < total_; ++i) OneEpoch();
  for (size_t i = 0; i < y_.size(); ++i) positions_[i] = static_cast<float>(y_[i]);
}

void Umap::OneEpoch() {
  const int dims = opt_.dims;
  const double n = epoch_ + 1;
  const double alpha = 1.0 - static_cast<double>(epoch_) / total_;
  auto clip = [](double v) { return v > 4 ? 4 : (v < -4 ? -4 : v); };
  for (size_t e = 0; e < head_.size(); ++e) {
    if (next_sample_[e] > n) continue;
    double* yi = &y_[static_cast<uint64_t>(head_[e]) * dims];
    double* yj = &y_[static_cast<uint64_t>(tail_[e]) * dims];
    double d2 = 0;
    for (int k = 0; k < dims; ++k) d2 += (yi[k] - yj[k]) * (yi[k] - yj[k]);
    if (d2 > 0) {
      const double coef = -2 * a_ * b_ * std::pow(d2, b_ - 1) / (a_ * std::pow(d2, b_) + 1);
      for (int k = 0; k < dims; ++k) {
        const double g = clip(coef * (yi[k] - yj[k])) * alpha;
        yi[k] += g;
        yj[k] -= g;
      }
    }
    next_sample_[e] += epochs_per_sample_[e];
    if (opt_.negative_samples > 0) {
      const double per_negative = epochs_per_sample_[e] / opt_.negative_samples;
      const int count = static_cast<int>((n - next_negative_[e]) / per_negative);
      for (int s = 0; s < count; ++s) {
        const uint64_t o = rng_.Below(n_);
        if (o == head_[e]) continue;
        const double* yo = &y_[o * dims];
        double e2 = 0;
        for (int k = 0; k < dims; ++k) e2 += (yi[k] - yo[k]) * (yi[k] - yo[k]);
        if (e2 > 0) {
          const double coef = 2 * b_ / ((0.001 + e2) * (a_ * std::pow(e2, b_) + 1));
          for (int k = 0; k < dims; ++k) yi[k] += clip(coef * (yi[k] - yo[k])) * alpha;
        }
      }
      next_negative_[e] += std::max(count, 0) * per_negative;
    }
  }
  ++epoch_;
}

}  // namespace projector
}  // namespace tbview
