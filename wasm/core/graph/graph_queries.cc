// GraphHierarchy's lazy answers (graph_hierarchy.h): Expand, Details, Search,
// Trace and function bodies. The tree itself is built in graph_hierarchy.cc.
#include <algorithm>
#include <unordered_map>

#include "graph_hierarchy.h"

namespace tbview {
namespace {

using Kind = GraphItem::Kind;

bool IsSummaryOpName(const std::string& op) {
  static const std::string kSuffix = "Summary";
  if (op.size() >= kSuffix.size() && op.compare(op.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0)
    return true;
  return op == "WriteSummary" || op == "FlushSummaryWriter" || op == "CreateSummaryFileWriter" ||
         op == "SummaryWriter";
}

bool ContainsLower(const std::string& hay, const std::string& lower_needle) {
  if (lower_needle.empty()) return true;
  auto eq = [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) == b; };
  return std::search(hay.begin(), hay.end(), lower_needle.begin(), lower_needle.end(), eq) != hay.end();
}

// Sums leaf edges into item edges keyed by (from, to).
class EdgeSums {
 public:
  explicit EdgeSums(std::vector<ItemEdge>* out) : out_(out) {}
  void Add(int32_t from, int32_t to, bool control, const std::string& shape) {
    const uint64_t k = (uint64_t(uint32_t(from)) << 32) | uint32_t(to);
    auto it = index_.emplace(k, static_cast<uint32_t>(out_->size()));
    if (it.second) {
      out_->emplace_back();
      out_->back().from = from;
      out_->back().to = to;
    }
    ItemEdge& e = (*out_)[it.first->second];
    if (control) {
      ++e.control;
    } else {
      ++e.data;
      if (!shape.empty() && e.shapes.size() < kMaxEdgeShapes &&
          std::find(e.shapes.begin(), e.shapes.end(), shape) == e.shapes.end()) {
        e.shapes.push_back(shape);
      }
    }
  }

