#include "graph_decode.h"

#include <google/protobuf/arena.h>

#include <algorithm>
#include <climits>
#include <unordered_set>

#include "proto/graph.pb.h"

namespace tbview {
namespace {

// Appends up to a budget and counts everything: a cut display text still knows
// the size it would have had.
struct Budget {
  std::string out;
  size_t max;
  uint64_t total = 0;
  void Add(std::string_view s) {
    total += s.size();
    if (out.size() < max) out.append(s.substr(0, std::min(s.size(), max - out.size())));
  }
  bool full() const { return out.size() >= max; }
};

std::string DtypeName(int v) {
  const std::string& name = proto::DataType_Name(static_cast<proto::DataType>(v));
  return name.empty() ? "DT_" + std::to_string(v) : name;
}

void ShapeInto(const proto::TensorShapeProto& s, Budget* b) {
  if (s.unknown_rank()) {
    b->Add("?");
    return;
  }
  b->Add("[");
  for (int i = 0; i < s.dim_size(); ++i) {
    if (i) b->Add(",");
    if (b->full()) {  // a shape of a million dims: count it, do not format it
      b->total += 2 * (s.dim_size() - i);
      break;
    }
    const int64_t d = s.dim(i).size();
    b->Add(d < 0 ? std::string("?") : std::to_string(d));
  }
  b->Add("]");
}

std::string ShapeText(const proto::TensorShapeProto& s, size_t max) {
  Budget b;
  b.max = max;
  ShapeInto(s, &b);
  return std::move(b.out);
}

void QuotedInto(std::string_view s, Budget* b) {
  b->Add("\"");
  b->Add(s);
  b->Add("\"");
}

void TensorInto(const proto::TensorProto& t, Budget* b) {
  b->Add("tensor<");
  b->Add(DtypeName(t.dtype()));
  b->Add(" ");
  ShapeInto(t.tensor_shape(), b);
  b->Add(">");
  // A few values, enough to read a small constant.
  constexpr int kShow = 8;
  if (t.string_val_size() > 0) {
    b->Add(" ");
    QuotedInto(t.string_val(0), b);
  } else if (t.float_val_size() > 0) {
    for (int i = 0; i < t.float_val_size() && i < kShow; ++i) b->Add(" " + std::to_string(t.float_val(i)));
  } else if (t.int_val_size() > 0) {
    for (int i = 0; i < t.int_val_size() && i < kShow; ++i) b->Add(" " + std::to_string(t.int_val(i)));
  } else if (t.int64_val_size() > 0) {
    for (int i = 0; i < t.int64_val_size() && i < kShow; ++i) b->Add(" " + std::to_string(t.int64_val(i)));
  } else if (!t.tensor_content().empty()) {
    b->Add(" (" + std::to_string(t.tensor_content().size()) + " bytes)");
  }
}

void AttrInto(const proto::AttrValue& v, Budget* b);

void FuncInto(const proto::NameAttrList& f, Budget* b) {
  b->Add(f.name());
  if (f.attr_size() == 0) return;
  b->Add("[");
  for (int i = 0; i < f.attr_size() && !b->full(); ++i) {
    if (i) b->Add(", ");
    b->Add(f.attr(i).key());
    b->Add("=");
    AttrInto(f.attr(i).value(), b);
  }
  b->Add("]");
}

// One attribute value as display text. Lists stop formatting once the budget is
// full (their size is then known from the serialized size, not counted here).
void AttrInto(const proto::AttrValue& v, Budget* b) {
  using V = proto::AttrValue;
  switch (v.value_case()) {
    case V::kS: QuotedInto(v.s(), b); break;
    case V::kI: b->Add(std::to_string(v.i())); break;
    case V::kF: b->Add(std::to_string(v.f())); break;
    case V::kB: b->Add(v.b() ? "true" : "false"); break;
    case V::kType: b->Add(DtypeName(v.type())); break;
    case V::kShape: ShapeInto(v.shape(), b); break;
    case V::kTensor: TensorInto(v.tensor(), b); break;
    case V::kFunc: FuncInto(v.func(), b); break;
    case V::kPlaceholder: b->Add("$" + v.placeholder()); break;
    case V::kList: {
      const auto& l = v.list();
      b->Add("[");
      int n = 0;
      auto sep = [&] {
        if (n++) b->Add(", ");
      };
      for (const auto& s : l.s()) {
        if (b->full()) break;
        sep();
        QuotedInto(s, b);
      }
      for (int64_t i : l.i()) {
        if (b->full()) break;
        sep();
        b->Add(std::to_string(i));
      }
      for (float f : l.f()) {
        if (b->full()) break;
        sep();
        b->Add(std::to_string(f));
      }
      for (bool x : l.b()) {
        if (b->full()) break;
        sep();
        b->Add(x ? "true" : "false");
      }
      for (int t : l.type()) {
        if (b->full()) break;
        sep();
        b->Add(DtypeName(t));
      }
      for (const auto& s : l.shape()) {
        if (b->full()) break;
        sep();
        ShapeInto(s, b);
      }
      for (const auto& t : l.tensor()) {
        if (b->full()) break;
        sep();
        TensorInto(t, b);
      }
      for (const auto& f : l.func()) {
        if (b->full()) break;
        sep();
        FuncInto(f, b);
      }
      b->Add("]");
      break;
    }
    default: break;
  }
}

GraphNode DecodeNode(const proto::NodeDef& nd, const std::string& prefix, const GraphLimits& limits) {
  GraphNode n;
  n.name = prefix + nd.name();
  n.op = nd.op();
  n.device = nd.device();
  n.inputs.reserve(nd.input_size());
  for (const std::string& text : nd.input()) {
    GraphInput in;
    std::string_view t(text);
    in.control = !t.empty() && t[0] == '^';
    if (in.control) t.remove_prefix(1);
    in.name = prefix;
    in.name.append(t);
    n.inputs.push_back(std::move(in));
  }
  n.attrs.reserve(nd.attr_size());
  for (const proto::AttrEntry& e : nd.attr()) {
    const proto::AttrValue& v = e.value();
    GraphAttr a;
    a.key = e.key();
    Budget b;
    b.max = limits.max_attr_display_bytes;
    AttrInto(v, &b);
    a.full_bytes = v.ByteSizeLong();
    a.truncated = b.total > b.out.size() || b.out.size() >= b.max;
    a.value = std::move(b.out);
    if (a.key == "_output_shapes" && v.has_list()) {
      n.output_shapes.reserve(v.list().shape_size());
      for (const auto& s : v.list().shape())
        n.output_shapes.push_back(ShapeText(s, limits.max_attr_display_bytes));
    } else if ((a.key == "T" || a.key == "dtype") && v.value_case() == proto::AttrValue::kType &&
               n.dtype.empty()) {
      n.dtype = DtypeName(v.type());
    } else if (a.key == "_XlaCluster" && v.value_case() == proto::AttrValue::kS) {
      n.xla_cluster = v.s().substr(0, limits.max_attr_display_bytes);
    }
    n.attrs.push_back(std::move(a));
  }
  std::sort(n.attrs.begin(), n.attrs.end(),
            [](const GraphAttr& x, const GraphAttr& y) { return x.key < y.key; });
  return n;
}

// The name of the function a node calls: its op, when that names a library
// function, else its attr `f` (PartitionedCall and StatefulPartitionedCall).
const std::string* CalledFunction(const proto::NodeDef& nd) {
  for (const proto::AttrEntry& e : nd.attr()) {
    if (e.key() == "f" && e.value().has_func()) return &e.value().func().name();
  }
  return nullptr;
}

class GraphBuilder {
 public:
  GraphBuilder(const GraphLimits& limits, GraphModel* out) : limits_(limits), out_(out) {}

