#include "projector_tsne.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "projector_knn.h"

namespace tbview {
namespace projector {
namespace {

// The Barnes-Hut tree over the current positions (dims 2 or 3).
class SpaceTree {
 public:
  SpaceTree(const std::vector<double>& y, uint64_t n, int dims) : y_(y), dims_(dims) {
    double lo[3] = {0, 0, 0}, hi[3] = {0, 0, 0};
    for (int k = 0; k < dims; ++k) lo[k] = hi[k] = n ? y[k] : 0;
    for (uint64_t i = 0; i < n; ++i) {
      for (int k = 0; k < dims; ++k) {
        lo[k] = std::min(lo[k], y[i * dims + k]);
        hi[k] = std::max(hi[k], y[i * dims + k]);
      }
    }
    Node root;
    double half = 0;
    for (int k = 0; k < dims; ++k) {
      root.center[k] = (lo[k] + hi[k]) / 2;
      half = std::max(half, (hi[k] - lo[k]) / 2);
    }
    root.half = half * (1 + 1e-9) + 1e-12;
    nodes_.reserve(2 * n + 1);
    nodes_.push_back(root);
    for (uint64_t i = 0; i < n; ++i) Insert(static_cast<uint32_t>(i));
  }

  // Adds the repulsion on point i to force[0..dims) and returns its share of Z.
  double Repulsion(uint32_t i, double theta, double* force) const {
    const double* yi = &y_[static_cast<uint64_t>(i) * dims_];
    double z = 0;
    uint32_t stack[64 * 8 + 8];
    int top = 0;
    stack[top++] = 0;
    const double theta2 = theta * theta;
    while (top > 0) {
      const Node& node = nodes_[stack[--top]];
      if (node.mass == 0) continue;
      double diff[3] = {0, 0, 0}, d2 = 0;
      for (int k = 0; k < dims_; ++k) {
        diff[k] = yi[k] - node.com[k];
        d2 += diff[k] * diff[k];
      }
      const bool leaf = node.child < 0;
      if (leaf && d2 == 0) continue;  // the point itself (and exact duplicates)
      const double width = 2 * node.half;
      if (leaf || width * width < theta2 * d2) {
        const double q = 1 / (1 + d2);
        z += node.mass * q;
        const double mq2 = node.mass * q * q;
        for (int k = 0; k < dims_; ++k) force[k] += mq2 * diff[k];
      } else {
        const int children = 1 << dims_;
        for (int c = 0; c < children; ++c) stack[top++] = static_cast<uint32_t>(node.child + c);
      }
    }
    return z;
  }

 private:
  struct Node {
    double center[3] = {0, 0, 0};
    double half = 0;
    double com[3] = {0, 0, 0};
    double mass = 0;
    int32_t child = -1;  // first of 2^dims children, -1 for a leaf
    int32_t point = -1;  // a leaf's point
    int depth = 0;
  };

  int ChildFor(const Node& node, const double* p) const {
    int c = 0;
    for (int k = 0; k < dims_; ++k) {
      if (p[k] > node.center[k]) c |= 1 << k;
    }
    return c;
  }

  void Insert(uint32_t i) {
    const double* p = &y_[static_cast<uint64_t>(i) * dims_];
    uint32_t at = 0;
    for (;;) {
      Node& node = nodes_[at];
      for (int k = 0; k < dims_; ++k) node.com[k] = (node.com[k] * node.mass + p[k]) / (node.mass + 1);
      node.mass += 1;
      if (node.child < 0) {
        if (node.point < 0 && node.mass == 1) {
          node.point = static_cast<int32_t>(i);
          return;
        }
        if (node.depth >= 48) return;  // coincident points: one leaf holds their mass
        // Split: the old point moves to a child.
        const uint32_t old = static_cast<uint32_t>(node.point);
        const int32_t first = static_cast<int32_t>(nodes_.size());
        const Node parent = node;  // nodes_ may move below
        for (int c = 0; c < (1 << dims_); ++c) {
          Node child;
          child.half = parent.half / 2;
          child.depth = parent.depth + 1;
          for (int k = 0; k < dims_; ++k) {
            child.center[k] = parent.center[k] + ((c >> k) & 1 ? child.half : -child.half);
          }
          nodes_.push_back(child);
        }
        Node& again = nodes_[at];
        again.child = first;
        again.point = -1;
        const double* po = &y_[static_cast<uint64_t>(old) * dims_];
        Node& target = nodes_[first + ChildFor(again, po)];
        for (int k = 0; k < dims_; ++k) target.com[k] = po[k];
        target.mass = again.mass - 1;  // all the mass so far was the old point's
        target.point = static_cast<int32_t>(old);
      }
      at = static_cast<uint32_t>(nodes_[at].child + ChildFor(nodes_[at], p));
    }
  }

