// Tests of GraphDef / MetaGraphDef / RunMetadata decoding (graph_decode.h):
// inputs, attributes and their display budget, function libraries, step stats,
// and hostile input (missing inputs, self-inputs, repeated names, limits).
#include "graph_decode.h"

#include <gtest/gtest.h>

#include <string>

#include "graph_test_util.h"
#include "proto/graph.pb.h"

namespace tbview {
namespace {

using namespace graph_test;

const GraphAttr* AttrOf(const GraphNode& n, const std::string& key) {
  for (const GraphAttr& a : n.attrs) {
    if (a.key == key) return &a;
  }
  return nullptr;
}

TEST(GraphDecode, InputsDataControlAndOutputIndex) {
  proto::GraphDef g;
  SetOutputShapes(AddNode(&g, "x", "Placeholder"), {{-1, 28, 28}});
  SetOutputShapes(AddNode(&g, "split", "Split", {"x"}), {{-1, 14, 28}, {-1, 14, 28}});
  AddNode(&g, "init", "NoOp");
  AddNode(&g, "y", "Add", {"split:1", "split", "^init"})->set_device("/device:GPU:0");
  const GraphModel m = Decode(g);
  ASSERT_EQ(m.nodes.size(), 4u);
  const GraphNode& y = m.nodes[3];
  EXPECT_EQ(y.device, "/device:GPU:0");
  ASSERT_EQ(y.inputs.size(), 3u);
  EXPECT_EQ(y.inputs[0].node, 1);
  EXPECT_EQ(y.inputs[0].output, 1);
  EXPECT_EQ(y.inputs[0].shape, "[?,14,28]");
  EXPECT_FALSE(y.inputs[0].control);
  EXPECT_EQ(y.inputs[1].output, 0);
  EXPECT_EQ(y.inputs[2].node, 2);
  EXPECT_TRUE(y.inputs[2].control);
  EXPECT_EQ(y.inputs[2].name, "init");
  EXPECT_EQ(m.nodes[0].output_shapes, std::vector<std::string>({"[?,28,28]"}));
  EXPECT_EQ(m.missing_inputs, 0u);
}

TEST(GraphDecode, AttributesDtypeAndPyTorchAttrString) {
  proto::GraphDef g;
  proto::NodeDef* n = AddNode(&g, "Net/Linear[fc1]/addmm", "aten::addmm");
  AddAttr(n, "attr")->set_s("{ beta : 1, alpha : 1 }");
  AddAttr(n, "T")->set_type(proto::DT_FLOAT);
  AddAttr(n, "shape")->mutable_shape()->set_unknown_rank(true);
  auto* list = AddAttr(n, "strides")->mutable_list();
  for (int i : {1, 2, 2, 1}) list->add_i(i);
  const GraphModel m = Decode(g);
  const GraphNode& node = m.nodes[0];
  EXPECT_EQ(node.dtype, "DT_FLOAT");
  ASSERT_NE(AttrOf(node, "attr"), nullptr);
  EXPECT_EQ(AttrOf(node, "attr")->value, "\"{ beta : 1, alpha : 1 }\"");
  EXPECT_EQ(AttrOf(node, "shape")->value, "?");
  EXPECT_EQ(AttrOf(node, "strides")->value, "[1, 2, 2, 1]");
  EXPECT_FALSE(AttrOf(node, "strides")->truncated);
  // Sorted by key.
  EXPECT_EQ(node.attrs.front().key, "T");
}

TEST(GraphDecode, HugeAttributeIsTruncatedWithItsSize) {
  proto::GraphDef g;
  proto::NodeDef* n = AddNode(&g, "c", "Const");
  AddAttr(n, "value")->mutable_tensor()->set_tensor_content(std::string(10 << 20, 'x'));
  AddAttr(n, "names")->set_s(std::string(1 << 20, 'n'));
  auto* list = AddAttr(n, "many")->mutable_list();
  for (int i = 0; i < 100000; ++i) list->add_i(i);
  GraphLimits limits;
  GraphModel m;
  std::string error;
  ASSERT_TRUE(DecodeGraphDef(g.SerializeAsString(), limits, &m, &error)) << error;
  for (const char* key : {"value", "names", "many"}) {
    const GraphAttr* a = AttrOf(m.nodes[0], key);
    ASSERT_NE(a, nullptr) << key;
    EXPECT_LE(a->value.size(), limits.max_attr_display_bytes) << key;
    EXPECT_GT(a->full_bytes, 100000u) << key;
  }
  EXPECT_TRUE(AttrOf(m.nodes[0], "names")->truncated);
  EXPECT_TRUE(AttrOf(m.nodes[0], "many")->truncated);
  EXPECT_NE(AttrOf(m.nodes[0], "value")->value.find("10485760 bytes"), std::string::npos);
}

TEST(GraphDecode, MissingSelfAndRepeatedNames) {
  proto::GraphDef g;
  AddNode(&g, "a", "Identity", {"a"});        // self-input
  AddNode(&g, "b", "Add", {"a", "ghost:2"});  // missing input
  AddNode(&g, "a", "Const");                  // repeated name
  AddNode(&g, "c", "Merge", {"d"});           // a cycle c <-> d
  AddNode(&g, "d", "NextIteration", {"c"});
  const GraphModel m = Decode(g);
  ASSERT_EQ(m.nodes.size(), 5u);
  EXPECT_EQ(m.nodes[0].inputs[0].node, 0);
  EXPECT_EQ(m.nodes[1].inputs[1].node, -1);
  EXPECT_EQ(m.nodes[1].inputs[1].name, "ghost");
  EXPECT_EQ(m.missing_inputs, 1u);
  EXPECT_EQ(m.nodes[2].name, "a (2)");
  EXPECT_EQ(m.nodes[3].inputs[0].node, 4);
  EXPECT_EQ(m.nodes[4].inputs[0].node, 3);
  ASSERT_GE(m.warnings.size(), 2u);
  // And the hierarchy of it answers without trouble.
  GraphHierarchy h(m);
  const GroupView top = h.Expand(GraphHierarchy::kRoot);
  EXPECT_EQ(top.children.size(), 5u);
  bool truncated = true;
  EXPECT_EQ(h.Trace(h.LeafOfNode(3), false, true, 100, &truncated).size(),
            1u);  // c -> d, then back to c (seen)
  EXPECT_FALSE(truncated);
}

TEST(GraphDecode, FunctionLibraryMakesExpandableCalls) {
  proto::GraphDef g;
  AddNode(&g, "x", "Placeholder");
  proto::NodeDef* call = AddNode(&g, "model/StatefulPartitionedCall", "StatefulPartitionedCall", {"x"});
  AddAttr(call, "f")->mutable_func()->set_name("__inference_call_42");
  AddNode(&g, "direct", "my_fn", {"x"});
  proto::FunctionDef* f = g.mutable_library()->add_function();
  f->mutable_signature()->set_name("__inference_call_42");
  f->mutable_signature()->add_input_arg()->set_name("inputs");
  f->mutable_signature()->add_output_arg()->set_name("identity");
  proto::NodeDef* body = f->add_node_def();
  body->set_name("dense/MatMul");
  body->set_op("MatMul");
  body->add_input("inputs");
  proto::NodeDef* relu = f->add_node_def();
  relu->set_name("Relu");
  relu->set_op("Relu");
  relu->add_input("dense/MatMul:product:0");
  auto* ret = f->add_ret();
  ret->set_key("identity");
  ret->set_value("Relu:activations:0");
  g.mutable_library()->add_function()->mutable_signature()->set_name("my_fn");
  const GraphModel m = Decode(g);
  ASSERT_EQ(m.functions.size(), 2u);
  EXPECT_EQ(m.nodes[1].function, 0);
  EXPECT_EQ(m.nodes[2].function, 1);
  EXPECT_EQ(m.nodes[0].function, -1);
  const GraphFunction& fn = m.functions[0];
  ASSERT_EQ(fn.nodes.size(), 4u);  // _Arg, two body nodes, _Retval
  EXPECT_EQ(fn.nodes[0].op, "_Arg");
  EXPECT_EQ(fn.nodes[1].inputs[0].node, 0);
  EXPECT_EQ(fn.nodes[2].inputs[0].node, 1);
  EXPECT_EQ(fn.nodes[2].inputs[0].output, 0);
  EXPECT_EQ(fn.nodes[3].op, "_Retval");
  EXPECT_EQ(fn.nodes[3].inputs[0].node, 2);
  GraphHierarchy h(m);
  const GraphHierarchy* body_h = h.FunctionHierarchy(0);
  ASSERT_NE(body_h, nullptr);
  EXPECT_EQ(body_h->model().nodes.size(), 4u);
  EXPECT_EQ(Labels(*body_h, body_h->Expand(GraphHierarchy::kRoot).children),
            std::vector<std::string>({"dense", "inputs", "Relu", "identity"}));
  EXPECT_EQ(body_h->FunctionHierarchy(1), h.FunctionHierarchy(1));  // one library
  EXPECT_EQ(h.FunctionHierarchy(2), nullptr);
}

TEST(GraphDecode, ManyRepeatedNamesInLinearTime) {
  proto::GraphDef g;
  for (int i = 0; i < 200000; ++i) AddNode(&g, "a", "Const");
  AddNode(&g, "a (3)", "Const");  // already taken when its turn comes: renamed too
  const GraphModel m = Decode(g);
  ASSERT_EQ(m.nodes.size(), 200001u);
  EXPECT_EQ(m.nodes[1].name, "a (2)");
  EXPECT_EQ(m.nodes[199999].name, "a (200000)");
  EXPECT_EQ(m.nodes[200000].name, "a (3) (2)");
  EXPECT_EQ(m.warnings.size(), kMaxGraphWarnings);
}

TEST(GraphDecode, MetaGraphDefGivesItsGraph) {
  proto::MetaGraphDef meta;
  AddNode(meta.mutable_graph_def(), "a", "Const");
  AddNode(meta.mutable_graph_def(), "b", "Identity", {"a"});
  GraphModel m;
  std::string error;
  ASSERT_TRUE(DecodeMetaGraphDef(meta.SerializeAsString(), GraphLimits(), &m, &error)) << error;
  EXPECT_EQ(m.nodes.size(), 2u);
  EXPECT_FALSE(DecodeMetaGraphDef(proto::MetaGraphDef().SerializeAsString(), GraphLimits(), &m, &error));
  EXPECT_NE(error.find("no graph_def"), std::string::npos);
}

TEST(GraphDecode, RunMetadataStepStatsAndPartitionGraphs) {
  proto::RunMetadata rm;
  auto* dev = rm.mutable_step_stats()->add_dev_stats();
  dev->set_device("/job:localhost/device:CPU:0");
  auto* s1 = dev->add_node_stats();
  s1->set_node_name("layer/MatMul");
  s1->set_all_end_rel_micros(30);
  s1->add_memory()->set_total_bytes(1024);
  auto* s2 = dev->add_node_stats();  // a second execution of the same node
  s2->set_node_name("layer/MatMul");
  s2->set_all_end_rel_nanos(12000);
  auto* s3 = dev->add_node_stats();
  s3->set_node_name("layer/Relu:Relu");  // timeline style
  s3->set_all_end_rel_micros(5);
  AddNode(rm.add_partition_graphs(), "p", "Const");
  AddNode(rm.add_partition_graphs(), "p", "Const");
  RunMetadataInfo info;
  std::string error;
  ASSERT_TRUE(DecodeRunMetadata(rm.SerializeAsString(), GraphLimits(), &info, &error)) << error;
  ASSERT_TRUE(info.has_graph);
  ASSERT_EQ(info.graph.nodes.size(), 2u);
  EXPECT_EQ(info.graph.nodes[0].name, "graph_1/p");
  EXPECT_EQ(info.graph.nodes[1].name, "graph_2/p");
  // With function graphs, graph_run_metadata_graph's preference picks them.
  auto* fg = rm.add_function_graphs();
  AddNode(fg->mutable_pre_optimization_graph(), "f", "Const");
  AddNode(fg->mutable_post_optimization_graph(), "post", "Const");
  RunMetadataInfo with_functions;
  ASSERT_TRUE(DecodeRunMetadata(rm.SerializeAsString(), GraphLimits(), &with_functions, &error,
                                RunMetadataGraphs::kFunctionGraphsFirst));
  ASSERT_EQ(with_functions.graph.nodes.size(), 1u);
  EXPECT_EQ(with_functions.graph.nodes[0].name, "f");
  EXPECT_EQ(with_functions.function_graphs, 1u);
  ASSERT_TRUE(DecodeRunMetadata(rm.SerializeAsString(), GraphLimits(), &with_functions, &error));
  EXPECT_EQ(with_functions.graph.nodes.size(), 2u);  // the partitions
  EXPECT_DOUBLE_EQ(info.stats["layer/MatMul"].compute_micros, 42);
  EXPECT_EQ(info.stats["layer/MatMul"].memory_bytes, 1024);
  proto::GraphDef g;
  AddNode(&g, "layer/MatMul", "MatMul");
  AddNode(&g, "layer/Relu", "Relu", {"layer/MatMul"});
  AddNode(&g, "other", "Const");
  GraphModel m = Decode(g);
  EXPECT_EQ(ApplyStepStats(info.stats, &m), 2u);
  EXPECT_TRUE(m.nodes[1].has_stats);
  EXPECT_DOUBLE_EQ(m.nodes[1].compute_micros, 5);
  EXPECT_FALSE(m.nodes[2].has_stats);
}

TEST(GraphDecode, BadBytesAndLimits) {
  GraphModel m;
  std::string error;
  EXPECT_FALSE(DecodeGraphDef(std::string("\x0a\xff\xff\xff\xff\x0f", 6), GraphLimits(), &m, &error));
  EXPECT_NE(error.find("not a GraphDef"), std::string::npos);
  RunMetadataInfo info;
  EXPECT_FALSE(DecodeRunMetadata("\xff", GraphLimits(), &info, &error));
  proto::GraphDef g;
  for (int i = 0; i < 20; ++i) AddNode(&g, "n" + std::to_string(i), "Const", {"n0", "n1"});
  GraphLimits limits;
  limits.max_nodes = 10;
  EXPECT_FALSE(DecodeGraphDef(g.SerializeAsString(), limits, &m, &error));
  EXPECT_NE(error.find("max_nodes"), std::string::npos);
  limits = GraphLimits();
  limits.max_inputs = 30;
  EXPECT_FALSE(DecodeGraphDef(g.SerializeAsString(), limits, &m, &error));
  EXPECT_NE(error.find("max_inputs"), std::string::npos);
  limits = GraphLimits();
  limits.max_graph_bytes = 10;
  EXPECT_FALSE(DecodeGraphDef(g.SerializeAsString(), limits, &m, &error));
  EXPECT_NE(error.find("max_graph_bytes"), std::string::npos);
  // Empty bytes are an empty graph, not an error.
  EXPECT_TRUE(DecodeGraphDef("", GraphLimits(), &m, &error));
  EXPECT_TRUE(m.nodes.empty());
}

}  // namespace
}  // namespace tbview
