// Tests of the Keras model config decoder (keras_graph.h): tf.keras (Keras 2)
// and Keras 3 inbound_nodes, Sequential chaining, nested models as groups, and
// bad input.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "graph_hierarchy.h"
#include "graph_test_util.h"
#include "keras_graph.h"

namespace tbview {
namespace {

using Strings = std::vector<std::string>;

GraphModel DecodeKeras(const std::string& json) {
  GraphModel m;
  std::string error;
  EXPECT_TRUE(DecodeKerasModelConfig(json, GraphLimits(), &m, &error)) << error;
  return m;
}

const GraphNode* NodeNamed(const GraphModel& m, const std::string& name) {
  for (const GraphNode& n : m.nodes) {
    if (n.name == name) return &n;
  }
  return nullptr;
}

Strings InputNames(const GraphModel& m, const std::string& name) {
  Strings out;
  const GraphNode* n = NodeNamed(m, name);
  if (!n) return {"<no node " + name + ">"};
  for (const GraphInput& in : n->inputs) out.push_back(in.node >= 0 ? m.nodes[in.node].name : "?" + in.name);
  return out;
}

// tf.keras 2.x Functional: two inputs, a concatenate, kwargs-free entries.
const char kKeras2[] = R"({"class_name": "Functional", "config": {"name": "model",
  "layers": [
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 32], "dtype": "float32", "name": "in_a"},
     "name": "in_a", "inbound_nodes": []},
    {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8], "dtype": "float32", "name": "in_b"},
     "name": "in_b", "inbound_nodes": []},
    {"class_name": "Dense", "config": {"name": "dense", "units": 16, "activation": "relu", "dtype": "float32"},
     "name": "dense", "inbound_nodes": [[["in_a", 0, 0, {}]]]},
    {"class_name": "Concatenate", "config": {"name": "concat", "axis": -1},
     "name": "concat", "inbound_nodes": [[["dense", 0, 0, {}], ["in_b", 0, 0, {}]]]}],
  "input_layers": [["in_a", 0, 0], ["in_b", 0, 0]], "output_layers": [["concat", 0, 0]]},
  "keras_version": "2.8.0", "backend": "tensorflow"})";

TEST(GraphKeras, Keras2FunctionalInboundNodes) {
  const GraphModel m = DecodeKeras(kKeras2);
  ASSERT_EQ(m.nodes.size(), 4u);
  EXPECT_EQ(NodeNamed(m, "dense")->op, "Dense");
  EXPECT_EQ(NodeNamed(m, "dense")->dtype, "float32");
  EXPECT_EQ(InputNames(m, "dense"), Strings({"in_a"}));
  EXPECT_EQ(InputNames(m, "concat"), Strings({"dense", "in_b"}));
  EXPECT_TRUE(NodeNamed(m, "in_a")->inputs.empty());
  EXPECT_EQ(NodeNamed(m, "in_a")->output_shapes, Strings({"[null,32]"}));
  bool units = false;
  for (const GraphAttr& a : NodeNamed(m, "dense")->attrs) {
    if (a.key == "units") units = a.value == "16";
    EXPECT_NE(a.key, "name");
  }
  EXPECT_TRUE(units);
  EXPECT_EQ(m.missing_inputs, 0u);
}