  const std::vector<double>& y_;
  int dims_;
  std::vector<Node> nodes_;
};

}  // namespace

Tsne::Tsne(const Matrix& x, const TsneOptions& options) : opt_(options), n_(x.rows) {
  if (opt_.dims != 2 && opt_.dims != 3) {
    error_ = "t-SNE: dims must be 2 or 3";
    return;
  }
  if (n_ < 3 || n_ > (1ull << 31)) {
    error_ = "t-SNE needs at least 3 points";
    return;
  }
  if (!(opt_.perplexity > 0) || !(opt_.theta >= 0) || !(opt_.learning_rate >= 0)) {
    error_ = "t-SNE: perplexity must be above 0, theta and learning rate not negative";
    return;
  }
  perplexity_ = std::min({opt_.perplexity, 100.0, static_cast<double>(n_ - 1) / 3});
  if (perplexity_ < 1) perplexity_ = std::min(1.0, static_cast<double>(n_ - 1));
  learning_rate_ =
      opt_.learning_rate > 0 ? opt_.learning_rate : std::max(static_cast<double>(n_) / 48.0, 50.0);
  const int k =
      static_cast<int>(std::min<double>(static_cast<double>(n_ - 1), std::floor(3 * perplexity_) + 1));
  const KnnGraph g = BuildKnnGraph(x, k, opt_.seed);
  // Conditional probabilities, each row's beta bisected to the perplexity.
  const double target = std::log(perplexity_);
  std::vector<std::tuple<uint32_t, uint32_t, double>> edges;
  edges.reserve(2 * n_ * g.k);
  std::vector<double> row(g.k);
  for (uint64_t i = 0; i < n_; ++i) {
    const float* d = &g.distance[i * g.k];
    double beta = 1, lo = 0, hi = HUGE_VAL;
    const double d0 = static_cast<double>(d[0]) * d[0];
    for (int it = 0; it < 200; ++it) {
      double sum = 0, h = 0;
      for (int j = 0; j < g.k; ++j) {
        const double dj = static_cast<double>(d[j]) * d[j] - d0;  // shifted: same P, no underflow
        row[j] = std::exp(-beta * dj);
        sum += row[j];
        h += beta * dj * row[j];
      }
      const double entropy = std::log(sum) + h / sum;
      if (std::fabs(entropy - target) < 1e-5) break;
      if (entropy > target) {
        lo = beta;
        beta = hi == HUGE_VAL ? beta * 2 : (beta + hi) / 2;
      } else {
        hi = beta;
        beta = (beta + lo) / 2;
      }
    }
    double sum = 0;
    for (int j = 0; j < g.k; ++j) sum += row[j];
    for (int j = 0; j < g.k; ++j) {
      const double p = row[j] / sum / (2.0 * static_cast<double>(n_));
      const uint32_t a = static_cast<uint32_t>(i), b = g.index[i * g.k + j];
      edges.emplace_back(a, b, p);
      edges.emplace_back(b, a, p);
    }
  }
  std::sort(edges.begin(), edges.end());
  row_start_.assign(n_ + 1, 0);
  for (size_t e = 0; e < edges.size();) {
    const uint32_t a = std::get<0>(edges[e]), b = std::get<1>(edges[e]);
    double p = 0;
    for (; e < edges.size() && std::get<0>(edges[e]) == a && std::get<1>(edges[e]) == b; ++e)
      p += std::get<2>(edges[e]);
    col_.push_back(b);
    p_.push_back(p);
    ++row_start_[a + 1];
  }
  for (uint64_t i = 0; i < n_; ++i) row_start_[i + 1] += row_start_[i];
  Rng rng(opt_.seed);
  const size_t size = n_ * static_cast<uint64_t>(opt_.dims);
  y_.resize(size);
  for (double& v : y_) v = 1e-4 * rng.Normal();
  update_.assign(size, 0);
  gains_.assign(size, 1);
  grad_.assign(size, 0);
  positions_.assign(y_.begin(), y_.end());
}

void Tsne::Step(int iterations) {
  if (!ok()) return;
  for (int i = 0; i < iterations; ++i) OneStep();
  for (size_t i = 0; i < y_.size(); ++i) positions_[i] = static_cast<float>(y_[i]);
}

void Tsne::OneStep() {
  const int dims = opt_.dims;
  const bool early = iteration_ < opt_.exaggeration_iterations;
  const double exaggeration = early ? opt_.exaggeration : 1.0;
  const double momentum = early ? 0.5 : 0.8;
  // Repulsion first (the normalization Z needs every point).
  std::fill(grad_.begin(), grad_.end(), 0.0);
  double z = 0;
  {
    SpaceTree tree(y_, n_, dims);
    for (uint64_t i = 0; i < n_; ++i)
      z += tree.Repulsion(static_cast<uint32_t>(i), opt_.theta, &grad_[i * dims]);
  }
  if (z <= 0) z = 1e-300;
  for (double& g : grad_) g = -g / z;
  // Attraction along the affinity edges.
  for (uint64_t i = 0; i < n_; ++i) {
    const double* yi = &y_[i * dims];
    for (uint64_t e = row_start_[i]; e < row_start_[i + 1]; ++e) {
      const double* yj = &y_[static_cast<uint64_t>(col_[e]) * dims];
      double d2 = 0, diff[3];
      for (int k = 0; k < dims; ++k) {
        diff[k] = yi[k] - yj[k];
        d2 += diff[k] * diff[k];
      }
      const double w = exaggeration * p_[e] / (1 + d2);
      for (int k = 0; k < dims; ++k) grad_[i * dims + k] += w * diff[k];
    }
  }
  double mean[3] = {0, 0, 0};
  for (size_t c = 0; c < y_.size(); ++c) {
    const double g = 4 * grad_[c];
    const bool same_sign = (g > 0) == (update_[c] > 0);
    gains_[c] = same_sign ? std::max(gains_[c] * 0.8, 0.01) : gains_[c] + 0.2;
    update_[c] = momentum * update_[c] - learning_rate_ * gains_[c] * g;
    y_[c] += update_[c];
    mean[c % dims] += y_[c];
  }
  for (int k = 0; k < dims; ++k) mean[k] /= static_cast<double>(n_);
  for (size_t c = 0; c < y_.size(); ++c) y_[c] -= mean[c % dims];
  ++iteration_;
}

}  // namespace projector
}  // namespace tbview
