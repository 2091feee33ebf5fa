// tbview_graph_bench: figures for the graph model at the scale.
//
// Generates the transformer-like GraphDef of graph_synthetic.h (default 48
// blocks of 1,040 ops: ~50,000 nodes), then times, each the median of --repeat
// runs, in milliseconds of wall-clock time (the CPU time beside it, so a busy
// machine can be told apart):
//   decode      DecodeGraphDef (protobuf parse + model)
//   hierarchy   GraphHierarchy construction (groups, series, edges, roll-ups)
//   first       decode + hierarchy + Expand(root): what the first picture waits for
//               (each of these three also frees what it built)
//   top         Expand(root) alone
//   expand      Expand(block_7): a group of 1,000 children
//   search      Search("relu", 100)
//   trace       Trace(block_0's first op, downstream, 10,000)
// and the peak RSS. It prints figures; it asserts nothing about time. Under
// Emscripten (em++ ... -sSINGLE_FILE=1, run with node) CPU time reads 0 and RSS -1.
//
// Usage: tbview_graph_bench [--blocks N] [--block-ops K] [--repeat R]
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "graph_decode.h"
#include "graph_hierarchy.h"
#include "graph_synthetic.h"

using namespace tbview;

namespace {

double WallMs() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
double CpuMs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}
double PeakRssMiB() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atof(line.c_str() + 6) / 1024.0;
  }
  return -1;
}

// Median wall and CPU milliseconds of `repeat` runs of f.
void Time(const char* what, int repeat, const std::function<void()>& f, const char* note = "") {
  std::vector<double> wall, cpu;
  for (int i = 0; i < repeat; ++i) {
    const double w = WallMs(), c = CpuMs();
    f();
    wall.push_back(WallMs() - w);
    cpu.push_back(CpuMs() - c);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  std::printf("  %-10s %9.2f ms wall  %9.2f ms cpu  %s\n", what, wall[wall.size() / 2], cpu[cpu.size() / 2],
              note);
}

}  // namespace

int main(int argc, char** argv) {
  SyntheticGraphOptions options;
  int repeat = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--blocks"))
      options.blocks = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--block-ops"))
      options.block_ops = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--repeat"))
      repeat = std::max(1, std::atoi(argv[i + 1]));
    else {
      std::fprintf(stderr, "usage: tbview_graph_bench [--blocks N] [--block-ops K] [--repeat R]\n");
      return 2;
    }
  }
  const std::string bytes = SyntheticTransformerGraphDef(options);
  std::printf("graph: %llu nodes, %d blocks, GraphDef %.1f MiB\n",
              static_cast<unsigned long long>(SyntheticNodeCount(options)), options.blocks,
              bytes.size() / 1048576.0);
  std::string error;
  GraphModel model;
  Time(
      "decode", repeat,
      [&] {
        GraphModel m;
        if (!DecodeGraphDef(bytes, GraphLimits(), &m, &error))
          std::fprintf(stderr, "decode: %s\n", error.c_str());
      },
      "(includes freeing the model)");
  DecodeGraphDef(bytes, GraphLimits(), &model, &error);
  Time(
      "hierarchy", repeat, [&] { GraphHierarchy h{GraphModel(model)}; }, "(includes copying the model)");
  size_t top_children = 0;
  Time(
      "first", repeat,
      [&] {
        GraphModel m;
        DecodeGraphDef(bytes, GraphLimits(), &m, &error);
        GraphHierarchy h(std::move(m));
        top_children = h.Expand(GraphHierarchy::kRoot).children.size();
      },
      "(decode + hierarchy + top level)");
  GraphHierarchy h(std::move(model));
  int32_t block = -1, first_op = -1;
  for (size_t i = 0; i < h.size(); ++i) {
    const std::string name = h.FullName(static_cast<int32_t>(i));
    if (name == "block_7") block = static_cast<int32_t>(i);
    if (name == "block_0/mul_0") first_op = static_cast<int32_t>(i);
  }
  GroupView top, expanded;
  Time("top", repeat, [&] { top = h.Expand(GraphHierarchy::kRoot); });
  Time("expand", repeat, [&] { expanded = h.Expand(block); });
  std::vector<int32_t> found, traced;
  Time("search", repeat, [&] { found = h.Search("relu", 100); });
  Time("trace", repeat, [&] { traced = h.Trace(first_op, false, true, 10000); });
  std::printf(
      "answers: top level %zu children, %zu edges; block_7 %zu children, %zu edges, %zu outer; "
      "search %zu; trace %zu\n",
      top.children.size(), top.edges.size(), expanded.children.size(), expanded.edges.size(),
      expanded.outer.size(), found.size(), traced.size());
  std::printf("items %zu; peak RSS %.1f MiB\n", h.size(), PeakRssMiB());
  return top_children == top.children.size() ? 0 : 1;
}
