#include "projector_pca.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace tbview {
namespace projector {

void SymmetricEigen(std::vector<double> a, int n, std::vector<double>* values, std::vector<double>* vectors) {
  std::vector<double> v(static_cast<size_t>(n) * n, 0.0);
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i) * n + i] = 1.0;
  auto A = [&](int r, int c) -> double& { return a[static_cast<size_t>(r) * n + c]; };
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0, diag = 0;
    for (int p = 0; p < n; ++p) {
      diag += A(p, p) * A(p, p);
      for (int q = p + 1; q < n; ++q) off += A(p, q) * A(p, q);
    }
    if (off <= 1e-30 * diag || off == 0) break;
    for (int p = 0; p < n; ++p) {
      for (int q = p + 1; q < n; ++q) {
        const double apq = A(p, q);
        if (std::fabs(apq) < 1e-300) continue;
        const double theta = (A(q, q) - A(p, p)) / (2 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        const double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < n; ++k) {  // columns p, q
          const double akp = A(k, p), akq = A(k, q);
          A(k, p) = c * akp - s * akq;
          A(k, q) = s * akp + c * akq;
        }
        for (int k = 0; k < n; ++k) {  // rows p, q
          const double apk = A(p, k), aqk = A(q, k);
          A(p, k) = c * apk - s * aqk;
          A(q, k) = s * apk + c * aqk;
        }
        for (int k = 0; k < n; ++k) {  // eigenvectors as rows of v
          double* vp = &v[static_cast<size_t>(p) * n + k];
          double* vq = &v[static_cast<size_t>(q) * n + k];
          const double x = *vp, y = *vq;
          *vp = c * x - s * y;
          *vq = s * x + c * y;
        }
      }
    }
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int i, int j) { return A(i, i) > A(j, j); });
  values->assign(n, 0);
  vectors->assign(static_cast<size_t>(n) * n, 0);
  for (int r = 0; r < n; ++r) {
    (*values)[r] = A(order[r], order[r]);
    std::copy(v.begin() + static_cast<size_t>(order[r]) * n,
              v.begin() + static_cast<size_t>(order[r] + 1) * n,
              vectors->begin() + static_cast<size_t>(r) * n);
  }
}

namespace {

// Orthonormalizes the m rows (length n) of q by modified Gram-Schmidt, twice.
void Orthonormalize(std::vector<double>* q, int m, uint64_t n) {
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < m; ++i) {
      double* qi = q->data() + i * n;
      for (int j = 0; j < i; ++j) {
        const double* qj = q->data() + j * n;
        double d = 0;
        for (uint64_t k = 0; k < n; ++k) d += qi[k] * qj[k];
        for (uint64_t k = 0; k < n; ++k) qi[k] -= d * qj[k];
      }
      double norm = 0;
      for (uint64_t k = 0; k < n; ++k) norm += qi[k] * qi[k];
      norm = std::sqrt(norm);
      if (norm < 1e-300) norm = 1;
      for (uint64_t k = 0; k < n; ++k) qi[k] /= norm;
    }
  }
}

// rows = c * each row of q (c symmetric n x n).
void MultiplyRows(const std::vector<double>& c, const std::vector<double>& q, int m, uint64_t n,
                  std::vector<double>* out) {
  out->assign(m * n, 0.0);
  for (int i = 0; i < m; ++i) {
    const double* qi = q.data() + i * n;
    double* oi = out->data() + i * n;
    for (uint64_t r = 0; r < n; ++r) {
      const double* cr = c.data() + r * n;
      double s = 0;
      for (uint64_t k = 0; k < n; ++k) s += cr[k] * qi[k];
      oi[r] = s;
    }
  }
}

// Top-k eigenpairs of c by subspace iteration (see projector_pca.h).
bool SubspaceEigen(const std::vector<double>& c, uint64_t n, int k, uint64_t seed,
                   std::vector<double>* values, std::vector<double>* vectors) {
  const int m = static_cast<int>(std::min<uint64_t>(n, static_cast<uint64_t>(k) + 8));
  std::vector<double> q(m * n), z, t(static_cast<size_t>(m) * m), tv, tval;
  Rng rng(seed);
  for (double& x : q) x = rng.Normal();
  Orthonormalize(&q, m, n);
  bool converged = false;
  for (int iter = 0; iter < 1000 && !converged; ++iter) {
    MultiplyRows(c, q, m, n, &z);
    // Rayleigh-Ritz: T = Q C Q^T, rotate Q by T's eigenvectors.
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < m; ++j) {
        double s = 0;
        for (uint64_t r = 0; r < n; ++r) s += q[i * n + r] * z[j * n + r];
        t[static_cast<size_t>(i) * m + j] = s;
      }
    }
    SymmetricEigen(t, m, &tval, &tv);
    std::vector<double> rq(m * n, 0.0), rz(m * n, 0.0);
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < m; ++j) {
        const double w = tv[static_cast<size_t>(i) * m + j];
        for (uint64_t r = 0; r < n; ++r) {
          rq[i * n + r] += w * q[j * n + r];
          rz[i * n + r] += w * z[j * n + r];
        }
      }
    }
    // Residuals of the wanted pairs: |C v - l v| = |rz_i - l_i rq_i|.
    converged = true;
    const double scale = std::max(std::fabs(tval[0]), 1e-300);
    for (int i = 0; i < k && converged; ++i) {
      double res = 0;
      for (uint64_t r = 0; r < n; ++r) {
        const double d = rz[i * n + r] - tval[i] * rq[i * n + r];
        res += d * d;
      }
      if (std::sqrt(res) > 1e-10 * scale) converged = false;
    }
    if (converged) {
      q.swap(rq);
    } else {
      q.swap(rz);  // one power step on the rotated basis
      Orthonormalize(&q, m, n);
    }
  }
  values->assign(tval.begin(), tval.begin() + k);
  vectors->assign(q.begin(), q.begin() + k * n);
  return converged;
}

}  // namespace

