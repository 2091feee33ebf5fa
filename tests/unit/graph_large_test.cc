// The generated 50,000-node graph (graph_synthetic.h): its top level is small,
// and expanding a 1,000-child block answers that block only. Times are in
// tests/bench/graph (tbview_graph_bench); this checks the answers.
#include <gtest/gtest.h>

#include <string>

#include "graph_decode.h"
#include "graph_hierarchy.h"
#include "graph_synthetic.h"
#include "graph_test_util.h"

namespace tbview {
namespace {

using graph_test::EdgeBetween;
using graph_test::Find;
using Kind = GraphItem::Kind;

TEST(GraphLarge, FiftyThousandNodesTopLevelThenABlock) {
  const SyntheticGraphOptions options;  // 48 blocks of 1,040 ops
  const std::string bytes = SyntheticTransformerGraphDef(options);
  GraphModel model;
  std::string error;
  ASSERT_TRUE(DecodeGraphDef(bytes, GraphLimits(), &model, &error)) << error;
  ASSERT_EQ(model.nodes.size(), SyntheticNodeCount(options));
  ASSERT_GE(model.nodes.size(), 49900u);
  EXPECT_EQ(model.missing_inputs, 0u);
  GraphHierarchy h(std::move(model));

  const GroupView top = h.Expand(GraphHierarchy::kRoot);
  ASSERT_EQ(top.children.size(), 48u + 6);  // blocks, inputs, embedding, head, loss, summaries, global_step
  EXPECT_LT(top.edges.size(), 120u);        // the first answer is the top level, not 50,000 nodes
  const int32_t step = Find(h, "global_step");
  ASSERT_EQ(top.auxiliary, std::vector<int32_t>({step}));
  for (int i = 0; i + 1 < options.blocks; ++i) {
    const int32_t a = Find(h, "block_" + std::to_string(i)), b = Find(h, "block_" + std::to_string(i + 1));
    const ItemEdge* e = EdgeBetween(top.edges, a, b);
    ASSERT_NE(e, nullptr) << i;
    EXPECT_EQ(e->data, 3u);  // into norm_1/mean, norm_1/sub and mlp/residual
    EXPECT_EQ(e->shapes, std::vector<std::string>({"[?,512]"}));
    ASSERT_NE(EdgeBetween(top.edges, step, a), nullptr);
  }

  const int32_t block = Find(h, "block_7");
  EXPECT_EQ(h.item(block).leaf_count(), 1040u);
  const GroupView v = h.Expand(block);
  ASSERT_EQ(v.children.size(), 1000u);
  for (int32_t c : v.children) EXPECT_NE(h.item(c).kind, Kind::kSeries);
  EXPECT_TRUE(v.auxiliary.empty());
  // The chain of 996 direct ops, 142 skip edges, and the scopes' own edges.
  EXPECT_GE(v.edges.size(), 995u + 142);
  EXPECT_LT(v.edges.size(), 1200u);
  // Outside: from block_6 and global_step in, to block_8 out.
  const int32_t prev = Find(h, "block_6"), next = Find(h, "block_8");
  size_t from_prev = 0, to_next = 0, from_step = 0;
  for (const ItemEdge& e : v.outer) {
    from_prev += e.from == prev ? e.data : 0;
    to_next += e.to == next ? e.data : 0;
    from_step += e.from == step ? e.data : 0;
  }
  EXPECT_EQ(from_prev, 3u);
  EXPECT_EQ(to_next, 3u);
  EXPECT_EQ(from_step, 1u);

  // Search and trace stay bounded.
  EXPECT_EQ(h.Search("block_7/attention/query", 50).size(), 7u);  // the group and its 6 ops
  EXPECT_EQ(h.Search("relu", 50).size(), 50u);
  bool truncated = false;
  EXPECT_EQ(h.Trace(Find(h, "block_0/relu_2"), false, false, 500, &truncated).size(), 500u);
  EXPECT_TRUE(truncated);
}

}  // namespace
}  // namespace tbview
