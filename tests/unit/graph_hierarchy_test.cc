// Tests of the graph hierarchy (graph_hierarchy.h) on small hand-made GraphDefs:
// scopes (TensorFlow and PyTorch names), series, edge summaries, auxiliary
// nodes, step stats rolled up to groups, search, trace, details, deep scopes.
#include "graph_hierarchy.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph_test_util.h"

namespace tbview {
namespace {

using namespace graph_test;
using Kind = GraphItem::Kind;
using Strings = std::vector<std::string>;

TEST(GraphHierarchy, ScopesMakeGroupsAndANodeNamedLikeAGroupSitsInside) {
  proto::GraphDef g;
  AddNode(&g, "a/b/c", "Const");
  AddNode(&g, "a/b/d", "Identity", {"a/b/c"});
  AddNode(&g, "a/e", "Relu", {"a/b/d"});
  AddNode(&g, "f", "Sum", {"a/e"});
  AddNode(&g, "a/b", "Add", {"a/b/c", "a/b/d"});
  GraphHierarchy h(Decode(g));
  const GroupView top = h.Expand(GraphHierarchy::kRoot);
  EXPECT_EQ(Labels(h, top.children), Strings({"a", "f"}));
  const int32_t a = Find(h, "a"), ab = Find(h, "a/b");
  ASSERT_GE(a, 0);
  ASSERT_GE(ab, 0);
  EXPECT_EQ(h.item(a).kind, Kind::kGroup);
  EXPECT_EQ(h.item(a).leaf_count(), 4u);
  EXPECT_EQ(Labels(h, h.Expand(a).children), Strings({"b", "e"}));
  EXPECT_EQ(Labels(h, h.Expand(ab).children), Strings({"c", "d", "b"}));
  EXPECT_EQ(h.item(h.LeafOfNode(4)).parent, ab);  // the node "a/b" is inside group a/b
  EXPECT_EQ(h.FullName(h.LeafOfNode(4)), "a/b");
  // An op is not expandable.
  EXPECT_EQ(h.Expand(h.LeafOfNode(0)).group, -1);
  EXPECT_EQ(h.Expand(-3).group, -1);
}

TEST(GraphHierarchy, PyTorchScopes) {
  proto::GraphDef g;
  AddNode(&g, "input/input.1", "IO Node");
  AddNode(&g, "Net/Linear[fc1]/weight/3", "prim::GetAttr");
  AddNode(&g, "Net/Linear[fc1]/input.3", "aten::linear", {"input/input.1", "Net/Linear[fc1]/weight/3"});
  AddNode(&g, "Net/ReLU[relu]/x", "aten::relu", {"Net/Linear[fc1]/input.3"});
  AddNode(&g, "output/output.1", "IO Node", {"Net/ReLU[relu]/x"});
  GraphHierarchy h(Decode(g));
  EXPECT_EQ(Labels(h, h.Expand(GraphHierarchy::kRoot).children), Strings({"input", "Net", "output"}));
  const int32_t net = Find(h, "Net");
  EXPECT_EQ(Labels(h, h.Expand(net).children), Strings({"Linear[fc1]", "ReLU[relu]"}));
  const int32_t fc1 = Find(h, "Net/Linear[fc1]");
  EXPECT_EQ(Labels(h, h.Expand(fc1).children), Strings({"weight", "input.3"}));
}

TEST(GraphHierarchy, SeriesOfFiveOrMoreConsecutiveSameOpNodes) {
  proto::GraphDef g;
  for (int i = 1; i <= 7; ++i) AddNode(&g, "g/add_" + std::to_string(i), "Add");
  AddNode(&g, "g/add_9", "Add");  // after a gap: not in the series
  for (int i = 1; i <= 4; ++i) AddNode(&g, "g/mul_" + std::to_string(i), "Mul");                  // too few
  for (int i = 1; i <= 6; ++i) AddNode(&g, "g/x_" + std::to_string(i), i % 2 ? "Relu" : "Tanh");  // mixed ops
  AddNode(&g, "g/add", "Add");
  GraphHierarchy h(Decode(g));
  const int32_t grp = Find(h, "g");
  const GroupView v = h.Expand(grp);
  int32_t series = -1;
  for (int32_t c : v.children) {
    if (h.item(c).kind == Kind::kSeries) {
      EXPECT_EQ(series, -1) << "one series only";
      series = c;
    }
  }
  ASSERT_GE(series, 0);
  EXPECT_EQ(h.item(series).label, "add_[1-7]");
  EXPECT_EQ(h.item(series).op, "Add");
  EXPECT_EQ(h.FullName(series), "g/add_[1-7]");
  EXPECT_EQ(h.item(series).leaf_count(), 7u);
  EXPECT_EQ(h.Expand(series).children.size(), 7u);
  EXPECT_EQ(v.children.size(), 1u + 1 + 4 + 6 + 1);  // series, add_9, mul_*, x_*, add
  EXPECT_EQ(v.children[0], series);                  // where its first member was
}

TEST(GraphHierarchy, EdgesInsideAndSummariesToTheOutside) {
  proto::GraphDef g;
  SetOutputShapes(AddNode(&g, "a/x", "MatMul"), {{8, 16}});
  SetOutputShapes(AddNode(&g, "a/y", "Split", {"a/x"}), {{8, 4}, {8, 12}});
  AddNode(&g, "b/z", "Concat", {"a/y:0", "a/y:1", "a/sub/p"});
  AddNode(&g, "c/w", "NoOp");
  g.mutable_node(0)->add_input("^c/w");
  AddNode(&g, "a/sub/p", "Const");
  AddNode(&g, "a/sub/q", "Identity", {"a/sub/p"});
  g.mutable_node(1)->add_input("a/sub/q");
  GraphHierarchy h(Decode(g));
  const int32_t a = Find(h, "a"), b = Find(h, "b"), c = Find(h, "c"), sub = Find(h, "a/sub");
  const GroupView top = h.Expand(GraphHierarchy::kRoot);
  const ItemEdge* ab = EdgeBetween(top.edges, a, b);
  ASSERT_NE(ab, nullptr);
  EXPECT_EQ(ab->data, 3u);
  EXPECT_EQ(ab->control, 0u);
  EXPECT_EQ(ab->shapes, Strings({"[8,4]", "[8,12]"}));
  const ItemEdge* ca = EdgeBetween(top.edges, c, a);
  ASSERT_NE(ca, nullptr);
  EXPECT_EQ(ca->control, 1u);
  EXPECT_EQ(ca->data, 0u);
  EXPECT_TRUE(top.outer.empty());
  // Inside a: x -> y; to the outside: y -> b (2), sub -> b, c -> x (control).
  const GroupView va = h.Expand(a);
  const int32_t x = Find(h, "a/x"), y = Find(h, "a/y");
  ASSERT_NE(EdgeBetween(va.edges, x, y), nullptr);
  EXPECT_EQ(EdgeBetween(va.edges, x, y)->shapes, Strings({"[8,16]"}));
  ASSERT_NE(EdgeBetween(va.edges, sub, y), nullptr);
  ASSERT_NE(EdgeBetween(va.outer, y, b), nullptr);
  EXPECT_EQ(EdgeBetween(va.outer, y, b)->data, 2u);
  ASSERT_NE(EdgeBetween(va.outer, sub, b), nullptr);
  ASSERT_NE(EdgeBetween(va.outer, c, x), nullptr);
  EXPECT_EQ(EdgeBetween(va.outer, c, x)->control, 1u);
  // From a/sub the neighbours are a/y (inside a) and b (outside a).
  const GroupView vs = h.Expand(sub);
  const int32_t q = Find(h, "a/sub/q"), p = Find(h, "a/sub/p");
  ASSERT_NE(EdgeBetween(vs.outer, q, y), nullptr);
  ASSERT_NE(EdgeBetween(vs.outer, p, b), nullptr);
  ASSERT_NE(EdgeBetween(vs.edges, p, q), nullptr);
  EXPECT_EQ(vs.outer.size(), 2u);
}

TEST(GraphHierarchy, AuxiliaryNodesByTheDocumentedRule) {
  proto::GraphDef g;
  AddNode(&g, "global_step", "VariableV2");
  AddNode(&g, "init", "NoOp");
  std::string prev;
  for (int i = 0; i < 20; ++i) {
    const std::string name = "layer" + std::string(1, char('a' + i));  // no numbers: no series
    proto::NodeDef* n = AddNode(&g, name, i % 2 ? "Relu" : "MatMul");
    if (!prev.empty()) n->add_input(prev);
    if (i < 15) n->add_input("global_step");
    if (i < 10) g.mutable_node(1)->add_input("^" + name);
    prev = name;
  }
  AddNode(&g, "loss_summary", "ScalarSummary", {prev.c_str()});
  GraphHierarchy h(Decode(g));
  const GroupView top = h.Expand(GraphHierarchy::kRoot);
  EXPECT_EQ(Labels(h, top.auxiliary), Strings({"global_step", "init", "loss_summary"}));
  // Their edges are still there.
  EXPECT_NE(EdgeBetween(top.edges, Find(h, "global_step"), Find(h, "layera")), nullptr);

  // Under kMinChildrenForAuxiliary children nothing is set aside.
  proto::GraphDef small;
  AddNode(&small, "s", "ScalarSummary");
  AddNode(&small, "c", "Const");
  for (int i = 0; i < 8; ++i) AddNode(&small, "op" + std::string(1, char('a' + i)), "Add", {"c"});
  GraphHierarchy hs(Decode(small));
  EXPECT_TRUE(hs.Expand(GraphHierarchy::kRoot).auxiliary.empty());
}

TEST(GraphHierarchy, StepStatsDevicesAndXlaClustersRollUpToGroups) {
  proto::GraphDef g;
  AddNode(&g, "block/a", "MatMul")->set_device("/gpu:0");
  AddNode(&g, "block/b", "Relu", {"block/a"})->set_device("/gpu:0");
  AddNode(&g, "other/c", "Add")->set_device("/gpu:0");
  AddNode(&g, "other/d", "Add")->set_device("/cpu:0");
  for (int i : {0, 1}) AddAttr(g.mutable_node(i), "_XlaCluster")->set_s("cluster_0");
  AddAttr(g.mutable_node(2), "_XlaCluster")->set_s("cluster_1");
  GraphModel m = Decode(g);
  EXPECT_EQ(m.nodes[0].xla_cluster, "cluster_0");
  std::unordered_map<std::string, NodeStats> stats;
  stats["block/a"] = NodeStats{100, 4096, ""};
  stats["block/b"] = NodeStats{20, 1024, ""};
  stats["other/d"] = NodeStats{1.5, 0, ""};
  ASSERT_EQ(ApplyStepStats(stats, &m), 3u);
  GraphHierarchy h(std::move(m));
  const GraphItem& block = h.item(Find(h, "block"));
  EXPECT_TRUE(block.has_stats);
  EXPECT_DOUBLE_EQ(block.compute_micros, 120);
  EXPECT_EQ(block.memory_bytes, 5120);
  EXPECT_EQ(block.device, "/gpu:0");
  EXPECT_EQ(h.item(Find(h, "other")).device, "");  // mixed
  EXPECT_EQ(block.xla_cluster, "cluster_0");
  EXPECT_EQ(h.item(Find(h, "other")).xla_cluster, "cluster_1");  // the one leaf with a cluster
  EXPECT_EQ(h.item(GraphHierarchy::kRoot).xla_cluster, "");      // mixed
  EXPECT_DOUBLE_EQ(h.item(GraphHierarchy::kRoot).compute_micros, 121.5);
}

TEST(GraphHierarchy, SearchTraceAndDetails) {
  proto::GraphDef g;
  SetOutputShapes(AddNode(&g, "enc/conv", "Conv2D"), {{1, 8, 8, 3}});
  AddNode(&g, "enc/relu", "Relu", {"enc/conv"});
  AddNode(&g, "dec/convT", "Conv2DBackpropInput", {"enc/relu"});
  AddNode(&g, "dec/out", "Sigmoid", {"dec/convT"});
  AddNode(&g, "init", "NoOp", {"^dec/out"});
  GraphHierarchy h(Decode(g));
  // Groups first; case-insensitive over names and ops.
  EXPECT_EQ(Labels(h, h.Search("CONV", 10)), Strings({"conv", "convT"}));
  EXPECT_EQ(Labels(h, h.Search("e", 10)).front(), "enc");
  EXPECT_EQ(h.Search("sigmoid", 10).size(), 1u);
  EXPECT_EQ(h.Search("e", 2).size(), 2u);
  EXPECT_TRUE(h.Search("", 10).empty());
  const int32_t relu = Find(h, "enc/relu");
  EXPECT_EQ(Labels(h, h.Trace(relu, false, false, 10)), Strings({"convT", "out"}));
  EXPECT_EQ(Labels(h, h.Trace(relu, false, true, 10)), Strings({"convT", "out", "init"}));
  EXPECT_EQ(Labels(h, h.Trace(relu, true, true, 10)), Strings({"conv"}));
  bool truncated = false;
  EXPECT_EQ(h.Trace(Find(h, "enc"), false, true, 2, &truncated).size(), 2u);
  EXPECT_TRUE(truncated);
  const NodeDetails d = h.Details(relu);
  ASSERT_NE(d.node, nullptr);
  EXPECT_EQ(d.node->op, "Relu");
  ASSERT_EQ(d.inputs.size(), 1u);
  EXPECT_EQ(d.inputs[0].item, Find(h, "enc/conv"));
  EXPECT_EQ(d.inputs[0].shape, "[1,8,8,3]");
  ASSERT_EQ(d.outputs.size(), 1u);
  EXPECT_EQ(d.outputs[0].name, "dec/convT");
  EXPECT_EQ(h.Details(Find(h, "enc")).node, nullptr);
}

TEST(GraphHierarchy, DeepScopesAreCappedNotRecursedInto) {
  proto::GraphDef g;
  std::string deep;
  for (int i = 0; i < 1000000; ++i) deep += "a/";
  deep += "leaf";
  AddNode(&g, deep, "Const");
  AddNode(&g, std::string(100000, '/'), "Const");  // only slashes
  AddNode(&g, "x", "Identity", {deep.c_str()});
  GraphLimits limits;
  GraphHierarchy h(Decode(g), limits);
  // The root, max_scope_depth groups, three leaves.
  EXPECT_EQ(h.size(), 1u + limits.max_scope_depth + 3);
  const int32_t leaf = h.LeafOfNode(0);
  EXPECT_EQ(h.item(leaf).depth, limits.max_scope_depth + 1);
  EXPECT_EQ(h.item(leaf).label.size(), deep.size() - 2 * limits.max_scope_depth);
  const GroupView top = h.Expand(GraphHierarchy::kRoot);
  EXPECT_EQ(top.children.size(), 3u);
  ASSERT_EQ(top.edges.size(), 1u);
  EXPECT_EQ(top.edges[0].data, 1u);
}

}  // namespace
}  // namespace tbview