  // Appends a GraphDef's nodes (names prefixed) and its library functions (the
  // first function of each name wins when several graphs are merged).
  bool Add(const proto::GraphDef& g, const std::string& prefix, std::string* error) {
    if (!CountNodes(g.node_size(), error)) return false;
    out_->nodes.reserve(out_->nodes.size() + g.node_size());
    calls_.reserve(calls_.size() + g.node_size());
    for (const proto::NodeDef& nd : g.node()) {
      if (!CountInputs(nd.input_size(), error)) return false;
      out_->nodes.push_back(DecodeNode(nd, prefix, limits_));
      const std::string* f = CalledFunction(nd);
      calls_.push_back(f ? *f : nd.op());
    }
    for (const proto::FunctionDef& fd : g.library().function()) {
      if (out_->functions.size() >= limits_.max_functions) {
        *error =
            "graph has more than max_functions (" + std::to_string(limits_.max_functions) + ") functions";
        return false;
      }
      if (!function_names_.insert(fd.signature().name()).second) continue;
      if (!AddFunction(fd, error)) return false;
    }
    return true;
  }

  // Resolves inputs and links calls to functions.
  void Finish() {
    std::unordered_map<std::string, int32_t> index;
    for (size_t i = 0; i < out_->functions.size(); ++i)
      index.emplace(out_->functions[i].name, static_cast<int32_t>(i));
    auto link = [&](std::vector<GraphNode>* nodes, const std::vector<std::string>& calls) {
      for (size_t i = 0; i < nodes->size() && i < calls.size(); ++i) {
        auto it = index.find(calls[i]);
        if (it != index.end()) (*nodes)[i].function = it->second;
      }
    };
    link(&out_->nodes, calls_);
    ResolveGraphInputs(&out_->nodes, out_);
    for (size_t f = 0; f < out_->functions.size(); ++f) {
      link(&out_->functions[f].nodes, function_calls_[f]);
      ResolveGraphInputs(&out_->functions[f].nodes, nullptr);
    }
  }