bool ComputePca(const Matrix& x, int components, PcaResult* out, std::string* error, uint64_t seed) {
  *out = PcaResult();
  const uint64_t n = x.rows, d = x.cols;
  if (n < 2 || d < 1 || components < 1) {
    *error = "PCA needs at least 2 points, 1 dimension and 1 component";
    return false;
  }
  const int k = static_cast<int>(std::min<uint64_t>(d, static_cast<uint64_t>(components)));
  out->components = k;
  out->cols = d;
  out->mean.assign(d, 0.0);
  for (uint64_t i = 0; i < n; ++i) {
    const float* r = x.row(i);
    for (uint64_t j = 0; j < d; ++j) out->mean[j] += r[j];
  }
  for (double& m : out->mean) m /= static_cast<double>(n);
  // Upper triangle of the scatter matrix, then mirrored.
  std::vector<double> c(d * d, 0.0), centered(d);
  for (uint64_t i = 0; i < n; ++i) {
    const float* r = x.row(i);
    for (uint64_t j = 0; j < d; ++j) centered[j] = r[j] - out->mean[j];
    for (uint64_t a = 0; a < d; ++a) {
      const double va = centered[a];
      double* ca = c.data() + a * d;
      for (uint64_t b = a; b < d; ++b) ca[b] += va * centered[b];
    }
  }
  const double denom = static_cast<double>(n - 1);
  for (uint64_t a = 0; a < d; ++a) {
    for (uint64_t b = a; b < d; ++b) {
      c[a * d + b] /= denom;
      c[b * d + a] = c[a * d + b];
    }
    out->total_variance += c[a * d + a];
  }
  std::vector<double> values, vectors;
  if (d <= 256) {
    SymmetricEigen(c, static_cast<int>(d), &values, &vectors);
  } else {
    out->converged = SubspaceEigen(c, d, k, seed, &values, &vectors);
  }
  out->axes.assign(vectors.begin(), vectors.begin() + k * d);
  for (int i = 0; i < k; ++i) {
    double* axis = out->axes.data() + i * d;
    uint64_t big = 0;
    for (uint64_t j = 1; j < d; ++j) {
      if (std::fabs(axis[j]) > std::fabs(axis[big]) + 1e-12) big = j;
    }
    if (axis[big] < 0) {
      for (uint64_t j = 0; j < d; ++j) axis[j] = -axis[j];
    }
    const double var = std::max(0.0, values[i]);
    out->variances.push_back(var);
    out->explained.push_back(out->total_variance > 0 ? var / out->total_variance : 0.0);
  }
  out->projected.rows = n;
  out->projected.cols = static_cast<uint64_t>(k);
  out->projected.values.resize(n * k);
  for (uint64_t i = 0; i < n; ++i) {
    const float* r = x.row(i);
    for (uint64_t j = 0; j < d; ++j) centered[j] = r[j] - out->mean[j];
    for (int a = 0; a < k; ++a) {
      const double* axis = out->axes.data() + a * d;
      double s = 0;
      for (uint64_t j = 0; j < d; ++j) s += centered[j] * axis[j];
      out->projected.values[i * k + a] = static_cast<float>(s);
    }
  }
  return true;
}

bool ProjectAlong(const Matrix& x, const std::vector<uint32_t>& a, const std::vector<uint32_t>& b,
                  std::vector<float>* coords, std::string* error) {
  const uint64_t d = x.cols;
  if (a.empty() || x.rows == 0) {
    *error = "custom projection: the first set of points is empty";
    return false;
  }
  auto mean_of = [&](const std::vector<uint32_t>& set, std::vector<double>* m) {
    m->assign(d, 0.0);
    for (uint32_t i : set) {
      if (i >= x.rows) return false;
      for (uint64_t j = 0; j < d; ++j) (*m)[j] += x.row(i)[j];
    }
    for (double& v : *m) v /= static_cast<double>(set.size());
    return true;
  };
  std::vector<uint32_t> all;
  if (b.empty()) {
    all.resize(x.rows);
    std::iota(all.begin(), all.end(), 0u);
  }
  std::vector<double> ma, mb, mall;
  if (!mean_of(a, &ma) || !mean_of(b.empty() ? all : b, &mb)) {
    *error = "custom projection: a point index is out of range";
    return false;
  }
  if (all.empty()) {
    all.resize(x.rows);
    std::iota(all.begin(), all.end(), 0u);
  }
  mean_of(all, &mall);
  double norm = 0;
  for (uint64_t j = 0; j < d; ++j) {
    ma[j] -= mb[j];
    norm += ma[j] * ma[j];
  }
  norm = std::sqrt(norm);
  if (!(norm > 0)) {
    *error = "custom projection: the two sets have the same mean, so there is no direction";
    return false;
  }
  coords->resize(x.rows);
  for (uint64_t i = 0; i < x.rows; ++i) {
    double s = 0;
    for (uint64_t j = 0; j < d; ++j) s += (x.row(i)[j] - mall[j]) * ma[j];
    (*coords)[i] = static_cast<float>(s / norm);
  }
  return true;
}

}  // namespace projector
}  // namespace tbview
