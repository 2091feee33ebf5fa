// The graph fuzz harness (fuzz_harness.h's pattern, kept in its own header): one
// input is decoded as a GraphDef, MetaGraphDef, RunMetadata or Keras model config
// (chosen by its first byte) with small limits, built into a hierarchy, and
// every answer is checked against the invariants graph_model.h and
// graph_hierarchy.h promise. A broken invariant aborts; crashes, leaks, UB,
// hangs and allocations an input merely claims are the sanitizers' and
// libFuzzer's (-rss_limit_mb, -malloc_limit_mb, -timeout) to find.
#pragma once
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "graph_decode.h"
#include "graph_hierarchy.h"
#include "keras_graph.h"

#define TBVIEW_GRAPH_FUZZ_CHECK(cond)                                                         \
  do {                                                                                        \
    if (!(cond)) {                                                                            \
      std::fprintf(stderr, "fuzz invariant broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                           \
    }                                                                                         \
  } while (0)

namespace tbview {
namespace fuzz {

inline void CheckModel(const GraphModel& m, const GraphLimits& limits) {
  TBVIEW_GRAPH_FUZZ_CHECK(m.nodes.size() <= limits.max_nodes);
  TBVIEW_GRAPH_FUZZ_CHECK(m.warnings.size() <= kMaxGraphWarnings);
  uint64_t missing = 0;
  for (const GraphNode& n : m.nodes) {
    for (const GraphInput& in : n.inputs) {
      TBVIEW_GRAPH_FUZZ_CHECK(in.node >= -1 && in.node < static_cast<int64_t>(m.nodes.size()));
      missing += in.node < 0;
    }
    for (const GraphAttr& a : n.attrs)
      TBVIEW_GRAPH_FUZZ_CHECK(a.value.size() <= limits.max_attr_display_bytes);
    TBVIEW_GRAPH_FUZZ_CHECK(n.function >= -1 && n.function < static_cast<int64_t>(m.functions.size()));
  }
  TBVIEW_GRAPH_FUZZ_CHECK(missing == m.missing_inputs);
}

inline void CheckHierarchy(const GraphHierarchy& h, const GraphLimits& limits) {
  const GraphModel& m = h.model();
  TBVIEW_GRAPH_FUZZ_CHECK(h.item(GraphHierarchy::kRoot).leaf_count() == m.nodes.size());
  for (size_t n = 0; n < m.nodes.size(); ++n) {
    const GraphItem& leaf = h.item(h.LeafOfNode(static_cast<int32_t>(n)));
    TBVIEW_GRAPH_FUZZ_CHECK(leaf.kind == GraphItem::Kind::kOp && leaf.node == static_cast<int32_t>(n));
    TBVIEW_GRAPH_FUZZ_CHECK(leaf.depth <= limits.max_scope_depth + 2);  // groups, a series, the op
  }
  size_t expanded = 0;
  for (size_t i = 0; i < h.size() && expanded < 64; ++i) {
    const GraphItem& it = h.item(static_cast<int32_t>(i));
    if (it.kind == GraphItem::Kind::kOp) continue;
    ++expanded;
    const GroupView v = h.Expand(static_cast<int32_t>(i));
    TBVIEW_GRAPH_FUZZ_CHECK(v.group == static_cast<int32_t>(i));
    uint32_t leaves = 0;
    std::vector<uint8_t> is_child(h.size(), 0);
    for (int32_t c : v.children) {
      TBVIEW_GRAPH_FUZZ_CHECK(h.item(c).parent == static_cast<int32_t>(i));
      leaves += h.item(c).leaf_count();
      is_child[c] = 1;
    }
    TBVIEW_GRAPH_FUZZ_CHECK(leaves == it.leaf_count());
    for (int32_t a : v.auxiliary) TBVIEW_GRAPH_FUZZ_CHECK(is_child[a]);
    for (const ItemEdge& e : v.edges) {
      TBVIEW_GRAPH_FUZZ_CHECK(is_child[e.from] && is_child[e.to] && e.data + e.control > 0);
      TBVIEW_GRAPH_FUZZ_CHECK(e.shapes.size() <= kMaxEdgeShapes);
    }
    for (const ItemEdge& e : v.outer) {
      TBVIEW_GRAPH_FUZZ_CHECK(h.valid(e.from) && h.valid(e.to));
      TBVIEW_GRAPH_FUZZ_CHECK(is_child[e.from] != is_child[e.to]);
    }
  }
  const size_t limit = 16;
  TBVIEW_GRAPH_FUZZ_CHECK(h.Search("a", limit).size() <= limit);
  if (!m.nodes.empty()) {
    bool truncated = false;
    const std::vector<int32_t> t = h.Trace(h.LeafOfNode(0), true, true, limit, &truncated);
    TBVIEW_GRAPH_FUZZ_CHECK(t.size() <= limit);
    const NodeDetails d = h.Details(h.LeafOfNode(0));
    TBVIEW_GRAPH_FUZZ_CHECK(d.node == &m.nodes[0] && d.inputs.size() == m.nodes[0].inputs.size());
  }
  (void)h.FullName(static_cast<int32_t>(h.size() - 1));
}

inline void GraphOne(const uint8_t* data, size_t size) {
  if (size < 2) return;
  const uint8_t mode = data[0], config = data[1];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);
  GraphLimits limits;
  limits.max_nodes = 20000;
  limits.max_inputs = 100000;
  limits.max_functions = 1000;
  limits.max_attr_display_bytes = 8 + (config & 63);
  limits.max_scope_depth = 1 + (config >> 4);
  limits.max_json_depth = 64;
  limits.max_keras_nesting = 8;
  GraphModel model;
  std::string error;
  bool ok = false;
  switch (mode & 3) {
    case 0: ok = DecodeGraphDef(bytes, limits, &model, &error); break;
    case 1: ok = DecodeKerasModelConfig(bytes, limits, &model, &error); break;
    case 2: ok = DecodeMetaGraphDef(bytes, limits, &model, &error); break;
    default: {
      RunMetadataInfo info;
      ok = DecodeRunMetadata(
          bytes, limits, &info, &error,
          (mode & 4) ? RunMetadataGraphs::kFunctionGraphsFirst : RunMetadataGraphs::kPartitionGraphsFirst);
      if (ok) {
        model = std::move(info.graph);
        ApplyStepStats(info.stats, &model);
      }
      break;
    }
  }
  if (!ok) {
    TBVIEW_GRAPH_FUZZ_CHECK(!error.empty());
    return;
  }
  CheckModel(model, limits);
  GraphHierarchy h(std::move(model), limits);
  CheckHierarchy(h, limits);
  for (size_t f = 0; f < h.model().functions.size() && f < 4; ++f) {
    const GraphHierarchy* body = h.FunctionHierarchy(static_cast<int32_t>(f));
    TBVIEW_GRAPH_FUZZ_CHECK(body != nullptr);
    CheckHierarchy(*body, limits);
  }
}

}  // namespace fuzz
}  // namespace tbview