 private:
  std::vector<ItemEdge>* out_;
  std::unordered_map<uint64_t, uint32_t> index_;
};

}  // namespace

GroupView GraphHierarchy::Expand(int32_t id) const {
  GroupView view;
  if (!valid(id) || items_[id].kind == Kind::kOp) return view;
  const GraphItem& g = items_[id];
  view.group = id;
  view.children = g.children;
  const uint32_t child_depth = g.depth + 1;
  // The group's ancestors by depth, to find where an outside edge meets it.
  std::vector<int32_t> chain(g.depth + 1);
  for (int32_t a = id; a >= 0; a = items_[a].parent) chain[items_[a].depth] = a;
  auto inside = [&](const GraphItem& it, uint32_t leaf) {
    return leaf >= it.leaf_begin && leaf < it.leaf_end;
  };
  // The item that stands for outside leaf `leaf` next to this group.
  auto neighbour = [&](uint32_t leaf) {
    uint32_t k = g.depth;
    while (k > 0 && !inside(items_[chain[k - 1]], leaf)) --k;
    // chain[k - 1] holds the leaf (the root holds everything): its child on the leaf's side.
    return AncestorAtDepth(leaf_item_[leaf], k);
  };
  EdgeSums inner(&view.edges), outer(&view.outer);
  for (uint32_t l = g.leaf_begin; l < g.leaf_end; ++l) {
    const int32_t child = AncestorAtDepth(leaf_item_[l], child_depth);
    for (uint32_t e = out_begin_[l]; e < out_begin_[l + 1]; ++e) {
      const Edge& edge = edges_[e];
      if (inside(g, edge.dst)) {
        const int32_t to = AncestorAtDepth(leaf_item_[edge.dst], child_depth);
        if (to != child || (edge.src == edge.dst && items_[child].kind == Kind::kOp))
          inner.Add(child, to, edge.control, EdgeShape(edge));
      } else {
        outer.Add(child, neighbour(edge.dst), edge.control, EdgeShape(edge));
      }
    }
    for (uint32_t k = in_begin_[l]; k < in_begin_[l + 1]; ++k) {
      const Edge& edge = edges_[in_edges_[k]];
      if (!inside(g, edge.src)) outer.Add(neighbour(edge.src), child, edge.control, EdgeShape(edge));
    }
  }
  // Auxiliary children (the rule is in graph_hierarchy.h).
  if (view.children.size() >= kMinChildrenForAuxiliary) {
    std::unordered_map<int32_t, uint32_t> in_deg, out_deg, control_in, data_out;
    for (const ItemEdge& e : view.edges) {
      if (e.from == e.to) continue;
      ++out_deg[e.from];
      ++in_deg[e.to];
      if (e.control) ++control_in[e.to];
      if (e.data) ++data_out[e.from];
    }
    for (const ItemEdge& e : view.outer) {
      if (e.data) ++data_out[e.from];
    }
    std::vector<uint32_t> degrees;
    degrees.reserve(view.children.size());
    for (int32_t c : view.children) degrees.push_back(std::max(in_deg[c], out_deg[c]));
    std::vector<uint32_t> sorted = degrees;
    std::sort(sorted.begin(), sorted.end());
    const double q1 = sorted[sorted.size() / 4], q3 = sorted[(sorted.size() * 3) / 4];
    const double threshold = std::max({double(kMinAuxiliaryDegree), q3 + 4 * (q3 - q1), sorted.size() / 4.0});
    for (size_t i = 0; i < view.children.size(); ++i) {
      const int32_t c = view.children[i];
      const GraphItem& it = items_[c];
      if (it.kind != Kind::kOp) continue;
      const bool summary = IsSummaryOpName(it.op);
      const bool sink = it.op == "NoOp" && data_out[c] == 0 && control_in[c] >= kMinAuxiliaryDegree;
      if (summary || sink || degrees[i] >= threshold) view.auxiliary.push_back(c);
    }
    std::sort(view.auxiliary.begin(), view.auxiliary.end());
  }
  return view;
}

NodeDetails GraphHierarchy::Details(int32_t id) const {
  NodeDetails d;
  if (!valid(id) || items_[id].kind != Kind::kOp) return d;
  const GraphNode& n = model_.nodes[items_[id].node];
  d.node = &n;
  for (const GraphInput& in : n.inputs) {
    NodeLink link;
    link.item = in.node >= 0 ? node_item_[in.node] : -1;
    link.name = in.name;
    link.shape = in.shape;
    link.control = in.control;
    d.inputs.push_back(std::move(link));
  }
  const uint32_t l = items_[id].leaf_begin;
  for (uint32_t e = out_begin_[l]; e < out_begin_[l + 1]; ++e) {
    const Edge& edge = edges_[e];
    NodeLink link;
    link.item = leaf_item_[edge.dst];
    link.name = model_.nodes[items_[link.item].node].name;
    link.shape = EdgeShape(edge);
    link.control = edge.control;
    d.outputs.push_back(std::move(link));
  }
  return d;
}

std::vector<int32_t> GraphHierarchy::Search(const std::string& query, size_t limit) const {
  std::string q = query;
  for (char& c : q) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  std::vector<int32_t> out;
  if (q.empty()) return out;
  for (int pass = 0; pass < 2 && out.size() < limit; ++pass) {
    for (size_t i = 1; i < items_.size() && out.size() < limit; ++i) {
      const GraphItem& it = items_[i];
      if ((it.kind == Kind::kOp) != (pass == 1)) continue;
      if (ContainsLower(it.op, q) || ContainsLower(FullName(static_cast<int32_t>(i)), q)) {
        out.push_back(static_cast<int32_t>(i));
      }
    }
  }
  return out;
}

std::vector<int32_t> GraphHierarchy::Trace(int32_t id, bool upstream, bool include_control, size_t limit,
                                           bool* truncated) const {
  std::vector<int32_t> out;
  if (truncated) *truncated = false;
  if (!valid(id)) return out;
  const GraphItem& start = items_[id];
  std::vector<uint8_t> seen(leaf_item_.size(), 0);
  std::vector<uint32_t> queue;
  for (uint32_t l = start.leaf_begin; l < start.leaf_end; ++l) {
    seen[l] = 1;
    queue.push_back(l);
  }
  for (size_t head = 0; head < queue.size(); ++head) {
    const uint32_t l = queue[head];
    const uint32_t begin = upstream ? in_begin_[l] : out_begin_[l];
    const uint32_t end = upstream ? in_begin_[l + 1] : out_begin_[l + 1];
    for (uint32_t k = begin; k < end; ++k) {
      const Edge& e = edges_[upstream ? in_edges_[k] : k];
      if (e.control && !include_control) continue;
      const uint32_t next = static_cast<uint32_t>(upstream ? e.src : e.dst);
      if (seen[next]) continue;
      if (out.size() >= limit) {
        if (truncated) *truncated = true;
        return out;
      }
      seen[next] = 1;
      queue.push_back(next);
      out.push_back(leaf_item_[next]);
    }
  }
  return out;
}

const GraphHierarchy* GraphHierarchy::FunctionHierarchy(int32_t f) const {
  if (owner_ != this) return owner_->FunctionHierarchy(f);
  if (f < 0 || static_cast<size_t>(f) >= model_.functions.size()) return nullptr;
  if (functions_.empty()) functions_.resize(model_.functions.size());
  if (!functions_[f]) {
    GraphModel body;
    body.nodes = model_.functions[f].nodes;
    auto h = std::make_unique<GraphHierarchy>(std::move(body), limits_);
    h->owner_ = this;
    functions_[f] = std::move(h);
  }
  return functions_[f].get();
}

}  // namespace tbview
