// The graph model: what every graph source (a TensorFlow GraphDef, the graph in
// a MetaGraphDef or in RunMetadata, a Keras model config) is decoded into, and
// what the hierarchy (graph_hierarchy.h) is built from.
//
// A GraphModel is a flat list of nodes; a node's inputs name other nodes by
// index, resolved once at decode time. Invariants:
// - node names are unique (a repeated name gets a " (2)" suffix and a warning);
// - every GraphInput::node is a valid index, or -1 when the input named a node
//   that is not in the graph (its text is kept in `name`, and it is counted in
//   GraphModel::missing_inputs); a node may name itself (a self-loop) and inputs
//   may form cycles: nothing here assumes a DAG;
// - attribute values are display text of at most GraphLimits::max_attr_display_bytes
//   (full_bytes gives the whole value's size), so a huge constant costs its
//   display budget, not its size, once decoded;
// - sizes are bounded by GraphLimits: a source over one is refused with a message
//   naming the limit, never partly allocated from a claim.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tbview {

// Limits for graph decoding and the hierarchy (input_limits.h's style: every
// count in a graph is a claim until it is checked against these).
struct GraphLimits {
  // Largest serialized GraphDef / MetaGraphDef / RunMetadata / Keras JSON.
  uint64_t max_graph_bytes = 256ull << 20;
  // Most nodes in one graph, function bodies included.
  uint64_t max_nodes = 2000000;
  // Most inputs (edges) over all nodes.
  uint64_t max_inputs = 16000000;
  // Most functions in a library.
  uint64_t max_functions = 100000;
  // Deepest name scope made into groups: the components of a name beyond this
  // depth stay in the leaf's name (so "a/a/.../a" of 10^6 components costs one
  // leaf, not 10^6 groups).
  uint32_t max_scope_depth = 64;
  // Display text kept per attribute value (and per Keras config value).
  uint32_t max_attr_display_bytes = 256;
  // Most levels of Keras models inside models.
  uint32_t max_keras_nesting = 32;
  // JSON nesting and values accepted in a Keras config (a parsed value costs
  // about 100 bytes, so this bounds the tree at about 200 MB).
  uint32_t max_json_depth = 200;
  uint64_t max_json_values = 2000000;
};

// One input of a node: data ("name" or "name:k") or control ("^name").
struct GraphInput {
  int32_t node = -1;   // index into GraphModel::nodes, -1 when missing
  int32_t output = 0;  // the source's output index
  bool control = false;
  std::string name;   // the source's name as written (without ^ and :k)
  std::string shape;  // shape of the tensor on this edge, when known
};

struct GraphAttr {
  std::string key;
  std::string value;        // display text, at most max_attr_display_bytes
  uint64_t full_bytes = 0;  // size of the whole value (serialized or JSON text)
  bool truncated = false;   // value is a prefix of the full text
};

struct GraphNode {
  std::string name;
  std::string op;
  std::string device;
  std::vector<GraphInput> inputs;
  std::vector<GraphAttr> attrs;
  std::string dtype;                       // from attr T or dtype, when present
  std::string xla_cluster;                 // from attr _XlaCluster, when present
  std::vector<std::string> output_shapes;  // from _output_shapes, e.g. "[?,28,28]"
  int32_t function = -1;                   // index into GraphModel::functions when this node calls one
  // Run metadata (ApplyStepStats): totals over every execution seen.
  bool has_stats = false;
  double compute_micros = 0;
  int64_t memory_bytes = 0;
};

struct GraphModel;

// A function of a TF2 function library: its body is a graph of its own.
struct GraphFunction {
  std::string name;
  std::vector<std::string> input_args;   // signature input names, as _Arg nodes in the body
  std::vector<std::string> output_args;  // signature output names, as _Retval nodes
  std::vector<GraphNode> nodes;          // the body (inputs resolved within it)
};

struct GraphModel {
  std::vector<GraphNode> nodes;
  std::vector<GraphFunction> functions;
  // Inputs that named no node of the graph (kept with node == -1).
  uint64_t missing_inputs = 0;
  // Things a reader should know that did not stop the decode (duplicate names,
  // unresolved inputs), at most a few, each naming the node.
  std::vector<std::string> warnings;
};

// Adds a warning unless there are already kMaxWarnings.
void AddGraphWarning(GraphModel* model, std::string message);
constexpr size_t kMaxGraphWarnings = 20;

// Resolves every node's inputs (GraphInput::name) to indices within `nodes`,
// makes names unique, and fills edge shapes from the sources' output_shapes.
// Shared by every decoder.
void ResolveGraphInputs(std::vector<GraphNode>* nodes, GraphModel* model_for_warnings);

// Splits an input reference into (name, output index, control): "^a" is a
// control input of a; "a:3" is output 3 of a; "a:out:1" (function bodies) is
// output 1 of a. A suffix that is not a number stays in the name.
void ParseInputRef(const std::string& text, std::string* name, int32_t* output, bool* control);

}  // namespace tbview