// Keras 3: tensors in args (nested in a list for a merge layer) and kwargs,
// DTypePolicy objects.
const char kKeras3[] = R"({"module": "keras", "class_name": "Functional", "config": {"name": "functional",
  "trainable": true, "layers": [
    {"module": "keras.layers", "class_name": "InputLayer",
     "config": {"batch_shape": [null, 4], "dtype": "float32", "sparse": false, "name": "input_layer"},
     "registered_name": null, "name": "input_layer", "inbound_nodes": []},
    {"module": "keras.layers", "class_name": "Dense",
     "config": {"name": "d1", "units": 3, "dtype": {"module": "keras", "class_name": "DTypePolicy",
                "config": {"name": "float32"}, "registered_name": null}},
     "name": "d1", "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__",
       "config": {"shape": [null, 4], "dtype": "float32", "keras_history": ["input_layer", 0, 0]}}], "kwargs": {}}]},
    {"module": "keras.layers", "class_name": "Add", "config": {"name": "add"}, "name": "add",
     "inbound_nodes": [{"args": [[
        {"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "keras_history": ["d1", 0, 0]}},
        {"class_name": "__keras_tensor__", "config": {"shape": [null, 3], "keras_history": ["d1", 0, 0]}}]],
       "kwargs": {"mask": {"class_name": "__keras_tensor__", "config": {"shape": [null, 4],
                  "keras_history": ["input_layer", 0, 0]}}}}]}],
  "input_layers": [["input_layer", 0, 0]], "output_layers": [["add", 0, 0]]}})";

TEST(GraphKeras, Keras3InboundNodes) {
  const GraphModel m = DecodeKeras(kKeras3);
  ASSERT_EQ(m.nodes.size(), 3u);
  EXPECT_EQ(InputNames(m, "d1"), Strings({"input_layer"}));
  EXPECT_EQ(NodeNamed(m, "d1")->inputs[0].shape, "[null,4]");
  EXPECT_EQ(NodeNamed(m, "d1")->dtype, "float32");
  EXPECT_EQ(InputNames(m, "add"), Strings({"d1", "input_layer"}));  // repeated tensors once
  EXPECT_EQ(NodeNamed(m, "input_layer")->output_shapes, Strings({"[null,4]"}));
}

// A Sequential inside a Functional inside nothing: the nested model is a group;
// edges go into its first layer and come out of its last.
const char kNested[] = R"({"class_name": "Functional", "config": {"name": "outer", "layers": [
    {"class_name": "InputLayer", "config": {"name": "img", "batch_input_shape": [null, 28, 28]},
     "name": "img", "inbound_nodes": []},
    {"class_name": "Sequential", "config": {"name": "backbone", "layers": [
        {"class_name": "Flatten", "config": {"name": "flatten"}},
        {"class_name": "Dense", "config": {"name": "hidden", "units": 64}},
        {"class_name": "Dropout", "config": {"name": "drop", "rate": 0.5}}]},
     "name": "backbone", "inbound_nodes": [[["img", 0, 0, {}]]]},
    {"class_name": "Dense", "config": {"name": "head", "units": 10}, "name": "head",
     "inbound_nodes": [[["backbone", 1, 0, {}]]]}],
  "input_layers": [["img", 0, 0]], "output_layers": [["head", 0, 0]]}})";

TEST(GraphKeras, NestedModelsAreGroups) {
  const GraphModel m = DecodeKeras(kNested);
  ASSERT_EQ(m.nodes.size(), 5u);
  EXPECT_EQ(InputNames(m, "backbone/flatten"), Strings({"img"}));
  EXPECT_EQ(InputNames(m, "backbone/hidden"), Strings({"backbone/flatten"}));
  EXPECT_EQ(InputNames(m, "backbone/drop"), Strings({"backbone/hidden"}));
  EXPECT_EQ(InputNames(m, "head"), Strings({"backbone/drop"}));
  GraphHierarchy h{GraphModel(m)};
  const GroupView top = h.Expand(GraphHierarchy::kRoot);
  EXPECT_EQ(graph_test::Labels(h, top.children), Strings({"backbone", "img", "head"}));
  const int32_t backbone = graph_test::Find(h, "backbone");
  EXPECT_EQ(h.item(backbone).leaf_count(), 3u);
  EXPECT_NE(graph_test::EdgeBetween(top.edges, backbone, graph_test::Find(h, "head")), nullptr);
}

