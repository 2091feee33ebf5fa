#include "graph_hierarchy.h"

#include <algorithm>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace tbview {
namespace {

using Kind = GraphItem::Kind;

// Name components of a node: split on '/', empty components skipped, at most
// `limit` (> 0): the last one then runs to the end of the name, slashes and all.
std::vector<std::string_view> Components(std::string_view name, size_t limit) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    if (end > start) {
      if (out.size() + 1 == limit) {
        out.push_back(name.substr(start));
        break;
      }
      out.push_back(name.substr(start, end - start));
    }
    start = end + 1;
  }
  return out;
}

// A label as prefix + number + suffix, the number being the last run of digits
// (at most 9, so it fits); false when there is none.
bool SplitNumbered(std::string_view label, std::string_view* prefix, uint32_t* number,
                   std::string_view* suffix) {
  size_t end = label.size();
  while (end > 0 && !(label[end - 1] >= '0' && label[end - 1] <= '9')) --end;
  if (end == 0) return false;
  size_t begin = end;
  while (begin > 0 && label[begin - 1] >= '0' && label[begin - 1] <= '9') --begin;
  if (end - begin > 9) return false;
  uint32_t v = 0;
  for (size_t i = begin; i < end; ++i) v = v * 10 + (label[i] - '0');
  *prefix = label.substr(0, begin);
  *suffix = label.substr(end);
  *number = v;
  return true;
}

}  // namespace

GraphHierarchy::GraphHierarchy(GraphModel model, const GraphLimits& limits)
    : model_(std::move(model)), limits_(limits) {
  BuildTree();
  uint32_t next = 0;
  leaf_item_.assign(model_.nodes.size(), -1);
  NumberLeaves(kRoot, &next);
  BuildEdges();
  RollUp();
}

GraphHierarchy::~GraphHierarchy() = default;

void GraphHierarchy::BuildTree() {
  items_.clear();
  items_.emplace_back();  // the root
  // Child groups by (parent, component).
  std::unordered_map<std::string, int32_t> groups;
  auto key = [](int32_t parent, std::string_view c) {
    std::string k = std::to_string(parent);
    k.push_back('\0');
    k.append(c);
    return k;
  };
  const size_t cap = limits_.max_scope_depth;
  // Pass 1: the groups, from every node's scopes.
  std::vector<std::vector<std::string_view>> parts(model_.nodes.size());
  for (size_t i = 0; i < model_.nodes.size(); ++i) {
    parts[i] = Components(model_.nodes[i].name, cap + 1);
    const size_t scopes = std::min(parts[i].empty() ? 0 : parts[i].size() - 1, cap);
    int32_t g = kRoot;
    for (size_t c = 0; c < scopes; ++c) {
      auto it = groups.emplace(key(g, parts[i][c]), static_cast<int32_t>(items_.size()));
      if (it.second) {
        GraphItem item;
        item.kind = Kind::kGroup;
        item.parent = g;
        item.label.assign(parts[i][c]);
        items_[g].children.push_back(static_cast<int32_t>(items_.size()));
        items_.push_back(std::move(item));
      }
      g = it.first->second;
    }
  }
  // Pass 2: the leaves. A node whose whole name is a group goes inside it.
  node_item_.assign(model_.nodes.size(), -1);
  for (size_t i = 0; i < model_.nodes.size(); ++i) {
    const std::vector<std::string_view>& p = parts[i];
    const size_t scopes = std::min(p.empty() ? 0 : p.size() - 1, cap);
    int32_t g = kRoot;
    for (size_t c = 0; c < scopes; ++c) g = groups.find(key(g, p[c]))->second;
    std::string label;
    if (p.empty()) {
      label = model_.nodes[i].name;  // "" or only slashes
    } else {
      // The last component (beyond the cap: the rest of the name).
      label.assign(p.back());
      if (p.size() - 1 < cap) {
        auto own = groups.find(key(g, p.back()));
        if (own != groups.end()) g = own->second;
      }
    }
    GraphItem item;
    item.kind = Kind::kOp;
    item.parent = g;
    item.label = std::move(label);
    item.op = model_.nodes[i].op;
    item.node = static_cast<int32_t>(i);
    node_item_[i] = static_cast<int32_t>(items_.size());
    items_[g].children.push_back(static_cast<int32_t>(items_.size()));
    items_.push_back(std::move(item));
  }
  parts.clear();
  const size_t groups_count = items_.size();
  for (size_t g = 0; g < groups_count; ++g) {
    if (items_[g].kind == Kind::kGroup) MakeSeries(static_cast<int32_t>(g));
  }
}

