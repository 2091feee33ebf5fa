// Native timings of the projector engine (no assertions: figures on a shared
// machine are noisy):
//   tbview_projector_bench [--large] [--tsne-iterations N]
// prints the load time of a generated 100,000 x 256 tensors.tsv pushed in 1 MiB
// chunks, then PCA (10 components), t-SNE (2-D, perplexity 30, N = 1,000
// iterations by default) and UMAP (2-D, 15 neighbours, default epochs) on
// 10,000 x 128 points in 20 clusters; --large adds 100,000 x 128 (PCA, UMAP and
// a t-SNE time per iteration over the first 50 iterations).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "projector_pca.h"
#include "projector_tsne.h"
#include "projector_tsv.h"
#include "projector_umap.h"

using namespace tbview::projector;

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

Matrix Clusters(uint64_t rows, uint64_t cols, int clusters, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> centres(clusters * cols);
  for (double& c : centres) c = 4 * rng.Normal();
  Matrix m;
  m.rows = rows;
  m.cols = cols;
  m.values.resize(rows * cols);
  for (uint64_t i = 0; i < rows; ++i) {
    const uint64_t c = i % clusters;
    for (uint64_t j = 0; j < cols; ++j)
      m.values[i * cols + j] = static_cast<float>(centres[c * cols + j] + rng.Normal());
  }
  return m;
}

void BenchTsv() {
  const uint64_t rows = 100000, cols = 256;
  std::string text;
  text.reserve(rows * cols * 11);
  Rng rng(1);
  char buf[32];
  for (uint64_t i = 0; i < rows; ++i) {
    for (uint64_t j = 0; j < cols; ++j) {
      const int n = std::snprintf(buf, sizeof buf, "%.7g", rng.Normal());
      text.append(buf, n);
      text += j + 1 == cols ? '\n' : '\t';
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  TsvMatrixReader reader("tensors.tsv", ProjectorLimits());
  for (size_t i = 0; i < text.size(); i += 1 << 20) {
    reader.Push(reinterpret_cast<const uint8_t*>(text.data()) + i,
                std::min<size_t>(1 << 20, text.size() - i));
  }
  const bool ok = reader.Finish();
  const double s = Seconds(t0);
  std::printf("tsv load 100000x256 (%.0f MB): %.2f s (%.0f MB/s)%s\n", text.size() / 1e6, s,
              text.size() / 1e6 / s, ok ? "" : " FAILED");
}

void BenchProjections(uint64_t rows, int tsne_iterations, bool tsne_sample) {
  const Matrix m = Clusters(rows, 128, 20, 7);
  auto t0 = std::chrono::steady_clock::now();
  PcaResult pca;
  std::string error;
  ComputePca(m, 10, &pca, &error);
  std::printf("pca %llux128: %.2f s (top-10 variance explained %.3f)\n",
              static_cast<unsigned long long>(rows), Seconds(t0), [&] {
                double s = 0;
                for (double e : pca.explained) s += e;
                return s;
              }());
  std::fflush(stdout);
  t0 = std::chrono::steady_clock::now();
  TsneOptions topt;
  Tsne tsne(m, topt);
  const double setup = Seconds(t0);
  t0 = std::chrono::steady_clock::now();
  const int iterations = tsne_sample ? 50 : tsne_iterations;
  tsne.Step(iterations);
  const double run = Seconds(t0);
  if (tsne_sample) {
    std::printf(
        "t-sne %llux128: set-up (kNN, affinities) %.2f s, %.3f s per iteration over %d (x1000: ~%.0f s)\n",
        static_cast<unsigned long long>(rows), setup, run / iterations, iterations, run / iterations * 1000);
  } else {
    std::printf("t-sne %llux128: set-up (kNN, affinities) %.2f s, %d iterations %.2f s\n",
                static_cast<unsigned long long>(rows), setup, iterations, run);
  }
  std::fflush(stdout);
  t0 = std::chrono::steady_clock::now();
  Umap umap(m, UmapOptions());
  const double usetup = Seconds(t0);
  t0 = std::chrono::steady_clock::now();
  while (!umap.done()) umap.Step(50);
  std::printf("umap %llux128: set-up %.2f s, %d epochs %.2f s\n", static_cast<unsigned long long>(rows),
              usetup, umap.epochs_total(), Seconds(t0));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  bool large = false;
  int tsne_iterations = 1000;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--large") == 0) {
      large = true;
    } else if (std::strcmp(argv[i], "--tsne-iterations") == 0 && i + 1 < argc) {
      tsne_iterations = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [--large] [--tsne-iterations N]\n", argv[0]);
      return 2;
    }
  }
  BenchTsv();
  std::fflush(stdout);
  BenchProjections(10000, tsne_iterations, false);
  if (large) BenchProjections(100000, tsne_iterations, true);
  return 0;
}
