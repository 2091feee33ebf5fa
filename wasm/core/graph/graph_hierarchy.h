// The hierarchy of a graph, built once in the engine, answered lazily.
//
// A GraphHierarchy turns a GraphModel's flat nodes into a tree of items:
// - kGroup: a name scope. "a/b/c" is op c in group b in group a; PyTorch's
//   "Net/Linear[fc1]/addmm" scopes the same way. When a node's name is also a
//   scope ("a/b" beside "a/b/c"), the node sits inside its own group. Scope
//   components beyond GraphLimits::max_scope_depth stay in the leaf's label.
// - kSeries: five or more (kMinSeriesSize, TensorBoard's seriesNodeMinSize) ops of
//   one group with the same op whose names differ only in one number, with
//   consecutive numbers: "add_1" ... "add_9" become "add_[1-9]". Groups are not
//   made into series (TensorBoard only does so for groups of identical
//   structure; a series would hide a model's blocks behind one box).
// - kOp: one node of the model (a leaf). A node that calls a library function
//   carries its index (GraphNode::function): FunctionHierarchy() gives that body.
// Item 0 is the root (kGroup, empty name). Leaves are numbered in depth-first
// order, so every item's leaves are the contiguous range [leaf_begin, leaf_end).
//
// Lazy answers: Expand(group) returns only that group's children, the edges among
// them, and its edges to the outside summarised per neighbour, in time
// proportional to the edges touching the group's leaves (times the depth), not to
// the whole graph: the root's answer of a 50,000-node graph is its top level.
//
// Auxiliary items (drawn beside the graph, TensorBoard's "extracted" nodes) are
// decided per expanded group, among its children, when the group has at least
// kMinChildrenForAuxiliary children:
// - summary ops (op ends in "Summary", or is WriteSummary / MergeSummary /
//   FlushSummaryWriter / CreateSummaryFileWriter / SummaryWriter) are auxiliary;
// - a NoOp with no data outputs and at least kMinAuxiliaryDegree control inputs
//   (an init or train sink) is auxiliary;
// - any child whose number of distinct sibling neighbours (in or out) is at least
//   max(kMinAuxiliaryDegree, Q3 + 4 * IQR) of its siblings' counts, and at least
//   a quarter of the siblings, is auxiliary: a constant, global step or learning
//   rate feeding everything.
// Their edges are still listed (flagged by the item), so the view can draw stubs.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "graph_model.h"

namespace tbview {

constexpr uint32_t kMinSeriesSize = 5;
constexpr uint32_t kMinChildrenForAuxiliary = 15;
constexpr uint32_t kMinAuxiliaryDegree = 5;
// Distinct edge shapes kept per summarised edge.
constexpr uint32_t kMaxEdgeShapes = 4;

struct GraphItem {
  enum class Kind : uint8_t { kGroup, kSeries, kOp };
  Kind kind = Kind::kGroup;
  int32_t parent = -1;
  uint32_t depth = 0;                     // root 0
  std::string label;                      // last component, as drawn (a series: "add_[1-9]");
                                          // GraphHierarchy::FullName gives the path
  std::string op;                         // kOp, kSeries: the op; kGroup: empty
  int32_t node = -1;                      // kOp: index into the model's nodes
  std::vector<int32_t> children;          // kGroup, kSeries
  uint32_t leaf_begin = 0, leaf_end = 0;  // leaves of the subtree (leaf order)
  // Rollups over the subtree's leaves.
  std::string device;       // shared by every leaf with one, else empty
  std::string xla_cluster;  // likewise, of GraphNode::xla_cluster
  bool has_stats = false;
  double compute_micros = 0;
  int64_t memory_bytes = 0;
  uint32_t leaf_count() const { return leaf_end - leaf_begin; }
};

// Edges between two items of one expanded level, summed over the leaf edges
// they stand for.
struct ItemEdge {
  int32_t from = -1, to = -1;
  uint32_t data = 0, control = 0;
  std::vector<std::string> shapes;  // distinct shapes of the data edges, at most kMaxEdgeShapes
};

struct GroupView {
  int32_t group = -1;
  std::vector<int32_t> children;
  std::vector<int32_t> auxiliary;  // the children drawn beside the graph (sorted)
  std::vector<ItemEdge> edges;     // among children
  // Edges between a child and the outside of the group: `from` or `to` is the
  // child; the other end is the neighbour item as seen where the two meet (the
  // child of their lowest common ancestor that holds the far end).
  std::vector<ItemEdge> outer;
};

struct NodeLink {
  int32_t item = -1;  // the leaf at the other end, -1 when it is missing
  std::string name;
  std::string shape;
  bool control = false;
};

struct NodeDetails {
  const GraphNode* node = nullptr;
  std::vector<NodeLink> inputs;
  std::vector<NodeLink> outputs;
};

class GraphHierarchy {
 public:
  // Builds the tree of `model` (which it takes over). Never fails: whatever
  // passed decoding has a hierarchy.
  GraphHierarchy(GraphModel model, const GraphLimits& limits = GraphLimits());
  ~GraphHierarchy();
  GraphHierarchy(const GraphHierarchy&) = delete;
  GraphHierarchy& operator=(const GraphHierarchy&) = delete;

