// Projections: PCA of known matrices, neighbours against brute force, t-SNE and
// UMAP keeping separated clusters apart, custom axes, determinism by seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "projector_knn.h"
#include "projector_pca.h"
#include "projector_tsne.h"
#include "projector_umap.h"

namespace tbview {
namespace projector {
namespace {

// `clusters` Gaussian blobs (sd 1) around centres 20 apart in `dims` dimensions.
Matrix Blobs(int clusters, int per, int dims, uint64_t seed, std::vector<int>* label) {
  Rng rng(seed);
  std::vector<double> centres(clusters * dims);
  for (double& c : centres) c = 20 * rng.Normal();
  Matrix m;
  m.rows = static_cast<uint64_t>(clusters) * per;
  m.cols = dims;
  m.values.resize(m.rows * dims);
  label->clear();
  for (int c = 0; c < clusters; ++c) {
    for (int i = 0; i < per; ++i) {
      float* r = m.row(static_cast<uint64_t>(c) * per + i);
      for (int d = 0; d < dims; ++d) r[d] = static_cast<float>(centres[c * dims + d] + rng.Normal());
      label->push_back(c);
    }
  }
  return m;
}

// Share of points whose nearest other point in the embedding has their label.
double NearestLabelAccuracy(const std::vector<float>& y, int dims, const std::vector<int>& label) {
  Matrix m;
  m.rows = label.size();
  m.cols = dims;
  m.values = y;
  int good = 0;
  for (uint64_t i = 0; i < m.rows; ++i) {
    const std::vector<Neighbor> n = NearestNeighbors(m, i, 1, Metric::kEuclidean);
    good += label[n[0].index] == label[i];
  }
  return static_cast<double>(good) / m.rows;
}

// Ratio of the mean distance between cluster centroids to the mean spread
// within clusters, in the embedding: above 1 when clusters stay apart.
double Separation(const std::vector<float>& y, int dims, const std::vector<int>& label, int clusters) {
  std::vector<double> c(clusters * dims, 0), count(clusters, 0);
  for (size_t i = 0; i < label.size(); ++i) {
    for (int d = 0; d < dims; ++d) c[label[i] * dims + d] += y[i * dims + d];
    count[label[i]] += 1;
  }
  for (int k = 0; k < clusters; ++k)
    for (int d = 0; d < dims; ++d) c[k * dims + d] /= count[k];
  double within = 0;
  for (size_t i = 0; i < label.size(); ++i) {
    double s = 0;
    for (int d = 0; d < dims; ++d) s += std::pow(y[i * dims + d] - c[label[i] * dims + d], 2);
    within += std::sqrt(s);
  }
  within /= label.size();
  double between = 0;
  int pairs = 0;
  for (int a = 0; a < clusters; ++a)
    for (int b = a + 1; b < clusters; ++b, ++pairs) {
      double s = 0;
      for (int d = 0; d < dims; ++d) s += std::pow(c[a * dims + d] - c[b * dims + d], 2);
      between += std::sqrt(s);
    }
  return between / pairs / within;
}

TEST(ProjectorPca, KnownMatrix) {
  // Points on the axes of a rotated ellipse: x = 3 t u + 1 s v + mean, with
  // orthonormal u, v (no ties between their largest coordinates).
  const double u[3] = {0.48, 0.64, 0.6}, v[3] = {0.36, 0.48, -0.8};
  Matrix m;
  m.cols = 3;
  const double ts[4] = {1, -1, 0, 0}, ss[4] = {0, 0, 1, -1};
  for (int i = 0; i < 4; ++i) {
    for (int d = 0; d < 3; ++d) m.values.push_back(static_cast<float>(5 + 3 * ts[i] * u[d] + ss[i] * v[d]));
    ++m.rows;
  }
  PcaResult pca;
  std::string error;
  ASSERT_TRUE(ComputePca(m, 10, &pca, &error)) << error;
  ASSERT_EQ(pca.components, 3);
  // Covariance (divided by n - 1 = 3): 9 * 2 / 3 = 6 along u, 2 / 3 along v, 0 else.
  EXPECT_NEAR(pca.variances[0], 6.0, 1e-5);
  EXPECT_NEAR(pca.variances[1], 2 / 3.0, 1e-5);
  EXPECT_NEAR(pca.variances[2], 0.0, 1e-5);
  EXPECT_NEAR(pca.explained[0], 0.9, 1e-6);
  EXPECT_NEAR(pca.explained[1], 0.1, 1e-6);
  for (int d = 0; d < 3; ++d) {
    EXPECT_NEAR(pca.axes[d], u[d], 1e-6);       // largest coordinate (0.64) positive: +u
    EXPECT_NEAR(pca.axes[3 + d], -v[d], 1e-6);  // largest (-0.8) made positive: -v
    EXPECT_NEAR(pca.mean[d], 5.0, 1e-6);
  }
  EXPECT_NEAR(pca.projected.row(0)[0], 3.0, 1e-5);
  EXPECT_NEAR(pca.projected.row(2)[1], -1.0, 1e-5);
}

TEST(ProjectorPca, SubspaceIterationOnWideData) {
  // 300 dimensions (the subspace path) with a known, well-separated spectrum:
  // independent columns, column j < 10 with standard deviation 300 - 20 j, the
  // others 10. The axes must be the first ten coordinate axes, the variances
  // near (300 - 20 j)^2, and each pair must satisfy C v = l v on the data.
  Rng rng(5);
  Matrix m;
  m.rows = 3000;
  m.cols = 300;
  for (uint64_t i = 0; i < m.rows; ++i)
    for (uint64_t j = 0; j < m.cols; ++j)
      m.values.push_back(static_cast<float>((j < 10 ? 300.0 - 20.0 * j : 10.0) * rng.Normal()));
  PcaResult pca;
  std::string error;
  ASSERT_TRUE(ComputePca(m, 10, &pca, &error));
  EXPECT_TRUE(pca.converged);
  for (int k = 0; k < 10; ++k) {
    const double want = std::pow(300.0 - 20.0 * k, 2);
    EXPECT_NEAR(pca.variances[k] / want, 1.0, 0.1) << k;
    EXPECT_GT(pca.axes[k * 300 + k], 0.95) << k;  // sampling noise mixes neighbours a little
    // Residual of C v = l v, C computed here from the data.
    std::vector<double> proj(m.rows, 0.0), cv(300, 0.0);
    for (uint64_t i = 0; i < m.rows; ++i)
      for (int j = 0; j < 300; ++j) proj[i] += (m.row(i)[j] - pca.mean[j]) * pca.axes[k * 300 + j];
    for (uint64_t i = 0; i < m.rows; ++i)
      for (int j = 0; j < 300; ++j) cv[j] += (m.row(i)[j] - pca.mean[j]) * proj[i] / (m.rows - 1.0);
    double res = 0;
    for (int j = 0; j < 300; ++j) res += std::pow(cv[j] - pca.variances[k] * pca.axes[k * 300 + j], 2);
    EXPECT_LT(std::sqrt(res), 1e-6 * pca.variances[0]) << k;
  }
}

TEST(ProjectorNeighbors, MatchBruteForce) {
  std::vector<int> label;
  const Matrix m = Blobs(4, 50, 16, 3, &label);
  for (Metric metric : {Metric::kEuclidean, Metric::kCosine}) {
    for (uint64_t p : {0u, 77u, 199u}) {
      const std::vector<Neighbor> got = NearestNeighbors(m, p, 10, metric);
      std::vector<std::pair<double, uint32_t>> all;
      for (uint64_t i = 0; i < m.rows; ++i) {
        if (i == p) continue;
        double dot = 0, na = 0, nb = 0, d2 = 0;
        for (uint64_t j = 0; j < m.cols; ++j) {
          dot += m.row(p)[j] * m.row(i)[j];
          na += m.row(p)[j] * m.row(p)[j];
          nb += m.row(i)[j] * m.row(i)[j];
          d2 += std::pow(m.row(p)[j] - m.row(i)[j], 2);
        }
        all.push_back({metric == Metric::kEuclidean ? std::sqrt(d2) : 1 - dot / std::sqrt(na * nb),
                       static_cast<uint32_t>(i)});
      }
      std::sort(all.begin(), all.end());
      ASSERT_EQ(got.size(), 10u);
      for (int k = 0; k < 10; ++k) {
        EXPECT_EQ(got[k].index, all[k].second);
        EXPECT_NEAR(got[k].distance, all[k].first, 1e-3 * std::max(1.0, all[k].first));
      }
    }
  }
  EXPECT_TRUE(NearestNeighbors(m, 1000, 5, Metric::kEuclidean).empty());
  EXPECT_EQ(NearestNeighbors(m, 0, 1000, Metric::kEuclidean).size(), m.rows - 1);
}

TEST(ProjectorNeighbors, ApproximateGraphHasHighRecall) {
  std::vector<int> label;
  const Matrix m = Blobs(10, 300, 32, 4, &label);
  const KnnGraph exact = BuildKnnGraph(m, 10, 1, 1u << 30);
  const KnnGraph approx = BuildKnnGraph(m, 10, 1, 0);
  ASSERT_EQ(exact.index.size(), approx.index.size());
  size_t hits = 0;
  for (uint64_t i = 0; i < m.rows; ++i) {
    std::set<uint32_t> truth(exact.index.begin() + i * 10, exact.index.begin() + (i + 1) * 10);
    for (int k = 0; k < 10; ++k) {
      EXPECT_NE(approx.index[i * 10 + k], i);
      hits += truth.count(approx.index[i * 10 + k]);
    }
  }
  const double recall = static_cast<double>(hits) / exact.index.size();
  EXPECT_GT(recall, 0.8) << recall;
  std::printf("approximate kNN recall at 8 trees: %.3f\n", recall);
}

TEST(ProjectorTsne, KeepsClustersApartAndIsDeterministic) {
  std::vector<int> label;
  const Matrix m = Blobs(5, 60, 20, 7, &label);
  for (int dims : {2, 3}) {
    TsneOptions opt;
    opt.dims = dims;
    opt.perplexity = 15;
    Tsne tsne(m, opt);
    ASSERT_TRUE(tsne.ok()) << tsne.error();
    for (int i = 0; i < 5; ++i) tsne.Step(100);  // as a worker would, drawing between steps
    EXPECT_EQ(tsne.iteration(), 500);
    for (float v : tsne.positions()) ASSERT_TRUE(std::isfinite(v));
    EXPECT_GE(NearestLabelAccuracy(tsne.positions(), dims, label), 0.99);
    EXPECT_GT(Separation(tsne.positions(), dims, label, 5), 3.0);
    Tsne again(m, opt);
    again.Step(500);
    EXPECT_EQ(again.positions(), tsne.positions());
  }
  TsneOptions bad;
  bad.dims = 4;
  EXPECT_FALSE(Tsne(m, bad).ok());
}

TEST(ProjectorUmap, KeepsClustersApartAndIsDeterministic) {
  std::vector<int> label;
  const Matrix m = Blobs(5, 60, 20, 8, &label);
  UmapOptions opt;
  opt.neighbors = 15;
  opt.epochs = 200;
  Umap umap(m, opt);
  ASSERT_TRUE(umap.ok()) << umap.error();
  EXPECT_NEAR(umap.a(), 1.58, 0.05);  // umap-learn's fit for min_dist 0.1, spread 1
  EXPECT_NEAR(umap.b(), 0.90, 0.03);
  while (!umap.done()) umap.Step(50);
  EXPECT_EQ(umap.epoch(), 200);
  for (float v : umap.positions()) ASSERT_TRUE(std::isfinite(v));
  EXPECT_GE(NearestLabelAccuracy(umap.positions(), 2, label), 0.99);
  EXPECT_GT(Separation(umap.positions(), 2, label, 5), 3.0);
  Umap again(m, opt);
  again.Step(1000);
  EXPECT_EQ(again.positions(), umap.positions());
}

TEST(ProjectorCustom, AxisFromTwoSets) {
  Matrix m;
  m.rows = 4;
  m.cols = 2;
  m.values = {0, 0, 2, 0, 0, 1, 2, 1};
  std::vector<float> c;
  std::string error;
  ASSERT_TRUE(ProjectAlong(m, {1, 3}, {0, 2}, &c, &error)) << error;
  EXPECT_EQ(c, (std::vector<float>{-1, 1, -1, 1}));
  ASSERT_TRUE(ProjectAlong(m, {2, 3}, {}, &c, &error));  // against the mean of all
  EXPECT_EQ(c, (std::vector<float>{-0.5f, -0.5f, 0.5f, 0.5f}));
  EXPECT_FALSE(ProjectAlong(m, {0}, {0}, &c, &error));
  EXPECT_FALSE(ProjectAlong(m, {9}, {0}, &c, &error));
  EXPECT_FALSE(ProjectAlong(m, {}, {0}, &c, &error));
}

}  // namespace
}  // namespace projector
}  // namespace tbview
