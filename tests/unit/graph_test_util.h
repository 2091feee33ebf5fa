// Helpers of the graph tests: small GraphDefs by hand, decoded into a hierarchy.
#pragma once
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "graph_decode.h"
#include "graph_hierarchy.h"
#include "proto/graph.pb.h"

namespace tbview {
namespace graph_test {

inline proto::NodeDef* AddNode(proto::GraphDef* g, const std::string& name, const std::string& op,
                               std::initializer_list<const char*> inputs = {}) {
  proto::NodeDef* n = g->add_node();
  n->set_name(name);
  n->set_op(op);
  for (const char* in : inputs) n->add_input(in);
  return n;
}

inline proto::AttrValue* AddAttr(proto::NodeDef* n, const std::string& key) {
  proto::AttrEntry* e = n->add_attr();
  e->set_key(key);
  return e->mutable_value();
}

// Sets _output_shapes to the given shapes (-1 for an unknown dimension).
inline void SetOutputShapes(proto::NodeDef* n, std::initializer_list<std::vector<int64_t>> shapes) {
  proto::AttrValue* v = AddAttr(n, "_output_shapes");
  for (const auto& s : shapes) {
    proto::TensorShapeProto* shape = v->mutable_list()->add_shape();
    for (int64_t d : s) shape->add_dim()->set_size(d);
  }
}

inline GraphModel Decode(const proto::GraphDef& g) {
  GraphModel model;
  std::string error;
  EXPECT_TRUE(DecodeGraphDef(g.SerializeAsString(), GraphLimits(), &model, &error)) << error;
  return model;
}

// The item with full name `name`, or -1.
inline int32_t Find(const GraphHierarchy& h, const std::string& name) {
  for (size_t i = 0; i < h.size(); ++i) {
    if (h.FullName(static_cast<int32_t>(i)) == name) return static_cast<int32_t>(i);
  }
  return -1;
}

// Labels of a view's children, in order.
inline std::vector<std::string> Labels(const GraphHierarchy& h, const std::vector<int32_t>& items) {
  std::vector<std::string> out;
  for (int32_t i : items) out.push_back(h.item(i).label);
  return out;
}

// The edge from `from` to `to` in `edges`, or nullptr.
inline const ItemEdge* EdgeBetween(const std::vector<ItemEdge>& edges, int32_t from, int32_t to) {
  for (const ItemEdge& e : edges) {
    if (e.from == from && e.to == to) return &e;
  }
  return nullptr;
}

}  // namespace graph_test
}  // namespace tbview