 private:
  bool CountNodes(uint64_t n, std::string* error) {
    nodes_ += n;
    if (nodes_ <= limits_.max_nodes) return true;
    *error = "graph has more than max_nodes (" + std::to_string(limits_.max_nodes) + ") nodes";
    return false;
  }
  bool CountInputs(uint64_t n, std::string* error) {
    inputs_ += n;
    if (inputs_ <= limits_.max_inputs) return true;
    *error = "graph has more than max_inputs (" + std::to_string(limits_.max_inputs) + ") inputs";
    return false;
  }

  // A function body: _Arg nodes for the signature's inputs, the body, and
  // _Retval nodes (named after the output args) fed by `ret`.
  bool AddFunction(const proto::FunctionDef& fd, std::string* error) {
    const proto::OpDef& sig = fd.signature();
    if (!CountNodes(uint64_t(sig.input_arg_size()) + fd.node_def_size() + fd.ret_size(), error)) return false;
    GraphFunction f;
    f.name = sig.name();
    std::vector<std::string> calls;
    for (const auto& arg : sig.input_arg()) {
      GraphNode n;
      n.name = arg.name();
      n.op = "_Arg";
      if (arg.type() != 0) n.dtype = DtypeName(arg.type());
      f.input_args.push_back(arg.name());
      f.nodes.push_back(std::move(n));
      calls.emplace_back();
    }
    for (const proto::NodeDef& nd : fd.node_def()) {
      if (!CountInputs(nd.input_size(), error)) return false;
      f.nodes.push_back(DecodeNode(nd, "", limits_));
      const std::string* fn = CalledFunction(nd);
      calls.push_back(fn ? *fn : nd.op());
    }
    for (const auto& ret : fd.ret()) {
      if (!CountInputs(1, error)) return false;
      GraphNode n;
      n.name = ret.key();
      n.op = "_Retval";
      GraphInput in;
      in.name = ret.value();
      n.inputs.push_back(std::move(in));
      f.output_args.push_back(ret.key());
      f.nodes.push_back(std::move(n));
      calls.emplace_back();
    }
    out_->functions.push_back(std::move(f));
    function_calls_.push_back(std::move(calls));
    return true;
  }