void GraphHierarchy::MakeSeries(int32_t group) {
  // Candidate members: op children, keyed by (op, prefix, suffix).
  struct Member {
    uint32_t number;
    int32_t item;
  };
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<Member>> clusters;
  for (int32_t c : items_[group].children) {
    const GraphItem& it = items_[c];
    if (it.kind != Kind::kOp) continue;
    std::string_view prefix, suffix;
    uint32_t number;
    if (!SplitNumbered(it.label, &prefix, &number, &suffix)) continue;
    clusters[{it.op, std::string(prefix), std::string(suffix)}].push_back({number, c});
  }
  std::unordered_map<int32_t, int32_t> series_of;  // member -> its series
  for (auto& [k, members] : clusters) {
    if (members.size() < kMinSeriesSize) continue;
    std::sort(members.begin(), members.end(), [](const Member& a, const Member& b) {
      return a.number != b.number ? a.number < b.number : a.item < b.item;
    });
    size_t run = 0;
    for (size_t i = 1; i <= members.size(); ++i) {
      if (i < members.size() && members[i].number == members[i - 1].number + 1) continue;
      if (i - run >= kMinSeriesSize) {
        GraphItem s;
        s.kind = Kind::kSeries;
        s.parent = group;
        s.op = std::get<0>(k);
        s.label = std::get<1>(k) + "[" + std::to_string(members[run].number) + "-" +
                  std::to_string(members[i - 1].number) + "]" + std::get<2>(k);
        const int32_t sid = static_cast<int32_t>(items_.size());
        for (size_t m = run; m < i; ++m) {
          s.children.push_back(members[m].item);
          series_of[members[m].item] = sid;
        }
        items_.push_back(std::move(s));
        for (size_t m = run; m < i; ++m) items_[members[m].item].parent = sid;
      }
      run = i;
    }
  }
  if (series_of.empty()) return;
  // The group's children: a series takes the place of its first member.
  std::vector<int32_t> children;
  std::unordered_map<int32_t, bool> done;
  for (int32_t c : items_[group].children) {
    auto it = series_of.find(c);
    if (it == series_of.end()) {
      children.push_back(c);
    } else if (!done[it->second]) {
      done[it->second] = true;
      children.push_back(it->second);
    }
  }
  items_[group].children = std::move(children);
}

void GraphHierarchy::NumberLeaves(int32_t id, uint32_t* next) {
  GraphItem& it = items_[id];
  it.leaf_begin = *next;
  if (it.kind == Kind::kOp) {
    leaf_item_[(*next)++] = id;
  } else {
    for (int32_t c : it.children) {
      items_[c].depth = it.depth + 1;
      NumberLeaves(c, next);
    }
  }
  items_[id].leaf_end = *next;
}