  static constexpr int32_t kRoot = 0;

  const GraphModel& model() const { return model_; }
  size_t size() const { return items_.size(); }
  const GraphItem& item(int32_t id) const { return items_[id]; }
  bool valid(int32_t id) const { return id >= 0 && static_cast<size_t>(id) < items_.size(); }
  // The leaf item of model node `n`.
  int32_t LeafOfNode(int32_t n) const { return node_item_[n]; }

  // "a/b" for a group, the node's name for an op, the group's path plus the
  // series label for a series; "" for the root.
  std::string FullName(int32_t id) const;

  // The children of a group or series, their edges, auxiliary ones and outer
  // summaries. An op or an invalid id gives an empty view (group == -1).
  GroupView Expand(int32_t id) const;

  // The item's node with its inputs and outputs (node == nullptr for a group).
  NodeDetails Details(int32_t id) const;

  // Items whose name or op contains `query` (ASCII case-insensitive), groups
  // before ops, in item order, at most `limit`.
  std::vector<int32_t> Search(const std::string& query, size_t limit) const;

  // Leaves reachable from the item's leaves against (upstream) or along
  // (downstream) the edges, control edges included when asked, at most `limit`
  // (*truncated says whether more were reachable). Cycles end where a leaf is
  // seen again.
  std::vector<int32_t> Trace(int32_t id, bool upstream, bool include_control, size_t limit,
                             bool* truncated = nullptr) const;

  // The hierarchy of library function `f`'s body (GraphNode::function of a
  // call node), built on first use and kept; nullptr for an invalid index. Calls
  // inside a body index the same library. Not thread-safe (a lazy cache).
  const GraphHierarchy* FunctionHierarchy(int32_t f) const;

 private:
  struct Edge {
    int32_t src, dst;  // leaf indices (leaf order)
    int32_t input;     // index into the destination node's inputs
    bool control;
  };
  void BuildTree();
  void MakeSeries(int32_t group);
  void NumberLeaves(int32_t id, uint32_t* next);
  void BuildEdges();
  void RollUp();
  int32_t AncestorAtDepth(int32_t item, uint32_t depth) const;
  const std::string& EdgeShape(const Edge& e) const;

  GraphModel model_;
  GraphLimits limits_;
  std::vector<GraphItem> items_;
  std::vector<int32_t> node_item_;  // model node -> leaf item
  std::vector<int32_t> leaf_item_;  // leaf order -> leaf item
  std::vector<Edge> edges_;
  std::vector<uint32_t> out_begin_, in_begin_;  // CSR over leaf order: edges_ sorted by src; in_edges_ by dst
  std::vector<uint32_t> in_edges_;
  // Function bodies: `owner_` is the hierarchy whose model holds the library
  // (this one, or the graph a function body belongs to).
  const GraphHierarchy* owner_ = this;
  mutable std::vector<std::unique_ptr<GraphHierarchy>> functions_;
};

}  // namespace tbview