  const GraphLimits& limits_;
  GraphModel* out_;
  uint64_t nodes_ = 0, inputs_ = 0;
  std::vector<std::string> calls_;                        // per graph node
  std::vector<std::vector<std::string>> function_calls_;  // per function, per body node
  std::unordered_set<std::string> function_names_;
};

bool CheckSize(std::string_view bytes, const GraphLimits& limits, const char* what, std::string* error) {
  if (bytes.size() <= limits.max_graph_bytes && bytes.size() <= static_cast<size_t>(INT_MAX)) return true;
  *error = std::string(what) + " of " + std::to_string(bytes.size()) + " bytes is over max_graph_bytes (" +
           std::to_string(limits.max_graph_bytes) + ")";
  return false;
}

bool BuildFrom(const std::vector<const proto::GraphDef*>& graphs, const GraphLimits& limits, GraphModel* out,
               std::string* error) {
  GraphModel model;
  GraphBuilder builder(limits, &model);
  for (size_t i = 0; i < graphs.size(); ++i) {
    const std::string prefix = graphs.size() > 1 ? "graph_" + std::to_string(i + 1) + "/" : "";
    if (!builder.Add(*graphs[i], prefix, error)) return false;
  }
  builder.Finish();
  *out = std::move(model);
  return true;
}

}  // namespace

bool DecodeGraphDef(std::string_view bytes, const GraphLimits& limits, GraphModel* out, std::string* error) {
  if (!CheckSize(bytes, limits, "GraphDef", error)) return false;
  // On an arena: a graph is many small messages, freed at once.
  google::protobuf::Arena arena;
  auto* g = google::protobuf::Arena::CreateMessage<proto::GraphDef>(&arena);
  if (!g->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    *error = "not a GraphDef: the bytes do not parse";
    return false;
  }
  return BuildFrom({g}, limits, out, error);
}

bool DecodeMetaGraphDef(std::string_view bytes, const GraphLimits& limits, GraphModel* out,
                        std::string* error) {
  if (!CheckSize(bytes, limits, "MetaGraphDef", error)) return false;
  google::protobuf::Arena arena;
  auto* m = google::protobuf::Arena::CreateMessage<proto::MetaGraphDef>(&arena);
  if (!m->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    *error = "not a MetaGraphDef: the bytes do not parse";
    return false;
  }
  if (!m->has_graph_def()) {
    *error = "the MetaGraphDef holds no graph_def";
    return false;
  }
  return BuildFrom({&m->graph_def()}, limits, out, error);
}

bool DecodeRunMetadata(std::string_view bytes, const GraphLimits& limits, RunMetadataInfo* out,
                       std::string* error, RunMetadataGraphs which) {
  *out = RunMetadataInfo();
  if (!CheckSize(bytes, limits, "RunMetadata", error)) return false;
  google::protobuf::Arena arena;
  proto::RunMetadata& rm = *google::protobuf::Arena::CreateMessage<proto::RunMetadata>(&arena);
  if (!rm.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    *error = "not a RunMetadata: the bytes do not parse";
    return false;
  }
  for (const auto& dev : rm.step_stats().dev_stats()) {
    for (const auto& ns : dev.node_stats()) {
      NodeStats& s = out->stats[ns.node_name()];
      if (s.device.empty()) s.device = dev.device();
      s.compute_micros += ns.all_end_rel_micros() != 0 ? double(ns.all_end_rel_micros())
                                                       : double(ns.all_end_rel_nanos()) / 1000.0;
      for (const auto& m : ns.memory()) s.memory_bytes += m.total_bytes();
    }
  }
  out->partition_graphs = rm.partition_graphs_size();
  out->function_graphs = rm.function_graphs_size();
  std::vector<const proto::GraphDef*> partitions, functions;
  for (const auto& g : rm.partition_graphs()) partitions.push_back(&g);
  for (const auto& f : rm.function_graphs()) {
    if (f.has_pre_optimization_graph()) functions.push_back(&f.pre_optimization_graph());
  }
  const bool functions_first = which == RunMetadataGraphs::kFunctionGraphsFirst;
  std::vector<const proto::GraphDef*>& graphs =
      (functions_first ? !functions.empty() : partitions.empty()) ? functions : partitions;
  if (!graphs.empty()) {
    if (!BuildFrom(graphs, limits, &out->graph, error)) return false;
    out->has_graph = true;
  }
  return true;
}

uint64_t ApplyStepStats(const std::unordered_map<std::string, NodeStats>& stats, GraphModel* model) {
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(model->nodes.size());
  for (size_t i = 0; i < model->nodes.size(); ++i) index.emplace(model->nodes[i].name, i);
  uint64_t matched = 0;
  for (const auto& kv : stats) {
    auto it = index.find(kv.first);
    if (it == index.end()) {
      const size_t colon = kv.first.find(':');
      if (colon != std::string::npos) it = index.find(std::string_view(kv.first).substr(0, colon));
    }
    if (it == index.end()) continue;
    GraphNode& n = model->nodes[it->second];
    if (!n.has_stats) ++matched;
    n.has_stats = true;
    n.compute_micros += kv.second.compute_micros;
    n.memory_bytes += kv.second.memory_bytes;
  }
  return matched;
}

}  // namespace tbview