void GraphHierarchy::BuildEdges() {
  const size_t leaves = leaf_item_.size();
  out_begin_.assign(leaves + 1, 0);
  in_begin_.assign(leaves + 1, 0);
  auto leaf_of_node = [&](int32_t n) { return items_[node_item_[n]].leaf_begin; };
  for (size_t n = 0; n < model_.nodes.size(); ++n) {
    for (const GraphInput& in : model_.nodes[n].inputs) {
      if (in.node < 0) continue;
      ++out_begin_[leaf_of_node(in.node) + 1];
      ++in_begin_[leaf_of_node(static_cast<int32_t>(n)) + 1];
    }
  }
  for (size_t l = 0; l < leaves; ++l) {
    out_begin_[l + 1] += out_begin_[l];
    in_begin_[l + 1] += in_begin_[l];
  }
  edges_.assign(out_begin_[leaves], Edge{0, 0, 0, false});
  in_edges_.assign(in_begin_[leaves], 0);
  std::vector<uint32_t> out_fill(out_begin_.begin(), out_begin_.end() - 1);
  std::vector<uint32_t> in_fill(in_begin_.begin(), in_begin_.end() - 1);
  for (size_t n = 0; n < model_.nodes.size(); ++n) {
    const auto& inputs = model_.nodes[n].inputs;
    const int32_t dst = static_cast<int32_t>(leaf_of_node(static_cast<int32_t>(n)));
    for (size_t j = 0; j < inputs.size(); ++j) {
      if (inputs[j].node < 0) continue;
      const int32_t src = static_cast<int32_t>(leaf_of_node(inputs[j].node));
      const uint32_t e = out_fill[src]++;
      edges_[e] = Edge{src, dst, static_cast<int32_t>(j), inputs[j].control};
      in_edges_[in_fill[dst]++] = e;
    }
  }
}

void GraphHierarchy::RollUp() {
  // Children come after their parent in items_ except series (appended later),
  // so walk by decreasing depth.
  std::vector<int32_t> order(items_.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](int32_t a, int32_t b) { return items_[a].depth > items_[b].depth; });
  // mixed[i] bit 1: leaves of i disagree on the device; bit 2: on the XLA cluster.
  std::vector<uint8_t> mixed(items_.size(), 0);
  auto share = [&](const std::string& child, std::string* parent, int32_t p, uint8_t bit) {
    if (child.empty() || (mixed[p] & bit)) return;
    if (parent->empty())
      *parent = child;
    else if (*parent != child)
      mixed[p] |= bit;
  };
  for (int32_t id : order) {
    GraphItem& it = items_[id];
    if (it.kind == Kind::kOp) {
      const GraphNode& n = model_.nodes[it.node];
      it.device = n.device;
      it.xla_cluster = n.xla_cluster;
      it.has_stats = n.has_stats;
      it.compute_micros = n.compute_micros;
      it.memory_bytes = n.memory_bytes;
    }
    if (it.parent < 0) continue;
    GraphItem& p = items_[it.parent];
    p.has_stats |= it.has_stats;
    p.compute_micros += it.compute_micros;
    p.memory_bytes += it.memory_bytes;
    mixed[it.parent] |= mixed[id];
    share(it.device, &p.device, it.parent, 1);
    share(it.xla_cluster, &p.xla_cluster, it.parent, 2);
  }
  for (size_t i = 0; i < items_.size(); ++i) {
    if (mixed[i] & 1) items_[i].device.clear();
    if (mixed[i] & 2) items_[i].xla_cluster.clear();
  }
}

std::string GraphHierarchy::FullName(int32_t id) const {
  if (!valid(id) || id == kRoot) return "";
  const GraphItem& it = items_[id];
  if (it.kind == Kind::kOp) return model_.nodes[it.node].name;
  std::vector<const std::string*> labels;
  for (int32_t g = id; g > kRoot; g = items_[g].parent) labels.push_back(&items_[g].label);
  std::string out;
  for (size_t i = labels.size(); i-- > 0;) {
    out += *labels[i];
    if (i) out += '/';
  }
  return out;
}

int32_t GraphHierarchy::AncestorAtDepth(int32_t item, uint32_t depth) const {
  while (items_[item].depth > depth) item = items_[item].parent;
  return item;
}

const std::string& GraphHierarchy::EdgeShape(const Edge& e) const {
  const GraphItem& dst = items_[leaf_item_[e.dst]];
  return model_.nodes[dst.node].inputs[e.input].shape;
}

}  // namespace tbview