TEST(GraphKeras, SequentialChainsItsLayers) {
  const GraphModel m = DecodeKeras(R"({"class_name": "Sequential", "config": {"name": "seq", "layers": [
      {"class_name": "InputLayer", "config": {"name": "input_1", "batch_input_shape": [null, 3]}},
      {"class_name": "Dense", "config": {"name": "a"}},
      {"class_name": "Dense", "config": {"name": "b"}}]}})");
  ASSERT_EQ(m.nodes.size(), 3u);
  EXPECT_EQ(InputNames(m, "a"), Strings({"input_1"}));
  EXPECT_EQ(InputNames(m, "b"), Strings({"a"}));
  // Very old Keras: config is the list of layers.
  const GraphModel old = DecodeKeras(R"({"class_name": "Sequential", "config": [
      {"class_name": "Dense", "config": {"name": "x"}}, {"class_name": "Dense", "config": {"name": "y"}}]})");
  EXPECT_EQ(InputNames(old, "y"), Strings({"x"}));
}

TEST(GraphKeras, BadConfigs) {
  GraphModel m;
  std::string error;
  EXPECT_FALSE(DecodeKerasModelConfig("{not json", GraphLimits(), &m, &error));
  EXPECT_NE(error.find("not a Keras model config"), std::string::npos);
  EXPECT_FALSE(DecodeKerasModelConfig("[1,2]", GraphLimits(), &m, &error));
  EXPECT_NE(error.find("no \"config\""), std::string::npos);
  // A reference to a layer that does not exist is kept as missing.
  ASSERT_TRUE(DecodeKerasModelConfig(R"({"class_name": "Functional", "config": {"layers": [
      {"class_name": "Dense", "name": "d", "config": {"name": "d"}, "inbound_nodes": [[["ghost", 0, 0, {}]]]}]}})",
                                     GraphLimits(), &m, &error))
      << error;
  EXPECT_EQ(m.missing_inputs, 1u);
  // Models nested deeper than the limit.
  std::string deep = R"({"class_name": "Sequential", "config": {"name": "m", "layers": [)";
  std::string tail = "]}}";
  for (int i = 0; i < 40; ++i) {
    deep += R"({"class_name": "Sequential", "config": {"name": "m)" + std::to_string(i) + R"(", "layers": [)";
    tail += "]}}";
  }
  EXPECT_FALSE(DecodeKerasModelConfig(deep + tail.substr(3) + "]}}", GraphLimits(), &m, &error));
  EXPECT_NE(error.find("max_keras_nesting"), std::string::npos) << error;
  // A layer called on one tensor 200,000 times: one input, in linear time.
  std::string calls;
  for (int i = 0; i < 200000; ++i) calls += std::string(i ? "," : "") + R"(["a", 0, 0, {}])";
  ASSERT_TRUE(DecodeKerasModelConfig(R"({"class_name": "Functional", "config": {"layers": [
      {"class_name": "InputLayer", "name": "a", "config": {"name": "a"}, "inbound_nodes": []},
      {"class_name": "Add", "name": "b", "config": {"name": "b"}, "inbound_nodes": [[)" +
                                         calls + "]]}]}}",
                                     GraphLimits(), &m, &error))
      << error;
  ASSERT_EQ(m.nodes.size(), 2u);
  EXPECT_EQ(m.nodes[1].inputs.size(), 1u);
  // A huge config value is truncated for display, its size kept.
  const std::string big(100000, 'w');
  ASSERT_TRUE(DecodeKerasModelConfig(R"({"class_name": "Sequential", "config": {"layers": [
      {"class_name": "Lambda", "config": {"name": "l", "function": ")" +
                                         big + R"("}}]}})",
                                     GraphLimits(), &m, &error))
      << error;
  ASSERT_EQ(m.nodes.size(), 1u);
  ASSERT_EQ(m.nodes[0].attrs.size(), 1u);
  EXPECT_TRUE(m.nodes[0].attrs[0].truncated);
  EXPECT_EQ(m.nodes[0].attrs[0].full_bytes, big.size() + 2);
  EXPECT_LE(m.nodes[0].attrs[0].value.size(), GraphLimits().max_attr_display_bytes);
}

}  // namespace
}  // namespace tbview
